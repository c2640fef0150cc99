/**
 * services (test/programs/services): the maps real services hold, built on real modules from
 * the Go module proxy (go-cache, golang-lru/v2, google/uuid), a net/http server with requests
 * parked in its handler, generics and a sync.Map; for inspect, list, top and goroutines. Its
 * ground truth format, the sizes the suite runs it with, how it is started (live, or crashed
 * for the kernel's core), and the toolchains it is checked with (one Swiss, one classic).
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { type CliResult, gcore, mapscope, processStatus, tempDir } from './harness.js';
import { ROOT, programPath } from './paths.js';
import { type Toolchain, presentToolchains } from './toolchains.js';

export const SERVICES_SRC = join(ROOT, 'test', 'programs', 'services');
/** go1.19 is the oldest Go the modules build with (golang-lru/v2 needs go1.18). */
export const SERVICES_TOOLCHAINS = ['go1.26', 'go1.19'] as const;
/** Forty characters: the kernel's core notes keep only 15 of a program's name. */
export const SERVICES_EXE = 'services-with-a-name-of-forty-characters';

export function servicesToolchains(): Toolchain[] {
  return presentToolchains().filter((tc) => (SERVICES_TOOLCHAINS as readonly string[]).includes(tc.id));
}

export function servicesPath(toolchainId: string): string {
  return programPath(toolchainId, SERVICES_EXE);
}

/**
 * Moderate sizes, the big shapes kept big enough to matter: 20,000 maps of headers behind a map
 * of pointers, and a 140,000-entry map (top once overflowed its stack past ~125,000 entries).
 * The program's defaults (100,000 requests, 300,000 entries) are for benchmarks.
 */
export const SUITE_SIZES = { objects: 500, sessions: 300, clients: 20, requests: 20_000, catalog: 140_000 } as const;

function sizeArgs(): string[] {
  return Object.entries(SUITE_SIZES).flatMap(([k, v]) => [`-${k}`, String(v)]);
}

export interface Entry {
  key: unknown;
  value: unknown;
}

export interface ServicesMap {
  expr: string;
  type: string;
  keyType: string;
  valueType: string;
  address: string | null;
  count: number;
  entries: Entry[];
}

export interface ServicesGlobal {
  expr: string;
  type: string;
  address: string | null;
  count: number;
}

/** A map that a walk from the package-level variables must find; `via` says how, for messages. */
export interface ServicesFound {
  via: string;
  type: string;
  address: string;
  count: number;
}

export interface ServicesLocal {
  /** The local or parameter, or a field path from one (`st.Paths`, `r.Header`). */
  expr: string;
  type: string;
  keyType: string;
  valueType: string;
  address: string;
  count: number;
  entries: Entry[];
}

export interface ServicesGoroutine {
  goid: number;
  /** As runtime.FuncForPC names it: main.(*api).slow, main.hold[...]. */
  function: string;
  status: string;
  locals: ServicesLocal[];
}

export interface ServicesTruth {
  goVersion: string;
  goarch: string;
  ptrSize: number;
  impl: 'classic' | 'swiss';
  pid: number;
  sizes: typeof SUITE_SIZES;
  maps: ServicesMap[];
  globals: ServicesGlobal[];
  found: ServicesFound[];
  goroutines: ServicesGoroutine[];
}

export interface LiveServices {
  readonly pid: number;
  readonly truth: ServicesTruth;
  readonly dir: string;
  /** mapscope against this process, one at a time: a process has one tracer at a time. */
  attach(args: readonly string[], timeoutMs?: number): Promise<CliResult>;
  /** gdb's gcore of this process, in its turn with the mapscope runs. */
  gcore(file: string): Promise<void>;
  /** /proc/PID/status, read between two attaches: nobody is tracing it then. */
  status(): Promise<{ state: string; tracerPid: number }>;
  stop(): Promise<void>;
}

/** Starts services in live mode at the suite's sizes and waits until it has written its truth. */
export async function startServices(exe: string): Promise<LiveServices> {
  const dir = tempDir('services');
  const truthFile = join(dir, 'truth.json');
  const child: ResultPromise = execa(exe, ['-truth', truthFile, '-mode', 'live', ...sizeArgs()], { cwd: dir, reject: false, buffer: false, stdin: 'ignore', stderr: 'pipe' });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`cannot start ${exe}`);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${exe} did not get READY within 120 s`)), 120_000);
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('READY')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void child.then((r) => {
      clearTimeout(timer);
      reject(new Error(`${exe} exited early (${r.exitCode ?? r.signal}): ${err.slice(0, 2000)}`));
    });
  });
  const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as ServicesTruth;
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(f: () => Promise<T>): Promise<T> => {
    const run = turn.then(f);
    turn = run.catch(() => undefined);
    return run;
  };
  return {
    pid,
    truth,
    dir,
    attach: (args, timeoutMs) => inTurn(() => mapscope(args, timeoutMs)),
    gcore: (file) => inTurn(() => gcore(pid, file)),
    status: () => inTurn(() => Promise.resolve(processStatus(pid))),
    async stop() {
      child.kill('SIGKILL');
      await child.catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface CrashedServices {
  readonly truth: ServicesTruth;
  readonly core: string;
  readonly dir: string;
}

/**
 * Runs services in crash mode at the suite's sizes under `ulimit -c unlimited` and
 * GOTRACEBACK=crash: it writes its truth, then panics and the kernel writes the core.
 */
export async function crashServices(exe: string): Promise<CrashedServices> {
  const dir = tempDir('services-crash');
  const truthFile = join(dir, 'truth.json');
  const r = await execa('bash', ['-c', 'ulimit -c unlimited && exec "$0" "$@"', exe, '-truth', truthFile, '-mode', 'crash', ...sizeArgs()], {
    cwd: dir,
    env: { GOTRACEBACK: 'crash' },
    reject: false,
    stdin: 'ignore',
    timeout: 180_000,
  });
  const cores = readdirSync(dir).filter((f) => f === 'core' || f.startsWith('core.'));
  if (cores.length === 0) {
    const pattern = readFileSync('/proc/sys/kernel/core_pattern', 'utf8').trim();
    throw new Error(`no kernel core dump in ${dir} (exit ${r.exitCode ?? r.signal}; core_pattern is ${JSON.stringify(pattern)}): ${String(r.stderr).slice(0, 2000)}`);
  }
  return { truth: JSON.parse(readFileSync(truthFile, 'utf8')) as ServicesTruth, core: join(dir, cores[0]), dir };
}

/** A function name without its type arguments: main.hold[go.shape.string] and main.hold[...] are main.hold. */
export function withoutTypeArgs(name: string): string {
  let out = '';
  let depth = 0;
  for (const c of name) {
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (depth === 0) out += c;
  }
  return out;
}
