/**
 * A struct's layout as pahole shows it: every field's offset, size and alignment, the holes
 * between fields, the padding after the last one, and where cache lines begin.
 *
 * Offsets and sizes are DWARF's (the compiler's own numbers); alignments are Go's, which DWARF
 * does not record and GoTypeBuilder derives (64-bit scalars align to 4 on 32-bit targets).
 * Nothing here is computed from first principles, so a hole is exactly the bytes the compiler
 * left unused.
 */
import type { GoMapType, GoStructType, GoType } from './gotype.js';

export interface FieldLayout {
  readonly name: string;
  /** The Go spelling of the field's type. */
  readonly type: string;
  readonly offset: number;
  readonly size: number;
  readonly align: number;
}

export interface Hole {
  readonly offset: number;
  readonly size: number;
}

/** A cache line that begins at or inside the field `field` (pahole's `--- cacheline N boundary ---`). */
export interface CacheLineMark {
  readonly line: number;
  /** Bytes from the struct's start: line × cache-line size. */
  readonly boundary: number;
  /** Index of the first field that starts at or past the boundary. */
  readonly field: number;
  /** How far past the boundary that field starts (pahole's "was N bytes ago"); 0 when on it. */
  readonly ago: number;
}

export interface StructLayout {
  readonly name: string;
  readonly size: number;
  readonly align: number;
  readonly fields: readonly FieldLayout[];
  readonly holes: readonly Hole[];
  readonly tailPadding: number;
  readonly cacheLineSize: number;
  readonly cacheLines: readonly CacheLineMark[];
}

export function structLayout(t: GoStructType, cacheLine = 64): StructLayout {
  const fields: FieldLayout[] = t.fields.map((f) => ({ name: f.name, type: typeName(f.type), offset: f.offset, size: f.type.size, align: f.type.align }));
  const holes: Hole[] = [];
  const cacheLines: CacheLineMark[] = [];
  // The end of the fields so far. Go orders fields by offset, but taking the maximum keeps a
  // zero-size field (which may share its offset with the next) from inventing a hole.
  let end = 0;
  let lastLine = 0;
  fields.forEach((f, i) => {
    if (i > 0 && f.offset > end) holes.push({ offset: end, size: f.offset - end });
    end = Math.max(end, f.offset + f.size);
    // Like pahole: one mark per field that starts in a later line than the last mark, for the
    // line it starts in (a wide field that spans several lines marks only the last).
    const line = Math.floor(f.offset / cacheLine);
    if (line > lastLine) {
      cacheLines.push({ line, boundary: line * cacheLine, field: i, ago: f.offset - line * cacheLine });
      lastLine = line;
    }
  });
  return {
    name: t.name,
    size: t.size,
    align: t.align,
    fields,
    holes,
    tailPadding: Math.max(0, t.size - end),
    cacheLineSize: cacheLine,
    cacheLines,
  };
}

/**
 * Arrays as Go spells them: the linker names some of its synthesised ones its own way
 * (`[]key<string>` for a classic bucket's keys, `noalg.[8]struct {...}` for a group's slots).
 */
function typeName(t: GoType): string {
  return t.kind === 'array' ? `[${t.length}]${typeName(t.elem)}` : t.name;
}

/** Sum of the fields' sizes (pahole's "sum members"). */
export function sumMembers(l: StructLayout): number {
  return l.fields.reduce((s, f) => s + f.size, 0);
}

export function sumHoles(l: StructLayout): number {
  return l.holes.reduce((s, h) => s + h.size, 0);
}

/** How many cache lines the struct touches when it starts on a line boundary. */
export function cacheLineCount(l: StructLayout): number {
  return Math.ceil(l.size / l.cacheLineSize);
}

export class StructWalkError extends Error {
  override readonly name = 'StructWalkError';
}

/**
 * The structs a map type is made of, outermost first, read off the DWARF the linker synthesises:
 * classic `hash<K,V>` → `bucket<K,V>`; Swiss `map<K,V>` → `table<K,V>` → `groupReference<K,V>` →
 * `noalg.map.group[K]V` → its slot struct (interleaved groups only). Followed by field name, as mapLayout() does, but
 * keeping the whole structs rather than the few offsets a decoder needs.
 */
export function mapStructs(map: GoMapType): GoStructType[] {
  const header = map.header;
  if (!header) throw new StructWalkError(`no DWARF description of the header of ${map.name}`);
  const out: GoStructType[] = [header];
  const has = (n: string) => header.fields.some((f) => f.name === n);
  if (has('buckets') && has('B')) {
    out.push(asStruct(pointee(fieldType(header, 'buckets')), `${header.name}.buckets`));
    return out;
  }
  if (!has('dirPtr')) throw new StructWalkError(`${header.name}: neither a classic hmap nor a Swiss Map`);
  const table = asStruct(pointee(pointee(fieldType(header, 'dirPtr'))), `${header.name}.dirPtr`);
  const groups = asStruct(fieldType(table, 'groups'), `${table.name}.groups`);
  const group = asStruct(pointee(fieldType(groups, 'data')), `${groups.name}.data`);
  out.push(table, groups, group);
  // Interleaved groups (`slots [8]struct{key; elem}`) have a slot struct of their own; split
  // groups (Go 1.27 mapsplitgroup: `keys [8]K; elems [8]V`) do not.
  const slots = group.fields.find((f) => f.name === 'slots')?.type;
  if (slots?.kind === 'array' && slots.elem.kind === 'struct') out.push(slots.elem);
  return out;
}

function fieldType(s: GoStructType, name: string): GoType {
  const f = s.fields.find((x) => x.name === name);
  if (!f) throw new StructWalkError(`${s.name} has no field ${name}`);
  return f.type;
}

function pointee(t: GoType | undefined): GoType | undefined {
  return t?.kind === 'pointer' ? t.elem : undefined;
}

function asStruct(t: GoType | undefined, what: string): GoStructType {
  if (t?.kind !== 'struct') throw new StructWalkError(`${what} is not described as a struct`);
  return t;
}
