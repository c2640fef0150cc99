/** The mapscope command: argument parsing, exit statuses, and a clean detach on interrupt. */
// First: it starts gdb (see prestart-now.ts).
import './prestart-now.js';
import { TargetOpenError, gdbFailure } from '../gdb/errors.js';
import type { GdbSession } from '../gdb/session.js';
import { type Command, isCommand } from './commands.js';
import { EXIT_GDB_FAILED, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, UsageError } from './exit.js';
import { GOROUTINES_HELP, parseGoroutinesArgs, runGoroutines } from './goroutines-command.js';
import { INSPECT_HELP, parseInspectArgs, runInspect, writeOut } from './inspect-command.js';
import { LAYOUT_HELP, parseLayoutArgs, runLayout } from './layout-command.js';
import { LIST_HELP, parseListArgs, runList } from './list-command.js';
import { unknownCommand } from './parse-args.js';
import { testedReleasesText } from '../target/go-releases.js';
import { TOP_HELP, parseTopArgs, runTop } from './top-command.js';

const HELP = `mapscope: see inside Go maps in a live process or a core dump, through gdb.

Usage:
  mapscope inspect EXPR... (--pid PID | --core CORE --exe EXE) [--json] [--html FILE] [--limit N]
  mapscope list (--pid PID | --core CORE --exe EXE) [--json]
  mapscope top (--pid PID | --core CORE --exe EXE) [--depth N] [--json]
  mapscope goroutines (--pid PID | --core CORE --exe EXE) [--json] [--depth N]
  mapscope layout --exe BIN [TYPE...] [--json]
  mapscope layout --compare BIN BIN... [-- TYPE...] [--json]
  mapscope help [COMMAND]
  mapscope --version

Commands:
  inspect   read maps: header, buckets/tophash or tables/groups/ctrl, entries
  goroutines  list goroutines (parked ones too) with their frames, for inspect --goroutine
  list      every package-level map variable: type, header, count, bytes
  top       the maps reachable from package-level variables, biggest first, with paths
  layout    map structs' field offsets, holes and cache lines, as pahole prints them (any arch)

Run 'mapscope COMMAND --help' for a command's options.
`;

const COMMAND_HELP: Record<Command, string> = { inspect: INSPECT_HELP, layout: LAYOUT_HELP, list: LIST_HELP, top: TOP_HELP, goroutines: GOROUTINES_HELP };

let activeSession: GdbSession | undefined;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    await writeOut(HELP);
    return command === undefined ? EXIT_USAGE : 0;
  }
  if (command === '--version') {
    await writeOut('mapscope 0.1.0\n');
    await writeOut(`tested with Go ${testedReleasesText()}\n`);
    return 0;
  }
  if (command === 'help') {
    const about = rest[0] ?? '';
    await writeOut(isCommand(about) ? COMMAND_HELP[about] : HELP);
    return 0;
  }
  if (!isCommand(command)) throw new UsageError(unknownCommand(command));
  if (rest.includes('--help') || rest.includes('-h')) {
    await writeOut(COMMAND_HELP[command]);
    return 0;
  }
  const onSession = (s: GdbSession | undefined) => (activeSession = s);
  if (command === 'layout') return runLayout(parseLayoutArgs(rest), onSession);
  if (command === 'goroutines') return runGoroutines(parseGoroutinesArgs(rest), onSession);
  if (command === 'list') return runList(parseListArgs(rest), onSession);
  if (command === 'top') return runTop(parseTopArgs(rest), onSession);
  return runInspect(parseInspectArgs(rest), onSession);
}

function onSignal(signal: NodeJS.Signals): void {
  // Detach before leaving: a live target must never be left stopped. A second signal leaves at
  // once: the exit cleanup (mi/spawn.ts) sends gdb SIGTERM, on which it detaches, and the guard
  // (gdb/guard.ts) sees to gdb and the target should that not be enough.
  const s = activeSession;
  activeSession = undefined;
  void (s ? s.close() : Promise.resolve()).finally(() => process.exit(EXIT_INTERRUPTED));
  process.stderr.write(`mapscope: ${signal}, detaching\n`);
}

process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('SIGHUP', onSignal);

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof UsageError || e instanceof TargetOpenError) {
      process.stderr.write(`mapscope: ${e.message}\n`);
      process.exit(EXIT_USAGE);
    }
    // Not mapscope's bug: gdb hung or died. The session has ended it and let the target go.
    const gdb = gdbFailure(e);
    if (gdb !== undefined) {
      process.stderr.write(`mapscope: ${gdb}\n`);
      process.exit(EXIT_GDB_FAILED);
    }
    process.stderr.write(`mapscope: internal error: ${e instanceof Error ? (process.env.MAPSCOPE_TRACE ? e.stack : e.message) : String(e)}\n`);
    process.exit(EXIT_INTERNAL);
  },
);
