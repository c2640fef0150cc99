/**
 * gorolocals (test/programs/gorolocals): maps held only by locals and parameters of goroutines
 * parked on a channel receive, a send, a select, a mutex and a sleep, blocked in a system call,
 * spinning on an OS thread and (in crash mode) panicking; for `mapscope goroutines` and
 * `inspect --goroutine G --frame F`. Its ground truth format, and the toolchains it is checked
 * with (one Swiss, one classic).
 */
import { join } from 'node:path';
import { ROOT, programPath } from './paths.js';
import { type Toolchain, presentToolchains } from './toolchains.js';

export const GOROLOCALS_SRC = join(ROOT, 'test', 'programs', 'gorolocals');
export const GOROLOCALS_TOOLCHAINS = ['go1.26', 'go1.22'] as const;

export function gorolocalsToolchains(): Toolchain[] {
  return presentToolchains().filter((tc) => (GOROLOCALS_TOOLCHAINS as readonly string[]).includes(tc.id));
}

export function gorolocalsPath(toolchainId: string): string {
  return programPath(toolchainId, 'gorolocals');
}

export interface LocalTruth {
  /** The local or parameter (or a field path from one) that holds the map. */
  expr: string;
  type: string;
  address: string;
  count: number;
  entries: { key: unknown; value: unknown }[];
}

export interface GoroutineTruth {
  goid: number;
  /** The function whose frame holds the locals, as runtime.FuncForPC names it. */
  function: string;
  /** Go's own traceback header once settled: a wait reason, "syscall" or "running". */
  status: string;
  locals: LocalTruth[];
}

export interface GorolocalsTruth {
  goVersion: string;
  goarch: string;
  ptrSize: number;
  pid: number;
  goroutines: GoroutineTruth[];
}
