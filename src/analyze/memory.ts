/** Memory: the bytes a map is made of, what of that is payload, and what its tags cost. */
import type { MapLayout } from '../layout/map-layout.js';
import type { MapHeader } from './header.js';
import type { MapTally } from './tally.js';
import type { MemoryFigures } from './types.js';

export function memoryFigures(s: MapHeader, t: MapTally, layout: MapLayout, ptrSize: number): MemoryFigures {
  const stringData = t.stringBytes;
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
    const old = t.oldBuckets + t.oldOverflowBuckets;
    f.header = layout.hmap.size;
    f.buckets = t.buckets * bs;
    f.overflowBuckets = t.overflowBuckets * bs;
    f.oldBuckets = old * bs;
    f.controlBytes = 8 * (t.buckets + t.overflowBuckets + old);
    count = s.count;
  } else if (s.implementation === 'swiss' && layout.kind === 'swiss') {
    const groups = t.groups;
    f.header = layout.map.size;
    f.directory = s.dirLen * ptrSize;
    f.tables = t.tables.length * layout.table.size;
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
