/**
 * The heap objects a map header implies, by the runtime's own allocation calls: for a classic
 * map, makeBucketArray's array of 2^B buckets (plus preallocated overflow buckets from B = 4)
 * or newobject's single bucket, and the old array while it grows; for a Swiss map, the small
 * map's one group (newarray(typ.Group, 1)) or each table's newarray(typ.Group, capacity/8).
 * The header's fields are the same for every key and elem type, so these are read alike
 * whatever type the user named; only the element size and pointer-ness differ.
 *
 * Read for many maps at once, in at most three batched reads (headers, directories, tables),
 * and bounded: a big Swiss map has thousands of tables, of which a few suffice as witnesses.
 */
import { bucketPointerOffsets } from '../analyze/gc.js';
import { ptrBytesOf } from '../analyze/pointers.js';
import type { MapLayout } from '../layout/map-layout.js';
import { readInt, readUint, readUintN } from '../target/bytes.js';
import type { Memory, MemRange } from '../target/target.js';
import type { HeapLayout } from './layout.js';
import { bucketArrayRequest } from './size-class.js';

/** Tables of a Swiss map looked at: the first distinct ones of the directory. */
export const MAX_TABLES = 16;
/** Directory entries read to find them. */
const MAX_DIR_READ = 256;
/** As the decoders bound them (walk.ts). */
const MAX_B = 40;
const MAX_GROUPS_PER_TABLE = 1 << 20;

/** The element a bucket or group array is made of, as the given map type lays it out. */
export interface MapElement {
  /** `bucket` or `group`. */
  readonly unit: string;
  readonly size: number;
  /** Bytes up to the last pointer word, as the runtime's type descriptor records it (0: noscan). */
  readonly ptrBytes: number;
  /** Byte offsets of its pointer words, as its GC mask has them. */
  readonly pointerOffsets: readonly number[];
}

export interface MapArray {
  /** How the message names it: `bucket array`, `old bucket array`, `bucket`, `group`, `group array`. */
  readonly what: string;
  readonly address: bigint;
  /** The table a group array belongs to. */
  readonly table?: bigint;
  /** Elements the header implies (2^B buckets, the groups of a table). */
  readonly count: number;
  /** Bytes the runtime asked for; undefined where that needs the size classes and they are unknown. */
  readonly request: number | undefined;
  /** Bytes the array takes at least (count × element size). */
  readonly minRequest: number;
}

export interface MapArrays {
  readonly element: MapElement;
  readonly arrays: readonly MapArray[];
  /** Why some or all arrays were not looked at (nil arrays are not a reason: nothing to see). */
  readonly skipped?: string;
}

export function mapElement(layout: MapLayout, pointerSize: number): MapElement {
  const offsets = bucketPointerOffsets(layout, pointerSize);
  const size = layout.kind === 'classic' ? layout.bucket.size : layout.group.size;
  return { unit: layout.kind === 'classic' ? 'bucket' : 'group', size, ptrBytes: ptrBytesOf(offsets, pointerSize), pointerOffsets: offsets };
}

export interface MapQuery {
  readonly header: bigint;
  readonly layout: MapLayout;
}

function hex(a: bigint): string {
  return '0x' + a.toString(16);
}

async function readAll(mem: Memory, ranges: readonly MemRange[]): Promise<(Uint8Array | undefined)[]> {
  if (ranges.length === 0) return [];
  return (await mem.readMany(ranges)).map((r) => (r.ok ? r.bytes : undefined));
}

export async function mapArrays(mem: Memory, heap: HeapLayout, maps: readonly MapQuery[]): Promise<MapArrays[]> {
  const headers = await readAll(
    mem,
    maps.map((m) => ({ address: m.header, length: m.layout.kind === 'classic' ? m.layout.hmap.size : m.layout.map.size })),
  );
  const out: { element: MapElement; arrays: MapArray[]; skipped?: string }[] = maps.map((m) => ({ element: mapElement(m.layout, mem.pointerSize), arrays: [] }));
  // Swiss maps with a directory: read it, then its first tables.
  const dirs: { k: number; dirPtr: bigint; entries: number }[] = [];
  maps.forEach((m, k) => {
    const h = headers[k];
    const o = out[k];
    if (!h) {
      o.skipped = `the header at ${hex(m.header)} is unreadable`;
      return;
    }
    const l = m.layout;
    if (l.kind === 'classic') {
      const f = l.hmap;
      const B = readUintN(h, f.B.offset, f.B.size, mem);
      const flags = readUintN(h, f.flags.offset, f.flags.size, mem);
      const buckets = readUint(h, f.buckets.offset, f.buckets.size, mem);
      const oldbuckets = readUint(h, f.oldbuckets.offset, f.oldbuckets.size, mem);
      if (B > MAX_B) {
        o.skipped = `hmap.B is ${B}`;
        return;
      }
      const noscan = o.element.ptrBytes === 0;
      const array = (what: string, address: bigint, b: number): MapArray => ({
        what,
        address,
        count: 2 ** b,
        request: bucketArrayRequest(heap, l.bucket.size, b, noscan),
        minRequest: (2 ** b + (b >= 4 ? 2 ** (b - 4) : 0)) * l.bucket.size,
      });
      if (buckets !== 0n) o.arrays.push(array(B === 0 ? 'bucket' : 'bucket array', buckets, B));
      // sameSizeGrow (hmap.flags 8): the old array is as big as the new one.
      const oldB = flags & 8 ? B : B - 1;
      if (oldbuckets !== 0n && oldB >= 0) o.arrays.push(array(oldB === 0 ? 'old bucket' : 'old bucket array', oldbuckets, oldB));
      return;
    }
    const f = l.map;
    const dirPtr = readUint(h, f.dirPtr.offset, f.dirPtr.size, mem);
    const dirLen = Number(readInt(h, f.dirLen.offset, f.dirLen.size, mem));
    if (dirPtr === 0n) return;
    if (dirLen === 0) {
      o.arrays.push({ what: 'group', address: dirPtr, count: 1, request: l.group.size, minRequest: l.group.size });
      return;
    }
    if (dirLen < 0) {
      o.skipped = `Map.dirLen is ${dirLen}`;
      return;
    }
    dirs.push({ k, dirPtr, entries: Math.min(dirLen, MAX_DIR_READ) });
  });
  const ps = mem.pointerSize;
  const dirBytes = await readAll(mem, dirs.map((d) => ({ address: d.dirPtr, length: d.entries * ps })));
  const tables: { k: number; address: bigint }[] = [];
  dirs.forEach((d, j) => {
    const b = dirBytes[j];
    if (!b) {
      out[d.k].skipped = `the directory at ${hex(d.dirPtr)} is unreadable`;
      return;
    }
    const seen = new Set<bigint>();
    for (let i = 0; i < d.entries && seen.size < MAX_TABLES; i++) {
      const t = readUint(b, i * ps, ps, mem);
      if (t !== 0n && !seen.has(t)) {
        seen.add(t);
        tables.push({ k: d.k, address: t });
      }
    }
  });
  const tableBytes = await readAll(
    mem,
    tables.map((t) => {
      const l = maps[t.k].layout;
      return { address: t.address, length: l.kind === 'swiss' ? l.table.size : 0 };
    }),
  );
  tables.forEach((t, j) => {
    const l = maps[t.k].layout;
    const b = tableBytes[j];
    if (l.kind !== 'swiss') return;
    if (!b) {
      out[t.k].skipped = `table ${hex(t.address)} is unreadable`;
      return;
    }
    const data = readUint(b, l.table.groupsData.offset, l.table.groupsData.size, mem);
    const lengthMask = readUintN(b, l.table.groupsLengthMask.offset, l.table.groupsLengthMask.size, mem);
    if (data === 0n || lengthMask >= MAX_GROUPS_PER_TABLE) {
      out[t.k].skipped = `table ${hex(t.address)} has groups ${hex(data)}, lengthMask ${lengthMask}`;
      return;
    }
    const count = lengthMask + 1;
    const bytes = count * l.group.size;
    out[t.k].arrays.push({ what: 'group array', address: data, table: t.address, count, request: bytes, minRequest: bytes });
  });
  return out;
}
