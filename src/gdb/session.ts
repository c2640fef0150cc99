/**
 * One gdb session for mapscope: safe start-up, the bridge loaded, then either attached to a
 * live process or opened on a core dump with its binary.
 *
 * A live process is touched as little as possible: everything that can be checked from its
 * binary (is it Go, does it carry DWARF) is checked before attaching; the attach lasts only
 * while maps are read; detach resumes it. If anything goes wrong in between (gdb killed, a
 * command timed out: gdb is then ended at once, see stuck.ts), close() still detaches, and a
 * process that was running before and is left stopped after is sent SIGCONT. Should mapscope
 * itself die, the guard (guard.ts) does the same from outside.
 */
import { access, constants, open, readlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildInfoGoVersion } from '../elf/buildinfo.js';
import { dwarfGlobals, dwarfPackageGlobals, dwarfRuntimeTypes } from '../elf/dwarf-index.js';
import { GdbSpawnError, MICommandError, MISession } from '../mi/index.js';
import { type BridgeTarget, bridgeTarget } from './bridge.js';
import { checkCoreAgainstExe } from './core-check.js';
import { TargetOpenError } from './errors.js';
import { TracerGuard } from './guard.js';
import { descendsFrom, isAlive, peakRssKiB, procRef, procStat, resumeIfLeftStopped, tracerPid, type ProcRef } from './proc-state.js';
import { MIN_GDB_MAJOR, gdbLaunch, gdbPathFor, parseGdbVersion } from './startup.js';
import { makeLightDataDir, wantsLightDataDir } from './data-dir.js';
import { setLoadedProgram } from './program.js';
import { endProcesses, watchCommands, type CommandWatch } from './stuck.js';
import { tracePhase } from './trace-log.js';
import { hasTypelinks } from '../target/go-releases.js';
import { type StopBudget, StopWindow } from '../target/stop-window.js';

export type TargetSpec =
  | { readonly kind: 'live'; readonly pid: number }
  | { readonly kind: 'core'; readonly core: string; readonly exe: string }
  /** A binary on its own, for what its DWARF says (type layouts): no process, no core. */
  | { readonly kind: 'exe'; readonly exe: string };

export interface GdbSessionOptions {
  readonly gdbPath?: string;
  /** Per-command timeout for ordinary commands. */
  readonly timeoutMs?: number;
  readonly log?: (line: string, dir: 'in' | 'out' | 'err') => void;
  /**
   * Start reading the binary's package-level variables from its DWARF (dwarf-globals.ts) while
   * gdb starts, for commands that list them (list, top): by the time they ask, it is done.
   */
  readonly prefetchGlobals?: boolean;
  /**
   * Start reading the binary's top-level types from its DWARF (dwarf-types.ts) while gdb starts,
   * for commands that find type descriptors through them (inspect's runtime GC mask), where the
   * runtime has no typelinks to find them by (Go 1.27, as .go.buildinfo says).
   */
  readonly prefetchTypes?: boolean;
  /**
   * Packages (`main`, `github.com/x/y`) whose globals to read from their DWARF units while gdb
   * starts: the commands names variables of theirs (GdbVariables.pointerGlobal).
   */
  readonly prefetchPackages?: readonly string[];
  /**
   * A live process is opened without attaching: the command calls stop() once everything that
   * can be done from the binary is done, so that the target is stopped only while bytes are copied.
   */
  readonly deferAttach?: boolean;
  /** How long a live target may be kept stopped, and when the command must end (stop-window.ts). */
  readonly budget?: StopBudget;
}

export class GdbSession {
  private miSession: MISession | undefined;
  private bridgeTarget: BridgeTarget | undefined;
  private exePath = '';
  private stateBefore: string | undefined;
  private attached = false;
  private guard: TracerGuard | undefined;
  private watch: CommandWatch | undefined;
  private gdbRef: Promise<ProcRef | undefined> | undefined;
  private targetRef: ProcRef | undefined;
  private tracerRef: ProcRef | undefined;
  private ending: Promise<void> | undefined;
  private opening: Promise<void> | undefined;
  private attaching: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  /** A check that runs beside gdb's start-up failed: the start-up stops at its next step. */
  private abandoned = false;
  private letGo: () => void = () => undefined;
  /** Settles once close() has let the target go (a live process detached) and told gdb to exit. */
  private readonly released: Promise<void> = new Promise((resolve) => (this.letGo = resolve));
  /** How long a live process has been kept stopped, and the budget of reads (its pause, the command's time). */
  readonly window: StopWindow;

  private constructor(
    readonly spec: TargetSpec,
    private readonly opts: GdbSessionOptions,
  ) {
    this.window = new StopWindow(opts.budget ?? { maxPauseMs: Infinity, deadline: Infinity });
  }

  /** Whether the target's memory may be read: a live process attached (and so stopped), a core or a binary always. */
  get readable(): boolean {
    return this.spec.kind !== 'live' || this.attached;
  }

  /**
   * Opens a session. `onCreated` receives it before anything is started, so that an interrupt
   * arriving mid-open can close() it: close() waits for the step under way and then undoes it.
   */
  static async open(spec: TargetSpec, opts: GdbSessionOptions = {}, onCreated?: (s: GdbSession) => void): Promise<GdbSession> {
    const session = new GdbSession(spec, opts);
    onCreated?.(session);
    session.opening = session.doOpen();
    try {
      await session.opening;
    } catch (e) {
      await session.close();
      throw e;
    }
    return session;
  }

  get mi(): MISession {
    if (!this.miSession) throw new Error('gdb session is not open');
    return this.miSession;
  }

  get bridge(): BridgeTarget {
    if (!this.bridgeTarget) throw new Error('gdb session is not open');
    return this.bridgeTarget;
  }

  get exe(): string {
    return this.exePath;
  }

  private async doOpen(): Promise<void> {
    const spec = this.spec;
    tracePhase('open');
    // What gdb reads the program from: for a live process its /proc link, which still reaches
    // the binary that runs should the file have been replaced or deleted since.
    let programFile: string;
    if (spec.kind === 'core') {
      // gdb starts and loads the binary while the core is checked against it (core-check.ts):
      // it opens the core only after that check has passed. Should the check fail, the other
      // side stops at its next step, and the check's error is the one reported, as it was when
      // the check came first.
      this.exePath = programFile = resolve(spec.exe);
      const [checked, loaded] = await Promise.allSettled([
        coreFiles(spec).then(
          () => tracePhase('files checked'),
          (e: unknown) => {
            this.abandoned = true;
            throw e;
          },
        ),
        this.startAndLoad(programFile),
      ]);
      if (checked.status === 'rejected') throw checked.reason;
      if (loaded.status === 'rejected') throw loaded.reason;
    } else {
      // A live process: everything its binary can tell is checked before the attach, in order.
      this.exePath = spec.kind === 'live' ? await liveExe(spec.pid) : resolve(spec.exe);
      tracePhase('files checked');
      programFile = spec.kind === 'live' ? `/proc/${spec.pid}/exe` : this.exePath;
      await this.startAndLoad(programFile);
    }
    const mi = this.mi;
    this.checkOpen();
    if (spec.kind === 'live') {
      const before = await procStat(spec.pid);
      this.stateBefore = before?.state;
      this.targetRef = before && { pid: spec.pid, start: before.start };
      if (this.targetRef && this.stateBefore) this.guard?.target(this.targetRef, this.stateBefore);
      if (!this.opts.deferAttach) await this.attachNow(spec.pid);
    } else if (spec.kind === 'core') {
      await openCore(mi, spec.core);
    }
    this.checkOpen();
    // The core was checked against the binary before gdb opened it (core-check.ts).
    this.bridgeTarget = await bridgeTarget(mi);
    setLoadedProgram(mi, { exe: programFile, buildVersionAddress: this.bridgeTarget.goVersionAddress });
    tracePhase('target open');
  }

  /**
   * Stops a live process opened with deferAttach: gdb attaches, and the stop window opens.
   * Nothing for a core or a binary, or a process already attached.
   */
  stop(): Promise<void> {
    const spec = this.spec;
    if (spec.kind !== 'live' || this.attached) return this.attaching ?? Promise.resolve();
    this.checkOpen();
    this.attaching = this.attachNow(spec.pid);
    return this.attaching;
  }

  /**
   * Lets a live process run again once everything is read: gdb detaches but stays, for what the
   * binary's DWARF still has to say while the output is made. Anything gone wrong on the way is
   * close()'s to undo. Nothing for a core.
   */
  async resume(): Promise<void> {
    await this.attaching?.catch(() => undefined);
    const mi = this.miSession;
    if (!this.attached || !mi || mi.exited || this.watch?.stuck || (this.watch && this.watch.inFlight > 0)) return;
    try {
      await mi.send('-target-detach', { timeoutMs: 10_000 });
    } catch {
      await this.close();
      return;
    }
    this.attached = false;
    this.window.resume();
    tracePhase(`target resumed after ${this.window.stoppedMs} ms stopped`);
    if (this.targetRef) await resumeIfLeftStopped(this.targetRef, this.stateBefore, 0);
  }

  private async attachNow(pid: number): Promise<void> {
    this.attached = true;
    this.window.stop();
    await attach(this.mi, pid).catch((e: unknown) => {
      // gdb answered that it could not attach: there is nothing to undo.
      if (e instanceof TargetOpenError) {
        this.attached = false;
        this.window.resume();
      }
      throw e;
    });
    tracePhase('target stopped');
    this.tracerRef = await this.tracerOfTarget();
    if (this.tracerRef) this.guard?.tracer(this.tracerRef);
  }

  /** Starts gdb safely (startup.ts), loads the bridge and the binary's symbols, and checks it is Go with DWARF. */
  private async startAndLoad(programFile: string): Promise<void> {
    const spec = this.spec;
    // Started, not awaited: a binary without DWARF is gdb's to refuse, in its own words.
    if (this.opts.prefetchGlobals) dwarfGlobals(programFile).catch(() => undefined);
    else if (this.opts.prefetchTypes) prefetchTypes(programFile);
    for (const pkg of this.opts.prefetchPackages ?? []) dwarfPackageGlobals(programFile, pkg).catch(() => undefined);
    // The system gdb knows only x86 binaries; gdb-multiarch reads any (an arm64 or s390x core on
    // an amd64 laptop), unless the user chose a gdb. Pointer size and byte order come from the
    // binary through gdb, never from the host.
    const gdbPath = gdbPathFor(this.opts.gdbPath, spec.kind === 'live' ? undefined : await elfMachine(this.exePath));
    this.checkOpen();
    // Started beside gdb, so that it is up by the attach at no cost in time.
    if (spec.kind === 'live') this.guard = TracerGuard.start();
    this.miSession = await startGdb({ ...this.opts, gdbPath }, (mi, timeoutMs) => this.watchGdb(mi, timeoutMs));
    const mi = this.miSession;
    this.checkOpen();
    tracePhase('gdb started');
    await loadBridge(mi);
    this.checkOpen();
    await expectDone(mi, `-file-exec-and-symbols ${miPath(programFile)}`, (msg) => {
      throw new TargetOpenError('no-such-file', `cannot load ${this.exePath}: ${msg}`);
    });
    this.checkOpen();
    checkGoBinary(await bridgeTarget(mi), this.exePath);
    tracePhase('symbols loaded');
  }

  private checkOpen(): void {
    if (this.closing || this.abandoned) throw new TargetOpenError('interrupted', 'interrupted before the target was opened');
  }

  /**
   * Closes the session once everything is read, as far as what follows needs: a live process
   * detached and gdb ended; on a core, only gdb told to exit, which it then does beside the
   * caller's work (writing the output). A later close() waits for the rest, and throws what
   * closing met.
   */
  release(): Promise<void> {
    const closing = this.close();
    closing.catch(() => undefined);
    return this.spec.kind === 'core' ? this.released : closing;
  }

  /** Detaches from a live process (which then runs on) and ends gdb. Safe to call at any time, and twice. */
  close(): Promise<void> {
    // released settles however close() ends: release() may wait on it alone.
    this.closing ??= this.doClose().finally(() => this.letGo());
    return this.closing;
  }

  private async doClose(): Promise<void> {
    await this.opening?.catch(() => undefined);
    await this.attaching?.catch(() => undefined);
    const mi = this.miSession;
    const wasAttached = this.attached;
    let detached = false;
    if (mi && this.attached && !mi.exited && !this.watch?.stuck) {
      if (this.watch && this.watch.inFlight > 0) {
        // Interrupted mid-command: a detach would queue behind it; SIGTERM makes gdb detach now.
        await this.endGdb();
      } else {
        try {
          await mi.send('-target-detach', { timeoutMs: 10_000 });
          detached = true;
          this.window.resume();
          tracePhase(`target resumed after ${this.window.stoppedMs} ms stopped`);
        } catch {
          // gdb is gone or stuck: ending it below makes the kernel detach; the check after restarts the process.
        }
      }
    }
    await this.ending;
    this.attached = false;
    // For the benchmarks (bench/run.mjs): gdb's own peak memory, which its parent cannot tell apart.
    if (mi && !mi.exited && process.env.MAPSCOPE_TRACE) {
      const kib = peakRssKiB(mi.pid);
      if (kib !== undefined) tracePhase(`gdb peak ${kib} KiB`);
    }
    // mi.close() writes -gdb-exit before it first waits.
    const exited = mi?.close({ timeoutMs: 3_000 }).catch(() => undefined);
    this.letGo();
    await exited;
    // A wrapper script given as --gdb may have left its own gdb behind, still attached.
    const tracer = this.tracerRef;
    if (tracer && tracer.pid !== mi?.pid && this.targetRef && (await tracerPid(this.targetRef.pid)) === tracer.pid && (await isAlive(tracer))) {
      await endProcesses([tracer]);
    }
    if (this.targetRef) await resumeIfLeftStopped(this.targetRef, this.stateBefore, detached || !wasAttached ? 0 : UNCLEAN_SETTLE_MS);
    this.window.resume();
    this.guard?.release();
  }

  /** Every command gets a timeout; the first that passes ends gdb (stuck.ts). */
  private watchGdb(mi: MISession, timeoutMs: number): void {
    this.watch = watchCommands(mi, timeoutMs, () => void this.endGdb());
    this.gdbRef = procRef(mi.pid);
    void this.gdbRef.then((ref) => ref && this.guard?.gdb(ref));
  }

  /** The process tracing the target: gdb itself, or the gdb a wrapper script given as --gdb runs. */
  private async tracerOfTarget(): Promise<ProcRef | undefined> {
    const mi = this.miSession;
    if (!mi || !this.targetRef) return undefined;
    const t = await tracerPid(this.targetRef.pid);
    if (!t || !(await descendsFrom(t, mi.pid))) return undefined;
    return procRef(t);
  }

  /** Ends gdb (and the gdb a wrapper runs) without asking it: for a gdb that does not answer in time. */
  private endGdb(): Promise<void> {
    this.ending ??= (async () => {
      const refs = [await this.gdbRef, this.tracerRef ?? (await this.tracerOfTarget())];
      await endProcesses(refs.filter((r, i): r is ProcRef => r !== undefined && (i === 0 || r.pid !== refs[0]?.pid)));
    })();
    return this.ending;
  }
}

/** After gdb died or was ended, how long the target's threads are given to reach the state they keep. */
const UNCLEAN_SETTLE_MS = 300;

async function startGdb(opts: GdbSessionOptions, onStarted: (mi: MISession, timeoutMs: number) => void): Promise<MISession> {
  const log = opts.log;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const gdbPath = opts.gdbPath ?? gdbPathFor(undefined, undefined);
  let mi: MISession;
  try {
    mi = await MISession.start({ gdbPath, ...gdbLaunch(gdbPath), defaultTimeoutMs: timeoutMs, log });
  } catch (e) {
    if (e instanceof GdbSpawnError) {
      const multiarch = opts.gdbPath === 'gdb-multiarch' ? ' (gdb-multiarch reads binaries of other architectures: apt install gdb-multiarch)' : '';
      throw new TargetOpenError('gdb-missing', `cannot start gdb (${e.message}); install gdb ${MIN_GDB_MAJOR} or newer${multiarch}`);
    }
    throw e;
  }
  onStarted(mi, timeoutMs);
  const version = await mi.send('-gdb-version').catch(async (e: unknown) => {
    await mi.close();
    throw e;
  });
  const text = version.streams.map((s) => s.text).join('');
  const v = parseGdbVersion(text);
  if (!v || v[0] < MIN_GDB_MAJOR) {
    await mi.close();
    throw new TargetOpenError('gdb-too-old', `mapscope needs gdb ${MIN_GDB_MAJOR} or newer (with Python); found ${v ? v.join('.') : 'an unknown version'}`);
  }
  // This gdb's first run: where its data directory is, for the light one of later runs.
  if (wantsLightDataDir(gdbPath)) {
    const shown = await mi.send('-gdb-show data-directory').catch(() => undefined);
    const dataDir = shown?.results.value;
    if (typeof dataDir === 'string') makeLightDataDir(gdbPath, dataDir);
  }
  return mi;
}

/** gdb-scripts/ ships beside dist/ and src/; find it from wherever this module was loaded. */
export function bridgeScriptPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'gdb-scripts', 'mapscope.py');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('gdb-scripts/mapscope.py not found beside the mapscope installation');
}

async function loadBridge(mi: MISession): Promise<void> {
  const script = bridgeScriptPath();
  try {
    await mi.send(`-interpreter-exec console ${JSON.stringify(`source ${script}`)}`);
  } catch (e) {
    if (e instanceof MICommandError) throw new TargetOpenError('gdb-too-old', `gdb cannot load the mapscope bridge: ${e.msg}`);
    throw e;
  }
  const features = await mi.send('-list-features');
  const list = features.results.features;
  if (!Array.isArray(list) || !list.includes('python')) throw new TargetOpenError('gdb-too-old', 'this gdb was built without Python; mapscope needs it');
}

/** MI file arguments go bare (MIEngine notes quoting breaks core paths); only paths that need it become c-strings. */
function miPath(path: string): string {
  if (/[\s"\\]/.test(path)) return JSON.stringify(path);
  return path;
}

async function expectDone(mi: MISession, command: string, onError: (msg: string) => never): Promise<void> {
  try {
    await mi.send(command);
  } catch (e) {
    if (e instanceof MICommandError) onError(e.msg);
    throw e;
  }
}

function checkGoBinary(t: BridgeTarget, exe: string): void {
  if (t.goVersionAddress === undefined && t.goBuildInfo) throw new TargetOpenError('no-dwarf', `${exe} is a Go program stripped of its symbols and DWARF (strip, or -ldflags=-s)`);
  if (t.goVersionAddress === undefined) throw new TargetOpenError('not-go', `${exe} is not a Go program (it has no runtime.buildVersion)`);
  if (!t.dwarf) throw new TargetOpenError('no-dwarf', `${exe} has no Go DWARF debug information (built with -ldflags=-w or stripped?)`);
}

/** The e_machine of an ELF file; anything else is not a binary mapscope can open. */
async function elfMachine(path: string): Promise<number> {
  let header: Buffer;
  try {
    const f = await open(path, 'r');
    try {
      header = Buffer.alloc(20);
      const { bytesRead } = await f.read(header, 0, 20, 0);
      header = header.subarray(0, bytesRead);
    } finally {
      await f.close();
    }
  } catch {
    throw new TargetOpenError('no-such-file', `cannot read the executable ${path}`);
  }
  if (header.length < 20 || header.readUInt32BE(0) !== 0x7f454c46) throw new TargetOpenError('not-go', `${path} is not an ELF binary`);
  // EI_DATA (byte 5) says how e_machine (bytes 18-19) is stored: 1 little-endian, 2 big.
  return header[5] === 2 ? header.readUInt16BE(18) : header.readUInt16LE(18);
}

async function liveExe(pid: number): Promise<string> {
  if (!Number.isInteger(pid) || pid <= 0) throw new TargetOpenError('no-such-process', `invalid process id ${pid}`);
  if (!existsSync(`/proc/${pid}`)) throw new TargetOpenError('no-such-process', `no process with pid ${pid}`);
  try {
    return await readlink(`/proc/${pid}/exe`);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new TargetOpenError('permission', `not permitted to read process ${pid} (run as its user or root, or allow ptrace)`);
    if (code === 'ENOENT') throw new TargetOpenError('no-such-process', `process ${pid} has no executable (a kernel thread, or it just exited)`);
    throw e;
  }
}

async function coreFiles(spec: { core: string; exe: string }): Promise<string> {
  for (const [what, path] of [
    ['core file', spec.core],
    ['executable', spec.exe],
  ] as const) {
    try {
      await access(path, constants.R_OK);
    } catch {
      throw new TargetOpenError('no-such-file', `cannot read the ${what} ${path}`);
    }
  }
  await checkCoreAgainstExe(spec.core, spec.exe);
  return resolve(spec.exe);
}

async function attach(mi: MISession, pid: number): Promise<void> {
  try {
    await mi.send(`-target-attach ${pid}`, { timeoutMs: 30_000 });
  } catch (e) {
    if (e instanceof MICommandError) {
      if (/not permitted|Operation not permitted/i.test(e.msg)) {
        throw new TargetOpenError('permission', `not permitted to attach to process ${pid}: ${e.msg} (run as root, or set kernel.yama.ptrace_scope=0)`);
      }
      if (/No such process/i.test(e.msg)) throw new TargetOpenError('no-such-process', `no process with pid ${pid}`);
      throw new TargetOpenError('attach-failed', `cannot attach to process ${pid}: ${e.msg}`);
    }
    throw e;
  }
}

/**
 * gdb's own warning "core file may not match specified executable file" is not heeded: BFD only
 * compares the binary's file name with the command name the kernel cut to 15 characters into
 * the core, so it fires for most real binaries (`payments-gateway-server`) and never for another
 * build of the same name. checkCoreAgainstExe compared build IDs before gdb opened the core.
 */
async function openCore(mi: MISession, core: string): Promise<void> {
  try {
    await mi.send(`-target-select core ${miPath(resolve(core))}`, { timeoutMs: 120_000 });
  } catch (e) {
    if (e instanceof MICommandError) throw new TargetOpenError('not-a-core', `cannot open core ${core}: ${e.msg}`);
    throw e;
  }
}

/**
 * The DWARF's types, read beside gdb's start-up for a binary whose runtime has no typelinks (the
 * analysis then finds map type descriptors through them); a binary with typelinks is spared the
 * read, a quarter of a second of CPU on gopls that gdb's own start-up would feel.
 */
function prefetchTypes(programFile: string): void {
  void buildInfoGoVersion(programFile)
    .then((v) => (hasTypelinks(v) ? undefined : dwarfRuntimeTypes(programFile)))
    .catch(() => undefined);
}
