/**
 * The full report's per-block cache-line list (cacheLines.buckets or .groups): for every bucket
 * of the current array (each followed by its overflow buckets), or every group, its address,
 * the lines it spans and those holding live data. A million-entry map has a quarter million of
 * them: they are kept as columns (the address in two 32-bit halves, the block's offset in its
 * first line and its live slots) and made into objects only when asked for; the JSON writer
 * writes them from the columns (report/block-json.ts).
 */
import { AddressHalves } from '../target/address-halves.js';
import { doubled } from '../target/columns.js';
import { type CacheLineCounter, LINE } from './cache-lines.js';
import type { CacheLineFigures, LineUse } from './types.js';

/** The per-block list as plain columns, for writers here or in another thread (report/block-json.ts). */
export interface LineUseColumns {
  readonly length: number;
  /** Each block's address in two 32-bit halves. */
  readonly hi: Uint32Array;
  readonly lo: Uint32Array;
  /** Each block's pattern: its offset in its first line × 256 + its live slots as a mask. */
  readonly pattern: Uint16Array;
  /** For each pattern in the list, what follows the address: `,"lines":N,"liveLines":[…]}`. */
  readonly tails: ReadonlyMap<number, string>;
}

export class LineUses {
  private n = 0;
  // Grown as blocks come (doubled): most maps have a few.
  private hi = new Uint32Array(16);
  private lo = new Uint32Array(16);
  private pattern = new Uint16Array(16);
  private readonly address = new AddressHalves();

  /** Filled by the tally (./tally.ts) as it counts: block by block, in the report's order. */
  constructor(private readonly counter: CacheLineCounter) {}

  get length(): number {
    return this.n;
  }

  /** Block i as the report's object. */
  at(i: number): LineUse {
    const lead = this.pattern[i] >> 8;
    const address = (BigInt(this.hi[i]) << 32n) | BigInt(this.lo[i]);
    return { address: '0x' + address.toString(16), lines: this.counter.lines(lead), liveLines: [...this.counter.liveLines(lead, this.pattern[i] & 0xff)] };
  }

  /** Every block as objects. */
  all(): LineUse[] {
    const out: LineUse[] = new Array(this.n);
    for (let i = 0; i < this.n; i++) out[i] = this.at(i);
    return out;
  }

  /** The list as columns, with the text of each pattern in it made once. */
  columns(): LineUseColumns {
    const tails = new Map<number, string>();
    for (let i = 0; i < this.n; i++) {
      const p = this.pattern[i];
      if (!tails.has(p)) tails.set(p, `,"lines":${this.counter.lines(p >> 8)},"liveLines":[${this.counter.liveLines(p >> 8, p & 0xff).join(',')}]}`);
    }
    return { length: this.n, hi: this.hi.subarray(0, this.n), lo: this.lo.subarray(0, this.n), pattern: this.pattern.subarray(0, this.n), tails };
  }

  /** The block `offset` bytes past `base`, with live slots `mask` (callers pass a run's base and an offset: a bigint per block is not cheap). */
  push(base: bigint, offset: number, mask: number): void {
    const i = this.n;
    if (i === this.hi.length) this.grow();
    const a = this.address;
    a.set(base, offset);
    this.hi[i] = a.hi;
    this.lo[i] = a.lo;
    // The low bits of a double below 2^53 survive `&` (ToInt32 keeps the low 32 bits).
    this.pattern[i] = (a.lo & (LINE - 1)) * 256 + mask;
    this.n = i + 1;
  }

  private grow(): void {
    this.hi = doubled(this.hi);
    this.lo = doubled(this.lo);
    this.pattern = doubled(this.pattern);
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
