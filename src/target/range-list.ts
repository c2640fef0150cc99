/**
 * Many small ranges to read (a million strings' data), kept as columns of doubles rather than
 * as objects holding bigints: two million {address, length} objects were a third of a big
 * string map's time in allocation and garbage collection. Addresses at or past 2^53 (none on
 * today's machines, but a corrupt pointer may say anything) are kept apart, exactly.
 */
import { doubled } from './columns.js';
import type { MemRange } from './target.js';

/** Below this an address, and a range of up to 2^34 bytes from it, are exact as doubles. */
export const MAX_SAFE_ADDRESS = 2 ** 53 - 2 ** 34;

export class RangeList {
  private n = 0;
  private starts: Float64Array;
  private lengths: Float64Array;

  /** `expected`: ranges to make room for at once (bounded; the list grows past it). */
  constructor(expected = 256) {
    const size = Math.max(16, Math.min(expected, 1 << 24));
    this.starts = new Float64Array(size);
    this.lengths = new Float64Array(size);
  }
  /** Ranges whose address is not exact as a double. */
  readonly far: MemRange[] = [];

  get length(): number {
    return this.n + this.far.length;
  }

  /** Ranges kept as doubles: start(i) and size(i) for i below this. */
  get near(): number {
    return this.n;
  }

  start(i: number): number {
    return this.starts[i];
  }

  size(i: number): number {
    return this.lengths[i];
  }

  /** A range by its address as a double; the caller has checked it is below MAX_SAFE_ADDRESS. */
  add(address: number, length: number): void {
    if (length <= 0) return;
    const i = this.n;
    if (i === this.starts.length) this.grow();
    this.starts[i] = address;
    this.lengths[i] = length;
    this.n = i + 1;
  }

  addRange(address: bigint, length: number): void {
    if (length <= 0) return;
    if (address < BigInt(MAX_SAFE_ADDRESS)) this.add(Number(address), length);
    else this.far.push({ address, length });
  }

  /** Every range as an object (for the few callers that want them: a failed read's retry). */
  toRanges(): MemRange[] {
    const out: MemRange[] = [];
    for (let i = 0; i < this.n; i++) out.push({ address: BigInt(this.starts[i]), length: this.lengths[i] });
    return out.concat(this.far);
  }

  static of(ranges: readonly MemRange[]): RangeList {
    const list = new RangeList();
    for (const r of ranges) list.addRange(r.address, r.length);
    return list;
  }

  private grow(): void {
    this.starts = doubled(this.starts);
    this.lengths = doubled(this.lengths);
  }
}

const PAGE = 4096;
/** Pages spanned by a bitmap at most (32 MiB of bits); sparser ranges have their pages sorted instead. */
const MAX_BITMAP_PAGES = 2 ** 28;

/**
 * The pages the ranges touch, as sorted runs of consecutive pages: for many small scattered
 * ranges (a million strings' data) marking pages is far quicker than sorting every range, and
 * reads the whole heap pages the strings live on. Undefined when some range lies past 2^53,
 * where ranges must be merged exactly (cache.ts mergeRanges). A run that cannot be read whole
 * (one page in it is not mapped) is retried range by range by the caller.
 */
export function pageRunsOf(list: RangeList): MemRange[] | undefined {
  if (list.far.length > 0) return undefined;
  const n = list.near;
  if (n === 0) return [];
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const a = list.start(i);
    if (a < lo) lo = a;
    const end = a + list.size(i);
    if (end > hi) hi = end;
  }
  const first = Math.floor(lo / PAGE);
  const span = Math.ceil(hi / PAGE) - first;
  return span <= MAX_BITMAP_PAGES ? bitmapRuns(list, first, span) : sortedRuns(list);
}

/** Pages marked in a bitmap over [first, first+span), then read off it in order. */
function bitmapRuns(list: RangeList, first: number, span: number): MemRange[] {
  const bits = new Uint32Array(Math.ceil(span / 32));
  for (let i = 0; i < list.near; i++) {
    const a = list.start(i);
    const last = Math.floor((a + list.size(i) - 1) / PAGE) - first;
    for (let p = Math.floor(a / PAGE) - first; p <= last; p++) bits[p >>> 5] |= 1 << (p & 31);
  }
  const out: MemRange[] = [];
  let runFrom = -1;
  for (let w = 0; w < bits.length; w++) {
    const word = bits[w];
    // Whole words empty or full are the common case on either side of a run.
    if (word === 0 && runFrom < 0) continue;
    if (word === -1 >>> 0 && runFrom >= 0) continue;
    for (let b = 0; b < 32; b++) {
      const set = (word & (1 << b)) !== 0;
      const p = w * 32 + b;
      if (set && runFrom < 0) runFrom = p;
      else if (!set && runFrom >= 0) {
        out.push({ address: BigInt((first + runFrom) * PAGE), length: (p - runFrom) * PAGE });
        runFrom = -1;
      }
    }
  }
  if (runFrom >= 0) out.push({ address: BigInt((first + runFrom) * PAGE), length: (bits.length * 32 - runFrom) * PAGE });
  return out;
}

/** Pages collected, sorted natively and read off in runs, for ranges spread too wide for a bitmap. */
function sortedRuns(list: RangeList): MemRange[] {
  const pages = new Set<number>();
  for (let i = 0; i < list.near; i++) {
    const a = list.start(i);
    const last = Math.floor((a + list.size(i) - 1) / PAGE);
    for (let p = Math.floor(a / PAGE); p <= last; p++) pages.add(p);
  }
  const sorted = Float64Array.from(pages).sort();
  const out: MemRange[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[j - 1] + 1) j++;
    out.push({ address: BigInt(sorted[i] * PAGE), length: (j - i) * PAGE });
    i = j;
  }
  return out;
}
