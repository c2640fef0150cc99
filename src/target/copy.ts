/**
 * A live process's writable memory copied whole into a cache (cli/copy-process.ts decides when):
 * each region one block, its touched pages read and the rest left zero, as the process would read
 * them. One block a region, not one a run: a range read later (a bucket array, a string) may
 * cross from a touched page into an untouched one, or from one mapping into the next.
 */
import type { CachedMemory } from './cache.js';
import type { MemRange, Memory } from './target.js';

export async function copyInto(mem: CachedMemory, source: Memory, regions: readonly MemRange[], runs: readonly MemRange[]): Promise<void> {
  // Typed arrays are zeroed lazily by the system: untouched pages cost no memory here either.
  const blocks = regions.map((r) => new Uint8Array(r.length));
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
