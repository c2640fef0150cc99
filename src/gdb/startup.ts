/**
 * How mapscope starts gdb: nothing from the user's or the target's side runs, and nothing
 * can write to the target. Cores come from untrusted machines, and binaries can ask gdb to
 * auto-load scripts (.debug_gdb_scripts): `set auto-load off` refuses all of them.
 */
import { join } from 'node:path';
import { cacheHome } from './cache-home.js';
import { lightDataDir } from './data-dir.js';

export const SAFE_STARTUP_COMMANDS: readonly string[] = [
  'set auto-load off',
  'set debuginfod enabled off',
  'set confirm off',
  'set pagination off',
  'set width 0',
  'set height 0',
  'set print thread-events off',
  'set print inferior-events off',
  'set startup-with-shell off',
  // Read-only: no calls into the target, no writes to memory or registers, no breakpoints.
  'set may-call-functions off',
  'set may-write-memory off',
  'set may-write-registers off',
  'set may-insert-breakpoints off',
  'set may-insert-tracepoints off',
  'set may-insert-fast-tracepoints off',
  // No shared library is opened: Go data and frames come from the Go binary alone. On attach to
  // a cgo binary gdb read libc's and ld.so's symbols and probes, and started libthread_db: 0.5 to
  // 1 s with the target stopped, against 35 ms without (the vDSO, read from memory, still is).
  'set sysroot /dev/null',
  'set auto-solib-add off',
  'set libthread-db-search-path /dev/null',
  'set language go',
  'set python print-stack message',
];

/** ELF machines the system gdb (built for x86-64) reads: EM_386 and EM_X86_64. */
export const EM_HOST_GDB: ReadonlySet<number> = new Set([3, 62]);

/**
 * The gdb to run: the one chosen (--gdb, then $MAPSCOPE_GDB), else the system gdb for a live
 * process or an x86 binary, gdb-multiarch for a binary of another architecture (`machine`, the
 * ELF e_machine; undefined for a live process).
 */
export function gdbPathFor(chosen: string | undefined, machine: number | undefined): string {
  return chosen ?? process.env.MAPSCOPE_GDB ?? (machine === undefined || EM_HOST_GDB.has(machine) ? 'gdb' : 'gdb-multiarch');
}

/** gdb's command line: -nx skips every gdbinit; each -iex runs before any file is read. */
export function gdbArgs(): string[] {
  return ['-nx', ...SAFE_STARTUP_COMMANDS.flatMap((c) => ['-iex', c])];
}

/** How mapscope runs the gdb at `gdbPath`: the prestart (cli/prestart.ts) and the session must agree. */
export interface GdbLaunch {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The command line and environment (over mapscope's own) for the gdb at `gdbPath`: messages in
 * a known language; gdb's light data directory once there is one (data-dir.ts); no Python
 * bytecode written anywhere (gdb's own directories, the scripts' installation), but for the
 * bridge's, into mapscope's cache (gdb-scripts/mapscope.py).
 */
export function gdbLaunch(gdbPath: string): GdbLaunch {
  const home = cacheHome();
  const light = lightDataDir(gdbPath);
  const env: Record<string, string> = { LC_ALL: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' };
  if (home !== undefined) env.MAPSCOPE_PYCACHE = join(home, 'pycache');
  return { args: [...(light === undefined ? [] : [`--data-directory=${light}`]), ...gdbArgs()], env };
}

/** First gdb version that has Python MI commands with the behaviour the bridge relies on. */
export const MIN_GDB_MAJOR = 13;

/** `GNU gdb (Debian 13.1-3) 13.1` → [13, 1]. */
export function parseGdbVersion(text: string): [number, number] | undefined {
  const m = /GNU gdb[^\n]*?(\d+)\.(\d+)[^\n]*$/m.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}
