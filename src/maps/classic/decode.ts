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
import { allZero } from '../count.js';
import type { CachedMemory } from '../../target/cache.js';
import { type BucketRun, BucketArray } from './buckets.js';
import { type ClassicChunk, type ClassicHeader, checkCount, classicChunks, collectCells, countCells, parseClassicHeader, readClassicHeader } from './walk.js';

export interface DecodeOptions {
  /** Read bucket or group arrays this many bytes at a time (all at once by default). */
  readonly chunkBytes?: number;
  /** Entries found so far, of the header's count, after each chunk. */
  readonly progress?: (done: number, total: number) => void;
}

export async function decodeClassic(mem: Memory, layout: ClassicLayout, address: bigint, opts: DecodeOptions = {}): Promise<ClassicSnapshot> {
  const h = await readClassicHeader(mem, layout, address);
  // The walk only counts the live cells (for the check against hmap.count); the entries are
  // collected from the chunks kept here when first asked for (renderers, the analysis).
  const chunks: ClassicChunk[] = [];
  for await (const chunk of classicChunks(mem, layout, h, undefined, opts.chunkBytes)) {
    chunks.push(chunk);
    opts.progress?.(chunk.found, h.count);
  }
  return snapshotOf(mem, layout, h, chunks);
}

/** Buckets of a map decoded at once from bytes in hand: past this, decodeClassic reads it. */
const SMALL_BUCKETS = 8;
/** Shared by every small map (read, never written): bucket j is live cell list j, and no overflow. */
const IN_ORDER = Int32Array.from({ length: SMALL_BUCKETS }, (_, j) => j);
const NO_OVERFLOW = new Uint32Array(SMALL_BUCKETS + 1);

/**
 * A small map (up to SMALL_BUCKETS buckets, no overflow bucket, not growing) decoded at once from
 * memory already read, or undefined when it is not one or its bytes are not all there (then
 * decodeClassic, which also says what is wrong with a damaged one). `top` measures 100,000 of
 * them from a copy of the process: an async walk each, its generator and awaits, was most of it.
 */
export function decodeSmallClassic(mem: CachedMemory, layout: ClassicLayout, address: bigint): ClassicSnapshot | undefined {
  const bytes = mem.peek(address, layout.hmap.size);
  if (!(bytes instanceof Uint8Array)) return undefined;
  let h: ClassicHeader;
  try {
    h = parseClassicHeader(layout, address, bytes, mem);
  } catch {
    return undefined;
  }
  if (h.oldN > 0 || h.nb > SMALL_BUCKETS) return undefined;
  const { size, overflow } = layout.bucket;
  let buckets: Uint8Array = new Uint8Array(0);
  if (h.nb > 0) {
    const b = mem.peek(h.buckets, h.nb * size);
    if (!(b instanceof Uint8Array)) return undefined;
    buckets = b;
  }
  for (let j = 0; j < h.nb; j++) if (!allZero(buckets, undefined, j * size + overflow.offset, overflow.size)) return undefined;
  const cur: BucketRun = { start: 0, count: h.nb, address: h.buckets, bytes: buckets, overflowFrom: NO_OVERFLOW.subarray(0, h.nb + 1), overflow: [] };
  const live = IN_ORDER.subarray(0, h.nb);
  const chunk = { cur, old: null, live };
  const found = countCells(layout, chunk);
  checkCount(h, found);
  return snapshotOf(mem, layout, h, h.nb > 0 ? [{ ...chunk, found }] : []);
}

function snapshotOf(mem: Memory, layout: ClassicLayout, h: ClassicHeader, chunks: readonly ClassicChunk[]): ClassicSnapshot {
  const { size, tophash } = layout.bucket;
  const array = new BucketArray(h.buckets, h.nb, size, tophash.offset);
  const oldArray = h.oldN > 0 ? new BucketArray(h.oldbuckets, h.oldN, size, tophash.offset) : null;
  for (const chunk of chunks) {
    array.add(chunk.cur);
    if (chunk.old) oldArray?.add(chunk.old);
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
    address: h.address,
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
