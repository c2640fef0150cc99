/**
 * Running the test programs and mapscope against them: live processes, gdb's gcore, and the
 * kernel's own core dumps.
 */
import { mkdtempSync, readFileSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { CLI, cliArgs } from './paths.js';

export interface Truth {
  goVersion: string;
  goarch: string;
  ptrSize: number;
  impl: 'classic' | 'swiss';
  pid: number;
  maps: TruthMap[];
}

export interface TruthMap {
  expr: string;
  type: string;
  keyType: string;
  valueType: string;
  nil: boolean;
  address: string | null;
  count: number;
  entries: { key: unknown; value: unknown }[];
  classic?: Record<string, unknown> | null;
  swiss?: Record<string, unknown> | null;
  shape?: string[];
}

export interface LiveProgram<T = Truth> {
  readonly pid: number;
  readonly truth: T;
  readonly dir: string;
  stop(): Promise<void>;
}

/** How a test program is run besides `-truth FILE -mode live|crash`: its own flags, and how long it may take. */
export interface ProgramOptions {
  readonly args?: readonly string[];
  readonly timeoutMs?: number;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `mapscope-${prefix}-`));
}

/** Starts a test program in live mode and waits until it has written its ground truth. */
export async function startProgram<T = Truth>(binary: string, opts: ProgramOptions = {}): Promise<LiveProgram<T>> {
  const dir = tempDir('live');
  const truthFile = join(dir, 'truth.json');
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const child: ResultPromise = execa(binary, ['-truth', truthFile, '-mode', 'live', ...(opts.args ?? [])], { cwd: dir, reject: false, buffer: false, stdin: 'ignore' });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`cannot start ${binary}`);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${binary} did not get READY within ${timeoutMs / 1000} s`)), timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('READY')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void child.then((r) => {
      clearTimeout(timer);
      reject(new Error(`${binary} exited early (${r.exitCode ?? r.signal}): ${String(r.stderr ?? '').slice(0, 2000)}`));
    });
  });
  const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as T;
  return {
    pid,
    truth,
    dir,
    async stop() {
      child.kill('SIGKILL');
      await child.catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function mapscope(args: readonly string[], timeoutMs = 180_000): Promise<CliResult> {
  const r = await execa('node', [CLI, ...cliArgs(args)], { reject: false, timeout: timeoutMs, stdin: 'ignore', maxBuffer: 1 << 30 });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** gdb's gcore on a live process; the process runs on afterwards. */
export async function gcore(pid: number, file: string): Promise<void> {
  await execa('gdb', ['-nx', '-batch', '-iex', 'set auto-load off', '-p', String(pid), '-ex', `gcore ${file}`, '-ex', 'detach'], { stdin: 'ignore' });
  if (!existsSync(file)) throw new Error(`gcore wrote no ${file}`);
}

export interface CrashedProgram<T = Truth> {
  readonly truth: T;
  readonly core: string;
  readonly dir: string;
}

/**
 * Runs a test program in crash mode under `ulimit -c unlimited` and GOTRACEBACK=crash: it writes
 * its truth, then aborts and the kernel writes the core (core_pattern permitting).
 */
export async function kernelCore<T = Truth>(binary: string, opts: ProgramOptions = {}): Promise<CrashedProgram<T>> {
  const dir = tempDir('crash');
  const truthFile = join(dir, 'truth.json');
  const pattern = readFileSync('/proc/sys/kernel/core_pattern', 'utf8').trim();
  const r = await execa('bash', ['-c', 'ulimit -c unlimited && exec "$0" "$@"', binary, '-truth', truthFile, '-mode', 'crash', ...(opts.args ?? [])], {
    cwd: dir,
    env: { GOTRACEBACK: 'crash' },
    reject: false,
    stdin: 'ignore',
    timeout: opts.timeoutMs ?? 120_000,
  });
  const cores = readdirSync(dir).filter((f) => f === 'core' || f.startsWith('core.'));
  if (cores.length === 0) {
    throw new Error(`no kernel core dump in ${dir} (exit ${r.exitCode ?? r.signal}; core_pattern is ${JSON.stringify(pattern)})`);
  }
  return { truth: JSON.parse(readFileSync(truthFile, 'utf8')) as T, core: join(dir, cores[0]), dir };
}

/** /proc/PID/status fields, to check that a process was left running and untraced. */
export function processStatus(pid: number): { state: string; tracerPid: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const state = /^State:\s+(\S)/m.exec(s)?.[1] ?? '?';
  const tracerPid = Number(/^TracerPid:\s+(\d+)/m.exec(s)?.[1] ?? -1);
  return { state, tracerPid };
}
