/**
 * Before the end-to-end test: the pieces it needs must be there (the CLI, the packaged
 * extension, code-server with its Node 24, Chromium, gdb), and mapsuite is built with the
 * machine's toolchain (cached with the main suite's builds).
 */
import { existsSync } from 'node:fs';
import { buildProgram } from '../integration/build.js';
import { CLI, MAPSUITE_SRC, programPath } from '../integration/paths.js';
import { presentToolchains } from '../integration/toolchains.js';
import { CHROMIUM, CODE_SERVER, NODE24_BIN, vsixPath } from './paths.js';

export default async function setup(): Promise<void> {
  const missing: string[] = [];
  if (!existsSync(CLI)) missing.push(`${CLI}: run 'npm run build' (npm run test:e2e does)`);
  const vsix = vsixPath();
  if (!existsSync(vsix)) missing.push(`${vsix}: run 'npm run package' (npm run test:e2e does)`);
  if (!existsSync(CODE_SERVER) || !existsSync(`${NODE24_BIN}/node`)) missing.push(`${CODE_SERVER}: run scripts/install-e2e.sh`);
  if (!existsSync(CHROMIUM)) missing.push(`${CHROMIUM}: install Debian's chromium (scripts/install-system.sh)`);
  if (missing.length) throw new Error(`the end-to-end test cannot run:\n  ${missing.join('\n  ')}`);
  const [machine] = presentToolchains();
  if (!machine) throw new Error('no Go toolchain found to build test/programs/mapsuite');
  await buildProgram(MAPSUITE_SRC, machine, programPath(machine.id));
}
