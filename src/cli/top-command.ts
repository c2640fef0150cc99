/** `mapscope top`: the maps reachable from package-level variables, ranked by bytes, with paths inspect accepts. */
import { discoverEnv } from '../discover/env.js';
import type { RootFilter } from '../discover/roots.js';
import { topMaps } from '../discover/top.js';
import { DEFAULT_BOUNDS, type WalkBounds } from '../discover/walk.js';
import { GdbSession, type TargetSpec } from '../gdb/session.js';
import { topJson, topText } from '../report/discover.js';
import { GdbTarget } from '../target/gdb-target.js';
import { writeJsonBytes } from '../values/json.js';
import { EXIT_OK, EXIT_SOME_FAILED } from './exit.js';
import { warnTarget, writeOut } from './inspect-command.js';
import type { StopBudget } from '../target/stop-window.js';
import { stopBudget } from './budget-args.js';
import { writeAllSync } from './stdout.js';
import { TARGET_OPTIONS, nonNegativeInt, rootFilter, targetSpec } from './target-args.js';
import { parseCommandArgs } from './parse-args.js';
import { traceLog, tracePhase } from '../gdb/trace-log.js';
import { copyInto } from '../target/copy.js';
import type { CopyRoom } from '../target/copy-room.js';
import { copyProcess, copyRoom } from './copy-process.js';

const TEXT_LIMIT = 30;

export const TOP_HELP = `Usage:
  mapscope top --pid PID             [--depth N] [--max-objects N] [--max-time D] [--max-pause D] [--json] [--limit N]
  mapscope top --core CORE --exe EXE [--depth N] [--max-objects N] [--max-time D] [--json] [--limit N]

Finds the maps reachable from package-level variables through pointers, struct fields, arrays,
slices, interfaces and map values, each once however many paths lead to it, and ranks them by
the bytes they hold. Each comes with a path that 'mapscope inspect PATH' reads back, with its
count, load factor and findings. The path is one of the shortest (fewest pointer, slice,
interface and map hops):

  main.srv.cache                 fields, through pointers
  main.shards[3].byID            array and slice elements
  main.box.(*main.T).m           what an interface holds, asserted to its dynamic type
  main.byTenant["acme"].m        map values by key (strings, integers: main.m[42], booleans)
  0xc000012345:map[K]V           a map found under a key with no literal (structs, floats, ...)

The walk is bounded; the output says which bound stopped it and what it skipped:
  --depth N          hops from a variable (pointer, slice, interface payload, map entry); default ${DEFAULT_BOUNDS.maxDepth}
  --max-objects N    distinct objects visited; default ${DEFAULT_BOUNDS.maxObjects}
  --max-time D       the whole command, walk and measuring; default ${DEFAULT_BOUNDS.maxTimeMs / 1000} s
  --max-pause D      a live process is stopped while the walk reads, at most this; default 1 s
  --max-elements N   elements walked per slice, array or map; default ${DEFAULT_BOUNDS.maxElements}
Map keys and channel buffers are not walked.

Target (exactly one):
  --pid PID          attach read-only, read, detach: the process runs on unharmed
  --core CORE        a core dump, with
  --exe EXE          the binary that produced it

Where to start:
  --package PKG      only variables of package PKG and those under it (repeatable)
  --all              the runtime and internal packages too (left out by default)

Output:
  --json             the mapscope/top@1 JSON on stdout (every map unless --limit)
  --limit N          the N biggest maps (default: all with --json, ${TEXT_LIMIT} in text)
  --gdb PATH         the gdb to run (default: gdb on PATH, or $MAPSCOPE_GDB)

JSON (mapscope/top@1): { schema, target (as inspect's), maps: [{ path, type, address,
implementation, count, bytes, loadFactor, depth, findings: [...], route? (when path is raw) }],
total, walk: { roots, depth, objects, pointersFollowed, elapsedMs, stoppedBy: null | "depth" |
"objects" | "time", skipped: { depth, objects, time, elements, unknownTypes, unreadable },
bounds }, problems: [{ name, error }] }

(--max-time and --max-pause take a duration: 1.5s, 500ms, 2m, or seconds.) A live process is
stopped only while the walk reads: the maps are measured once it runs again.

Exit status: 0 every map found was read; 1 some could not be; 2 usage error or the target
cannot be opened. A walk stopped by a bound still exits 0: it says so in its output.
`;

export interface TopArgs {
  readonly spec: TargetSpec;
  readonly filter: RootFilter;
  readonly bounds: WalkBounds;
  readonly json: boolean;
  readonly limit: number | undefined;
  readonly gdb: string | undefined;
  readonly budget: StopBudget;
}

export function parseTopArgs(argv: string[]): TopArgs {
  const parsed = parseCommandArgs(
    'top',
    argv,
    {
      ...TARGET_OPTIONS,
      depth: { type: 'string' },
      'max-objects': { type: 'string' },
      'max-elements': { type: 'string' },
      limit: { type: 'string' },
    },
    false,
  );
  const v = parsed.values;
  // --max-time bounds the whole command (stop-window.ts): the walk's reads end early enough for it.
  const budget = stopBudget(v, DEFAULT_BOUNDS.maxTimeMs);
  const bounds: WalkBounds = {
    maxDepth: nonNegativeInt('depth', v.depth) ?? DEFAULT_BOUNDS.maxDepth,
    maxObjects: nonNegativeInt('max-objects', v['max-objects']) ?? DEFAULT_BOUNDS.maxObjects,
    maxTimeMs: budget.deadline,
    maxElements: nonNegativeInt('max-elements', v['max-elements']) ?? DEFAULT_BOUNDS.maxElements,
  };
  return { spec: targetSpec(v), filter: rootFilter(v), bounds, json: v.json ?? false, limit: nonNegativeInt('limit', v.limit), gdb: v.gdb, budget };
}

export async function runTop(args: TopArgs, onSession: (s: GdbSession | undefined) => void): Promise<number> {
  const room = copyRoom(args.spec, args.budget);
  const session = await GdbSession.open(args.spec, { gdbPath: args.gdb, log: traceLog(), prefetchGlobals: true, deferAttach: true, budget: args.budget }, onSession);
  try {
    const target = await GdbTarget.create(session);
    const env = await discoverEnv(target, false);
    let made: CopyRoom | undefined;
    const result = await topMaps(env, target.variables, args.filter, args.bounds, {
      stop: async () => {
        made = await room;
        await session.stop();
      },
      resume: () => session.resume(),
      // The room is let go once the copy is made or not: it holds the process's size.
      copy: (withinMs) => copyProcess(session, (regions, runs, ms) => copyInto(env.mem, target, regions, runs, ms, made), Infinity, withinMs).finally(() => made?.close()),
      deadline: args.budget.deadline,
    });
    await session.release();
    onSession(undefined);
    warnTarget(target);
    for (const m of result.maps) for (const w of m.figures.warnings) process.stderr.write(`mapscope: warning: ${m.path}: ${w}\n`);
    if (args.json) {
      writeJsonBytes(topJson(target.info, result, args.bounds, args.limit), writeAllSync, 2);
      writeAllSync('\n');
    } else await writeOut(topText(target.info, result, args.bounds, args.limit ?? TEXT_LIMIT));
    tracePhase('written');
    return result.maps.some((m) => m.figures.error !== undefined) ? EXIT_SOME_FAILED : EXIT_OK;
  } finally {
    (await room)?.close();
    await session.close();
  }
}
