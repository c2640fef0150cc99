import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUILD_DIR = join(ROOT, 'test', '.build');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');
export const MAPSUITE_SRC = join(ROOT, 'test', 'programs', 'mapsuite');
export const LAYOUTPROBE_SRC = join(ROOT, 'test', 'programs', 'layoutprobe');

/** GOARCHes `mapscope layout` is checked on, with the toolchains that build for them. */
export const LAYOUT_ARCHES = ['amd64', 'arm64', '386'] as const;
export const LAYOUT_TOOLCHAINS = ['go1.19', 'go1.26', 'go1.27-mapsplitgroup'] as const;

/** A cross build of layoutprobe, e.g. test/.build/go1.19/layoutprobe-arm64. */
export function layoutProbePath(toolchainId: string, goarch: string): string {
  return programPath(toolchainId, `layoutprobe-${goarch}`);
}

export function programPath(toolchainId: string, program = 'mapsuite'): string {
  return join(BUILD_DIR, toolchainId, program);
}

/**
 * A mapscope command line for the tests: a live target gets a pause budget far above the
 * default. The tests compare full reads with the programs' own truth, and on a loaded machine
 * running the suite in parallel a read can outlast the default second; the budget itself is
 * tested with budgets set by its tests (budget.test.ts).
 */
export function cliArgs(args: readonly string[]): string[] {
  const at = args.indexOf('--pid');
  const live = at >= 0 && /^\d+$/.test(args[at + 1] ?? '');
  return live && !args.some((a) => a === '--max-pause' || a.startsWith('--max-pause=')) ? [...args, '--max-pause', '120s'] : [...args];
}
