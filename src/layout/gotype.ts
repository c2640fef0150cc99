/**
 * Go types as data: the shape of a value in memory, as the Go compiler laid it out.
 *
 * Built from the DWARF description the gdb bridge returns (see ./from-dwarf.ts), or
 * synthesised for Go's predeclared types. Types may be recursive (`type node struct{ next *node }`),
 * so pointer and slice element types are plain object references that can form cycles.
 */

export type GoKind =
  | 'bool'
  | 'int'
  | 'uint'
  | 'uintptr'
  | 'float'
  | 'complex'
  | 'string'
  | 'pointer'
  | 'unsafe.Pointer'
  | 'chan'
  | 'func'
  | 'map'
  | 'slice'
  | 'array'
  | 'struct'
  | 'eface'
  | 'iface';

interface GoTypeBase {
  /** The Go spelling, e.g. `main.Point`, `*main.Point`, `[]string`, `map[string]int`. */
  readonly name: string;
  readonly size: number;
  /** Alignment by Go's rules for the target's pointer size (DWARF does not record it). */
  readonly align: number;
}

export interface GoScalarType extends GoTypeBase {
  readonly kind: 'bool' | 'int' | 'uint' | 'uintptr' | 'float' | 'complex' | 'unsafe.Pointer' | 'chan' | 'func';
}

export interface GoStringType extends GoTypeBase {
  readonly kind: 'string';
}

export interface GoPointerType extends GoTypeBase {
  readonly kind: 'pointer';
  /** Undefined where the bridge stopped following pointers (a rendered pointer needs only its address). */
  elem: GoType | undefined;
}

export interface GoSliceType extends GoTypeBase {
  readonly kind: 'slice';
  elem: GoType | undefined;
}

export interface GoArrayType extends GoTypeBase {
  readonly kind: 'array';
  readonly elem: GoType;
  readonly length: number;
}

export interface GoField {
  readonly name: string;
  readonly offset: number;
  readonly type: GoType;
}

export interface GoStructType extends GoTypeBase {
  readonly kind: 'struct';
  readonly fields: readonly GoField[];
}

export interface GoMapType extends GoTypeBase {
  readonly kind: 'map';
  readonly keyName: string;
  readonly elemName: string;
  /** The runtime header struct the map value points at (`hash<K,V>` or `map<K,V>`), when described. */
  header: GoStructType | undefined;
  /**
   * Where this map type's runtime descriptor is, when the program itself says: a generic
   * function's local, whose dictionary points at it (its DWARF names only the shape).
   */
  readonly descriptor?: bigint;
}

export interface GoInterfaceType extends GoTypeBase {
  /** eface: `interface{}`/`any` (type word first); iface: non-empty interfaces (itab word first). */
  readonly kind: 'eface' | 'iface';
}

export type GoType =
  | GoScalarType
  | GoStringType
  | GoPointerType
  | GoSliceType
  | GoArrayType
  | GoStructType
  | GoMapType
  | GoInterfaceType;

/** Splits `map[K]V` into K and V, honouring brackets inside K (`map[[2]int]string`). */
export function splitMapTypeName(name: string): { key: string; elem: string } | undefined {
  if (!name.startsWith('map[')) return undefined;
  let depth = 0;
  for (let i = 3; i < name.length; i++) {
    const c = name[i];
    if (c === '[') depth++;
    else if (c === ']') {
      depth--;
      if (depth === 0) return { key: name.slice(4, i), elem: name.slice(i + 1) };
    }
  }
  return undefined;
}

/**
 * Splits the linker's header name `hash<K,V>` / `map<K,V>` at the comma outside any brackets,
 * braces or parentheses (`map<main.Pair[int,string],func(int, string) bool>`).
 */
export function splitHeaderName(name: string): { key: string; elem: string } | undefined {
  const m = /^(?:hash|map)<(.*)>$/.exec(name);
  if (!m) return undefined;
  const body = m[1];
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '[' || c === '(' || c === '{') depth++;
    else if (c === ']' || c === ')' || c === '}') depth--;
    else if (c === ',' && depth === 0) return { key: body.slice(0, i), elem: body.slice(i + 1) };
  }
  return undefined;
}

const SHAPE_PREFIX = 'go.shape.';

/**
 * The Go spelling of the underlying type a generic function's shape type stands for, which it is
 * laid out as: `go.shape.string` (Go 1.20+), `go.shape.string_0` (Go 1.18 and 1.19 number them by
 * type parameter) → `string`; `go.shape.*uint8` → `*uint8`. Any other name is returned as it is.
 */
export function shapeUnderlying(name: string): string {
  if (!name.startsWith(SHAPE_PREFIX)) return name;
  return name.slice(SHAPE_PREFIX.length).replace(/_\d+$/, '');
}

/** Whether a type name spells a shape anywhere in it (`map[go.shape.string]int`). */
export function hasShapeName(name: string): boolean {
  return name.includes(SHAPE_PREFIX);
}

export function isPointerShaped(t: GoType): boolean {
  return t.kind === 'pointer' || t.kind === 'unsafe.Pointer' || t.kind === 'chan' || t.kind === 'func' || t.kind === 'map';
}

/** Go's alignment of a scalar of `size` bytes: 64-bit scalars align to 4 on 32-bit targets. */
export function scalarAlign(size: number, pointerSize: number): number {
  if (size <= 1) return 1;
  return Math.min(size, pointerSize);
}

const SIZED_INTS: Record<string, [GoScalarType['kind'], number]> = {
  int8: ['int', 1],
  int16: ['int', 2],
  int32: ['int', 4],
  rune: ['int', 4],
  int64: ['int', 8],
  uint8: ['uint', 1],
  byte: ['uint', 1],
  uint16: ['uint', 2],
  uint32: ['uint', 4],
  uint64: ['uint', 8],
  float32: ['float', 4],
  float64: ['float', 8],
  complex64: ['complex', 8],
  complex128: ['complex', 16],
  bool: ['bool', 1],
};

/**
 * Go's predeclared types, built without asking gdb: gdb answers a lookup of `int` with its own
 * 4-byte C-flavoured type rather than Go's DWARF one.
 */
export function predeclaredType(name: string, pointerSize: number): GoType | undefined {
  if (name === 'int' || name === 'uint' || name === 'uintptr') {
    const kind = name === 'int' ? 'int' : name === 'uint' ? 'uint' : 'uintptr';
    return { kind, name, size: pointerSize, align: pointerSize };
  }
  if (name === 'string') return { kind: 'string', name, size: 2 * pointerSize, align: pointerSize };
  if (name === 'unsafe.Pointer') return { kind: 'unsafe.Pointer', name, size: pointerSize, align: pointerSize };
  const sized = SIZED_INTS[name];
  if (!sized) return undefined;
  const [kind, size] = sized;
  // complex64 is two float32s and aligns like one.
  const align = kind === 'complex' ? scalarAlign(size / 2, pointerSize) : scalarAlign(size, pointerSize);
  return { kind, name, size, align };
}
