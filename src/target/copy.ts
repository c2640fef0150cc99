/**
 * A live process's writable memory copied whole into a cache (cli/copy-process.ts decides when):
 * each region one block, its touched pages read and the rest left zero, as the process would read
 * them. One block a region, not one a run: a range read later (a bucket array, a string) may
 * cross from a touched page into an untouched one, or from one mapping into the next.
 *
 * The copy goes a group of runs at a time and is given up as soon as the pace so far says it
 * cannot end within the time it was given: what was read by then is kept, run by run, and the
 * caller reads the rest as it would have without a copy.
 */
import type { CachedMemory } from './cache.js';
import type { CopyRoom } from './copy-room.js';
import type { BytePlace, MemRange, Memory } from './target.js';

/** Runs read between two looks at the pace: a few hundredths of a second of reading. */
const GROUP_BYTES = 32 << 20;

/** True if the whole copy is in `mem`; false if some or all of it is not (given up, or unreadable). */
export async function copyInto(
  mem: CachedMemory,
  source: Memory,
  regions: readonly MemRange[],
  runs: readonly MemRange[],
  withinMs = Infinity,
  /** Blocks made before the stop (copy-room.ts), used where they still fit. */
  room?: CopyRoom,
): Promise<boolean> {
  // Typed arrays are zeroed lazily by the system: untouched pages cost no memory here either.
  const blocks = regions.map((r) => room?.take(r) ?? new Uint8Array(r.length));
  const places = placesIn(regions, blocks, runs);
  if (!places) return false;
  const total = runs.reduce((n, r) => n + r.length, 0);
  const read: boolean[] = [];
  const t0 = performance.now();
  let done = 0;
  for (let from = 0; from < runs.length; ) {
    let to = from;
    let bytes = 0;
    while (to < runs.length && (to === from || bytes < GROUP_BYTES)) bytes += runs[to++].length;
    read.push(...(await readGroup(source, runs.slice(from, to), places.slice(from, to), room)));
    done += bytes;
    from = to;
    if (from < runs.length && ((performance.now() - t0) * total) / done > withinMs) break;
  }
  if (read.length === runs.length && read.every(Boolean)) {
    regions.forEach((r, i) => mem.add(r.address, blocks[i]));
    return true;
  }
  // A page not read is not zeros: the runs that were read go in alone.
  read.forEach((ok, i) => ok && mem.add(runs[i].address, places[i].bytes.subarray(places[i].offset, places[i].offset + runs[i].length)));
  return false;
}

/** Pieces the two readers take turns at: small enough that each gets half of any group. */
const PIECE = 4 << 20;

/**
 * A group of runs read straight into the blocks where the source can (half the pages touched, no
 * second copy), half of it by the room's helper when there is one; else read and placed.
 */
async function readGroup(source: Memory, runs: readonly MemRange[], places: readonly BytePlace[], room: CopyRoom | undefined): Promise<boolean[]> {
  // An empty ask says whether the source reads into places at all (a live process's memory file).
  if (room?.helping && source.readInto?.([], [])) {
    const pieces = runs.flatMap((r, i) => piecesOf(r, places[i]).map((p) => ({ ...p, run: i })));
    // Turns taken among the pieces in the room's blocks; a block made at the stop is this thread's.
    let turn = 0;
    const theirs = pieces.filter((p) => room.holds(p.place.bytes) && turn++ % 2 === 1);
    const helping = new Set(theirs);
    const ours = pieces.filter((p) => !helping.has(p));
    const helped = room.read(
      theirs.map((p) => p.range),
      theirs.map((p) => p.place),
    );
    const mine = source.readInto(
      ours.map((p) => p.range),
      ours.map((p) => p.place),
    );
    // The helper's answer is waited for whatever ours is: it must not read once the target runs.
    // Its half is not cut short where ours is refused for the pause budget: it is a group's half
    // at most (16 MiB, about 15 ms), and the pace check before each group keeps that in budget.
    const [a, b] = await Promise.all([mine ?? ours.map(() => false), helped]);
    const ok = runs.map(() => true);
    ours.forEach((p, j) => (ok[p.run] &&= a[j]));
    theirs.forEach((p, j) => (ok[p.run] &&= b[j]));
    return ok;
  }
  const direct = source.readInto?.(runs, places);
  if (direct) return direct;
  const got = await source.readMany(runs);
  return got.map((r, i) => {
    if (r.ok) places[i].bytes.set(r.bytes, places[i].offset);
    return r.ok;
  });
}

function piecesOf(r: MemRange, place: BytePlace): { range: MemRange; place: BytePlace }[] {
  const out: { range: MemRange; place: BytePlace }[] = [];
  for (let off = 0; off < r.length; off += PIECE) {
    out.push({ range: { address: r.address + BigInt(off), length: Math.min(PIECE, r.length - off) }, place: { bytes: place.bytes, offset: place.offset + off } });
  }
  return out;
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
