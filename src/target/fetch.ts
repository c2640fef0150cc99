/**
 * Many scattered reads as a few: ranges merged, or, past a few thousand, whole pages read as
 * runs (CachedMemory then finds a range by its page).
 */
import { type CachedMemory, mergeRanges } from './cache.js';
import { RangeList, pageRunsOf } from './range-list.js';
import type { MemRange } from './target.js';

/** Past this many ranges, whole pages are read (range-list.ts pageRunsOf) rather than merged ranges. */
const MANY_RANGES = 4096;

/**
 * Reads ranges through the cache, merged; a merged read that fails (it may span an unmapped
 * gap) is retried range by range so one bad pointer does not hide its neighbours.
 */
export async function fetchRanges(mem: CachedMemory, ranges: readonly MemRange[] | RangeList): Promise<void> {
  if (ranges.length === 0) return;
  const many = ranges.length > MANY_RANGES;
  const list = ranges instanceof RangeList ? ranges : undefined;
  const runs = many ? pageRunsOf(list ?? RangeList.of(ranges as readonly MemRange[])) : undefined;
  const merged = runs ?? mergeRanges(list ? list.toRanges() : (ranges as readonly MemRange[]));
  const results = await mem.readMany(merged);
  // Page runs are looked up by page from now on (CachedMemory.indexPages).
  if (runs) mem.indexPages(runs.filter((_, i) => results[i].ok));
  if (results.every((r) => r.ok)) return;
  // Merged ranges are sorted and each covers a run of the sorted ranges: one pass pairs them up
  // (filtering all ranges per failed merge was quadratic when every pointer was bad).
  const sorted = (list ? list.toRanges() : [...(ranges as readonly MemRange[])]).filter((r) => r.length > 0).sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const retry: MemRange[] = [];
  let k = 0;
  results.forEach((r, i) => {
    const m = merged[i];
    const end = m.address + BigInt(m.length);
    while (k < sorted.length && sorted[k].address < m.address) k++;
    const from = k;
    while (k < sorted.length && sorted[k].address < end) k++;
    if (r.ok) return;
    const inside = sorted.slice(from, k);
    const same = inside.length === 1 && inside[0].address === m.address && inside[0].length === m.length;
    if (!same) for (const x of inside) retry.push(x);
  });
  if (retry.length > 0) await mem.readMany(retry);
}
