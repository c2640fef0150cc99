/**
 * The full report's per-block cache-line list (cacheLines.buckets or .groups): for every bucket
 * of the current array (each followed by its overflow buckets), or every group, its address,
 * the lines it spans and those holding live data. A million-entry map has a quarter million of
 * them: they are kept as columns (the address in two 32-bit halves, the block's offset in its
 * first line, its pattern of live slots) and made into objects only when asked for, one at a
 * time or all at once; the JSON writer writes them without either.
 */
import { Ascii, type JsonOut } from '../values/json-out.js';
import { type CacheLineCounter, LINE } from './cache-lines.js';
import type { CacheLineFigures, LineUse } from './types.js';

const TWO32 = 2 ** 32;
const ADDRESS = new Ascii('{"address":');

export class LineUses {
  private n = 0;
  private hi = new Uint32Array(1024);
  private lo = new Uint32Array(1024);
  private lead = new Uint8Array(1024);
  private mask = new Uint8Array(1024);

  private readonly tails = new Map<number, Ascii>();

  /** Filled by the tally (./tally.ts) as it counts: block by block, in the report's order. */
  constructor(private readonly counter: CacheLineCounter) {}

  get length(): number {
    return this.n;
  }

  /** Block i as the report's object. */
  at(i: number): LineUse {
    const lead = this.lead[i];
    return { address: '0x' + this.address(i).toString(16), lines: this.counter.lines(lead), liveLines: [...this.counter.liveLines(lead, this.mask[i])] };
  }

  /** Every block as objects. */
  all(): LineUse[] {
    const out: LineUse[] = new Array(this.n);
    for (let i = 0; i < this.n; i++) out[i] = this.at(i);
    return out;
  }

  /** Writes what `at(i)` gives as JSON, without making it. */
  write(i: number, out: JsonOut): void {
    const lead = this.lead[i];
    out.ascii(ADDRESS);
    out.hexAddress(this.hi[i], this.lo[i]);
    out.ascii(this.tail(lead, this.mask[i]));
  }

  /** `,"lines":N,"liveLines":[…]}` for a block at `lead` with live slots `mask`, made once per pattern. */
  private tail(lead: number, mask: number): Ascii {
    const key = lead * 256 + mask;
    let t = this.tails.get(key);
    if (!t) {
      t = new Ascii(`,"lines":${this.counter.lines(lead)},"liveLines":[${this.counter.liveLines(lead, mask).join(',')}]}`);
      this.tails.set(key, t);
    }
    return t;
  }

  private address(i: number): bigint {
    return (BigInt(this.hi[i]) << 32n) | BigInt(this.lo[i]);
  }

  /** The block `offset` bytes past `base`, with live slots `mask` (callers pass a run's base and an offset: a bigint per block is not cheap). */
  push(base: bigint, offset: number, mask: number): void {
    const i = this.n;
    if (i === this.hi.length) this.grow();
    const hi = Number(base >> 32n);
    const lo = Number(base & 0xffffffffn) + offset;
    this.hi[i] = hi + Math.floor(lo / TWO32);
    this.lo[i] = lo % TWO32;
    this.lead[i] = lo % LINE;
    this.mask[i] = mask;
    this.n = i + 1;
  }

  private grow(): void {
    const size = this.hi.length * 2;
    const hi = new Uint32Array(size);
    hi.set(this.hi);
    this.hi = hi;
    const lo = new Uint32Array(size);
    lo.set(this.lo);
    this.lo = lo;
    const lead = new Uint8Array(size);
    lead.set(this.lead);
    this.lead = lead;
    const mask = new Uint8Array(size);
    mask.set(this.mask);
    this.mask = mask;
  }
}

/** The columns behind a report's per-block list, for writers that want them rather than the objects. */
const behind = new WeakMap<CacheLineFigures, LineUses>();

export function lineUsesOf(figures: CacheLineFigures): LineUses | undefined {
  return behind.get(figures);
}

/**
 * The figures with their per-block list (`buckets` for a classic map, `groups` for a Swiss one)
 * made from `uses` on first read: a plain, enumerable property to every reader (JSON.stringify,
 * structured clone, the HTML report), while the JSON writer takes the columns (lineUsesOf).
 */
export function withLineUses(figures: CacheLineFigures, kind: 'classic' | 'swiss', uses: LineUses): CacheLineFigures {
  let made: LineUse[] | undefined;
  // In the order the report has always listed them: lineSize, the list, then the fractions.
  const out = { lineSize: figures.lineSize } as CacheLineFigures;
  Object.defineProperty(out, kind === 'classic' ? 'buckets' : 'groups', {
    enumerable: true,
    get: () => (made ??= uses.all()),
  });
  out.liveLineFraction = figures.liveLineFraction;
  out.lookupLines = figures.lookupLines;
  out.lookupUtilization = figures.lookupUtilization;
  behind.set(out, uses);
  return out;
}
