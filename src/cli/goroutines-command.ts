/** `mapscope goroutines`: the runtime's goroutines with their states and innermost frames. */
import { GdbSession, type TargetSpec } from '../gdb/session.js';
import { bridgeGoroutines } from '../goroutines/bridge.js';
import { MICommandError } from '../mi/index.js';
import { goroutinesJson, goroutinesText } from '../goroutines/report.js';
import { GdbTarget } from '../target/gdb-target.js';
import { writeJsonBytes } from '../values/json.js';
import { EXIT_OK, EXIT_SOME_FAILED, UsageError } from './exit.js';
import { warnTarget, writeOut } from './inspect-command.js';
import { nonNegativeInt, targetSpec } from './target-args.js';
import { parseCommandArgs } from './parse-args.js';
import { traceLog } from '../gdb/trace-log.js';
import { writeAllSync } from './stdout.js';
import type { StopBudget } from '../target/stop-window.js';
import { BUDGET_OPTIONS, stopBudget } from './budget-args.js';

export const GOROUTINES_HELP = `Usage:
  mapscope goroutines --pid PID             [--json] [--depth N] [--all]
  mapscope goroutines --core CORE --exe EXE [--json] [--depth N] [--all]

Lists the goroutines of a Go program from the runtime's own list (runtime.allgs), not only
the ones on OS threads: each with its status or wait reason (as Go's tracebacks name them:
"chan receive", "select", "sleep", ...), the OS thread of a running one, its innermost
frames, and where it was created. Frames of parked goroutines are unwound from the registers
the runtime saved for them; nothing in the target is written.

A frame's number is what 'mapscope inspect --goroutine G --frame F EXPR' takes to read a map
held in that frame's locals or parameters.

Target (exactly one):
  --pid PID          attach read-only, read, detach: the process runs on unharmed
  --core CORE        a core dump, with
  --exe EXE          the binary that produced it

Output:
  --json             JSON on stdout: {schema: "mapscope/goroutines@1", target, goroutines:
                     [{id, status, waitReason?, thread?, address, startFunction?,
                     frames: [{index, function, file, line, pc, sp, inlined?}], createdBy?}]}
  --depth N          at most N frames per goroutine (default 20)
  --all              also the dead goroutines the runtime keeps for reuse
  --gdb PATH         the gdb to run (default: gdb on PATH, or $MAPSCOPE_GDB)

Exit status: 0 listed; 1 the runtime's goroutine list cannot be read; 2 usage error or the target cannot be opened (the reason on stderr).
`;

export interface GoroutinesArgs {
  readonly spec: TargetSpec;
  readonly json: boolean;
  readonly depth: number;
  readonly all: boolean;
  readonly gdb: string | undefined;
  readonly budget: StopBudget;
}

export function parseGoroutinesArgs(argv: string[]): GoroutinesArgs {
  const parsed = parseCommandArgs(
    'goroutines',
    argv,
    {
      pid: { type: 'string' },
      core: { type: 'string' },
      exe: { type: 'string' },
      json: { type: 'boolean', default: false },
      depth: { type: 'string' },
      all: { type: 'boolean', default: false },
      gdb: { type: 'string' },
      ...BUDGET_OPTIONS,
    },
    false,
  );
  const v = parsed.values;
  const depth = nonNegativeInt('depth', v.depth) ?? 20;
  if (depth > 512) throw new UsageError('--depth is at most 512');
  return { spec: targetSpec(v), json: v.json ?? false, depth, all: v.all ?? false, gdb: v.gdb, budget: stopBudget(v) };
}

export async function runGoroutines(args: GoroutinesArgs, onSession: (s: GdbSession | undefined) => void): Promise<number> {
  const session = await GdbSession.open(args.spec, { gdbPath: args.gdb, log: traceLog(), deferAttach: true, budget: args.budget }, onSession);
  try {
    const target = await GdbTarget.create(session);
    await session.stop();
    // Many thousands of goroutines take a while to unwind: a longer limit than one map read, and
    // a live target's pause budget bounds the unwinding itself.
    const within = session.spec.kind === 'live' ? args.budget.maxPauseMs - session.window.stoppedMs : undefined;
    let list;
    try {
      list = await bridgeGoroutines(session.mi, { all: args.all, depth: args.depth, timeoutMs: 600_000, withinMs: within });
    } catch (e) {
      // A binary whose runtime has no allgs (or a core that lost it): said in one line.
      if (!(e instanceof MICommandError)) throw e;
      process.stderr.write(`mapscope: cannot list goroutines: ${e.msg}\n`);
      return EXIT_SOME_FAILED;
    }
    // Everything is read: let a live process go before formatting the output.
    await session.release();
    onSession(undefined);
    for (const gap of list.gaps) target.noteRuntimeGap(gap);
    if (list.left > 0) target.notePartial(`${list.left} goroutines not unwound: the target was let go after ${args.budget.maxPauseMs} ms stopped (--max-pause)`);
    warnTarget(target);
    if (args.json) {
      writeJsonBytes(goroutinesJson(target.info, list), writeAllSync, 2);
      writeAllSync('\n');
    } else await writeOut(goroutinesText(list));
    return target.partial !== undefined ? EXIT_SOME_FAILED : EXIT_OK;
  } finally {
    await session.close();
  }
}
