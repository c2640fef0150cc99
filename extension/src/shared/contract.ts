/**
 * The inspect contract (shared/spec/inspect-json.md, `mapscope/inspect@1`) as the webview reads
 * it. Only the fields the Map Inspector draws are typed; everything arrives from a debug adapter
 * talking about an untrusted target, so the webview still checks shapes before it trusts them.
 */
import type { MapAnalysis } from '../../../src/analyze/types.js';

export const INSPECT_SCHEMA = 'mapscope/inspect@1';

/** A Go value rendered as JSON (see the spec's value table). */
export type GoJson = null | boolean | number | string | GoJson[] | { [key: string]: GoJson };

export interface TargetJson {
  readonly kind: 'live' | 'core' | string;
  readonly pid: number | null;
  readonly exe: string;
  readonly goVersion: string;
  readonly arch: string;
  readonly pointerSize: number;
}

export interface BucketJson {
  readonly address: string;
  readonly tophash: readonly number[];
}

export interface ChainJson extends BucketJson {
  readonly overflow: readonly BucketJson[];
}

export interface ClassicJson {
  readonly B: number;
  readonly flags: number;
  readonly noverflow: number;
  readonly hash0: number;
  readonly nevacuate: number | string;
  readonly clearSeq?: number | string;
  readonly buckets: readonly ChainJson[];
  readonly oldbuckets: readonly ChainJson[] | null;
}

export interface GroupJson {
  readonly address?: string;
  readonly ctrl: readonly number[];
}

export interface TableJson {
  readonly address: string;
  readonly index: number;
  readonly localDepth: number;
  readonly capacity: number;
  readonly used: number;
  readonly growthLeft: number;
  readonly groups: readonly GroupJson[];
}

export interface SwissJson {
  readonly used: number;
  readonly seed: string;
  readonly dirLen: number;
  readonly globalDepth: number;
  readonly globalShift?: number;
  readonly writing?: number;
  readonly clearSeq?: number | string;
  readonly tombstonePossible?: boolean;
  readonly smallGroup: GroupJson | null;
  readonly tables: readonly TableJson[];
}

export interface EntryJson {
  readonly key: GoJson;
  readonly value: GoJson;
}

export interface MapJson {
  readonly expr: string;
  readonly address?: string | null;
  readonly type?: string;
  readonly keyType?: string;
  readonly valueType?: string;
  readonly implementation?: 'classic' | 'swiss';
  readonly count?: number;
  readonly entries?: readonly EntryJson[];
  readonly classic?: ClassicJson | null;
  readonly swiss?: SwissJson | null;
  readonly warnings?: readonly string[];
  readonly analysis?: MapAnalysis | null;
  readonly error?: string;
}

export interface InspectJson {
  readonly schema: string;
  readonly target: TargetJson;
  readonly maps: readonly MapJson[];
}

/** The shape check the webview and the host both make before drawing anything. */
export function isInspectJson(v: unknown): v is InspectJson {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as { schema?: unknown; target?: unknown; maps?: unknown };
  return o.schema === INSPECT_SCHEMA && typeof o.target === 'object' && o.target !== null && Array.isArray(o.maps);
}
