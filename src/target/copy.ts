/**
 * A live process's writable memory copied whole into a cache (cli/copy-process.ts decides when):
 * each region one block, its touched pages read and the rest left zero, as the process would read
 * them. One block a region, not one a run: a range read later (a bucket array, a string) may
 * cross from a touched page into an untouched one, or from one mapping into the next.
 */
import type { CachedMemory } from './cache.js';
import type { BytePlace, MemRange, Memory } from './target.js';

export async function copyInto(mem: CachedMemory, source: Memory, regions: readonly MemRange[], runs: readonly MemRange[]): Promise<void> {
  // Typed arrays are zeroed lazily by the system: untouched pages cost no memory here either.
  const blocks = regions.map((r) => new Uint8Array(r.length));
  const places = placesIn(regions, blocks, runs);
  // Straight into the blocks where the source can: half the pages touched, and no second copy.
  const direct = places && source.readInto?.(runs, places);
  if (direct) {
    const read = await direct;
    if (read.every(Boolean)) regions.forEach((r, i) => mem.add(r.address, blocks[i]));
    // A page that could not be read is not zeros: the runs that were read go in alone.
    else runs.forEach((run, i) => read[i] && mem.add(run.address, places[i].bytes.subarray(places[i].offset, places[i].offset + run.length)));
    return;
  }
  const got = await source.readMany(runs);
  let k = 0;
  runs.forEach((run, i) => {
    const r = got[i];
    while (k < regions.length && regions[k].address + BigInt(regions[k].length) <= run.address) k++;
    if (!r.ok || k >= regions.length) return;
    blocks[k].set(r.bytes, Number(run.address - regions[k].address));
  });
  if (got.some((r) => !r.ok)) {
    // A page that could not be read is not zeros: the runs that were read go in alone.
    runs.forEach((run, i) => {
      const r = got[i];
      if (r.ok) mem.add(run.address, r.bytes);
    });
    return;
  }
  regions.forEach((r, i) => mem.add(r.address, blocks[i]));
}

/** Each run's place in the block of the region holding it; undefined if one lies in none. */
function placesIn(regions: readonly MemRange[], blocks: readonly Uint8Array[], runs: readonly MemRange[]): BytePlace[] | undefined {
  const out: BytePlace[] = [];
  let k = 0;
  for (const run of runs) {
    while (k < regions.length && regions[k].address + BigInt(regions[k].length) <= run.address) k++;
    const r = regions[k];
    if (!r || run.address < r.address || run.address + BigInt(run.length) > r.address + BigInt(r.length)) return undefined;
    out.push({ bytes: blocks[k], offset: Number(run.address - r.address) });
  }
  return out;
}
