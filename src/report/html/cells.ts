/**
 * A map's slots as the page draws them: every bucket (with its overflow chain) or group of every
 * array, its 8 tophash / ctrl bytes copied into one byte array in drawing order, and which entry
 * (memory order) each slot holds.
 *
 * The snapshot lists entries in memory order without saying where each came from, so the
 * decoders' walk is retraced over the bytes alone: classic — the current array bucket by bucket,
 * reading an unevacuated old bucket instead (once, from its lower index), live cells in chain
 * order; Swiss — the small group, or every table's groups in order, full slots. The result is
 * used only if it accounts for exactly as many entries as the snapshot holds; otherwise no slot
 * is given an entry and hovers show no key and value.
 *
 * Typed arrays throughout: a million-entry map has a couple of million slots, and an object or a
 * string key per slot cost more than writing the whole page.
 */
import type { BucketArray } from '../../maps/classic/buckets.js';
import { bucketCnt, evacuatedTop, minTopHash } from '../../maps/classic/tophash.js';
import type { MapSnapshot } from '../../maps/snapshot.js';

export type ArrayName = 'buckets' | 'oldbuckets' | 'groups' | 'small';

/** One array of buckets or groups: a classic bucket array, a Swiss table's groups, or the small group. */
export interface CellArray {
  readonly array: ArrayName;
  /** Swiss: the table's position in the snapshot's list of tables. */
  readonly table?: number;
  /** Buckets or groups. */
  readonly count: number;
  /** Where bucket or group 0 is; the others follow `stride` bytes apart. */
  readonly base: bigint;
  readonly stride: number;
  /**
   * Classic: bucket i's boxes (itself, then its overflow buckets) are boxes boxFrom[i] to
   * boxFrom[i+1]; overflow box b (b not a bucket's first) is at overflow[b - i - 1]. Swiss:
   * absent, one box per group.
   */
  readonly boxFrom?: Uint32Array;
  readonly overflow?: readonly bigint[];
  /** The map-wide index of this array's first cell. */
  readonly cellFrom: number;
  /** 8 bytes per box: the tophash or ctrl bytes in slot order. */
  readonly bytes: Uint8Array;
}

export interface MapCells {
  readonly arrays: readonly CellArray[];
  /** Cells of all arrays. */
  readonly total: number;
  /** Entry index (memory order) of each cell, -1 for none; all -1 if the walk could not be trusted. */
  readonly entryOfCell: Int32Array;
  /** Map-wide cell of each entry; null if the walk could not be trusted. */
  readonly cellOfEntry: Int32Array | null;
}

/** Boxes of an array: buckets plus overflow buckets, or groups. */
export function boxCount(a: CellArray): number {
  return a.boxFrom ? a.boxFrom[a.count] : a.count;
}

function classicArray(name: 'buckets' | 'oldbuckets', a: BucketArray, cellFrom: number): CellArray {
  const count = a.read;
  const boxFrom = new Uint32Array(count + 1);
  const overflow: bigint[] = [];
  for (const r of a.runs) {
    for (let j = 0; j < r.count; j++) {
      const i = r.start + j;
      boxFrom[i + 1] = boxFrom[i] + 1 + r.overflowFrom[j + 1] - r.overflowFrom[j];
    }
  }
  const bytes = new Uint8Array(boxFrom[count] * bucketCnt);
  const th = a.tophashOffset;
  // Eight bytes by hand: a subarray per bucket cost more than the copying.
  const copy8 = (src: Uint8Array, from: number, to: number) => {
    for (let s = 0; s < bucketCnt; s++) bytes[to + s] = src[from + s];
  };
  for (const r of a.runs) {
    for (let j = 0; j < r.count; j++) {
      let at = boxFrom[r.start + j] * bucketCnt;
      copy8(r.bytes, j * a.bucketSize + th, at);
      for (let k = r.overflowFrom[j]; k < r.overflowFrom[j + 1]; k++) {
        at += bucketCnt;
        const o = r.overflow[k];
        copy8(o.bytes, th, at);
        overflow.push(o.address);
      }
    }
  }
  return { array: name, count, base: a.address, stride: a.bucketSize, boxFrom, overflow, cellFrom, bytes };
}

/** Slot s's ctrl byte is byte s of the native-endian control word (maps/swiss/ctrl.ts). */
function ctrlInto(out: Uint8Array, at: number, src: Uint8Array, offset: number, littleEndian: boolean): void {
  for (let s = 0; s < 8; s++) out[at + s] = src[offset + (littleEndian ? s : 7 - s)];
}

export function mapCells(s: MapSnapshot, ctrlOffset: number): MapCells {
  const arrays: CellArray[] = [];
  let total = 0;
  const push = (a: CellArray) => {
    arrays.push(a);
    total += a.bytes.length;
  };
  if (s.implementation === 'classic') {
    if (s.array.read > 0) push(classicArray('buckets', s.array, total));
    if (s.oldArray && s.oldArray.read > 0) push(classicArray('oldbuckets', s.oldArray, total));
  } else {
    const le = s.slots.order.littleEndian;
    if (s.smallGroup) push({ array: 'small', count: 1, base: s.smallGroup.address, stride: 0, cellFrom: total, bytes: Uint8Array.from(s.smallGroup.ctrl) });
    s.tables.forEach((t, table) => {
      const g = t.groupArray;
      const bytes = new Uint8Array(g.count * 8);
      for (let k = 0; k < g.count; k++) ctrlInto(bytes, k * 8, g.bytes, k * g.groupSize + ctrlOffset, le);
      push({ array: 'groups', table, count: g.count, base: g.address, stride: g.groupSize, cellFrom: total, bytes });
    });
  }
  const entryOfCell = new Int32Array(total).fill(-1);
  const entries = s.slots.length;
  const cellOfEntry = new Int32Array(entries);
  const n = s.implementation === 'classic' ? classicWalk(arrays, entryOfCell, cellOfEntry) : swissWalk(arrays, entryOfCell, cellOfEntry);
  if (n === entries) return { arrays, total, entryOfCell, cellOfEntry };
  entryOfCell.fill(-1);
  return { arrays, total, entryOfCell, cellOfEntry: null };
}

/** Numbers the live cells of bucket i's chain from `n` on; returns the next number (writes stop at the arrays' end). */
function liveCells(a: CellArray, i: number, n: number, entryOfCell: Int32Array, cellOfEntry: Int32Array): number {
  const from = (a.boxFrom as Uint32Array)[i] * bucketCnt;
  const to = (a.boxFrom as Uint32Array)[i + 1] * bucketCnt;
  for (let c = from; c < to; c++) {
    if (a.bytes[c] < minTopHash) continue;
    if (n < cellOfEntry.length) {
      entryOfCell[a.cellFrom + c] = n;
      cellOfEntry[n] = a.cellFrom + c;
    }
    n++;
  }
  return n;
}

function classicWalk(arrays: readonly CellArray[], entryOfCell: Int32Array, cellOfEntry: Int32Array): number {
  const cur = arrays.find((a) => a.array === 'buckets');
  const old = arrays.find((a) => a.array === 'oldbuckets');
  if (!cur) return 0;
  let n = 0;
  for (let i = 0; i < cur.count; i++) {
    if (old) {
      const oi = i & (old.count - 1);
      if (!evacuatedTop(old.bytes[(old.boxFrom as Uint32Array)[oi] * bucketCnt])) {
        if (oi === i) n = liveCells(old, oi, n, entryOfCell, cellOfEntry);
        continue;
      }
    }
    n = liveCells(cur, i, n, entryOfCell, cellOfEntry);
  }
  return n;
}

function swissWalk(arrays: readonly CellArray[], entryOfCell: Int32Array, cellOfEntry: Int32Array): number {
  let n = 0;
  for (const a of arrays) {
    for (let c = 0; c < a.bytes.length; c++) {
      if (a.bytes[c] & 0x80) continue;
      if (n < cellOfEntry.length) {
        entryOfCell[a.cellFrom + c] = n;
        cellOfEntry[n] = a.cellFrom + c;
      }
      n++;
    }
  }
  return n;
}
