/**
 * services (test/programs/services): the maps real services hold, built on real modules from
 * the Go module proxy (go-cache, golang-lru/v2, google/uuid), a net/http server with requests
 * parked in its handler, generics and a sync.Map; for inspect, list, top and goroutines. Its
 * ground truth format, the sizes the suite runs it with, how it is started (live, or crashed
 * for the kernel's core), and the toolchains it is checked with (one Swiss, one classic).
 */
import { join } from 'node:path';
import { type CliResult, type CrashedProgram, gcore, kernelCore, mapscope, processStatus, startProgram } from './harness.js';
import { ROOT, programPath } from './paths.js';
import { type Toolchain, presentToolchains } from './toolchains.js';

export const SERVICES_SRC = join(ROOT, 'test', 'programs', 'services');
/** go1.19 is the oldest Go the modules build with (golang-lru/v2 needs go1.18). */
export const SERVICES_TOOLCHAINS = ['go1.26', 'go1.19', 'go1.27-mapsplitgroup'] as const;
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
  const prog = await startProgram<ServicesTruth>(exe, { args: sizeArgs(), timeoutMs: 120_000 });
  const pid = prog.pid;
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(f: () => Promise<T>): Promise<T> => {
    const run = turn.then(f);
    turn = run.catch(() => undefined);
    return run;
  };
  return {
    pid,
    truth: prog.truth,
    dir: prog.dir,
    attach: (args, timeoutMs) => inTurn(() => mapscope(args, timeoutMs)),
    gcore: (file) => inTurn(() => gcore(pid, file)),
    status: () => inTurn(() => Promise.resolve(processStatus(pid))),
    stop: () => prog.stop(),
  };
}

export type CrashedServices = CrashedProgram<ServicesTruth>;

/**
 * Runs services in crash mode at the suite's sizes under `ulimit -c unlimited` and
 * GOTRACEBACK=crash: it writes its truth, then panics and the kernel writes the core.
 */
export function crashServices(exe: string): Promise<CrashedServices> {
  return kernelCore<ServicesTruth>(exe, { args: sizeArgs(), timeoutMs: 180_000 });
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
