import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { execa } from 'execa';

export interface SpawnGdbOptions {
  args?: readonly string[];
  /** Added to (and overriding) this process's environment. */
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export type GdbProcess = ChildProcessWithoutNullStreams;

/**
 * Starts gdb in MI3 mode with raw pipes, through execa; its output is streamed to us, never
 * buffered. execa is bundled into each entry (tsup.config.ts), so loading it costs one file's
 * compile, not the resolution of its dozen packages.
 *
 * A spawn failure (no such file, not executable) is reported the way Node does: `pid` is
 * undefined and an 'error' event follows (see spawnError).
 *
 * A gdb started ahead (prestartGdb) with this very command line is handed over instead of a
 * new one: it has been starting while mapscope loaded.
 */
export function spawnGdb(gdbPath: string, opts: SpawnGdbOptions): GdbProcess {
  return takePrestarted(gdbPath, opts) ?? startGdbProcess(gdbPath, opts);
}

function startGdbProcess(gdbPath: string, opts: SpawnGdbOptions): GdbProcess {
  const subprocess = execa(gdbPath, ['--interpreter=mi3', '-q', '-nx', ...(opts.args ?? [])], {
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    shell: false,
    env: opts.env,
    cwd: opts.cwd,
    // Ends gdb if Node exits first (process.exit on a signal, an uncaught error, a gdb started
    // ahead that no command took), so that no orphaned debugger keeps a target stopped: SIGTERM
    // makes gdb detach and quit.
    cleanup: true,
  });
  // The outcome is reported through the exit and the answers gdb no longer gives, not through
  // execa's promise (reject: false makes it resolve; this only keeps it from floating).
  subprocess.catch(() => undefined);
  const child = subprocess as unknown as GdbProcess;
  // execa sets the output streams flowing: what gdb prints before a session listens (its first
  // prompt, when it was started ahead and mapscope is still loading) would be dropped. Held
  // until MISession resumes them.
  child.stdout.pause();
  child.stderr.pause();
  // An 'error' event without a listener would end mapscope (a failed kill, a pipe torn down).
  child.on('error', () => undefined);
  child.stdout.on('error', () => undefined);
  child.stderr.on('error', () => undefined);
  return child;
}

/** Why a spawn failed: the 'error' event Node emits when `pid` is undefined. */
export function spawnError(child: GdbProcess): Promise<Error> {
  return new Promise((resolve) => child.once('error', resolve));
}

interface Prestarted {
  readonly key: string;
  readonly child: GdbProcess;
}

/**
 * Where a gdb started ahead waits: on globalThis, as the command's entry and the rest of
 * mapscope are separate bundles, each with its own copy of this module.
 */
const SLOT = Symbol.for('mapscope.prestartedGdb');
type Slot = { [SLOT]?: Prestarted };

function keyOf(gdbPath: string, opts: SpawnGdbOptions): string {
  return JSON.stringify([gdbPath, opts.args ?? [], opts.env ?? {}, opts.cwd ?? null]);
}

/**
 * Starts gdb now, for the session the command will open in a moment (cli/main.ts): gdb's own
 * start-up (~0.1 s) then runs while Node loads mapscope. Nothing is sent to it; it only reaches
 * its first prompt. The session takes it if it asks for the same command line; if no session
 * does, it is ended when mapscope exits, having read nothing.
 */
export function prestartGdb(gdbPath: string, opts: SpawnGdbOptions): void {
  const slot = globalThis as Slot;
  if (slot[SLOT]) return;
  const child = startGdbProcess(gdbPath, opts);
  if (child.pid !== undefined) slot[SLOT] = { key: keyOf(gdbPath, opts), child };
}

function takePrestarted(gdbPath: string, opts: SpawnGdbOptions): GdbProcess | undefined {
  const slot = globalThis as Slot;
  const p = slot[SLOT];
  if (!p) return undefined;
  slot[SLOT] = undefined;
  if (p.key === keyOf(gdbPath, opts) && p.child.exitCode === null && p.child.signalCode === null) return p.child;
  // Another gdb was asked for (or this one died): this one is not needed.
  p.child.kill('SIGTERM');
  return undefined;
}
