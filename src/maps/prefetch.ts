/**
 * What many maps' decoders will read, read first, level by level, one batched request a level:
 * every header; then every small map's group (Swiss, dirLen 0), every directory, and every
 * bucket array (classic, with its preallocated overflow buckets); then the tables a directory
 * names; then their group arrays. What is copied so is all a decoder of that map reads: it can
 * then decode from the cache after a live target was let go.
 *
 * A service leaks one small map per request: `top` meets 100,000 of them. Decoded side by side,
 * each decoder's own reads coalesced, they were still 100,000 async walks in flight, each level's
 * requests and answers allocated per map and kept alive across the wait: the garbage collector
 * took most of ten seconds, with the target stopped. Here the levels are plain loops over bytes,
 * and the decoding waits until the target runs again.
 *
 * Only what a decoder certainly asks for, with the very ranges it asks (a cache hit needs the
 * whole range; merged, or read as whole pages past a few thousand, so few blocks hold them).
 * A map the copy does not cover for sure (a classic map with overflow buckets or a grow under
 * way, anything big or doubtful) is reported as not covered: its decoder reads it itself, while
 * the target is stopped, and says what is wrong if anything is.
 */
import type { ClassicLayout, MapLayout, SwissLayout } from '../layout/map-layout.js';
import { readInt, readUint, readUintN } from '../target/bytes.js';
import type { CachedMemory } from '../target/cache.js';
import { fetchRanges } from '../target/fetch.js';
import type { MemRange } from '../target/target.js';

/** Past this, a map is left to its decoder: big maps are few, and it reads them in chunks. */
const MAX_PREFETCH_BYTES = 1 << 20;
/** Tables of one map copied here: a map with more is big, and its decoder's. */
const MAX_TABLES = 64;

export interface MapToRead {
  readonly layout: MapLayout;
  readonly header: bigint;
}

interface SwissDir {
  readonly i: number;
  readonly layout: SwissLayout;
  readonly dirPtr: bigint;
  readonly dirLen: number;
}

/** Copies what the maps' decoders will read; for each map, whether that is all of it. */
export async function prefetchMaps(mem: CachedMemory, maps: readonly MapToRead[]): Promise<boolean[]> {
  const covered = maps.map((m) => m.header === 0n);
  const ps = mem.pointerSize;
  await fetchRanges(
    mem,
    maps.filter((m) => m.header !== 0n).map((m) => ({ address: m.header, length: headerSize(m.layout) })),
  );
  const second: MemRange[] = [];
  const dirs: SwissDir[] = [];
  maps.forEach((m, i) => {
    if (m.header === 0n) return;
    const header = mem.peek(m.header, headerSize(m.layout));
    if (!(header instanceof Uint8Array)) return;
    if (m.layout.kind === 'classic') {
      covered[i] = classicArray(m.layout, header, mem, second);
      return;
    }
    const l = m.layout;
    const dirLen = Number(readInt(header, l.map.dirLen.offset, l.map.dirLen.size, mem));
    const dirPtr = readUint(header, l.map.dirPtr.offset, l.map.dirPtr.size, mem);
    if (dirLen === 0) {
      covered[i] = true;
      if (dirPtr !== 0n) second.push({ address: dirPtr, length: l.group.size });
    } else if (dirPtr !== 0n && dirLen > 0 && dirLen <= MAX_TABLES) {
      second.push({ address: dirPtr, length: dirLen * ps });
      dirs.push({ i, layout: l, dirPtr, dirLen });
    }
  });
  await fetchRanges(mem, second);
  // Classic: covered only if no bucket has an overflow bucket (those are read bucket by bucket).
  maps.forEach((m, i) => {
    if (covered[i] && m.layout.kind === 'classic') covered[i] = noOverflow(m.layout, m.header, mem);
  });
  const tables = new Map<number, bigint[]>();
  const third: MemRange[] = [];
  for (const d of dirs) {
    const dir = mem.peek(d.dirPtr, d.dirLen * ps);
    if (!(dir instanceof Uint8Array)) continue;
    const distinct: bigint[] = [];
    for (let k = 0; k < d.dirLen; k++) {
      const t = readUint(dir, k * ps, ps, mem);
      if (t === 0n) break;
      if (!distinct.includes(t)) distinct.push(t);
    }
    tables.set(d.i, distinct);
    for (const t of distinct) third.push({ address: t, length: d.layout.table.size });
  }
  await fetchRanges(mem, third);
  const fourth: MemRange[] = [];
  for (const d of dirs) {
    const tl = d.layout.table;
    let bytes = 0;
    let ok = true;
    const arrays: MemRange[] = [];
    for (const t of tables.get(d.i) ?? []) {
      const b = mem.peek(t, tl.size);
      if (!(b instanceof Uint8Array)) {
        ok = false;
        break;
      }
      const groups = readUintN(b, tl.groupsLengthMask.offset, tl.groupsLengthMask.size, mem) + 1;
      const length = groups * d.layout.group.size;
      bytes += length;
      arrays.push({ address: readUint(b, tl.groupsData.offset, tl.groupsData.size, mem), length });
    }
    if (!ok || bytes > MAX_PREFETCH_BYTES || !tables.has(d.i)) continue;
    for (const a of arrays) fourth.push(a);
    covered[d.i] = true;
  }
  await fetchRanges(mem, fourth);
  return covered;
}

function headerSize(layout: MapLayout): number {
  return layout.kind === 'classic' ? layout.hmap.size : layout.map.size;
}

/**
 * A classic map's bucket array as its walker reads it (the array, and in the same request its
 * preallocated overflow buckets); false when the map is one its decoder must read itself (a grow
 * under way, an array too big or doubtful).
 */
function classicArray(l: ClassicLayout, header: Uint8Array, mem: CachedMemory, out: MemRange[]): boolean {
  const u = (f: { offset: number; size: number }) => readUint(header, f.offset, f.size, mem);
  const B = Number(u(l.hmap.B));
  const buckets = u(l.hmap.buckets);
  if (u(l.hmap.oldbuckets) !== 0n || B > 20) return false;
  if (buckets === 0n) return true;
  const n = 2 ** B;
  const size = l.bucket.size;
  if (n * size > MAX_PREFETCH_BYTES) return false;
  out.push({ address: buckets, length: n * size });
  if (n >= 16) out.push({ address: buckets + BigInt(n * size), length: (n / 16) * size });
  return true;
}

/** Whether no bucket of a classic map's array (read) points at an overflow bucket. */
function noOverflow(l: ClassicLayout, header: bigint, mem: CachedMemory): boolean {
  const h = mem.peek(header, l.hmap.size);
  if (!(h instanceof Uint8Array)) return false;
  const buckets = readUint(h, l.hmap.buckets.offset, l.hmap.buckets.size, mem);
  if (buckets === 0n) return true;
  const n = 2 ** Number(readUint(h, l.hmap.B.offset, l.hmap.B.size, mem));
  const size = l.bucket.size;
  const array = mem.peek(buckets, n * size);
  if (!(array instanceof Uint8Array)) return false;
  const ps = mem.pointerSize;
  for (let b = 0; b < n; b++) if (readUint(array, b * size + l.bucket.overflow.offset, ps, mem) !== 0n) return false;
  return true;
}
