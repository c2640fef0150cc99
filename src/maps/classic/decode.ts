/**
 * Decoder for Go's classic bucketed hash map: every bucket array, overflow chain and live cell
 * kept as a snapshot (./walk.ts walks the map; see it for the runtime's rules).
 *
 * Pure: reads come from the Memory it is given, in few large reads (whole bucket arrays, then
 * one batched read per level of overflow chains).
 */
import type { ClassicLayout } from '../../layout/map-layout.js';
import { EntrySlots } from '../slots.js';
import type { ClassicBucket, ClassicBucketChain, ClassicSnapshot } from '../snapshot.js';
import type { Memory } from '../../target/target.js';
import { type Bucket, classicChunks, collectCells, readClassicHeader } from './walk.js';

export interface DecodeOptions {
  /** Read bucket or group arrays this many bytes at a time (all at once by default). */
  readonly chunkBytes?: number;
  /** Entries found so far, of the header's count, after each chunk. */
  readonly progress?: (done: number, total: number) => void;
}

export async function decodeClassic(mem: Memory, layout: ClassicLayout, address: bigint, opts: DecodeOptions = {}): Promise<ClassicSnapshot> {
  const h = await readClassicHeader(mem, layout, address);
  const slots = new EntrySlots(layout.indirectKey, layout.indirectElem, mem);
  const cur: ClassicBucketChain[] = [];
  const old: ClassicBucketChain[] = [];
  for await (const chunk of classicChunks(mem, layout, h, opts.chunkBytes)) {
    for (const c of chunk.chains) cur.push(chainOf(layout, c));
    for (const c of chunk.oldChains) old.push(chainOf(layout, c));
    for (const c of chunk.live) collectCells(layout, c, slots);
    opts.progress?.(slots.length, h.count);
  }
  return {
    implementation: 'classic',
    address,
    count: h.count,
    flags: h.flags,
    B: h.B,
    noverflow: h.noverflow,
    hash0: h.hash0,
    nevacuate: h.nevacuate,
    clearSeq: h.clearSeq,
    buckets: cur,
    oldbuckets: h.oldN > 0 ? old : null,
    slots,
    get entries() {
      return slots.refs();
    },
    warnings: h.warnings,
  };
}

function tophashOf(layout: ClassicLayout, b: Bucket): number[] {
  const o = layout.bucket.tophash.offset;
  const t = b.bytes;
  // Written out: Array.from of a subarray cost more than the rest of the decoding.
  return [t[o], t[o + 1], t[o + 2], t[o + 3], t[o + 4], t[o + 5], t[o + 6], t[o + 7]];
}

/** A chain as the snapshot keeps it: addresses and tophash bytes. */
export function chainOf(layout: ClassicLayout, chain: readonly Bucket[]): ClassicBucketChain {
  const overflow: ClassicBucket[] = [];
  for (let i = 1; i < chain.length; i++) overflow.push({ address: chain[i].address, tophash: tophashOf(layout, chain[i]) });
  return { address: chain[0].address, tophash: tophashOf(layout, chain[0]), overflow };
}
