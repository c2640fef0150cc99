import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUILD_DIR = join(ROOT, 'test', '.build');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');
export const MAPSUITE_SRC = join(ROOT, 'test', 'programs', 'mapsuite');

export function programPath(toolchainId: string, program = 'mapsuite'): string {
  return join(BUILD_DIR, toolchainId, program);
}
