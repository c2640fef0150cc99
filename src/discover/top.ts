/**
 * `mapscope top`: the maps reachable from package-level variables, each once, ranked by the
 * bytes they hold, each named by a path inspect accepts.
 */
import type { GoMapType } from '../layout/gotype.js';
import type { VariableProblem, Variables } from '../target/target.js';
import { IN_FLIGHT, mapLimit } from './concurrency.js';
import type { DiscoverEnv } from './env.js';
import { nameFoundMaps } from './found-path.js';
import { type MapFigures, measureMap } from './measure.js';
import { type RootFilter, mayLeadToMaps, wantedPackage } from './roots.js';
import { type WalkBounds, type WalkResult, walk } from './walk.js';

export interface TopMap {
  readonly path: string;
  readonly exact: boolean;
  readonly route: string;
  readonly type: GoMapType;
  readonly header: bigint;
  /** Hops from the variable: pointers, slices, interface payloads, map entries. */
  readonly depth: number;
  readonly figures: MapFigures;
}

export interface TopResult {
  readonly maps: TopMap[];
  readonly walk: WalkResult;
  readonly problems: VariableProblem[];
}

export async function topMaps(env: DiscoverEnv, variables: Variables, filter: RootFilter, bounds: WalkBounds): Promise<TopResult> {
  const roots = await variables.packageVariables((name, typeName) => wantedPackage(name, filter) && mayLeadToMaps(typeName));
  const result = await walk(env, roots.variables, bounds);
  const names = await nameFoundMaps(env, result.maps);
  const maps = await mapLimit(result.maps, IN_FLIGHT, async (m, i): Promise<TopMap> => {
    const figures = await measureMap(env, m.type, m.header, m.snapshot);
    // The snapshot is not needed any more: let a walk over many big maps give its memory back.
    m.snapshot = undefined;
    return { ...names[i], type: m.type, header: m.header, depth: m.depth, figures };
  });
  maps.sort((a, b) => (b.figures.bytes ?? -1) - (a.figures.bytes ?? -1) || a.depth - b.depth || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { maps, walk: result, problems: roots.problems };
}
