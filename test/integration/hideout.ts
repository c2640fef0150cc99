/**
 * hideout (test/programs/hideout): maps hidden in nested structs, slices of pointers, arrays,
 * interfaces and maps of maps, for mapscope list and top; its ground truth format; the
 * toolchains it is checked with (one Swiss, one classic).
 */
import { join } from 'node:path';
import { ROOT, programPath } from './paths.js';
import { type Toolchain, presentToolchains } from './toolchains.js';

export const HIDEOUT_SRC = join(ROOT, 'test', 'programs', 'hideout');
export const DISCOVER_TOOLCHAINS = ['go1.26', 'go1.22', 'go1.27'] as const;

export function discoverToolchains(): Toolchain[] {
  return presentToolchains().filter((tc) => (DISCOVER_TOOLCHAINS as readonly string[]).includes(tc.id));
}

export function hideoutPath(toolchainId: string): string {
  return programPath(toolchainId, 'hideout');
}

export interface HideoutGlobal {
  expr: string;
  type: string;
  address: string | null;
  count: number;
}

export interface HideoutMap {
  /** The shortest paths to the map (any one may be reported); longer ones in `others`. */
  paths: string[];
  others?: string[];
  type: string;
  address: string;
  count: number;
}

export interface HideoutTruth {
  goVersion: string;
  impl: 'classic' | 'swiss';
  pid: number;
  globals: HideoutGlobal[];
  maps: HideoutMap[];
  /** Maps no walk within default bounds reaches (deep in the ring). */
  beyond: HideoutMap[];
  ringSize: number;
  leaves: number;
}
