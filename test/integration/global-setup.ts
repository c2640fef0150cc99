/**
 * Before any test: build mapsuite with every toolchain present (two at a time: the machine
 * has two cores).
 */
import { existsSync } from 'node:fs';
import { buildProgram } from './build.js';
import { CLI, MAPSUITE_SRC, programPath } from './paths.js';
import { presentToolchains } from './toolchains.js';

export default async function setup(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' first (npm test does)`);
  const queue = presentToolchains();
  const worker = async () => {
    for (let tc = queue.shift(); tc; tc = queue.shift()) await buildProgram(MAPSUITE_SRC, tc, programPath(tc.id));
  };
  await Promise.all([worker(), worker()]);
  // For the error tests: a Go binary without DWARF.
  const [machine] = presentToolchains();
  if (machine) await buildProgram(MAPSUITE_SRC, machine, programPath(machine.id, 'mapsuite-nodwarf'), {}, ['-ldflags=-w']);
  // A position-independent build: its core is loaded at a relocated address.
  if (machine) await buildProgram(MAPSUITE_SRC, machine, programPath(machine.id, 'mapsuite-pie'), {}, ['-buildmode=pie']);
}
