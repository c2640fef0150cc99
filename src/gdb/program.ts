/**
 * What a gdb session loaded, for those that hold only its MISession (the variable lister):
 * the file gdb read the program from, and where runtime.buildVersion ended up in the target,
 * which gives the distance between link-time and run-time addresses (nonzero for PIE).
 */
import type { MISession } from '../mi/index.js';

export interface LoadedProgram {
  /** The file gdb read symbols from: the binary given, or /proc/PID/exe for a live process. */
  readonly exe: string;
  /** runtime.buildVersion's address in the target, as gdb resolved it; undefined if it has none. */
  readonly buildVersionAddress: bigint | undefined;
}

const programs = new WeakMap<MISession, LoadedProgram>();

export function setLoadedProgram(mi: MISession, program: LoadedProgram): void {
  programs.set(mi, program);
}

export function loadedProgram(mi: MISession): LoadedProgram | undefined {
  return programs.get(mi);
}
