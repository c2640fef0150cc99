/**
 * Walks a classic hmap (runtime/map.go, Go ≤ 1.23; runtime/map_noswiss.go, Go 1.24–1.25 with
 * GOEXPERIMENT=noswissmap) in chunks of its bucket arrays, so that a caller may keep everything
 * (the decoder) or nothing (statistics, streamed entries) of what was read.
 *
 * An hmap points at an array of 2^B buckets. Each bucket holds 8 tophash bytes, 8 keys, 8 elems
 * and an overflow pointer to the next bucket of its chain. While the map grows, `oldbuckets`
 * keeps the previous array (2^(B-1) buckets, or 2^B for a same-size grow) and old buckets are
 * evacuated one by one; an old bucket not yet evacuated still holds the entries of both new
 * buckets it will split into. Entries follow the runtime's own iterator: for new bucket i, the
 * old bucket i & (oldN-1) is read instead while it is not evacuated, so each entry is seen once.
 *
 * Reads are few and large: a chunk of each bucket array at once, then one batched read per
 * level of the chunk's overflow chains, merged where overflow buckets lie side by side.
 */
import type { ClassicLayout } from '../../layout/map-layout.js';
import { readInt, readUint, readWordNumber } from '../../target/bytes.js';
import { MAX_SAFE_ADDRESS } from '../../target/range-list.js';
import { readScattered } from '../../target/scatter.js';
import { MemoryReadError, readExact, type Memory } from '../../target/target.js';
import { MAX_ARRAY_BYTES } from '../limits.js';
import type { CellSink } from '../slots.js';
import { type ClassicMapHeader, CorruptMapError } from '../snapshot.js';
import { allZero, liveTophash, wordsOf } from '../count.js';
import type { Bucket, BucketRun } from './buckets.js';
import { bucketCnt, evacuatedTop, hashWriting, minTopHash, sameSizeGrow } from './tophash.js';

/** B beyond this would mean more buckets than any address space holds. */
const MAX_B = 40;
/** Longest overflow chain followed before reporting corruption. */
const MAX_CHAIN = 1 << 20;

export interface ClassicHeader extends ClassicMapHeader {
  readonly buckets: bigint;
  readonly oldbuckets: bigint;
  /** Buckets in the current array (0 while it is nil) and in the old one (0 when not growing). */
  readonly nb: number;
  readonly oldN: number;
  /** What the walk found wrong but could read past; appended to as the walk goes. */
  readonly warnings: string[];
}

export interface ClassicChunk {
  /** A run of the current array, with its overflow chains. */
  readonly cur: BucketRun;
  /** The old array's run over the same indices while the map grows (the part of it that exists), else null. */
  readonly old: BucketRun | null;
  /**
   * The buckets whose live cells are the map's entries, in the iterator's order: j for bucket
   * cur.start+j of the current array, ~j for old bucket old.start+j.
   */
  readonly live: Int32Array;
  /** Live cells in this chunk and those before it. */
  readonly found: number;
}

export async function readClassicHeader(mem: Memory, layout: ClassicLayout, address: bigint): Promise<ClassicHeader> {
  return parseClassicHeader(layout, address, await readExact(mem, address, layout.hmap.size), mem);
}

/** The hmap at `address` from its bytes in hand; CorruptMapError where it cannot be. */
export function parseClassicHeader(layout: ClassicLayout, address: bigint, header: Uint8Array, mem: { readonly littleEndian: boolean }): ClassicHeader {
  const h = layout.hmap;
  const u = (f: { offset: number; size: number }) => readUint(header, f.offset, f.size, mem);
  const count = Number(readInt(header, h.count.offset, h.count.size, mem));
  const flags = Number(u(h.flags));
  const B = Number(u(h.B));
  const buckets = u(h.buckets);
  const oldbuckets = u(h.oldbuckets);
  const warnings: string[] = [];
  // A write holds hashWriting for its duration: caught mid-write, any bucket may be half updated.
  if (flags & hashWriting) warnings.push(`caught mid-write (hmap.flags ${flags} has hashWriting): a goroutine was writing the map, so what was read may be inconsistent`);
  if (B > MAX_B) throw new CorruptMapError(`hmap.B is ${B}, over the bound of ${MAX_B}, in the hmap at 0x${address.toString(16)}`);
  if (count < 0) throw new CorruptMapError(`hmap.count is negative (${count}), in the hmap at 0x${address.toString(16)}`);
  const nb = buckets === 0n ? 0 : 2 ** B;
  let oldN = 0;
  if (oldbuckets !== 0n) {
    oldN = (flags & sameSizeGrow) !== 0 ? 2 ** B : 2 ** B / 2;
    if (oldN < 1) throw new CorruptMapError(`oldbuckets set while B is 0, in the hmap at 0x${address.toString(16)}`);
  }
  if (buckets === 0n && count > 0) throw new CorruptMapError(`hmap.count is ${count} but buckets is nil, in the hmap at 0x${address.toString(16)}`);
  const size = layout.bucket.size;
  for (const [what, n, base] of [['buckets', nb, buckets], ['oldbuckets', oldN, oldbuckets]] as const) {
    if (n * size > MAX_ARRAY_BYTES) throw new CorruptMapError(`${what} at 0x${base.toString(16)}: ${n} buckets of ${size} bytes is beyond belief`);
  }
  return {
    address,
    count,
    flags,
    B,
    noverflow: Number(u(h.noverflow)),
    hash0: Number(u(h.hash0)),
    nevacuate: u(h.nevacuate),
    clearSeq: h.clearSeq ? u(h.clearSeq) : undefined,
    buckets,
    oldbuckets,
    nb,
    oldN,
    warnings,
  };
}

/**
 * The map's bucket arrays in chunks of about `chunkBytes` (whole arrays by default), each
 * chunk's live cells handed to `sink` before the chunk is yielded (without a sink, only
 * counted). The old
 * bucket an iterator reads instead of new bucket i is i & (oldN-1) ≤ i, so it is always in the
 * same chunk or an earlier one: a chunk never needs what a later one reads.
 */
export async function* classicChunks(mem: Memory, layout: ClassicLayout, h: ClassicHeader, sink: CellSink | undefined, chunkBytes = Infinity): AsyncGenerator<ClassicChunk> {
  const size = layout.bucket.size;
  const th = layout.bucket.tophash.offset;
  const per = Math.max(1, Math.floor(chunkBytes / size));
  // Whether each old bucket still holds entries (not evacuated), kept across chunks.
  const oldLive = h.oldN > 0 ? new Uint8Array(Math.ceil(h.oldN / 8)) : undefined;
  let found = 0;
  for (let start = 0; start < h.nb; start += per) {
    const end = Math.min(h.nb, start + per);
    const cur = await readRun(mem, layout, h.buckets, h.nb, start, end, 'buckets', preallocated(h.nb, end));
    let old: BucketRun | null = null;
    if (oldLive && start < h.oldN) {
      old = await readRun(mem, layout, h.oldbuckets, h.oldN, start, Math.min(end, h.oldN), 'oldbuckets', preallocated(h.oldN, Math.min(end, h.oldN)));
      for (let j = 0; j < old.count; j++) {
        if (!evacuatedTop(old.bytes[j * size + th])) oldLive[(start + j) >> 3] |= 1 << ((start + j) & 7);
      }
    }
    const live = new Int32Array(end - start);
    let n = 0;
    for (let i = start; i < end; i++) {
      if (oldLive) {
        const oi = i & (h.oldN - 1);
        if (oldLive[oi >> 3] & (1 << (oi & 7))) {
          // Not yet evacuated: the old bucket holds this bucket's entries (and, when the map is
          // doubling, those of its sibling i + oldN); read it once, from its lower index.
          if (oi === i) live[n++] = ~(i - start);
          continue;
        }
      }
      live[n++] = i - start;
    }
    const chunk = { cur, old, live: live.subarray(0, n) };
    found += sink ? collectCells(layout, chunk, sink) : countCells(layout, chunk);
    yield { ...chunk, found };
  }
  checkCount(h, found);
}

/** What the walk found against what the header says. */
export function checkCount(h: ClassicHeader, found: number): void {
  if (found !== h.count) h.warnings.push(`found ${found} live entries but hmap.count is ${h.count}`);
}

/**
 * Hands every live cell of the chunk to `sink`, in the iterator's order, and returns how many;
 * cells marked empty or evacuated hold no entry (stale bytes at most).
 */
export function collectCells(layout: ClassicLayout, chunk: Pick<ClassicChunk, 'cur' | 'old' | 'live'>, sink: CellSink): number {
  const bl = layout.bucket;
  const size = bl.size;
  // One holder per run, registered when first needed, and one per overflow bucket.
  let curId = -1;
  let oldId = -1;
  let n = 0;
  for (let k = 0; k < chunk.live.length; k++) {
    const v = chunk.live[k];
    let run: BucketRun;
    let id: number;
    if (v >= 0) {
      run = chunk.cur;
      if (curId < 0) curId = sink.holder(run.bytes, run.address);
      id = curId;
    } else {
      run = chunk.old as BucketRun;
      if (oldId < 0) oldId = sink.holder(run.bytes, run.address);
      id = oldId;
    }
    const j = v >= 0 ? v : ~v;
    n += cellsOf(bl, run.bytes, j * size, id, sink);
    for (let o = run.overflowFrom[j]; o < run.overflowFrom[j + 1]; o++) {
      const b = run.overflow[o];
      n += cellsOf(bl, b.bytes, 0, sink.holder(b.bytes, b.address), sink);
    }
  }
  return n;
}

/** Live cells of the chunk's live chains, counted a word at a time. */
export function countCells(layout: ClassicLayout, chunk: Pick<ClassicChunk, 'cur' | 'old' | 'live'>): number {
  const size = layout.bucket.size;
  const th = layout.bucket.tophash.offset;
  if (!chunk.old) return countRun(chunk.cur, size, th);
  const curWords = wordsOf(chunk.cur.bytes);
  const oldWords = wordsOf(chunk.old.bytes);
  let n = 0;
  for (let k = 0; k < chunk.live.length; k++) {
    const v = chunk.live[k];
    const run = v >= 0 ? chunk.cur : chunk.old;
    const j = v >= 0 ? v : ~v;
    n += liveTophash(run.bytes, v >= 0 ? curWords : oldWords, j * size + th);
    for (let o = run.overflowFrom[j]; o < run.overflowFrom[j + 1]; o++) n += liveTophash(run.overflow[o].bytes, undefined, th);
  }
  return n;
}

/** Live cells of every chain of a run: the chunk's live chains when the map is not growing. */
function countRun(run: BucketRun, size: number, th: number): number {
  const words = wordsOf(run.bytes);
  let n = 0;
  for (let at = th; at < run.count * size; at += size) n += liveTophash(run.bytes, words, at);
  for (const o of run.overflow) n += liveTophash(o.bytes, undefined, th);
  return n;
}

function cellsOf(bl: ClassicLayout['bucket'], b: Uint8Array, at: number, id: number, sink: CellSink): number {
  const th = at + bl.tophash.offset;
  let n = 0;
  for (let s = 0; s < bucketCnt; s++) {
    if (b[th + s] < minTopHash) continue;
    sink.push(id, at + bl.keys.offset + s * bl.keySlot, at + bl.values.offset + s * bl.elemSlot);
    n++;
  }
  return n;
}

/**
 * Overflow buckets the runtime allocates with an array of n = 2^b buckets, right after them
 * (makeBucketArray: 2^(b-4) of them for b ≥ 4, more where the size class rounds up): read along
 * with a run that ends the array, they serve the overflow pointers into them without a read of
 * their own. 0 for small arrays and for runs that do not end the array.
 */
function preallocated(n: number, end: number): number {
  return end === n && n >= 16 ? n / 16 : 0;
}

/**
 * Reads buckets [from, to) of an array of n, with `extra` buckets past `to` (preallocated
 * overflow buckets) when it can, and every overflow chain hanging off them, one level at a time.
 */
async function readRun(mem: Memory, layout: ClassicLayout, base: bigint, n: number, from: number, to: number, what: string, extra: number): Promise<BucketRun> {
  const size = layout.bucket.size;
  const count = to - from;
  const address = base + BigInt(from * size);
  const [bytes, tail] = await readWithTail(mem, address, count * size, extra * size);
  // Chains with overflow buckets, in index order: where each started, and its buckets so far.
  const heads: number[] = [];
  const chains: Bucket[][] = [];
  // Chains do not share buckets: a repeat within the chunk is a loop (a repeat across chunks
  // would only be read twice, and remembering every overflow bucket would grow with the map).
  const seen = new Set<number | bigint>();
  const arrayEnd = base + BigInt(n * size);
  // Addresses as numbers where they are exact (every user-space address today): no bigint per pointer.
  const exact = arrayEnd + BigInt(extra * size) < BigInt(MAX_SAFE_ADDRESS);
  const baseN = Number(base);
  const endN = Number(arrayEnd);
  const tailEnd = endN + tail.length;
  const ovf = layout.bucket.overflow;
  const le = mem.littleEndian;
  // A word test, not a bigint per bucket: most overflow pointers are nil.
  const words = wordsOf(bytes);
  for (let j = 0; j < count; j++) {
    if (!allZero(bytes, words, j * size + ovf.offset, ovf.size)) {
      heads.push(j);
      chains.push([]);
    }
  }
  let frontier = heads.map((_, k) => k);
  for (let depth = 0; frontier.length > 0; depth++) {
    if (depth >= MAX_CHAIN) throw new CorruptMapError(`${what}: an overflow chain is longer than ${MAX_CHAIN}`);
    const next: number[] = [];
    const ptrs: bigint[] = [];
    // Chains whose next bucket is one of the preallocated ones, read with the array.
    const local: number[] = [];
    for (const k of frontier) {
      const c = chains[k];
      const last = c[c.length - 1];
      const lastBytes = last ? last.bytes : bytes;
      const at = (last ? 0 : heads[k] * size) + ovf.offset;
      const word = exact ? readWordNumber(lastBytes, at, ovf.size, le) : undefined;
      const p: number | bigint = word ?? readUint(lastBytes, at, ovf.size, mem);
      if (p === 0 || p === 0n) continue;
      // Overflow buckets come from beyond the 2^B array (or are allocated singly), never from it:
      // pointing into it would read a bucket twice, or loop through it unseen by `seen`.
      const inArray = typeof p === 'number' ? p >= baseN && p < endN : p >= base && p < arrayEnd;
      if (inArray) {
        const holder = last ? last.address : address + BigInt(heads[k] * size);
        throw new CorruptMapError(`${what}: the overflow pointer of bucket 0x${holder.toString(16)} points back into the bucket array, at 0x${p.toString(16)}`);
      }
      if (seen.has(p)) throw new CorruptMapError(`${what}: overflow chain of bucket ${from + heads[k]} loops back to 0x${p.toString(16)}`);
      seen.add(p);
      if (typeof p === 'number' && p >= endN && p + size <= tailEnd && (p - endN) % size === 0) {
        // One of the preallocated overflow buckets read with the array.
        const off = p - endN;
        c.push({ address: BigInt(p), bytes: tail.subarray(off, off + size) });
        local.push(k);
        continue;
      }
      next.push(k);
      ptrs.push(BigInt(p));
    }
    if (ptrs.length > 0) {
      const got = await readScattered(mem, ptrs.map((a) => ({ address: a, length: size })));
      got.forEach((r, i) => {
        if (!r.ok) throw new CorruptMapError(`${what}: overflow bucket 0x${ptrs[i].toString(16)} of bucket ${from + heads[next[i]]} is unreadable: ${r.error}`);
        chains[next[i]].push({ address: ptrs[i], bytes: r.bytes });
      });
    }
    frontier = next.concat(local);
  }
  // Chains were met in index order, so the overflow lists follow the array's order.
  const overflowFrom = new Uint32Array(count + 1);
  const overflow: Bucket[] = [];
  let j = 0;
  heads.forEach((at, k) => {
    for (; j <= at; j++) overflowFrom[j] = overflow.length;
    for (const b of chains[k]) overflow.push(b);
  });
  for (; j <= count; j++) overflowFrom[j] = overflow.length;
  return { start: from, count, address, bytes, overflowFrom, overflow };
}

/**
 * `length` bytes at `address`, and in the same request the `extra` bytes after them: those only
 * if they can be read (empty otherwise), the first always (or MemoryReadError).
 */
async function readWithTail(mem: Memory, address: bigint, length: number, extra: number): Promise<[Uint8Array, Uint8Array]> {
  if (extra === 0) return [await readExact(mem, address, length), new Uint8Array(0)];
  const [r, t] = await mem.readMany([
    { address, length },
    { address: address + BigInt(length), length: extra },
  ]);
  if (!r.ok) throw new MemoryReadError(address, length, r.error);
  return [r.bytes, t.ok ? t.bytes : new Uint8Array(0)];
}
