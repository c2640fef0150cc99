/** Occupancy: how full a map is, slot by slot, and how its chains and tables are shaped. */
import type { ClassicBucketChain, ClassicSnapshot, SwissSnapshot } from '../maps/snapshot.js';
import { bucketCnt, emptyOne, emptyRest, evacuated, evacuatedEmpty, evacuatedX, evacuatedY, sameSizeGrow } from '../maps/classic/tophash.js';
import { ctrlDeleted, ctrlEmpty, isFull } from '../maps/swiss/ctrl.js';
import { hex } from '../target/bytes.js';
import type { ClassicSlotStates, Occupancy, SwissSlotStates, TableOccupancy } from './types.js';

export function classicSlotStates(chains: readonly ClassicBucketChain[]): ClassicSlotStates {
  const s: ClassicSlotStates = { live: 0, emptyRest: 0, emptyOne: 0, evacuatedX: 0, evacuatedY: 0, evacuatedEmpty: 0 };
  for (const c of chains) {
    for (const b of [c, ...c.overflow]) {
      for (const t of b.tophash) {
        if (t === emptyRest) s.emptyRest++;
        else if (t === emptyOne) s.emptyOne++;
        else if (t === evacuatedX) s.evacuatedX++;
        else if (t === evacuatedY) s.evacuatedY++;
        else if (t === evacuatedEmpty) s.evacuatedEmpty++;
        else s.live++;
      }
    }
  }
  return s;
}

function overflowCount(chains: readonly ClassicBucketChain[]): number {
  return chains.reduce((n, c) => n + c.overflow.length, 0);
}

export function classicOccupancy(s: ClassicSnapshot): Occupancy {
  const histogram: Record<string, number> = {};
  let maxChain = 0;
  for (const c of s.buckets) {
    const k = String(c.overflow.length);
    histogram[k] = (histogram[k] ?? 0) + 1;
    maxChain = Math.max(maxChain, c.overflow.length);
  }
  const overflow = overflowCount(s.buckets);
  const slots = bucketCnt * (s.buckets.length + overflow);
  const nb = 2 ** s.B;
  return {
    slots,
    loadFactor: s.count / (bucketCnt * nb),
    slotStates: classicSlotStates(s.buckets),
    oldSlotStates: s.oldbuckets ? classicSlotStates(s.oldbuckets) : null,
    overflow: { buckets: overflow, oldBuckets: s.oldbuckets ? overflowCount(s.oldbuckets) : 0, histogram, maxChain },
    tables: null,
    tombstones: null,
    grow: s.oldbuckets
      ? {
          nevacuate: Number(s.nevacuate),
          oldBuckets: s.oldbuckets.length,
          evacuated: s.oldbuckets.filter((b) => evacuated(b.tophash)).length,
          sameSize: (s.flags & sameSizeGrow) !== 0,
        }
      : null,
  };
}

export function swissGroups(s: SwissSnapshot): { address: bigint; ctrl: readonly number[] }[] {
  return s.smallGroup ? [s.smallGroup] : s.tables.flatMap((t) => t.groups);
}

function ctrlStates(groups: readonly { ctrl: readonly number[] }[]): SwissSlotStates {
  const st: SwissSlotStates = { full: 0, empty: 0, deleted: 0 };
  for (const g of groups) {
    for (const c of g.ctrl) {
      if (isFull(c)) st.full++;
      else if (c === ctrlEmpty) st.empty++;
      else if (c === ctrlDeleted) st.deleted++;
    }
  }
  return st;
}

export function swissOccupancy(s: SwissSnapshot): Occupancy {
  const tables: TableOccupancy[] = s.tables.map((t) => ({
    address: hex(t.address),
    used: t.used,
    capacity: t.capacity,
    loadFactor: t.capacity === 0 ? 0 : t.used / t.capacity,
    tombstones: ctrlStates(t.groups).deleted,
    growthLeft: t.growthLeft,
  }));
  const slots = s.smallGroup ? 8 : s.tables.reduce((n, t) => n + t.capacity, 0);
  const states = ctrlStates(swissGroups(s));
  return {
    slots,
    loadFactor: slots === 0 ? 0 : s.used / slots,
    slotStates: states,
    oldSlotStates: null,
    overflow: null,
    tables,
    tombstones: states.deleted,
    grow: null,
  };
}
