/** The analysis of one map, as docs/analysis.md defines every figure. Plain data, JSON-ready. */

export interface ClassicSlotStates {
  live: number;
  emptyRest: number;
  emptyOne: number;
  evacuatedX: number;
  evacuatedY: number;
  evacuatedEmpty: number;
}

export interface SwissSlotStates {
  full: number;
  empty: number;
  deleted: number;
}

export interface TableOccupancy {
  address: string;
  used: number;
  capacity: number;
  loadFactor: number;
  tombstones: number;
  growthLeft: number;
}

export interface Occupancy {
  slots: number;
  loadFactor: number;
  slotStates: ClassicSlotStates | SwissSlotStates;
  oldSlotStates: ClassicSlotStates | null;
  overflow: { buckets: number; oldBuckets: number; histogram: Record<string, number>; maxChain: number } | null;
  tables: TableOccupancy[] | null;
  tombstones: number | null;
  grow: { nevacuate: number; oldBuckets: number; evacuated: number; sameSize: boolean } | null;
}

export interface MemoryFigures {
  header: number;
  buckets: number;
  overflowBuckets: number;
  oldBuckets: number;
  directory: number;
  tables: number;
  groups: number;
  indirectKeys: number;
  indirectElems: number;
  stringData: number;
  total: number;
  payload: number;
  overheadRatio: number | null;
  controlBytes: number;
}

/** Where a Swiss group keeps key i and elem i: the figures of Go 1.27's abi.MapType. */
export interface GroupFigures {
  arrangement: 'interleaved' | 'split';
  keysOff: number;
  keyStride: number;
  elemsOff: number;
  elemStride: number;
}

export interface GcFigures {
  type: string;
  size: number;
  /** Swiss only. */
  group?: GroupFigures;
  ptrBytes: number;
  pointerWords: number[];
  bitmap: string;
  runtime: { ptrBytes: number; bitmap: string; descriptor: string } | null;
  matches: boolean | null;
  scanBytes: number;
}

export interface LineUse {
  address: string;
  lines: number;
  liveLines: number[];
}

export interface CacheLineFigures {
  lineSize: number;
  buckets?: LineUse[];
  groups?: LineUse[];
  liveLineFraction: number;
  lookupLines: number;
  lookupUtilization: number;
}

export interface Finding {
  kind: 'writeInProgress' | 'oversized' | 'nanKeys' | 'longChains' | 'stalledGrow';
  message: string;
  [number: string]: string | number | boolean;
}

export interface MapAnalysis {
  occupancy: Occupancy;
  memory: MemoryFigures;
  gc: GcFigures;
  cacheLines: CacheLineFigures;
  findings: Finding[];
}
