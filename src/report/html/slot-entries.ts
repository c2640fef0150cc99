/**
 * Which entry sits in which slot. The snapshot lists entries in memory order without saying
 * where each came from, so the decoders' walk is retraced over the tophash / ctrl bytes alone:
 * classic — the current array bucket by bucket, reading an unevacuated old bucket instead (once,
 * from its lower index), live cells in chain order; Swiss — the small group, or every table's
 * groups in order, full slots. The result is used only if it accounts for exactly as many
 * entries as the snapshot holds; otherwise hovers simply show no key and value.
 */
import { evacuated, minTopHash } from '../../maps/classic/tophash.js';
import type { ClassicBucketChain, ClassicSnapshot, MapSnapshot, SwissGroup } from '../../maps/snapshot.js';
import { isFull } from '../../maps/swiss/ctrl.js';

export type ArrayName = 'buckets' | 'oldbuckets' | 'groups' | 'small';

/** A slot's position, as the heatmap's data attributes spell it. */
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

const NONE: SlotEntries = { entryAt: () => undefined, slotOf: () => undefined };

export function slotEntries(s: MapSnapshot): SlotEntries {
  const order = s.implementation === 'classic' ? classicOrder(s) : swissOrder(s.smallGroup, s.tables);
  if (order.length !== s.entries.length) return NONE;
  const index = new Map<string, number>();
  order.forEach((r, i) => index.set(slotKey(r), i));
  return { entryAt: (r) => index.get(slotKey(r)), slotOf: (i) => order[i] };
}

function liveCells(array: ArrayName, bucket: number, c: ClassicBucketChain, out: SlotRef[]): void {
  [c, ...c.overflow].forEach((b, chain) => {
    b.tophash.forEach((t, slot) => {
      if (t >= minTopHash) out.push({ array, bucket, chain, slot });
    });
  });
}

function classicOrder(s: ClassicSnapshot): SlotRef[] {
  const out: SlotRef[] = [];
  const old = s.oldbuckets;
  for (let i = 0; i < s.buckets.length; i++) {
    if (old && old.length > 0) {
      const oi = i & (old.length - 1);
      if (!evacuated(old[oi].tophash)) {
        if (oi === i) liveCells('oldbuckets', oi, old[oi], out);
        continue;
      }
    }
    liveCells('buckets', i, s.buckets[i], out);
  }
  return out;
}

function swissOrder(small: SwissGroup | null, tables: readonly { readonly groups: readonly SwissGroup[] }[]): SlotRef[] {
  const out: SlotRef[] = [];
  const full = (g: SwissGroup, at: Omit<SlotRef, 'slot'>) => g.ctrl.forEach((c, slot) => isFull(c) && out.push({ ...at, slot }));
  if (small) full(small, { array: 'small', bucket: 0 });
  tables.forEach((t, table) => t.groups.forEach((g, bucket) => full(g, { array: 'groups', table, bucket })));
  return out;
}
