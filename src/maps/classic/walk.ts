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
import { readInt, readUint } from '../../target/bytes.js';
import { readScattered } from '../../target/scatter.js';
import { readExact, type Memory } from '../../target/target.js';
import { MAX_ARRAY_BYTES } from '../limits.js';
import { type ClassicMapHeader, CorruptMapError } from '../snapshot.js';
import { bucketCnt, evacuatedTop, hashWriting, minTopHash, sameSizeGrow } from './tophash.js';

/** B beyond this would mean more buckets than any address space holds. */
const MAX_B = 40;
/** Longest overflow chain followed before reporting corruption. */
const MAX_CHAIN = 1 << 20;

export interface Bucket {
  readonly address: bigint;
  readonly bytes: Uint8Array;
}

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
  /** Chains of the current array from bucket `start` on, each the bucket and its overflow buckets. */
  readonly start: number;
  readonly chains: readonly Bucket[][];
  /** Chains of the old array from `oldStart` on, while the map grows (else none). */
  readonly oldStart: number;
  readonly oldChains: readonly Bucket[][];
  /** The chains whose live cells are the map's entries, in the iterator's order. */
  readonly live: readonly Bucket[][];
}

export async function readClassicHeader(mem: Memory, layout: ClassicLayout, address: bigint): Promise<ClassicHeader> {
  const h = layout.hmap;
  const header = await readExact(mem, address, h.size);
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
 * The map's bucket arrays in chunks of about `chunkBytes` (whole arrays by default). The old
 * bucket an iterator reads instead of new bucket i is i & (oldN-1) ≤ i, so it is always in the
 * same chunk or an earlier one: a chunk never needs what a later one reads.
 */
export async function* classicChunks(mem: Memory, layout: ClassicLayout, h: ClassicHeader, chunkBytes = Infinity): AsyncGenerator<ClassicChunk> {
  const size = layout.bucket.size;
  const per = Math.max(1, Math.floor(chunkBytes / size));
  // Whether each old bucket still holds entries (not evacuated), kept across chunks.
  const oldLive = h.oldN > 0 ? new Uint8Array(Math.ceil(h.oldN / 8)) : undefined;
  let found = 0;
  for (let start = 0; start < h.nb; start += per) {
    const end = Math.min(h.nb, start + per);
    const chains = await readChains(mem, layout, h.buckets, h.nb, start, end, 'buckets');
    let oldChains: Bucket[][] = [];
    if (oldLive && start < h.oldN) {
      oldChains = await readChains(mem, layout, h.oldbuckets, h.oldN, start, Math.min(end, h.oldN), 'oldbuckets');
      oldChains.forEach((c, j) => {
        if (!evacuatedTop(c[0].bytes[layout.bucket.tophash.offset])) oldLive[(start + j) >> 3] |= 1 << ((start + j) & 7);
      });
    }
    const live: Bucket[][] = [];
    for (let i = start; i < end; i++) {
      if (oldLive) {
        const oi = i & (h.oldN - 1);
        if (oldLive[oi >> 3] & (1 << (oi & 7))) {
          // Not yet evacuated: the old bucket holds this bucket's entries (and, when the map is
          // doubling, those of its sibling i + oldN); read it once, from its lower index.
          if (oi === i) live.push(oldChains[i - start]);
          continue;
        }
      }
      live.push(chains[i - start]);
    }
    for (const c of live) found += liveCells(layout, c);
    yield { start, chains, oldStart: start, oldChains, live };
  }
  if (found !== h.count) h.warnings.push(`found ${found} live entries but hmap.count is ${h.count}`);
}

function liveCells(layout: ClassicLayout, chain: readonly Bucket[]): number {
  const off = layout.bucket.tophash.offset;
  let n = 0;
  for (const b of chain) for (let s = 0; s < bucketCnt; s++) if (b.bytes[off + s] >= minTopHash) n++;
  return n;
}

/** Where a live cell's key and elem are; what the decoder and the streaming readers collect. */
export interface CellSink {
  push(bytes: Uint8Array, address: bigint, keyOff: number, elemOff: number): void;
}

/** Hands every live cell of a chain to `sink`; cells marked empty or evacuated hold no entry (stale bytes at most). */
export function collectCells(layout: ClassicLayout, chain: readonly Bucket[], sink: CellSink): void {
  const bl = layout.bucket;
  const th = bl.tophash.offset;
  for (const b of chain) {
    for (let s = 0; s < bucketCnt; s++) {
      if (b.bytes[th + s] < minTopHash) continue;
      sink.push(b.bytes, b.address, bl.keys.offset + s * bl.keySlot, bl.values.offset + s * bl.elemSlot);
    }
  }
}

/** Reads buckets [from, to) of an array of n and every overflow chain hanging off them, one level at a time. */
async function readChains(mem: Memory, layout: ClassicLayout, base: bigint, n: number, from: number, to: number, what: string): Promise<Bucket[][]> {
  const size = layout.bucket.size;
  const array = await readExact(mem, base + BigInt(from * size), (to - from) * size);
  const chains: Bucket[][] = [];
  for (let i = 0; i < to - from; i++) {
    chains.push([{ address: base + BigInt((from + i) * size), bytes: array.subarray(i * size, (i + 1) * size) }]);
  }
  // Chains do not share buckets: a repeat within the chunk is a loop (a repeat across chunks
  // would only be read twice, and remembering every overflow bucket would grow with the map).
  const seen = new Set<bigint>();
  const arrayEnd = base + BigInt(n * size);
  const ovfField = layout.bucket.overflow;
  let frontier = chains.map((_, i) => i);
  for (let depth = 0; frontier.length > 0; depth++) {
    if (depth >= MAX_CHAIN) throw new CorruptMapError(`${what}: an overflow chain is longer than ${MAX_CHAIN}`);
    const next: number[] = [];
    const ptrs: bigint[] = [];
    for (const i of frontier) {
      const chain = chains[i];
      const last = chain[chain.length - 1];
      const ovf = readUint(last.bytes, ovfField.offset, ovfField.size, mem);
      if (ovf === 0n) continue;
      // Overflow buckets come from beyond the 2^B array (or are allocated singly), never from it:
      // pointing into it would read a bucket twice, or loop through it unseen by `seen`.
      if (ovf >= base && ovf < arrayEnd) {
        throw new CorruptMapError(`${what}: the overflow pointer of bucket 0x${last.address.toString(16)} points back into the bucket array, at 0x${ovf.toString(16)}`);
      }
      if (seen.has(ovf)) throw new CorruptMapError(`${what}: overflow chain of bucket ${from + i} loops back to 0x${ovf.toString(16)}`);
      seen.add(ovf);
      next.push(i);
      ptrs.push(ovf);
    }
    if (next.length === 0) break;
    const got = await readScattered(mem, ptrs.map((address) => ({ address, length: size })));
    got.forEach((r, j) => {
      if (!r.ok) throw new CorruptMapError(`${what}: overflow bucket 0x${ptrs[j].toString(16)} of bucket ${from + next[j]} is unreadable: ${r.error}`);
      chains[next[j]].push({ address: ptrs[j], bytes: r.bytes });
    });
    frontier = next;
  }
  return chains;
}
