/**
 * From the bridge's DWARF description (gdb's view of the debug info, as plain data) to Go types.
 *
 * gdb describes Go types in C terms: strings, slices and interfaces are structs, named types are
 * typedefs, `unsafe.Pointer` is `void *`, func values are typedefs of a function type. Here they
 * become Go kinds again, recognised by the shapes and names the Go linker gives them. The shape
 * types of generic functions' locals (`go.shape.string`, `go.shape.struct { … }`) are laid out as
 * the underlying types they stand for, and keep their shape names.
 */
import {
  type GoField,
  type GoMapType,
  type GoStructType,
  type GoType,
  predeclaredType,
  scalarAlign,
  shapeUnderlying,
  splitHeaderName,
  splitMapTypeName,
} from './gotype.js';

export type DwarfCode =
  | 'PTR'
  | 'ARRAY'
  | 'STRUCT'
  | 'UNION'
  | 'ENUM'
  | 'FUNC'
  | 'INT'
  | 'FLT'
  | 'VOID'
  | 'BOOL'
  | 'COMPLEX'
  | 'TYPEDEF'
  | 'CHAR'
  | string;

export interface DwarfField {
  readonly name: string;
  readonly offset: number;
  readonly bitsize: number;
  readonly type: number;
}

export interface DwarfType {
  readonly id: number;
  readonly code: DwarfCode;
  /** gdb's `Type.name`: empty for pointers and other unnamed types. */
  readonly name: string;
  /** gdb's printed spelling, e.g. `table<string,int> **`. */
  readonly str: string;
  readonly size: number;
  readonly target?: number;
  readonly length?: number;
  readonly signed?: boolean;
  readonly fields?: readonly DwarfField[];
  /** The bridge stopped following pointers here. */
  readonly truncated?: boolean;
}

export class DwarfTypeError extends Error {
  override readonly name = 'DwarfTypeError';
}

/** Converts one bridge answer (a type table) into Go types, memoised per DWARF id. */
export class GoTypeBuilder {
  private readonly built = new Map<number, GoType>();
  private readonly byId: ReadonlyMap<number, DwarfType>;

  constructor(
    types: readonly DwarfType[],
    private readonly pointerSize: number,
  ) {
    this.byId = new Map(types.map((t) => [t.id, t]));
  }

  type(id: number): GoType {
    const done = this.built.get(id);
    if (done) return done;
    const d = this.dwarf(id);
    return this.build(d);
  }

  private dwarf(id: number): DwarfType {
    const d = this.byId.get(id);
    if (!d) throw new DwarfTypeError(`DWARF type #${id} missing from the description`);
    return d;
  }

  private build(d: DwarfType): GoType {
    const ps = this.pointerSize;
    switch (d.code) {
      case 'TYPEDEF':
        return this.buildTypedef(d);
      case 'PTR': {
        const target = d.target === undefined ? undefined : this.dwarf(d.target);
        if (target && target.code === 'VOID') return this.remember(d, { kind: 'unsafe.Pointer', name: 'unsafe.Pointer', size: ps, align: ps });
        const t: GoType = { kind: 'pointer', name: '', size: ps, align: ps, elem: undefined };
        this.remember(d, t);
        if (target) {
          t.elem = this.type(target.id);
          (t as { name: string }).name = '*' + t.elem.name;
        } else {
          (t as { name: string }).name = '*' + pointerTargetName(d.str);
        }
        return t;
      }
      case 'ARRAY': {
        const elem = this.type(this.need(d, d.target));
        const length = d.length ?? 0;
        return this.remember(d, { kind: 'array', name: d.name || `[${length}]${elem.name}`, size: d.size, align: elem.align, elem, length });
      }
      case 'STRUCT':
        return this.buildStruct(d, d.name);
      case 'INT':
      case 'CHAR': {
        const under = shapeUnderlying(d.name);
        const pre = under ? predeclaredType(under, ps) : undefined;
        if (pre && pre.size === d.size) return this.remember(d, { ...pre, name: d.name });
        const kind = under === 'uintptr' ? 'uintptr' : d.signed ? 'int' : 'uint';
        return this.remember(d, { kind, name: d.name, size: d.size, align: scalarAlign(d.size, ps) });
      }
      case 'FLT':
        return this.remember(d, { kind: 'float', name: d.name, size: d.size, align: scalarAlign(d.size, ps) });
      case 'COMPLEX':
        return this.remember(d, { kind: 'complex', name: d.name, size: d.size, align: scalarAlign(d.size / 2, ps) });
      case 'BOOL':
        return this.remember(d, { kind: 'bool', name: d.name || 'bool', size: d.size, align: 1 });
      case 'FUNC':
        return this.remember(d, { kind: 'func', name: d.name || 'func()', size: ps, align: ps });
      default:
        throw new DwarfTypeError(`unsupported DWARF type ${d.str} (${d.code})`);
    }
  }

  private buildTypedef(d: DwarfType): GoType {
    const ps = this.pointerSize;
    const name = d.name;
    const under = shapeUnderlying(name);
    const target = this.dwarf(this.need(d, d.target));
    if (target.id === d.id) throw new DwarfTypeError(`DWARF typedef ${name} names itself`);
    const headerName = target.code === 'PTR' && target.target !== undefined ? this.dwarf(target.target).name : '';
    if (under.startsWith('map[') || /^(hash|map)</.test(headerName)) {
      // A named map type (`type Routes map[string]int`) has no `map[K]V` in its name; the
      // runtime header the linker synthesised for it does: `hash<K,V>` or `map<K,V>`.
      const parts = splitMapTypeName(under) ?? splitHeaderName(headerName);
      if (!parts) throw new DwarfTypeError(`cannot parse map type name ${name}`);
      const t: GoMapType = { kind: 'map', name, size: ps, align: ps, keyName: parts.key, elemName: parts.elem, header: undefined };
      this.remember(d, t);
      if (target.code === 'PTR' && target.target !== undefined) {
        const header = this.type(target.target);
        if (header.kind === 'struct') t.header = header;
      }
      return t;
    }
    if (/^(<-)?chan(<-)?[ ]/.test(under)) return this.remember(d, { kind: 'chan', name, size: ps, align: ps });
    if (under.startsWith('func(')) return this.remember(d, { kind: 'func', name, size: ps, align: ps });
    if (target.code === 'STRUCT' && (target.name === 'runtime.eface' || target.name === 'runtime.iface')) {
      const kind = target.name === 'runtime.eface' ? 'eface' : 'iface';
      return this.remember(d, { kind, name: name === 'runtime.eface' ? 'interface {}' : name, size: 2 * ps, align: ps });
    }
    if (target.code === 'STRUCT' && target.name === name) {
      // A named struct type: typedef main.Point -> struct main.Point. Build the struct once, under the name.
      return this.remember(d, this.buildStruct(target, name));
    }
    const underlying = this.type(target.id);
    return this.remember(d, { ...underlying, name } as GoType);
  }

  private buildStruct(d: DwarfType, name: string): GoType {
    const ps = this.pointerSize;
    const fields = d.fields ?? [];
    const names = fields.map((f) => f.name).join(',');
    const under = shapeUnderlying(name);
    // A named string or slice type (`type Tag string`, `type IDs []int`) is a struct of its own
    // name in Go's DWARF, with the string's or slice's fields: told apart by those fields' types.
    if ((under === 'string' || this.isStringHeader(fields)) && names === 'str,len') return this.remember(d, { kind: 'string', name, size: d.size, align: ps });
    if ((under.startsWith('[]') || this.isSliceHeader(fields)) && names === 'array,len,cap') {
      const t: GoType = { kind: 'slice', name, size: d.size, align: ps, elem: undefined };
      this.remember(d, t);
      const arrayPtr = this.dwarf(fields[0].type);
      if (arrayPtr.code === 'PTR' && arrayPtr.target !== undefined) t.elem = this.type(arrayPtr.target);
      return t;
    }
    if (name === 'runtime.eface' || name === 'runtime.iface') {
      return this.remember(d, { kind: name === 'runtime.eface' ? 'eface' : 'iface', name, size: d.size, align: ps });
    }
    const out: GoField[] = [];
    const t: GoStructType = { kind: 'struct', name, size: d.size, align: 1, fields: out };
    this.remember(d, t);
    let align = 1;
    for (const f of fields) {
      const ft = this.type(f.type);
      out.push({ name: f.name, offset: f.offset, type: ft });
      align = Math.max(align, ft.align);
    }
    (t as { align: number }).align = align;
    return t;
  }

  /** `str *uint8; len int`: the header Go's DWARF gives every string type. */
  private isStringHeader(fields: readonly DwarfField[]): boolean {
    if (fields.length !== 2) return false;
    const [str, len] = fields.map((f) => this.dwarf(f.type));
    const byte = str.code === 'PTR' && str.target !== undefined ? this.dwarf(str.target) : undefined;
    return byte?.name === 'uint8' && len.code === 'INT' && len.name === 'int';
  }

  /** `array *T; len int; cap int`: the header Go's DWARF gives every slice type. */
  private isSliceHeader(fields: readonly DwarfField[]): boolean {
    if (fields.length !== 3) return false;
    const [array, len, cap] = fields.map((f) => this.dwarf(f.type));
    return array.code === 'PTR' && len.code === 'INT' && len.name === 'int' && cap.code === 'INT' && cap.name === 'int';
  }

  private need(d: DwarfType, id: number | undefined): number {
    if (id === undefined) throw new DwarfTypeError(`DWARF type ${d.str} has no target`);
    return id;
  }

  private remember<T extends GoType>(d: DwarfType, t: T): T {
    this.built.set(d.id, t);
    return t;
  }
}

/** `main.Point *` → `main.Point`: gdb prints pointer types C-style. */
function pointerTargetName(str: string): string {
  return str.endsWith(' *') ? str.slice(0, -2) : str;
}
