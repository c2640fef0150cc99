/**
 * The figures list and top print for each map, from the same analysis inspect runs: bytes are
 * the analysis' memory total, so `top` ranks maps by exactly what `inspect` reports for them.
 */
import { analyzeMap } from '../analyze/analyze.js';
import type { Finding } from '../analyze/types.js';
import type { GoMapType } from '../layout/gotype.js';
import type { MapSnapshot } from '../maps/snapshot.js';
import type { DiscoverEnv } from './env.js';
import { decodeMap, describedMap, liveCount } from './maps.js';

export interface MapFigures {
  readonly implementation: 'classic' | 'swiss' | null;
  readonly count: number | null;
  readonly bytes: number | null;
  readonly loadFactor: number | null;
  readonly findings: readonly Finding[];
  readonly warnings: readonly string[];
  readonly error?: string;
}

/** Figures of one map; a nil map (header 0) has no allocation. */
export async function measureMap(env: DiscoverEnv, type: GoMapType, header: bigint, decoded?: MapSnapshot): Promise<MapFigures> {
  let implementation: MapFigures['implementation'] = null;
  try {
    const d = await describedMap(env, type);
    implementation = d.layout.kind;
    if (header === 0n) return { implementation, count: 0, bytes: 0, loadFactor: null, findings: [], warnings: [] };
    const snapshot = decoded ?? (await decodeMap(env, d.layout, header));
    const a = await analyzeMap({ target: env.target, mem: env.mem, rtypes: env.rtypes, typesByName: env.typesByName, type: d.type, layout: d.layout, snapshot });
    return {
      implementation,
      count: liveCount(snapshot),
      bytes: a.memory.total,
      loadFactor: a.occupancy.loadFactor,
      findings: a.findings,
      warnings: snapshot.warnings,
    };
  } catch (e) {
    return { implementation, count: null, bytes: null, loadFactor: null, findings: [], warnings: [], error: e instanceof Error ? e.message : String(e) };
  }
}
