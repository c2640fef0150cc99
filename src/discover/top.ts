/**
 * `mapscope top`: the maps reachable from package-level variables, each once, ranked by the
 * bytes they hold, each named by a path inspect accepts.
 */
import type { GoMapType } from '../layout/gotype.js';
import type { VariableProblem, Variables } from '../target/target.js';
import { type DiscoverEnv, loadRuntimeTypes } from './env.js';
import { type NamedMap, nameFoundMaps } from './found-path.js';
import { NOT_MEASURED, type MapFigures, measureMap, pastDeadline, readFoundMaps } from './measure.js';
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

/**
 * What the command does around the reads: a live target is stopped once the roots are known
 * (from the binary alone) and let go once every read is done, before anything is measured.
 */
export interface ReadHooks {
  readonly stop?: () => Promise<void>;
  readonly resume?: () => Promise<void>;
  /** When measuring must end (performance.now()); maps not measured by then say so. */
  readonly deadline?: number;
}

/**
 * Of the command's time (--max-time, counted from the process's start), the part the walk may
 * take: the maps it found are then read for measuring within the reads' share (stop-window.ts),
 * and measured in what is left.
 */
const WALK_SHARE = 0.6;

function walkBounds(bounds: WalkBounds, deadline: number | undefined): WalkBounds {
  if (deadline === undefined || !Number.isFinite(deadline)) return bounds;
  return { ...bounds, maxTimeMs: Math.max(0, Math.min(bounds.maxTimeMs, WALK_SHARE * deadline - performance.now())) };
}

export async function topMaps(env: DiscoverEnv, variables: Variables, filter: RootFilter, bounds: WalkBounds, hooks: ReadHooks = {}): Promise<TopResult> {
  const roots = await variables.packageVariables((name, typeName) => wantedPackage(name, filter) && mayLeadToMaps(typeName));
  await hooks.stop?.();
  await loadRuntimeTypes(env);
  let result: WalkResult;
  let names: NamedMap[];
  try {
    result = await walk(env, roots.variables, walkBounds(bounds, hooks.deadline));
    await readFoundMaps(env, result.maps);
    names = await nameFoundMaps(env, result.maps);
  } finally {
    await hooks.resume?.();
  }
  const maps: TopMap[] = [];
  for (const [i, m] of result.maps.entries()) {
    const figures = pastDeadline(hooks.deadline) ? NOT_MEASURED : await measureMap(env, m.type, m.header, m);
    // The snapshot is not needed any more: let a walk over many big maps give its memory back.
    m.snapshot = undefined;
    maps.push({ ...names[i], type: m.type, header: m.header, depth: m.depth, figures });
  }
  maps.sort((a, b) => (b.figures.bytes ?? -1) - (a.figures.bytes ?? -1) || a.depth - b.depth || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { maps, walk: result, problems: roots.problems };
}
