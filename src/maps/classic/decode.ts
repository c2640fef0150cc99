/**
 * Decoder for Go's classic bucketed hash map: every bucket array, overflow chain and live cell
 * kept as a snapshot (./walk.ts walks the map; see it for the runtime's rules).
 *
 * Pure: reads come from the Memory it is given, in few large reads (whole bucket arrays, then
 * one batched read per level of overflow chains). The buckets stay as read (./buckets.ts); the
 * snapshot's bucket objects are made from them only when asked for.
 */
import type { ClassicLayout } from '../../layout/map-layout.js';
import { EntrySlots } from '../slots.js';
import type { ClassicSnapshot } from '../snapshot.js';
import type { Memory } from '../../target/target.js';
import { BucketArray } from './buckets.js';
import { type ClassicChunk, classicChunks, collectCells, readClassicHeader } from './walk.js';

export interface DecodeOptions {
  /** Read bucket or group arrays this many bytes at a time (all at once by default). */
  readonly chunkBytes?: number;
  /** Entries found so far, of the header's count, after each chunk. */
  readonly progress?: (done: number, total: number) => void;
}

export async function decodeClassic(mem: Memory, layout: ClassicLayout, address: bigint, opts: DecodeOptions = {}): Promise<ClassicSnapshot> {
  const h = await readClassicHeader(mem, layout, address);
  const { size, tophash } = layout.bucket;
  const array = new BucketArray(h.buckets, h.nb, size, tophash.offset);
  const oldArray = h.oldN > 0 ? new BucketArray(h.oldbuckets, h.oldN, size, tophash.offset) : null;
  // The walk only counts the live cells (for the check against hmap.count); the entries are
  // collected from the chunks kept here when first asked for (renderers, the analysis).
  const chunks: ClassicChunk[] = [];
  for await (const chunk of classicChunks(mem, layout, h, undefined, opts.chunkBytes)) {
    array.add(chunk.cur);
    if (chunk.old) oldArray?.add(chunk.old);
    chunks.push(chunk);
    opts.progress?.(chunk.found, h.count);
  }
  let slots: EntrySlots | undefined;
  const entrySlots = (): EntrySlots => {
    if (!slots) {
      slots = new EntrySlots(layout.indirectKey, layout.indirectElem, mem, h.count);
      for (const c of chunks) collectCells(layout, c, slots);
    }
    return slots;
  };
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
    array,
    oldArray,
    get buckets() {
      return array.chains();
    },
    get oldbuckets() {
      return oldArray ? oldArray.chains() : null;
    },
    get slots() {
      return entrySlots();
    },
    get entries() {
      return entrySlots().refs();
    },
    warnings: h.warnings,
  };
}
