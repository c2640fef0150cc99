/**
 * Which gdb a command line will start, worked out from the arguments alone and before the rest
 * of mapscope has loaded, so that gdb can be started at once (mi/spawn.ts prestartGdb). Only a
 * guess: a wrong one costs a gdb started for nothing, ended at exit; the session starts its own.
 */
import { elfMachineSync } from '../elf/machine.js';
import { gdbLaunch, gdbPathFor } from '../gdb/startup.js';
import { prestartGdb } from '../mi/spawn.js';
import { tracePhase } from '../gdb/trace-log.js';

const GDB_COMMANDS: ReadonlySet<string> = new Set(['inspect', 'list', 'top', 'goroutines']);

/** The value of `--name VALUE` or `--name=VALUE`, the last one given, as node:util's parseArgs reads them. */
function option(argv: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a === `--${name}`) value = argv[++i];
    else if (a.startsWith(`--${name}=`)) value = a.slice(name.length + 3);
  }
  return value;
}

/** Starts the gdb that `mapscope ARGV...` is about to need, if it needs one. */
export function prestartFor(argv: readonly string[]): void {
  const [command, ...rest] = argv;
  if (command === undefined || !GDB_COMMANDS.has(command) || rest.includes('--help') || rest.includes('-h')) return;
  const pid = option(rest, 'pid');
  const core = option(rest, 'core');
  const exe = option(rest, 'exe');
  let machine: number | undefined;
  if (pid !== undefined) {
    if (core !== undefined || exe !== undefined || !/^\d+$/.test(pid)) return;
  } else {
    if (core === undefined || exe === undefined) return;
    machine = elfMachineSync(exe);
    if (machine === undefined) return;
  }
  const gdbPath = gdbPathFor(option(rest, 'gdb'), machine);
  prestartGdb(gdbPath, gdbLaunch(gdbPath));
  tracePhase('gdb spawned');
}
