/**
 * What the top walk (./walk.ts) is given and gives back: its bounds, its roots, the maps it
 * found with the paths that reached them, and what each bound cut off.
 */
import type { GoMapType, GoType } from '../layout/gotype.js';
import type { MapSnapshot } from '../maps/snapshot.js';
import type { PathStep } from './path.js';

export interface WalkBounds {
  /** Hops (pointer, slice, interface payload, map entry) from a variable to the value holding a map. */
  readonly maxDepth: number;
  /** Distinct objects visited (pointer targets, slice arrays, boxed interface values, maps' entries). */
  readonly maxObjects: number;
  readonly maxTimeMs: number;
  /** Elements walked per slice, array or map. */
  readonly maxElements: number;
}

export const DEFAULT_BOUNDS: WalkBounds = { maxDepth: 8, maxObjects: 1_000_000, maxTimeMs: 10_000, maxElements: 1 << 20 };

export interface Root {
  readonly name: string;
  readonly address: bigint;
  readonly type: GoType;
}

/** A step to a map value, its key rendered only for the paths printed in the end. */
export type WalkStep = PathStep | { readonly kind: 'entry'; readonly keyAddress: bigint; readonly keyType: GoType };

/** A path as a chain of segments back to its root, shared by everything found below it. */
export interface PathNode {
  readonly up: PathNode | null;
  readonly steps: readonly WalkStep[];
  /** Set on the root segment only. */
  readonly root?: string;
}

export interface FoundMap {
  readonly header: bigint;
  readonly type: GoMapType;
  readonly path: PathNode;
  readonly depth: number;
  /** Decoded while walking its entries, or after the walk for measuring (./measure.ts readFoundMaps). */
  snapshot?: MapSnapshot;
  /** Why it could not be read for measuring. */
  readError?: string;
}

/** `pause`: a live target's pause budget was spent (--max-pause); `time`: the command's (--max-time). */
export type StopReason = 'depth' | 'objects' | 'time' | 'pause';

export interface Skipped {
  /** Pointers, slices, interface payloads and maps' entries not followed: one hop too deep. */
  depth: number;
  /** ... not followed: the object budget was spent. */
  objects: number;
  /** Objects still queued when time, or a live target's pause budget, ran out. */
  time: number;
  /** Slice, array and map elements past the per-value bound. */
  elements: number;
  /** Interface values and pointers whose type has no DWARF description. */
  unknownTypes: number;
  /** Objects, interfaces and maps whose memory could not be read or decoded. */
  unreadable: number;
}

export interface WalkResult {
  readonly maps: FoundMap[];
  readonly roots: number;
  /** The deepest level visited. */
  readonly depth: number;
  readonly objects: number;
  readonly pointersFollowed: number;
  readonly stoppedBy: StopReason | null;
  readonly skipped: Skipped;
  readonly elapsedMs: number;
}
