/**
 * MapSnapshot: everything a decoder found in one map, as plain data. Identical for live and
 * core targets, so it can be analysed, rendered or compared without gdb.
 */
import type { BucketArray } from './classic/buckets.js';
import type { EntrySlots } from './slots.js';

/** Addresses of one entry's key and elem, after following indirect (over 128-byte) slots. */
export interface EntryRef {
  readonly key: bigint;
  readonly value: bigint;
}

export interface ClassicBucket {
  readonly address: bigint;
  readonly tophash: readonly number[];
}

export interface ClassicBucketChain extends ClassicBucket {
  readonly overflow: readonly ClassicBucket[];
}

/** The hmap's own fields, as read from its header. */
export interface ClassicMapHeader {
  readonly address: bigint;
  readonly count: number;
  readonly flags: number;
  readonly B: number;
  readonly noverflow: number;
  readonly hash0: number;
  readonly nevacuate: bigint;
  readonly clearSeq?: bigint;
}

export interface ClassicSnapshot extends ClassicMapHeader {
  readonly implementation: 'classic';
  /** The current array as read (empty while buckets is nil): what the analysis and the JSON writer walk. */
  readonly array: BucketArray;
  /** The old array as read while a grow is in progress, else null. */
  readonly oldArray: BucketArray | null;
  /** The current array's chains as objects, made on first use. */
  readonly buckets: readonly ClassicBucketChain[];
  /** The old array's chains while a grow is in progress, else null. */
  readonly oldbuckets: readonly ClassicBucketChain[] | null;
  /** The entries where they are: read keys and elems from here when speed matters. */
  readonly slots: EntrySlots;
  /** The entries' addresses (made from `slots` on first use), in the iterator's order. */
  readonly entries: readonly EntryRef[];
  readonly warnings: readonly string[];
}

export interface SwissGroup {
  readonly address: bigint;
  readonly ctrl: readonly number[];
}

/** A table's own fields, as read from its header. */
export interface SwissTableHeader {
  readonly address: bigint;
  readonly index: number;
  readonly localDepth: number;
  readonly capacity: number;
  readonly used: number;
  readonly growthLeft: number;
}

export interface SwissTable extends SwissTableHeader {
  /** Its group array as read: what the analysis and the JSON writer walk. */
  readonly groupArray: GroupArray;
  /** Its groups as objects, made on first use. */
  readonly groups: readonly SwissGroup[];
}

/** A table's groups as read: `count` groups of `groupSize` bytes back to back from `address`. */
export interface GroupArray {
  readonly address: bigint;
  readonly count: number;
  readonly groupSize: number;
  readonly bytes: Uint8Array;
}

/** The Map's own fields, as read from its header. */
export interface SwissMapHeader {
  readonly address: bigint;
  readonly used: number;
  readonly seed: bigint;
  readonly dirPtr: bigint;
  readonly dirLen: number;
  readonly globalDepth: number;
  readonly globalShift: number;
  readonly writing: number;
  readonly tombstonePossible?: boolean;
  readonly clearSeq: bigint;
}

export interface SwissSnapshot extends SwissMapHeader {
  readonly implementation: 'swiss';
  /** The one group of a small map (dirLen 0); null for a full map or a map never written. */
  readonly smallGroup: SwissGroup | null;
  /** Each distinct table once, in the order the directory first points at it. */
  readonly tables: readonly SwissTable[];
  readonly slots: EntrySlots;
  readonly entries: readonly EntryRef[];
  readonly warnings: readonly string[];
}

export type MapSnapshot = ClassicSnapshot | SwissSnapshot;

/** A structure the decoder cannot trust: a bound exceeded, a cycle, an impossible value. */
export class CorruptMapError extends Error {
  override readonly name = 'CorruptMapError';
}
