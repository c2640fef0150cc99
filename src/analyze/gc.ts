/**
 * GC cost: the pointer bitmap of the bucket or group type as DWARF implies it, and the bytes
 * the collector scans for the whole map.
 */
import { groupElemOffset, groupKeyOffset, type MapLayout } from '../layout/map-layout.js';
import type { MapHeader } from './header.js';
import type { MapTally } from './tally.js';
import { gcBitmap, pointerOffsets, ptrBytesOf } from './pointers.js';
import type { GcFigures } from './types.js';
import type { RuntimeGc } from './gc-runtime.js';

/** Byte offsets of pointer words in one bucket or group, as the compiler lays its GC mask. */
export function bucketPointerOffsets(layout: MapLayout, ptrSize: number): number[] {
  const out: number[] = [];
  const slotPointers = (indirect: boolean, t: MapLayout['key'], at: number) => {
    if (indirect) out.push(at);
    else pointerOffsets(t, at, ptrSize, out);
  };
  if (layout.kind === 'classic') {
    const b = layout.bucket;
    for (let s = 0; s < 8; s++) slotPointers(layout.indirectKey, layout.key, b.keys.offset + s * b.keySlot);
    for (let s = 0; s < 8; s++) slotPointers(layout.indirectElem, layout.elem, b.values.offset + s * b.elemSlot);
    // The compiler types overflow as uintptr when neither keys nor elems hold pointers: such
    // buckets are noscan, and hmap.extra keeps their overflow buckets alive instead.
    if (out.length > 0) out.push(b.overflow.offset);
  } else {
    const g = layout.group;
    for (let s = 0; s < 8; s++) {
      slotPointers(layout.indirectKey, layout.key, groupKeyOffset(g, s));
      slotPointers(layout.indirectElem, layout.elem, groupElemOffset(g, s));
    }
  }
  return out.sort((a, b) => a - b);
}

function arrayScan(n: number, size: number, ptrBytes: number): number {
  return n > 0 && ptrBytes > 0 ? (n - 1) * size + ptrBytes : 0;
}

/** What the GC figures take from the layout alone. */
interface LayoutGc {
  readonly ptrBytes: number;
  readonly words: number[];
  readonly bitmap: string;
  readonly keyPtrs: number[];
  readonly elemPtrs: number[];
}

/** Per layout and pointer size, worked out once: top measures 100,000 maps of one type. */
const byLayout = new WeakMap<MapLayout, Map<number, LayoutGc>>();

function layoutGc(layout: MapLayout, ptrSize: number): LayoutGc {
  let bySize = byLayout.get(layout);
  if (!bySize) byLayout.set(layout, (bySize = new Map()));
  let g = bySize.get(ptrSize);
  if (!g) {
    const offsets = bucketPointerOffsets(layout, ptrSize);
    const ptrBytes = ptrBytesOf(offsets, ptrSize);
    const words = offsets.map((o) => o / ptrSize);
    const keyPtrs: number[] = [];
    pointerOffsets(layout.key, 0, ptrSize, keyPtrs);
    const elemPtrs: number[] = [];
    pointerOffsets(layout.elem, 0, ptrSize, elemPtrs);
    g = { ptrBytes, words, bitmap: gcBitmap(words, ptrBytes, ptrSize), keyPtrs, elemPtrs };
    bySize.set(ptrSize, g);
  }
  return g;
}

export function gcFigures(s: MapHeader, t: MapTally, layout: MapLayout, ptrSize: number, runtime: RuntimeGc | null): GcFigures {
  const { ptrBytes, bitmap, keyPtrs, elemPtrs } = layoutGc(layout, ptrSize);
  // Each map's figures get their own list: a caller may keep or change them.
  const words = [...layoutGc(layout, ptrSize).words];
  let scan = 0;
  let size: number;
  let name: string;
  let count: number;
  if (s.implementation === 'classic' && layout.kind === 'classic') {
    const bs = layout.bucket.size;
    size = bs;
    name = layout.bucket.name;
    count = s.count;
    scan += layout.hmap.extra.offset + ptrSize;
    scan += arrayScan(t.buckets, bs, ptrBytes) + t.overflowBuckets * ptrBytes;
    scan += arrayScan(t.oldBuckets, bs, ptrBytes) + t.oldOverflowBuckets * ptrBytes;
  } else if (s.implementation === 'swiss' && layout.kind === 'swiss') {
    const gs = layout.group.size;
    size = gs;
    name = layout.group.name;
    count = s.used;
    scan += layout.map.dirPtr.offset + ptrSize;
    scan += s.dirLen * ptrSize;
    scan += t.tableGroups.length * (layout.table.groupsData.offset + ptrSize);
    for (const n of t.tableGroups) scan += arrayScan(n, gs, ptrBytes);
    if (t.smallGroup) scan += ptrBytes;
  } else {
    throw new Error('snapshot and layout disagree on the implementation');
  }
  if (layout.indirectKey) scan += count * ptrBytesOf(keyPtrs, ptrSize);
  if (layout.indirectElem) scan += count * ptrBytesOf(elemPtrs, ptrSize);
  const g = layout.kind === 'swiss' ? layout.group : undefined;
  return {
    type: name,
    size,
    ...(g && { group: { arrangement: g.arrangement, keysOff: g.keysOff, keyStride: g.keyStride, elemsOff: g.elemsOff, elemStride: g.elemStride } }),
    ptrBytes,
    pointerWords: words,
    bitmap,
    runtime,
    matches: runtime ? runtime.ptrBytes === ptrBytes && runtime.bitmap === bitmap : null,
    scanBytes: scan,
  };
}
