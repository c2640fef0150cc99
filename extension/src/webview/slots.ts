/**
 * Which entry sits in which slot. The contract lists entries in memory order without saying
 * where each came from, so the decoder's walk is retraced over the tophash / control bytes
 * alone (the same walk as src/report/html/slot-entries.ts, over the JSON instead of a snapshot):
 *
 * - classic: bucket i of the current array in index order; while a grow is in progress and old
 *   bucket i & (oldN-1) is not evacuated (its tophash[0] is not 2, 3 or 4), the entries are still
 *   in the old bucket, read once from its lower index i == oldIndex, and the new bucket is
 *   skipped; otherwise the new bucket's chain. Live cells (tophash ≥ 5) in chain order.
 * - Swiss: the small group, or every table's groups in order; full slots (ctrl & 0x80 == 0).
 *
 * The result is trusted only when it accounts for exactly the entries the JSON has — or, when
 * the entries were cut by a limit, for exactly `count` of them. Otherwise no slot claims an
 * entry, rather than a wrong one.
 */
import type { ChainJson, GroupJson, MapJson, TableJson } from '../shared/contract.js';

export type ArrayName = 'buckets' | 'oldbuckets' | 'groups' | 'small';

/** A slot's position, as the grid's data attributes spell it. */
export interface SlotRef {
  readonly array: ArrayName;
  /** Swiss: the table's position in the JSON's list of tables. */
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
  /** True when the walk matched the JSON's counts and slots can be given entries. */
  readonly mapped: boolean;
  /** Index (memory order) of the entry in this slot; may be ≥ entries.length when they were limited. */
  entryAt(r: SlotRef): number | undefined;
  /** Slot of entry i. */
  slotOf(i: number): SlotRef | undefined;
}

const minTopHash = 5;

/** runtime `evacuated(b)`: tophash[0] is evacuatedX, evacuatedY or evacuatedEmpty. */
export function evacuated(tophash: readonly number[]): boolean {
  const h = tophash[0];
  return h > 1 && h < minTopHash;
}

function liveCells(array: 'buckets' | 'oldbuckets', bucket: number, c: ChainJson, out: SlotRef[]): void {
  [c, ...c.overflow].forEach((b, chain) => {
    b.tophash.forEach((t, slot) => {
      if (t >= minTopHash) out.push({ array, bucket, chain, slot });
    });
  });
}

export function classicOrder(buckets: readonly ChainJson[], old: readonly ChainJson[] | null): SlotRef[] {
  const out: SlotRef[] = [];
  for (let i = 0; i < buckets.length; i++) {
    if (old && old.length > 0) {
      const oi = i & (old.length - 1);
      if (!evacuated(old[oi].tophash)) {
        if (oi === i) liveCells('oldbuckets', oi, old[oi], out);
        continue;
      }
    }
    liveCells('buckets', i, buckets[i], out);
  }
  return out;
}

export function swissOrder(small: GroupJson | null, tables: readonly TableJson[]): SlotRef[] {
  const out: SlotRef[] = [];
  const full = (g: GroupJson, at: Omit<SlotRef, 'slot'>) =>
    g.ctrl.forEach((c, slot) => {
      if ((c & 0x80) === 0) out.push({ ...at, slot });
    });
  if (small) full(small, { array: 'small', bucket: 0 });
  tables.forEach((t, table) => t.groups.forEach((g, bucket) => full(g, { array: 'groups', table, bucket })));
  return out;
}

const NONE: SlotEntries = { mapped: false, entryAt: () => undefined, slotOf: () => undefined };

/** The order the walk visits live slots in, or null when the JSON has no slots to walk. */
export function slotOrder(m: MapJson): SlotRef[] | null {
  if (m.classic) return classicOrder(m.classic.buckets, m.classic.oldbuckets);
  if (m.swiss) return swissOrder(m.swiss.smallGroup, m.swiss.tables);
  return null;
}

export function slotEntries(m: MapJson): SlotEntries {
  const order = slotOrder(m);
  if (!order) return NONE;
  const have = m.entries?.length ?? 0;
  const count = m.count ?? have;
  const complete = order.length === have;
  const limited = have < count && order.length === count;
  if (!complete && !limited) return NONE;
  const index = new Map<string, number>();
  order.forEach((r, i) => index.set(slotKey(r), i));
  return { mapped: true, entryAt: (r) => index.get(slotKey(r)), slotOf: (i) => order[i] };
}
