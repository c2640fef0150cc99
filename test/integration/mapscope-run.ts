/**
 * mapscope run in the background with its gdb traffic traced (MAPSCOPE_TRACE), so that a test
 * can strike at a known moment: while gdb is reading the map's memory.
 */
import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import { CLI, cliArgs } from './paths.js';

export interface RunOptions {
  env?: Record<string, string>;
  /** In a process group of its own (pid = pgid), to be killed with its gdb at once. */
  detached?: boolean;
}

export interface Exit {
  exitCode: number | undefined;
  signal: string | undefined;
  ms: number;
  /** What mapscope said on stderr, but its trace. */
  stderr: string;
}

/** A trace line (gdb traffic or a phase), stamped with milliseconds since start (trace-log.ts). */
const TRACE_LINE = /^\[(?:\s*\d+ )?(?:gdb \w+|phase)\]/;

/** The bridge's reads: hex over MI, and through the memory channel. */
const READS: ReadonlySet<string> = new Set(['-mapscope-read', '-mapscope-read-to']);

/** A bulk read this big is a read of bucket or group arrays, not of a header or a type. */
const BULK_BYTES = 64 << 10;

export class MapscopeRun {
  readonly child: ResultPromise;
  readonly pid: number;
  private readonly started = Date.now();
  private readonly lines: string[] = [];
  private readonly listeners = new Set<() => void>();
  private bulkReads = 0;
  private afterAttach = -1;

  constructor(args: readonly string[], opts: RunOptions = {}) {
    this.child = execa('node', [CLI, ...cliArgs(args)], {
      // These runs are interrupted mid-read, and told apart by what gdb is sent: gdb does the
      // reading (mapscope reads a stopped process's memory file itself otherwise).
      env: { MAPSCOPE_TRACE: '1', MAPSCOPE_PROC_MEM: 'off', ...opts.env },
      detached: opts.detached ?? false,
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: 'pipe',
      buffer: false,
      reject: false,
    });
    if (this.child.pid === undefined || !this.child.stderr) throw new Error('cannot start mapscope');
    this.pid = this.child.pid;
    createInterface({ input: this.child.stderr }).on('line', (line) => this.onLine(line));
  }

  /** Resolves once gdb has been sent `n` bulk reads of map memory (it is reading the n-th). */
  bulkRead(n = 1): Promise<void> {
    return this.when(() => this.bulkReads >= n, `bulk read #${n}`);
  }

  /** Resolves once `n` commands have been sent after -target-attach. */
  commandsAfterAttach(n: number): Promise<void> {
    return this.when(() => this.afterAttach >= n, `command #${n} after the attach`);
  }

  stderr(): string {
    return this.lines.filter((l) => !TRACE_LINE.test(l)).join('\n');
  }

  async exit(): Promise<Exit> {
    const r = await this.child;
    return { exitCode: r.exitCode, signal: r.signal, ms: Date.now() - this.started, stderr: this.lines.filter((l) => !TRACE_LINE.test(l)).join('\n') };
  }

  private onLine(line: string): void {
    this.lines.push(line);
    const m = /^\[(?:\s*\d+ )?gdb in\] \d+(-\S+)(.*)$/.exec(line);
    if (m) {
      if (this.afterAttach >= 0) this.afterAttach++;
      if (m[1] === '-target-attach') this.afterAttach = 0;
      if (READS.has(m[1]) && readBytes(m[1], m[2]) >= BULK_BYTES) this.bulkReads++;
      for (const l of this.listeners) l();
    }
  }

  private when(done: () => boolean, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        this.listeners.delete(check);
        this.child.removeListener('exit', onExit);
        resolve();
      };
      const onExit = () => {
        this.listeners.delete(check);
        reject(new Error(`mapscope exited before ${what}:\n${this.stderr()}`));
      };
      this.listeners.add(check);
      this.child.once('exit', onExit);
      check();
    });
  }
}

/**
 * The byte count of `-mapscope-read ADDR LEN ADDR LEN...` (as much of it as the trace shows), or
 * of `-mapscope-read-to CHANNEL COUNT BYTES`, whose ranges travel in the memory channel.
 */
function readBytes(command: string, args: string): number {
  if (command === '-mapscope-read-to') return Number(/ (\d+)$/.exec(args)?.[1] ?? 0);
  let sum = 0;
  for (const m of args.matchAll(/0x[0-9a-f]+ (\d+)/g)) sum += Number(m[1]);
  return sum;
}

export interface TracedRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `mapscope inspect EXPRS --core CORE --exe EXE --json` to the end, with its MI traffic traced on stderr. */
export async function inspectCoreTraced(exprs: readonly string[], core: string, exe: string, env: Record<string, string>, timeoutMs: number): Promise<TracedRun> {
  const r = await execa('node', [CLI, 'inspect', ...exprs, '--core', core, '--exe', exe, '--json'], {
    env: { MAPSCOPE_TRACE: '1', ...env },
    reject: false,
    timeout: timeoutMs,
    stdin: 'ignore',
    maxBuffer: 1 << 30,
  });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}
