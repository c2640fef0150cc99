/**
 * What the analysis needs of a map's buckets or groups, counted as they go by: slot states,
 * overflow chains, tables, cache lines. Fed the whole snapshot for a report, or chunk by chunk
 * for `--stats`, whose memory must not grow with the map: so it keeps counts, not blocks (only
 * the per-table figures, a thousandth of the slots, and per-block line use when asked for).
 */
import type { MapLayout } from '../layout/map-layout.js';
import { emptyOne, emptyRest, evacuated, evacuatedEmpty, evacuatedX, evacuatedY, minTopHash } from '../maps/classic/tophash.js';
import type { ClassicBucket, ClassicBucketChain, SwissGroup, SwissTable } from '../maps/snapshot.js';
import { ctrlDeleted, ctrlEmpty, isFull } from '../maps/swiss/ctrl.js';
import { hex } from '../target/bytes.js';
import { CacheLineCounter } from './cache-lines.js';
import type { ClassicSlotStates, SwissSlotStates, TableOccupancy } from './types.js';

function classicStates(): ClassicSlotStates {
  return { live: 0, emptyRest: 0, emptyOne: 0, evacuatedX: 0, evacuatedY: 0, evacuatedEmpty: 0 };
}

export class MapTally {
  readonly lines: CacheLineCounter;
  /** Classic: the current array's buckets and their overflow buckets. */
  buckets = 0;
  overflowBuckets = 0;
  readonly slotStates = classicStates();
  readonly histogram: Record<string, number> = {};
  maxChain = 0;
  /** Classic, while growing: the old array's buckets, overflow buckets, and those evacuated. */
  oldBuckets = 0;
  oldOverflowBuckets = 0;
  oldEvacuated = 0;
  readonly oldSlotStates = classicStates();
  /** Swiss: every group's slots, and each table. */
  readonly ctrlStates: SwissSlotStates = { full: 0, empty: 0, deleted: 0 };
  groups = 0;
  readonly tables: TableOccupancy[] = [];
  /** Groups per table, in table order (the GC scans each table's array on its own). */
  readonly tableGroups: number[] = [];
  smallGroup = false;
  tableCapacity = 0;
  /** Entries: the string bytes their keys and elems refer to, and keys holding a NaN. */
  stringBytes = 0;
  nanKeys = 0;

  constructor(
    readonly layout: MapLayout,
    readonly ptrSize: number,
    /** Keep each bucket's or group's cache-line use (the full report), or only totals (--stats). */
    keepLineUse: boolean,
  ) {
    this.lines = new CacheLineCounter(layout.kind, layout, ptrSize, keepLineUse);
  }

  /** Chains of the current array (old: false) or of the old one, in index order. */
  chains(list: readonly ClassicBucketChain[], old: boolean): void {
    for (const c of list) {
      const states = old ? this.oldSlotStates : this.slotStates;
      this.bucket(c, states, !old);
      for (const b of c.overflow) this.bucket(b, states, !old);
      if (old) {
        this.oldBuckets++;
        this.oldOverflowBuckets += c.overflow.length;
        if (evacuated(c.tophash)) this.oldEvacuated++;
      } else {
        this.buckets++;
        this.overflowBuckets += c.overflow.length;
        const k = String(c.overflow.length);
        this.histogram[k] = (this.histogram[k] ?? 0) + 1;
        if (c.overflow.length > this.maxChain) this.maxChain = c.overflow.length;
      }
    }
  }

  private bucket(b: ClassicBucket, s: ClassicSlotStates, listed: boolean): void {
    const t = b.tophash;
    for (let i = 0; i < t.length; i++) {
      const h = t[i];
      if (h === emptyRest) s.emptyRest++;
      else if (h === emptyOne) s.emptyOne++;
      else if (h === evacuatedX) s.evacuatedX++;
      else if (h === evacuatedY) s.evacuatedY++;
      else if (h === evacuatedEmpty) s.evacuatedEmpty++;
      else s.live++;
    }
    this.lines.block(b.address, (slot) => t[slot] >= minTopHash, listed);
  }

  table(t: SwissTable): void {
    const before = this.ctrlStates.deleted;
    for (const g of t.groups) this.group(g);
    this.tables.push({
      address: hex(t.address),
      used: t.used,
      capacity: t.capacity,
      loadFactor: t.capacity === 0 ? 0 : t.used / t.capacity,
      tombstones: this.ctrlStates.deleted - before,
      growthLeft: t.growthLeft,
    });
    this.tableGroups.push(t.groups.length);
    this.tableCapacity += t.capacity;
  }

  small(g: SwissGroup): void {
    this.smallGroup = true;
    this.group(g);
  }

  private group(g: SwissGroup): void {
    const st = this.ctrlStates;
    const ctrl = g.ctrl;
    for (let i = 0; i < ctrl.length; i++) {
      const c = ctrl[i];
      if (isFull(c)) st.full++;
      else if (c === ctrlEmpty) st.empty++;
      else if (c === ctrlDeleted) st.deleted++;
    }
    this.groups++;
    this.lines.block(g.address, (slot) => isFull(ctrl[slot]), true);
  }
}
