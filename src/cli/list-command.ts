/** `mapscope list`: every package-level variable of map type, with its type, header, count and bytes. */
import { discoverEnv } from '../discover/env.js';
import { listMaps } from '../discover/list.js';
import type { RootFilter } from '../discover/roots.js';
import { GdbSession, type TargetSpec } from '../gdb/session.js';
import { listJson, listText } from '../report/discover.js';
import { GdbTarget } from '../target/gdb-target.js';
import { writeJsonBytes } from '../values/json.js';
import { EXIT_OK, EXIT_SOME_FAILED } from './exit.js';
import { warnTarget, writeOut } from './inspect-command.js';
import type { StopBudget } from '../target/stop-window.js';
import { BUDGET_HELP, stopBudget } from './budget-args.js';
import { writeAllSync } from './stdout.js';
import { TARGET_OPTIONS, rootFilter, targetSpec } from './target-args.js';
import { parseCommandArgs } from './parse-args.js';
import { traceLog } from '../gdb/trace-log.js';

export const LIST_HELP = `Usage:
  mapscope list --pid PID             [--json] [--all] [--package PKG]...
  mapscope list --core CORE --exe EXE [--json] [--all] [--package PKG]...

Lists every package-level variable of map type (named map types too), with its type, the map
header it holds (nil maps included), implementation (classic or swiss), live count and the
bytes the map holds (the analysis memory total of 'mapscope inspect').

Target (exactly one):
  --pid PID          attach read-only, read, detach: the process runs on unharmed
  --core CORE        a core dump, with
  --exe EXE          the binary that produced it

Which variables:
  --package PKG      only package PKG and those under it (repeatable): --package main
  --all              the runtime and internal packages too (left out by default)

Output:
  --json             the mapscope/list@1 JSON on stdout
  --gdb PATH         the gdb to run (default: gdb on PATH, or $MAPSCOPE_GDB)

${BUDGET_HELP}

JSON (mapscope/list@1): { schema, target (as inspect's), maps: [{ expr, type, address (the
header; null for a nil map), variable (where the variable lives), implementation, count, bytes,
error? }], problems: [{ name, error }] (variables that could not be described) }

Exit status: 0 every map read; 1 some map could not be read (or the budget cut the reading
short: the output says so); 2 usage error or the target cannot be opened.
`;

export interface ListArgs {
  readonly spec: TargetSpec;
  readonly filter: RootFilter;
  readonly json: boolean;
  readonly gdb: string | undefined;
  readonly budget: StopBudget;
}

export function parseListArgs(argv: string[]): ListArgs {
  const parsed = parseCommandArgs('list', argv, TARGET_OPTIONS, false);
  const v = parsed.values;
  return { spec: targetSpec(v), filter: rootFilter(v), json: v.json ?? false, gdb: v.gdb, budget: stopBudget(v) };
}

export async function runList(args: ListArgs, onSession: (s: GdbSession | undefined) => void): Promise<number> {
  const session = await GdbSession.open(args.spec, { gdbPath: args.gdb, log: traceLog(), prefetchGlobals: true, deferAttach: true, budget: args.budget }, onSession);
  try {
    const target = await GdbTarget.create(session);
    const result = await listMaps(await discoverEnv(target, false), target.variables, args.filter, {
      stop: () => session.stop(),
      resume: () => session.resume(),
      deadline: args.budget.deadline,
    });
    await session.release();
    onSession(undefined);
    warnTarget(target);
    for (const m of result.maps) for (const w of m.figures.warnings) process.stderr.write(`mapscope: warning: ${m.name}: ${w}\n`);
    if (args.json) {
      writeJsonBytes(listJson(target.info, result), writeAllSync, 2);
      writeAllSync('\n');
    } else await writeOut(listText(target.info, result));
    return result.maps.some((m) => m.figures.error !== undefined) || target.partial !== undefined ? EXIT_SOME_FAILED : EXIT_OK;
  } finally {
    await session.close();
  }
}
