/**
 * Which entry sits in which slot, by slot position (the page's words for it: array, table,
 * bucket, overflow, slot), over the retraced walk of ./cells.ts.
 */
import type { MapSnapshot } from '../../maps/snapshot.js';
import { type ArrayName, type CellArray, type MapCells, mapCells } from './cells.js';

export type { ArrayName } from './cells.js';

/** A slot's position. */
export interface SlotRef {
  readonly array: ArrayName;
  /** Swiss: the table's position in the snapshot's list of tables. */
  readonly table?: number;
  /** Bucket index in its array, or group index in its table. */
  readonly bucket: number;
  /** Classic: 0 for the bucket itself, k for its k-th overflow bucket. */
  readonly chain?: number;
  readonly slot: number;
}

export function slotKey(r: SlotRef): string {
  return `${r.array}/${r.table ?? 0}/${r.bucket}/${r.chain ?? 0}/${r.slot}`;
}

export interface SlotEntries {
  /** Entry index (memory order) of the slot, if the walk could be trusted. */
  entryAt(r: SlotRef): number | undefined;
  /** Slot of entry i, if known. */
  slotOf(i: number): SlotRef | undefined;
}

/** The first index in [lo, hi) whose value is greater than x (values ascending). */
function upperBound(n: number, x: number, at: (i: number) => number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at(mid) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The position of map-wide cell c. */
export function slotAt(cells: MapCells, c: number): SlotRef | undefined {
  const arrays = cells.arrays;
  const k = upperBound(arrays.length, c, (i) => arrays[i].cellFrom) - 1;
  const a = arrays[k];
  if (!a || c - a.cellFrom >= a.bytes.length) return undefined;
  const box = Math.floor((c - a.cellFrom) / 8);
  const slot = (c - a.cellFrom) % 8;
  if (!a.boxFrom) return { array: a.array, ...(a.table !== undefined ? { table: a.table } : {}), bucket: box, slot };
  const from = a.boxFrom;
  const bucket = upperBound(a.count, box, (i) => from[i]) - 1;
  return { array: a.array, bucket, chain: box - from[bucket], slot };
}

/** The map-wide cell of a position, or -1. */
function cellAt(cells: MapCells, r: SlotRef): number {
  const a = cells.arrays.find((x: CellArray) => x.array === r.array && (x.table ?? 0) === (r.table ?? 0));
  if (!a || r.bucket < 0 || r.bucket >= a.count || r.slot < 0 || r.slot >= 8) return -1;
  let box = r.bucket;
  if (a.boxFrom) {
    box = a.boxFrom[r.bucket] + (r.chain ?? 0);
    if (box >= a.boxFrom[r.bucket + 1]) return -1;
  }
  return a.cellFrom + box * 8 + r.slot;
}

export function slotEntriesOf(cells: MapCells): SlotEntries {
  return {
    entryAt(r) {
      const c = cellAt(cells, r);
      const e = c < 0 ? -1 : cells.entryOfCell[c];
      return e < 0 ? undefined : e;
    },
    slotOf(i) {
      const c = cells.cellOfEntry?.[i];
      return c === undefined ? undefined : slotAt(cells, c);
    },
  };
}

/** Slot ↔ entry of a snapshot (little-endian ctrl bytes unless the snapshot's order says otherwise). */
export function slotEntries(s: MapSnapshot, ctrlOffset = 0): SlotEntries {
  return slotEntriesOf(mapCells(s, ctrlOffset));
}
