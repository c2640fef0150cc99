/**
 * gorolocals (test/programs/gorolocals): maps held only by locals and parameters of goroutines
 * parked on a channel receive, a send, a select, a mutex and a sleep, blocked in a system call,
 * spinning on an OS thread and (in crash mode) panicking, and by generic functions (shape types,
 * named from the dictionary or not at all); for `mapscope goroutines` and
 * `inspect --goroutine G --frame F`. Its ground truth format, and the toolchains it is checked
 * with: one Swiss and one classic, live and from the kernel's core, and Go 1.19 from the kernel's
 * core only, where gdb does not unwind from the signal handler to the goroutine that crashed.
 */
import { join } from 'node:path';
import { ROOT, programPath } from './paths.js';
import { type Toolchain, presentToolchains } from './toolchains.js';

export const GOROLOCALS_SRC = join(ROOT, 'test', 'programs', 'gorolocals');
export const GOROLOCALS_TOOLCHAINS = ['go1.26', 'go1.22', 'go1.19'] as const;
/** Checked from the kernel's core only: what they add is the crashed goroutine's signal frame. */
export const GOROLOCALS_CORE_ONLY: readonly string[] = ['go1.19'];

export function gorolocalsToolchains(): Toolchain[] {
  return presentToolchains().filter((tc) => (GOROLOCALS_TOOLCHAINS as readonly string[]).includes(tc.id));
}

export function gorolocalsPath(toolchainId: string): string {
  return programPath(toolchainId, 'gorolocals');
}

/**
 * gorolocals for arm64, whose core qemu-user writes: gdb stops in Go's signal handler there in
 * every Go version (runtime.sigtramp ends the CFI), so one toolchain covers it.
 */
export const GOROLOCALS_ARM64_TOOLCHAIN = 'go1.26';

export function gorolocalsArm64Path(toolchainId: string): string {
  return programPath(toolchainId, 'gorolocals-arm64');
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
  /** A generic holder that keeps no dictionary: its maps' names are known only as shapes. */
  shapes?: boolean;
}

export interface GorolocalsTruth {
  goVersion: string;
  goarch: string;
  ptrSize: number;
  pid: number;
  goroutines: GoroutineTruth[];
}
