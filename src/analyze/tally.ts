/**
 * What the analysis needs of a map's buckets or groups, counted as they go by: slot states,
 * overflow chains, tables, cache lines. Fed the whole snapshot for a report, or chunk by chunk
 * for `--stats`, whose memory must not grow with the map: so it keeps counts, not blocks (only
 * the per-table figures, a thousandth of the slots).
 *
 * It reads tophash and ctrl bytes where they were read, run by run: counting byte values in a
 * histogram and looking each block's pattern of live slots up in the cache-line counter costs a
 * few nanoseconds a slot, where objects per bucket cost more than reading the map.
 */
import type { MapLayout } from '../layout/map-layout.js';
import type { BucketRun } from '../maps/classic/buckets.js';
import { bucketCnt, emptyOne, emptyRest, evacuatedEmpty, evacuatedTop, evacuatedX, evacuatedY, minTopHash } from '../maps/classic/tophash.js';
import type { GroupArray, SwissGroup, SwissTableHeader } from '../maps/snapshot.js';
import { ctrlDeleted, ctrlEmpty, fullMask } from '../maps/swiss/ctrl.js';
import { equalBytes, wordsOf } from '../maps/count.js';
import { hex } from '../target/bytes.js';
import { CacheLineCounter, LINE } from './cache-lines.js';
import { LineUses } from './line-uses.js';
import type { ClassicSlotStates, SwissSlotStates, TableOccupancy } from './types.js';

/** Slot states from a histogram of tophash byte values. */
function classicStates(counts: Float64Array): ClassicSlotStates {
  let live = 0;
  for (let b = minTopHash; b < 256; b++) live += counts[b];
  return { live, emptyRest: counts[emptyRest], emptyOne: counts[emptyOne], evacuatedX: counts[evacuatedX], evacuatedY: counts[evacuatedY], evacuatedEmpty: counts[evacuatedEmpty] };
}

export class MapTally {
  readonly lines: CacheLineCounter;
  /** Classic: the current array's buckets and their overflow buckets. */
  buckets = 0;
  overflowBuckets = 0;
  /** Buckets of the current array by the length of their overflow chain. */
  private readonly chainCounts: number[] = [];
  maxChain = 0;
  /** Classic, while growing: the old array's buckets, overflow buckets, and those evacuated. */
  oldBuckets = 0;
  oldOverflowBuckets = 0;
  oldEvacuated = 0;
  /** Tophash byte values of the current array's slots and of the old array's. */
  // Made on first use: a Swiss map has none, and 100,000 small maps measured made 400 MB of them.
  private topsMade: Float64Array | undefined;
  private oldTopsMade: Float64Array | undefined;

  private get tops(): Float64Array {
    return (this.topsMade ??= new Float64Array(256));
  }

  private get oldTops(): Float64Array {
    return (this.oldTopsMade ??= new Float64Array(256));
  }
  /** Swiss: control bytes of every group by state (bytes of other values are none of these), and each table. */
  private ctrlFull = 0;
  private ctrlEmpty = 0;
  private ctrlDeleted = 0;
  groups = 0;
  readonly tables: TableOccupancy[] = [];
  /** Groups per table, in table order (the GC scans each table's array on its own). */
  readonly tableGroups: number[] = [];
  smallGroup = false;
  tableCapacity = 0;
  /** Entries: the string bytes their keys and elems refer to, and keys holding a NaN. */
  stringBytes = 0;
  nanKeys = 0;

  readonly ptrSize: number;
  private readonly littleEndian: boolean;
  /** Whether cache lines are counted at all (list and top want occupancy and bytes only). */
  private readonly countLines: boolean;
  /** Each listed block's line use, for the full report; --stats keeps none. */
  readonly lineUses: LineUses | undefined;

  constructor(
    readonly layout: MapLayout,
    target: { readonly pointerSize: number; readonly littleEndian: boolean },
    opts: { readonly keepLineUses?: boolean; readonly countLines?: boolean } = {},
  ) {
    this.ptrSize = target.pointerSize;
    this.littleEndian = target.littleEndian;
    this.lines = new CacheLineCounter(layout, target.pointerSize);
    this.lineUses = opts.keepLineUses ? new LineUses(this.lines) : undefined;
    this.countLines = opts.countLines ?? true;
  }

  get slotStates(): ClassicSlotStates {
    return classicStates(this.tops);
  }

  get oldSlotStates(): ClassicSlotStates {
    return classicStates(this.oldTops);
  }

  get ctrlStates(): SwissSlotStates {
    return { full: this.ctrlFull, empty: this.ctrlEmpty, deleted: this.ctrlDeleted };
  }

  /** Buckets of the current array by overflow chain length, as the report lists them. */
  get histogram(): Record<string, number> {
    const h: Record<string, number> = {};
    this.chainCounts.forEach((n, k) => {
      if (n) h[String(k)] = n;
    });
    return h;
  }

  /** A run of the current array (old: false) or of the old one, with its overflow chains. */
  bucketRun(run: BucketRun, old: boolean): void {
    const size = this.lines.blockSize;
    const th = this.layout.kind === 'classic' ? this.layout.bucket.tophash.offset : 0;
    const tops = old ? this.oldTops : this.tops;
    const lead0 = Number(run.address % BigInt(LINE));
    for (let j = 0; j < run.count; j++) {
      const at = j * size;
      const mask = this.bucket(run.bytes, at + th, (lead0 + at) % LINE, tops, !old);
      if (!old) this.lineUses?.push(run.address, at, mask);
      const from = run.overflowFrom[j];
      const chain = run.overflowFrom[j + 1] - from;
      for (let k = from; k < from + chain; k++) {
        const o = run.overflow[k];
        const m = this.bucket(o.bytes, th, Number(o.address % BigInt(LINE)), tops, !old);
        if (!old) this.lineUses?.push(o.address, 0, m);
      }
      if (old) {
        this.oldBuckets++;
        this.oldOverflowBuckets += chain;
        if (evacuatedTop(run.bytes[at + th])) this.oldEvacuated++;
      } else {
        this.buckets++;
        this.overflowBuckets += chain;
        this.chainCounts[chain] = (this.chainCounts[chain] ?? 0) + 1;
        if (chain > this.maxChain) this.maxChain = chain;
      }
    }
  }

  /** Counts one bucket; returns its live slots as a mask. */
  private bucket(b: Uint8Array, th: number, lead: number, tops: Float64Array, listed: boolean): number {
    let mask = 0;
    for (let s = 0; s < bucketCnt; s++) {
      const h = b[th + s];
      tops[h]++;
      if (h >= minTopHash) mask |= 1 << s;
    }
    if (this.countLines) this.lines.add(lead, mask, listed);
    return mask;
  }

  /** A table: its header and its group array. */
  table(t: SwissTableHeader, groups: GroupArray): void {
    if (this.layout.kind !== 'swiss') return;
    const before = this.ctrlDeleted;
    const lead0 = Number(groups.address % BigInt(LINE));
    const bytes = groups.bytes;
    const words = wordsOf(bytes);
    const ctrl = this.layout.group.ctrl.offset;
    for (let k = 0, at = 0; k < groups.count; k++, at += groups.groupSize) {
      const c = at + ctrl;
      const mask = fullMask(bytes, c, this.littleEndian, words);
      this.ctrlFull += popcount8(mask);
      this.ctrlEmpty += equalBytes(bytes, words, c, ctrlEmpty);
      this.ctrlDeleted += equalBytes(bytes, words, c, ctrlDeleted);
      this.groups++;
      if (this.countLines) this.lines.add((lead0 + at) % LINE, mask, true);
      this.lineUses?.push(groups.address, at, mask);
    }
    this.tables.push({
      address: hex(t.address),
      used: t.used,
      capacity: t.capacity,
      loadFactor: t.capacity === 0 ? 0 : t.used / t.capacity,
      tombstones: this.ctrlDeleted - before,
      growthLeft: t.growthLeft,
    });
    this.tableGroups.push(groups.count);
    this.tableCapacity += t.capacity;
  }

  /** A small map's one group (its ctrl bytes in slot order). */
  small(g: SwissGroup): void {
    this.smallGroup = true;
    let mask = 0;
    g.ctrl.forEach((c, s) => {
      if (c === ctrlEmpty) this.ctrlEmpty++;
      else if (c === ctrlDeleted) this.ctrlDeleted++;
      else if ((c & 0x80) === 0) {
        this.ctrlFull++;
        mask |= 1 << s;
      }
    });
    this.groups++;
    if (this.countLines) this.lines.add(Number(g.address % BigInt(LINE)), mask, true);
    this.lineUses?.push(g.address, 0, mask);
  }
}

/** Set bits of an 8-bit mask. */
function popcount8(m: number): number {
  m = m - ((m >> 1) & 0x55);
  m = (m & 0x33) + ((m >> 2) & 0x33);
  return (m + (m >> 4)) & 0x0f;
}
