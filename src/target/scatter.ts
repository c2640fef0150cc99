/**
 * Reads many scattered ranges as few: sorted and merged where they touch or nearly do (the
 * overflow buckets the runtime preallocates after a bucket array lie side by side), each range
 * then cut out of its merged block. A merged read that fails (it may span an unmapped gap) is
 * retried range by range, so one bad pointer does not hide its neighbours.
 */
import { mergeRanges } from './cache.js';
import type { MemRange, Memory, ReadResult } from './target.js';

export async function readScattered(mem: Memory, ranges: readonly MemRange[], gap = 64): Promise<ReadResult[]> {
  if (ranges.length < 2) return mem.readMany(ranges);
  const merged = mergeRanges(ranges, gap);
  if (merged.length === ranges.length) return mem.readMany(ranges);
  const blocks = await mem.readMany(merged);
  const starts = merged.map((m) => m.address);
  const out: ReadResult[] = new Array(ranges.length);
  const retry: number[] = [];
  ranges.forEach((r, i) => {
    // The merged block holding r: the last one starting at or before it.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= r.address) lo = mid;
      else hi = mid - 1;
    }
    const b = blocks[lo];
    if (!b.ok || r.length === 0) {
      if (r.length === 0) out[i] = { ok: true, bytes: new Uint8Array(0) };
      else retry.push(i);
      return;
    }
    const at = Number(r.address - starts[lo]);
    out[i] = { ok: true, bytes: b.bytes.subarray(at, at + r.length) };
  });
  if (retry.length > 0) {
    const again = await mem.readMany(retry.map((i) => ranges[i]));
    retry.forEach((i, j) => (out[i] = again[j]));
  }
  return out;
}
