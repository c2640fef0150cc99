/** Occupancy: how full a map is, slot by slot, and how its chains and tables are shaped. */
import { bucketCnt, sameSizeGrow } from '../maps/classic/tophash.js';
import type { MapHeader } from './header.js';
import type { MapTally } from './tally.js';
import type { Occupancy } from './types.js';

export function occupancy(h: MapHeader, t: MapTally): Occupancy {
  if (h.implementation === 'classic') {
    const growing = t.oldBuckets > 0;
    return {
      slots: bucketCnt * (t.buckets + t.overflowBuckets),
      loadFactor: h.count / (bucketCnt * 2 ** h.B),
      slotStates: { ...t.slotStates },
      oldSlotStates: growing ? { ...t.oldSlotStates } : null,
      overflow: { buckets: t.overflowBuckets, oldBuckets: t.oldOverflowBuckets, histogram: { ...t.histogram }, maxChain: t.maxChain },
      tables: null,
      tombstones: null,
      grow: growing ? { nevacuate: Number(h.nevacuate), oldBuckets: t.oldBuckets, evacuated: t.oldEvacuated, sameSize: (h.flags & sameSizeGrow) !== 0 } : null,
    };
  }
  const slots = t.smallGroup ? bucketCnt : t.tableCapacity;
  return {
    slots,
    loadFactor: slots === 0 ? 0 : h.used / slots,
    slotStates: { ...t.ctrlStates },
    oldSlotStates: null,
    overflow: null,
    tables: t.tables,
    tombstones: t.ctrlStates.deleted,
    grow: null,
  };
}
