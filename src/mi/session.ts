/**
 * One long-lived gdb process spoken to over gdb/MI3. Commands carry numeric
 * tokens so answers are matched by token, never by order.
 */

import { captureCallSite, withCallSite, type CallSite } from './call-site.js';
import { GdbExitedError, GdbSpawnError, MIClosedError, MICommandError, MIError, MIParseError, MITimeoutError } from './errors.js';
import { LineFramer } from './framer.js';
import { parseMILine } from './parser.js';
import { PendingTable, type PendingCommand } from './pending.js';
import type { MICommandResult, MIRecord, MIResultRecord } from './records.js';
import { spawnError, spawnGdb, type GdbProcess } from './spawn.js';
import { StderrTail } from './stderr-tail.js';

export interface MISessionOptions {
  /** Defaults to `gdb` on PATH. */
  gdbPath?: string;
  /** Extra gdb arguments, after `--interpreter=mi3 -q -nx`. */
  args?: readonly string[];
  /** Merged into process.env. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Per-command timeout when send() is given none; 30 s if unset. 0 or Infinity: no timeout. */
  defaultTimeoutMs?: number;
  /** How long to wait for gdb's first prompt; 10 s if unset. */
  startTimeoutMs?: number;
  /** Every record not consumed as the answer to one of our commands (streams are passed here too). */
  onRecord?: (record: MIRecord) => void;
  /** Raw traffic, named after gdb's streams: 'in' = written to its stdin, 'out' = its stdout, 'err' = its stderr. */
  log?: (line: string, dir: 'in' | 'out' | 'err') => void;
}

export interface SendOptions {
  /** Overrides defaultTimeoutMs; 0 or Infinity: no timeout. */
  timeoutMs?: number;
}

export interface CloseOptions {
  /** Budget for a polite `-gdb-exit` before gdb is SIGKILLed; 2 s if unset. */
  timeoutMs?: number;
}

export interface GdbExit {
  exitCode: number | null;
  signal: string | null;
}

interface Waiter extends PendingCommand {
  readonly site: CallSite;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_START_TIMEOUT_MS = 10_000;
const DEFAULT_CLOSE_TIMEOUT_MS = 2_000;
// How long stdout EOF and process exit wait for each other: gdb's last answers may
// still be in the pipe at exit, and after EOF the exit status makes better errors.
const EXIT_STATUS_GRACE_MS = 250;

export class MISession {
  readonly pid: number;
  /** Settles (never rejects) once the gdb process has exited and been reaped. */
  readonly onExit: Promise<GdbExit>;

  private readonly pending = new PendingTable<Waiter>();
  private readonly stdout = new LineFramer();
  private readonly stderrLines = new LineFramer();
  private readonly stderrTail = new StderrTail();
  private readonly defaultTimeoutMs: number;
  private nextToken = 1;
  private exitInfo: GdbExit | undefined;
  private outputClosed = false;
  /** Set by close() or by gdb answering `^exit`: no new commands are accepted. */
  private closed = false;
  private closing: Promise<void> | undefined;
  private promptSeen: (() => void) | undefined;

  private constructor(
    private readonly proc: GdbProcess,
    pid: number,
    private readonly opts: MISessionOptions,
  ) {
    this.pid = pid;
    this.defaultTimeoutMs = opts.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    // The 'exit' event, not 'close': that one also waits for the pipes to close, which
    // grandchildren (`shell` commands, inferiors) can hold open for ever.
    const exited = new Promise<GdbExit>((resolve) =>
      proc.once('exit', (exitCode, signal) => resolve({ exitCode, signal })),
    );
    const stdoutEnded = new Promise<void>((resolve) => proc.stdout.once('end', resolve));
    this.onExit = exited.then(async (info) => {
      // Answers gdb wrote just before exiting may still be in the pipe.
      await settlesWithin(stdoutEnded, EXIT_STATUS_GRACE_MS);
      this.exitInfo = info;
      this.failPending();
      proc.stdout.destroy();
      proc.stderr.destroy();
      proc.stdin.destroy();
      return info;
    });
    proc.stdout.on('data', (chunk: Buffer | string) => this.onLines(this.stdout.push(chunk)));
    proc.stdout.on('end', () => this.onStdoutEnd());
    proc.stderr.on('data', (chunk: Buffer | string) => {
      this.stderrTail.push(chunk);
      for (const line of this.stderrLines.push(chunk)) opts.log?.(line, 'err');
    });
    // EPIPE once gdb is gone: the exit handler reports it; this keeps it from being an unhandled 'error'.
    proc.stdin.on('error', () => undefined);
    // spawnGdb pauses gdb's output until this session listens (a gdb started ahead may have
    // printed its first prompt already): let it flow now.
    proc.stdout.resume();
    proc.stderr.resume();
  }

  static async start(opts: MISessionOptions = {}): Promise<MISession> {
    const gdbPath = opts.gdbPath ?? 'gdb';
    let proc: GdbProcess;
    try {
      proc = spawnGdb(gdbPath, opts);
    } catch (e) {
      throw new GdbSpawnError(gdbPath, e instanceof Error ? e.message : String(e), { cause: e });
    }
    if (proc.pid === undefined) {
      // Node reports spawn failures (ENOENT, EACCES) asynchronously, as an 'error' event.
      const e = await spawnError(proc);
      throw new GdbSpawnError(gdbPath, e.message || 'spawn failed', { cause: e });
    }
    const session = new MISession(proc, proc.pid, opts);
    await session.waitForFirstPrompt(opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
    return session;
  }

  get exited(): boolean {
    return this.exitInfo !== undefined;
  }

  /**
   * Sends one MI (or CLI) command line; resolves with gdb's `^done|^running|^connected|^exit`
   * answer plus the stream output printed while it ran.
   */
  send(command: string, opts: SendOptions = {}): Promise<MICommandResult> {
    const site = captureCallSite(MISession.prototype.send);
    if (this.closed) return Promise.reject(withCallSite(new MIClosedError(command), site));
    return this.write(command, opts.timeoutMs ?? this.defaultTimeoutMs, site);
  }

  /** Asks gdb to exit, SIGKILLs it if it has not within the timeout, and waits until it is reaped. Idempotent. */
  close(opts: CloseOptions = {}): Promise<void> {
    this.closing ??= this.shutDown(opts.timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS);
    return this.closing;
  }

  private async shutDown(timeoutMs: number): Promise<void> {
    const wasClosed = this.closed;
    this.closed = true;
    if (this.exited) return;
    const deadline = Date.now() + timeoutMs;
    if (!wasClosed && !this.outputClosed) {
      const site = captureCallSite(MISession.prototype.close);
      // At least 1 ms: 0 would mean "no timeout" to write().
      await this.write('-gdb-exit', Math.max(1, timeoutMs), site).catch(() => undefined);
    }
    // EOF on stdin makes gdb quit too, should it have ignored -gdb-exit.
    this.proc.stdin.end();
    const left = Math.max(0, deadline - Date.now());
    if (!(await settlesWithin(this.onExit, left))) this.proc.kill('SIGKILL');
    await this.onExit;
  }

  private write(command: string, timeoutMs: number, site: CallSite): Promise<MICommandResult> {
    if (/[\r\n]/.test(command)) {
      return Promise.reject(withCallSite(new MIError('an MI command must be a single line'), site));
    }
    if (this.exitInfo !== undefined || this.outputClosed) {
      return Promise.reject(withCallSite(this.exitedError(command), site));
    }
    const token = this.nextToken++;
    const line = `${token}${command}`;
    return new Promise<MICommandResult>((resolve, reject) => {
      const w: Waiter = { token, command, site, streams: [], abandoned: false, resolve, reject, timer: undefined };
      if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
        w.timer = setTimeout(() => {
          if (this.pending.abandon(token) !== undefined) reject(withCallSite(new MITimeoutError(command, timeoutMs), site));
        }, timeoutMs);
      }
      this.pending.add(w);
      this.opts.log?.(line, 'in');
      this.proc.stdin.write(`${line}\n`);
    });
  }

  private onLines(lines: string[]): void {
    for (const line of lines) {
      this.opts.log?.(line, 'out');
      this.dispatch(parseLenient(line));
    }
  }

  private dispatch(record: MIRecord): void {
    switch (record.type) {
      case 'result':
        if (this.settle(record)) return;
        break;
      case 'console':
      case 'target':
      case 'log':
        this.pending.addStream(record);
        break;
      case 'prompt':
        this.promptSeen?.();
        break;
      default:
        break;
    }
    this.emit(record);
  }

  /** Returns true if the record answered (or was a late answer to) one of our commands. */
  private settle(record: MIResultRecord): boolean {
    if (record.resultClass === 'exit') this.closed = true;
    const p = this.pending.takeFor(record);
    if (p === undefined) return false;
    if (p === 'ignored') return true;
    if (record.resultClass === 'error') {
      const msg = typeof record.results.msg === 'string' ? record.results.msg : 'unknown error';
      const code = typeof record.results.code === 'string' ? record.results.code : undefined;
      p.reject(withCallSite(new MICommandError(p.command, msg, code), p.site));
    } else {
      p.resolve({ ...record, streams: p.streams });
    }
    return true;
  }

  private emit(record: MIRecord): void {
    try {
      this.opts.onRecord?.(record);
    } catch (e) {
      // A throwing listener must not tear down the stdout pipeline (and with it every pending command).
      process.emitWarning(`MISession onRecord listener threw: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private onStdoutEnd(): void {
    this.onLines(this.stdout.end());
    this.outputClosed = true;
    // No answer can arrive any more; fail pending commands, preferably with the exit status.
    void settlesWithin(this.onExit, 2 * EXIT_STATUS_GRACE_MS).then(() => this.failPending());
  }

  private failPending(): void {
    this.pending.failAll((p) => withCallSite(this.exitedError(p.command), p.site));
  }

  private exitedError(command: string): GdbExitedError {
    const info = this.exitInfo;
    return new GdbExitedError(info?.exitCode ?? null, info?.signal ?? null, this.stderrTail.toString(), command, this.endedFor);
  }

  /** Why gdb is being ended from outside (a command that timed out): the commands it fails say so. */
  endedFor: string | undefined;

  private async waitForFirstPrompt(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const prompt = new Promise<'prompt'>((resolve) => (this.promptSeen = () => resolve('prompt')));
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = await Promise.race([prompt, timeout, this.onExit.then(() => 'exit' as const)]);
    clearTimeout(timer);
    this.promptSeen = undefined;
    if (outcome === 'prompt') return;
    if (outcome === 'timeout') {
      this.proc.kill('SIGKILL');
      await this.onExit;
      throw new MITimeoutError('(waiting for the first gdb prompt)', timeoutMs);
    }
    throw this.exitedError('(startup)');
  }
}

function parseLenient(line: string): MIRecord {
  try {
    return parseMILine(line);
  } catch (e) {
    // Inferior output can look like MI (`=== RUN`, `~/path`); it is reported, not fatal.
    if (e instanceof MIParseError) return { type: 'unknown', line };
    throw e;
  }
}

async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const done = await Promise.race([p.then(() => true), timeout]);
  clearTimeout(timer);
  return done;
}
