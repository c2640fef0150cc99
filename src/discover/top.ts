/**
 * `mapscope top`: the maps reachable from package-level variables, each once, ranked by the
 * bytes they hold, each named by a path inspect accepts.
 */
import { tracePhase } from '../gdb/trace-log.js';
import type { GoMapType } from '../layout/gotype.js';
import type { VariableProblem, Variables } from '../target/target.js';
import { type DiscoverEnv, loadRuntimeTypes } from './env.js';
import { type KeyLiterals, nameFoundMaps, readKeyLiterals } from './found-path.js';
import { NOT_MEASURED, type MapFigures, measureMap, measureMapNow, pastDeadline, readFoundMaps } from './measure.js';
import { describedMap } from './maps.js';
import { runtimeTypeStatics } from '../values/rtype.js';
import type { MapLayout } from '../layout/map-layout.js';
import { type RootFilter, mayLeadToMaps, wantedPackage } from './roots.js';
import { type FoundMap, type WalkBounds, type WalkResult, walk } from './walk.js';

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
  /**
   * Right after the stop: copies the process's memory whole where that is quick (few bulk
   * reads) and done within `withinMs`; true if it did, and the target is let go at once,
   * everything after read from the copy.
   */
  readonly copy?: (withinMs: number) => Promise<boolean>;
  /** When measuring must end (performance.now()); maps not measured by then say so. */
  readonly deadline?: number;
}

const MEASURE_BATCH = 1024;

/** Each map type found, described once (its runtime header, its layout). */
async function describedTypes(env: DiscoverEnv, maps: readonly FoundMap[]): Promise<Map<string, { type: GoMapType; layout: MapLayout }>> {
  const out = new Map<string, { type: GoMapType; layout: MapLayout }>();
  for (const m of maps) {
    if (out.has(m.type.name)) continue;
    const d = await describedMap(env, m.type).catch(() => undefined);
    if (d) out.set(m.type.name, d);
  }
  return out;
}

/**
 * Biggest first, then the shallowest, then in the order the walk found them (breadth-first from
 * the globals, the same for the same memory): keyed once, not per comparison. Paths are not
 * compared: 100,000 maps of one size behind one map share long prefixes, and comparing them
 * took most of a second.
 */
function ranked(maps: TopMap[]): TopMap[] {
  const order = maps.map((_, i) => i);
  const bytes = Float64Array.from(maps, (m) => m.figures.bytes ?? -1);
  const depth = Int32Array.from(maps, (m) => m.depth);
  order.sort((a, b) => bytes[b] - bytes[a] || depth[a] - depth[b] || a - b);
  return order.map((i) => maps[i]);
}

/**
 * Of the command's time (--max-time, counted from the process's start), the part the walk may
 * take: the maps it found are then read for measuring within the reads' share (stop-window.ts),
 * and measured in what is left.
 */
const WALK_SHARE = 0.6;
/**
 * Of the command's time, what is kept after measuring: ranking, writing the output (12 MB of JSON
 * for 40,000 maps found), gdb's exit.
 */
const OUTPUT_SHARE = 0.2;
/**
 * What the output of one map found costs after measuring (ranked, its path and figures written:
 * 77,835 maps took 0.5 s on the bench's VM), and what the output costs whatever the maps.
 */
const OUTPUT_MS_PER_MAP = 0.008;
const OUTPUT_MS = 150;

/** When the output of `found` maps must begin for the command to end by `deadline`. */
function outputBegins(deadline: number, found: number): number {
  return deadline - OUTPUT_MS_PER_MAP * found - OUTPUT_MS;
}

function walkBounds(bounds: WalkBounds, deadline: number | undefined): WalkBounds {
  if (deadline === undefined || !Number.isFinite(deadline)) return bounds;
  return { ...bounds, maxTimeMs: Math.max(0, Math.min(bounds.maxTimeMs, WALK_SHARE * deadline - performance.now())) };
}

export async function topMaps(env: DiscoverEnv, variables: Variables, filter: RootFilter, bounds: WalkBounds, hooks: ReadHooks = {}): Promise<TopResult> {
  const roots = await variables.packageVariables((name, typeName) => wantedPackage(name, filter) && mayLeadToMaps(typeName));
  // What the binary says of the runtime's types, before the stop: then only its module list is read.
  await runtimeTypeStatics(env.target).catch(() => undefined);
  await hooks.stop?.();
  await loadRuntimeTypes(env);
  // The copy may take half the walk's time at most: a walk left no time finds nothing.
  const walking = walkBounds(bounds, hooks.deadline);
  const copied = (await hooks.copy?.(walking.maxTimeMs / 2)) ?? false;
  if (copied) {
    await hooks.resume?.();
    env.stopReason = () => undefined;
  }
  let result: WalkResult;
  let literals: KeyLiterals;
  let running = copied;
  const letGo = async () => {
    if (running) return;
    running = true;
    await hooks.resume?.();
  };
  try {
    result = await walk(env, roots.variables, walkBounds(bounds, hooks.deadline));
    tracePhase(`walked: ${result.maps.length} maps`);
    // The output of every map found takes its time too (25 MB of JSON for 60,000 maps): reading
    // them ends when what is left of --max-time is the output's.
    const deadline = hooks.deadline;
    if (deadline !== undefined && Number.isFinite(deadline)) {
      const outputAt = outputBegins(deadline, result.maps.length);
      const budget = env.stopReason;
      env.stopReason = () => budget() ?? (performance.now() >= outputAt ? 'not read: what --max-time left was the output\'s' : undefined);
    }
    // Past the budget nothing more may be read: the target runs again before the maps the walk
    // found are gone through (what was read is in the cache; the rest is said to be unread).
    if (env.stopReason() !== undefined) await letGo();
    // A copy holds every map whole: each is decoded when measured.
    if (!copied) await readFoundMaps(env, result.maps);
    tracePhase('maps read');
    // The budget spent while they were read: the keys are rendered from what is in hand, running.
    if (env.stopReason() !== undefined) await letGo();
    literals = await readKeyLiterals(env, result.maps);
    tracePhase('key literals read');
  } finally {
    await letGo();
  }
  const found = result.maps;
  const names = nameFoundMaps(found, literals);
  tracePhase('maps named');
  const maps: TopMap[] = new Array(found.length);
  const place = (i: number, figures: MapFigures) => {
    const m = found[i];
    // The snapshot is not needed any more: let a walk over many big maps give its memory back.
    m.snapshot = undefined;
    const n = names[i];
    maps[i] = { path: n.path, exact: n.exact, route: n.route, type: m.type, header: m.header, depth: m.depth, figures };
  };
  // Small maps measured at once, the rest side by side, a batch at a time.
  const described = await describedTypes(env, found);
  // Measuring ends early enough for the ranking, the writing and gdb's exit to end by --max-time:
  // a share of the time, and more where many maps were found (their output grows with them).
  const measureBy = hooks.deadline === undefined ? undefined : Math.min(hooks.deadline * (1 - OUTPUT_SHARE), outputBegins(hooks.deadline, found.length));
  const later: number[] = [];
  for (let i = 0; i < found.length; i++) {
    const d = described.get(found[i].type.name);
    const now = d && !pastDeadline(measureBy) ? measureMapNow(env, d, found[i].header, found[i]) : undefined;
    if (now) place(i, now);
    else later.push(i);
  }
  for (let from = 0; from < later.length; from += MEASURE_BATCH) {
    const late = pastDeadline(measureBy);
    const batch = later.slice(from, from + MEASURE_BATCH);
    const figures = await Promise.all(batch.map((i) => (late ? NOT_MEASURED : measureMap(env, found[i].type, found[i].header, found[i]))));
    batch.forEach((i, k) => place(i, figures[k]));
  }
  tracePhase('maps measured');
  return { maps: ranked(maps), walk: result, problems: roots.problems };
}
