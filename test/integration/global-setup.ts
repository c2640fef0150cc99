/**
 * Before any test: build mapsuite with every toolchain present (two at a time:
 * the machine has two cores).
 */
import { existsSync } from 'node:fs';
import { buildProgram } from './build.js';
import { buildCrossPrograms } from './cross.js';
import { CLI, LAYOUT_ARCHES, LAYOUT_TOOLCHAINS, LAYOUTPROBE_SRC, MAPSUITE_SRC, layoutProbePath, programPath } from './paths.js';
import { presentToolchains } from './toolchains.js';
import { HIDEOUT_SRC, discoverToolchains } from './hideout.js';
import { SAFEPROBE_SRC, safeprobePath, safetyToolchains } from './safe-probe.js';
import { GOROLOCALS_SRC, gorolocalsPath, gorolocalsToolchains } from './gorolocals.js';
import { SERVICES_SRC, servicesPath, servicesToolchains } from './services.js';

export default async function setup(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' first (npm test does)`);
  const queue = presentToolchains();
  const worker = async () => {
    for (let tc = queue.shift(); tc; tc = queue.shift()) await buildProgram(MAPSUITE_SRC, tc, programPath(tc.id));
  };
  await Promise.all([worker(), worker()]);
  // For the safety tests: safeprobe, with one Swiss and one classic toolchain.
  for (const tc of safetyToolchains()) await buildProgram(SAFEPROBE_SRC, tc, safeprobePath(tc.id));
  // For list and top: hideout, with one Swiss and one classic toolchain.
  for (const tc of discoverToolchains()) await buildProgram(HIDEOUT_SRC, tc, programPath(tc.id, 'hideout'));
  // For goroutines and inspect --goroutine: gorolocals, with one Swiss and one classic toolchain.
  for (const tc of gorolocalsToolchains()) await buildProgram(GOROLOCALS_SRC, tc, gorolocalsPath(tc.id));
  // For the services corpus: services, on modules from the Go module proxy, under a 40-character name.
  for (const tc of servicesToolchains()) await buildProgram(SERVICES_SRC, tc, servicesPath(tc.id));
  // For the error tests: a Go binary without DWARF.
  const [machine] = presentToolchains();
  if (machine) await buildProgram(MAPSUITE_SRC, machine, programPath(machine.id, 'mapsuite-nodwarf'), {}, ['-ldflags=-w']);
  // ... stripped of symbols and DWARF by the linker; and a rebuild that differs only in its
  // build ID (same code, same entry point), for the core/binary check.
  if (machine) await buildProgram(MAPSUITE_SRC, machine, programPath(machine.id, 'mapsuite-s'), {}, ['-ldflags=-s -w']);
  if (machine) await buildProgram(MAPSUITE_SRC, machine, programPath(machine.id, 'mapsuite-rebuilt'), {}, ['-ldflags=-X=main.rebuild=1']);
  // A position-independent build: its core is loaded at a relocated address.
  if (machine) await buildProgram(MAPSUITE_SRC, machine, programPath(machine.id, 'mapsuite-pie'), {}, ['-buildmode=pie']);
  // For mapscope layout: layoutprobe cross-built for every arch it is checked on (GOARCH is in
  // the build hash through the environment). Go's DWARF is zlib-compressed and, from 1.25, DWARF 5:
  // pahole 1.24 reads both, so the builds use Go's defaults.
  // mapsuite for arm64 and s390x (run under qemu-user for their cores) and 386 (run natively).
  await buildCrossPrograms();
  for (const tc of presentToolchains().filter((t) => (LAYOUT_TOOLCHAINS as readonly string[]).includes(t.id))) {
    for (const goarch of LAYOUT_ARCHES) await buildProgram(LAYOUTPROBE_SRC, tc, layoutProbePath(tc.id, goarch), { GOARCH: goarch });
  }
}
