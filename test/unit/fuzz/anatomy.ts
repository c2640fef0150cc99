/**
 * Where the interesting words of a decoded map live: header fields, overflow pointers,
 * directory entries, table fields, control words, and the words of keys and elems (string
 * headers, interface words, indirect pointers). The fuzzer aims corruption at these, and
 * redirects pointers to the structures they list (so that chains loop back, tables share, a
 * pointer points at its own word).
 */
import type { FieldRef, MapLayout } from '../../../src/layout/map-layout.js';
import type { ClassicBucket, MapSnapshot } from '../../../src/maps/snapshot.js';
import type { RtypeLayout } from '../../../src/values/rtype.js';
import type { ImageBlockBytes } from './image-memory.js';

export interface Field {
  readonly address: bigint;
  readonly size: number;
  readonly what: string;
}

export interface Anatomy {
  readonly fields: Field[];
  /** Starts of structures: header, buckets, tables, groups, keys and elems. */
  readonly structures: bigint[];
}

/** Key and elem words of this many entries are listed (enough to hit every shape of value). */
const ENTRIES = 48;
/** Words per key or elem (a string header is 2, an interface 2, a big array many). */
const WORDS = 6;

export function anatomy(layout: MapLayout, s: MapSnapshot, ps: number): Anatomy {
  const fields: Field[] = [];
  const structures: bigint[] = [s.address];
  const at = (base: bigint, f: FieldRef, what: string) => fields.push({ address: base + BigInt(f.offset), size: f.size, what });
  const header = layout.kind === 'classic' ? layout.hmap : layout.map;
  for (const [name, f] of Object.entries(header)) if (typeof f === 'object' && f) at(s.address, f, `header.${name}`);

  if (s.implementation === 'classic' && layout.kind === 'classic') {
    const bucket = (b: ClassicBucket, what: string) => {
      structures.push(b.address);
      at(b.address, layout.bucket.overflow, `${what}.overflow`);
      at(b.address, { offset: layout.bucket.tophash.offset, size: 8 }, `${what}.tophash`);
    };
    for (const [arr, name] of [[s.buckets, 'bucket'], [s.oldbuckets ?? [], 'oldbucket']] as const) {
      arr.forEach((c, i) => {
        bucket(c, `${name}[${i}]`);
        c.overflow.forEach((o, j) => bucket(o, `${name}[${i}].overflow[${j}]`));
      });
    }
  } else if (s.implementation === 'swiss' && layout.kind === 'swiss') {
    for (let i = 0; i < s.dirLen && i < 64; i++) fields.push({ address: s.dirPtr + BigInt(i * ps), size: ps, what: `directory[${i}]` });
    const groups = s.smallGroup ? [s.smallGroup] : [];
    for (const t of s.tables) {
      structures.push(t.address);
      for (const [name, f] of Object.entries(layout.table)) if (typeof f === 'object' && f) at(t.address, f, `table.${name}`);
      groups.push(...t.groups);
    }
    for (const g of groups) {
      structures.push(g.address);
      at(g.address, { offset: layout.group.ctrl.offset, size: 8 }, 'group.ctrl');
    }
  }
  for (const e of s.entries.slice(0, ENTRIES)) {
    structures.push(e.key, e.value);
    for (const [base, t, what] of [[e.key, layout.key, 'key'], [e.value, layout.elem, 'elem']] as const) {
      for (let w = 0; w < WORDS && (w + 1) * ps <= t.size; w++) fields.push({ address: base + BigInt(w * ps), size: ps, what: `${what} word ${w}` });
    }
  }
  return { fields, structures };
}

/**
 * The runtime type descriptors the map's interface keys and elems point at (through the itab
 * for non-empty interfaces): their size, pointer bytes, kind and name offset decide how much
 * the renderer and the analysis read, so they are fuzzed too.
 */
export function descriptorFields(
  layout: MapLayout,
  s: MapSnapshot,
  rtype: RtypeLayout,
  blocks: readonly ImageBlockBytes[],
  ps: number,
  littleEndian: boolean,
): Anatomy {
  const word = (address: bigint): bigint | undefined => {
    const b = blocks.find((x) => x.address <= address && address + BigInt(ps) <= x.address + BigInt(x.bytes.length));
    if (!b) return undefined;
    const off = Number(address - b.address);
    let v = 0n;
    for (let i = 0; i < ps; i++) v = (v << 8n) | BigInt(b.bytes[off + (littleEndian ? ps - 1 - i : i)]);
    return v;
  };
  const types = new Set<bigint>();
  for (const e of s.entries.slice(0, ENTRIES)) {
    for (const [at, t] of [[e.key, layout.key], [e.value, layout.elem]] as const) {
      if (t.kind !== 'eface' && t.kind !== 'iface') continue;
      const w0 = word(at);
      const typ = !w0 ? undefined : t.kind === 'eface' ? w0 : word(w0 + BigInt(ps));
      if (typ) types.add(typ);
    }
  }
  const fields: Field[] = [];
  for (const t of types) {
    for (const [name, f] of [['size', rtype.sizeField], ['ptrBytes', rtype.ptrBytes], ['kind', rtype.kind], ['tflag', rtype.tflag], ['str', rtype.str]] as const) {
      fields.push({ address: t + BigInt(f.offset), size: f.size, what: `descriptor.${name}` });
    }
  }
  return { fields, structures: [...types] };
}
