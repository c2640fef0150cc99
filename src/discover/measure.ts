/**
 * The figures list and top print for each map, from the same analysis inspect runs: bytes are
 * the analysis' memory total, so `top` ranks maps by exactly what `inspect` reports for them.
 */
import type { Finding } from '../analyze/types.js';
import type { GoMapType } from '../layout/gotype.js';
import type { MapSnapshot } from '../maps/snapshot.js';
import type { DiscoverEnv } from './env.js';
import { type AnalyzeInput, type MeasuredFigures, measureFigures, measureFiguresNow } from '../analyze/analyze.js';
import type { MapLayout } from '../layout/map-layout.js';
import { gatherSlots, holdsInterface } from '../values/gather.js';
import { prefetchMaps } from '../maps/prefetch.js';
import { mapLimit } from './concurrency.js';
import { tracePhase } from '../gdb/trace-log.js';
import { decodeMap, decodeSmallMap, describedMap, liveCount } from './maps.js';

export interface MapFigures {
  readonly implementation: 'classic' | 'swiss' | null;
  readonly count: number | null;
  readonly bytes: number | null;
  readonly loadFactor: number | null;
  readonly findings: readonly Finding[];
  readonly warnings: readonly string[];
  readonly error?: string;
}

/** What measuring needs read: the map decoded, or why it could not be. */
export interface ReadMap {
  readonly type: GoMapType;
  readonly header: bigint;
  snapshot?: MapSnapshot;
  readError?: string;
}

/**
 * Decoders in flight at once, once their reads are prefetched (maps/prefetch.ts): their misses
 * (overflow chains, tables' groups) still coalesce, and what each keeps while it waits stays small.
 */
const DECODE_IN_FLIGHT = 64;

/** The figures of a map not measured: the command's time ran out first. */
export const NOT_MEASURED: MapFigures = { implementation: null, count: null, bytes: null, loadFactor: null, findings: [], warnings: [], error: 'not measured: --max-time ran out' };

export function pastDeadline(deadline: number | undefined): boolean {
  return deadline !== undefined && performance.now() >= deadline;
}

/**
 * Reads every map for measuring, while a live target is stopped: each decoded (those walked
 * through are already), and what its analysis reads beyond the buckets or groups. Stops once
 * the target's budget is spent; what is left says so when measured.
 */
export async function readFoundMaps(env: DiscoverEnv, maps: readonly ReadMap[]): Promise<void> {
  const todo = maps.filter((m) => m.header !== 0n && !m.snapshot && m.readError === undefined);
  const spent = env.stopReason();
  if (spent !== undefined) {
    for (const m of todo) m.readError = spent;
    return;
  }
  const described = await Promise.all(todo.map((m) => describedMap(env, m.type).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))));
  const copies = todo.flatMap((m, i) => {
    const d = described[i];
    return d instanceof Error ? [] : [{ layout: d.layout, header: m.header, i }];
  });
  const covered = new Set<number>();
  tracePhase(`found maps described: ${todo.length}`);
  // A share at a time, the budget asked between: planning the reads of 20,000 maps is itself a
  // tenth of a second with the target stopped, which a check before it alone would not see coming.
  for (let from = 0; from < copies.length && env.stopReason() === undefined; from += PREFETCH_SHARE) {
    const part = copies.slice(from, from + PREFETCH_SHARE);
    const got = await prefetchMaps(env.mem, part);
    part.forEach((c, k) => got[k] && covered.add(c.i));
  }
  tracePhase('found maps prefetched');
  await mapLimit(todo, DECODE_IN_FLIGHT, async (m, i) => {
    const d = described[i];
    const why = env.stopReason();
    if (d instanceof Error || why !== undefined) {
      m.readError = d instanceof Error ? d.message : why;
      return;
    }
    // Copied whole, and its analysis reads nothing more: decoded once the target runs again.
    if (covered.has(i) && !analysisReads(d.layout)) return;
    try {
      m.snapshot = await decodeMap(env, d.layout, m.header);
      await readForAnalysis(env, d, m.snapshot);
    } catch (e) {
      m.readError = e instanceof Error ? e.message : String(e);
    }
  });
}

/** Maps whose reads are planned and made between two looks at the budget. */
const PREFETCH_SHARE = 2048;

/** Whether the analysis of such a map reads more than its buckets or groups: keys' interfaces' payloads, indirect slots. */
function analysisReads(layout: MapLayout): boolean {
  return layout.indirectKey || layout.indirectElem || holdsInterface(layout.key);
}

/** What the analysis of a map reads beyond its buckets or groups: keys' interface payloads (for NaN keys), indirect keys and elems. */
async function readForAnalysis(env: DiscoverEnv, d: { type: GoMapType; layout: MapLayout }, s: MapSnapshot): Promise<void> {
  const { layout } = d;
  if (!analysisReads(layout)) return;
  const renderEnv = { mem: env.mem, rtypes: env.rtypes, typesByName: env.typesByName, swissHeaders: layout.kind === 'swiss' };
  await gatherSlots(s.slots, { strings: 0, all: s.slots.length }, layout, renderEnv, env.target);
}

/**
 * Figures of a small map at once, from bytes in hand (decoded from the cache, counted from its
 * slots), or undefined when that takes a wait (measureMap then). 100,000 of them measured one
 * async call each spent more in the calls than in the measuring.
 */
export function measureMapNow(env: DiscoverEnv, d: { type: GoMapType; layout: MapLayout }, header: bigint, read?: ReadMap): MapFigures | undefined {
  const implementation = d.layout.kind;
  if (header === 0n) return { implementation, count: 0, bytes: 0, loadFactor: null, findings: [], warnings: [] };
  if (read?.readError !== undefined) return undefined;
  const snapshot = read?.snapshot ?? decodeSmallMap(env, d.layout, header);
  if (!snapshot) return undefined;
  try {
    const a = measureFiguresNow(analysisInput(env, d, snapshot));
    return a && figuresOf(implementation, snapshot, a);
  } catch {
    return undefined; // measureMap says what is wrong
  }
}

function analysisInput(env: DiscoverEnv, d: { type: GoMapType; layout: MapLayout }, snapshot: MapSnapshot): AnalyzeInput {
  return { target: env.target, mem: env.mem, rtypes: env.rtypes, typesByName: env.typesByName, type: d.type, layout: d.layout, snapshot };
}

function figuresOf(implementation: MapFigures['implementation'], snapshot: MapSnapshot, a: MeasuredFigures): MapFigures {
  return { implementation, count: liveCount(snapshot), bytes: a.memory.total, loadFactor: a.occupancy.loadFactor, findings: a.findings, warnings: snapshot.warnings };
}

/** Figures of one map; a nil map (header 0) has no allocation. */
export async function measureMap(env: DiscoverEnv, type: GoMapType, header: bigint, read?: ReadMap): Promise<MapFigures> {
  let implementation: MapFigures['implementation'] = null;
  try {
    const d = await describedMap(env, type);
    implementation = d.layout.kind;
    if (header === 0n) return { implementation, count: 0, bytes: 0, loadFactor: null, findings: [], warnings: [] };
    if (read?.readError !== undefined) throw new Error(read.readError);
    const snapshot = read?.snapshot ?? (await decodeMap(env, d.layout, header));
    const a = await measureFigures(analysisInput(env, d, snapshot));
    return figuresOf(implementation, snapshot, a);
  } catch (e) {
    return { implementation, count: null, bytes: null, loadFactor: null, findings: [], warnings: [], error: e instanceof Error ? e.message : String(e) };
  }
}
