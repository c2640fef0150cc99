/**
 * The custom requests behind the editor's "Go Maps" tree, each answering with exactly the JSON
 * of the CLI command of the same name, from the same engine:
 *   mapscope/top        { depth?, maxObjects?, maxTimeMs?, limit?, packages?, all? } → mapscope/top@1
 *   mapscope/list       { packages?, all? }                                          → mapscope/list@1
 *   mapscope/goroutines { depth?, all? }                                             → mapscope/goroutines@1
 * The target stays stopped for the whole debug session, so these read the same memory the
 * Variables view shows.
 */
import { discoverEnv } from '../../discover/env.js';
import { listMaps } from '../../discover/list.js';
import type { RootFilter } from '../../discover/roots.js';
import { topMaps } from '../../discover/top.js';
import { DEFAULT_BOUNDS, type WalkBounds } from '../../discover/walk.js';
import { bridgeGoroutines } from '../../goroutines/bridge.js';
import { goroutinesJson } from '../../goroutines/report.js';
import { listJson, topJson } from '../../report/discover.js';
import { stringifyJson } from '../../values/json.js';
import type { Debuggee } from '../debuggee.js';
import { DapRequestError, ErrorCode } from '../errors.js';

export const TOP_REQUEST = 'mapscope/top';
export const LIST_REQUEST = 'mapscope/list';
export const GOROUTINES_REQUEST = 'mapscope/goroutines';
export const DISCOVER_REQUESTS: ReadonlySet<string> = new Set([TOP_REQUEST, LIST_REQUEST, GOROUTINES_REQUEST]);

type Args = Record<string, unknown>;

function count(command: string, a: Args, name: string): number | undefined {
  const v = a[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new DapRequestError(ErrorCode.badArguments, `${command}: "${name}" must be a non-negative integer`);
  return v;
}

function filter(command: string, a: Args): RootFilter {
  const packages = a.packages ?? [];
  if (!Array.isArray(packages) || !packages.every((p): p is string => typeof p === 'string' && p.trim() !== '')) {
    throw new DapRequestError(ErrorCode.badArguments, `${command}: "packages" must be a list of package paths`);
  }
  return { all: a.all === true, packages };
}

/** The answer as JSON text (the session sends it verbatim). */
export async function discoverJson(d: Debuggee, command: string, args: unknown): Promise<string> {
  const a = (args ?? {}) as Args;
  if (command === GOROUTINES_REQUEST) {
    const list = await bridgeGoroutines(d.mi, { all: a.all === true, depth: count(command, a, 'depth'), timeoutMs: 600_000 });
    for (const gap of list.gaps) d.target.noteRuntimeGap(gap);
    return stringifyJson(goroutinesJson(d.target.info, list));
  }
  const env = await discoverEnv(d.target);
  if (command === LIST_REQUEST) return stringifyJson(listJson(d.target.info, await listMaps(env, d.target.variables, filter(command, a))));
  const bounds: WalkBounds = {
    maxDepth: count(command, a, 'depth') ?? DEFAULT_BOUNDS.maxDepth,
    maxObjects: count(command, a, 'maxObjects') ?? DEFAULT_BOUNDS.maxObjects,
    maxTimeMs: count(command, a, 'maxTimeMs') ?? DEFAULT_BOUNDS.maxTimeMs,
    maxElements: count(command, a, 'maxElements') ?? DEFAULT_BOUNDS.maxElements,
  };
  const result = await topMaps(env, d.target.variables, filter(command, a), bounds);
  return stringifyJson(topJson(d.target.info, result, bounds, count(command, a, 'limit')));
}
