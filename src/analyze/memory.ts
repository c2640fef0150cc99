/** Memory: the bytes a map is made of, what of that is payload, and what its tags cost. */
import type { MapLayout } from '../layout/map-layout.js';
import type { MapSnapshot } from '../maps/snapshot.js';
import { swissGroups } from './occupancy.js';
import type { MemoryFigures } from './types.js';

export function memoryFigures(s: MapSnapshot, layout: MapLayout, ptrSize: number, stringData: number): MemoryFigures {
  const f: MemoryFigures = {
    header: 0,
    buckets: 0,
    overflowBuckets: 0,
    oldBuckets: 0,
    directory: 0,
    tables: 0,
    groups: 0,
    indirectKeys: 0,
    indirectElems: 0,
    stringData,
    total: 0,
    payload: 0,
    overheadRatio: null,
    controlBytes: 0,
  };
  let count: number;
  if (s.implementation === 'classic' && layout.kind === 'classic') {
    const bs = layout.bucket.size;
    const overflow = s.buckets.reduce((n, c) => n + c.overflow.length, 0);
    const old = s.oldbuckets ? s.oldbuckets.reduce((n, c) => n + 1 + c.overflow.length, 0) : 0;
    f.header = layout.hmap.size;
    f.buckets = s.buckets.length * bs;
    f.overflowBuckets = overflow * bs;
    f.oldBuckets = old * bs;
    f.controlBytes = 8 * (s.buckets.length + overflow + old);
    count = s.count;
  } else if (s.implementation === 'swiss' && layout.kind === 'swiss') {
    const groups = swissGroups(s).length;
    f.header = layout.map.size;
    f.directory = s.dirLen * ptrSize;
    f.tables = s.tables.length * layout.table.size;
    f.groups = groups * layout.group.size;
    f.controlBytes = 8 * groups;
    count = s.used;
  } else {
    throw new Error('snapshot and layout disagree on the implementation');
  }
  if (layout.indirectKey) f.indirectKeys = count * layout.key.size;
  if (layout.indirectElem) f.indirectElems = count * layout.elem.size;
  f.total =
    f.header + f.buckets + f.overflowBuckets + f.oldBuckets + f.directory + f.tables + f.groups + f.indirectKeys + f.indirectElems + f.stringData;
  f.payload = count * (layout.key.size + layout.elem.size);
  f.overheadRatio = f.payload === 0 ? null : f.total / f.payload;
  return f;
}
