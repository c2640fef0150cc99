/**
 * mapscope inspect --core against two kinds of core dump per toolchain: gdb's gcore of a live
 * program, and the kernel's own core written when the program aborts with GOTRACEBACK=crash.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectAnalysisMatchesTruth, expectMatchesTruth, expectStderrWarnings, type InspectJson } from './compare.js';
import { gcore, kernelCore, mapscope, startProgram, type Truth } from './harness.js';
import { programPath } from './paths.js';
import { presentToolchains } from './toolchains.js';

async function inspectCore(core: string, exe: string, truth: Truth): Promise<InspectJson> {
  const r = await mapscope(['inspect', ...truth.maps.map((m) => m.expr), '--core', core, '--exe', exe, '--json']);
  expectStderrWarnings(r.stderr, truth);
  expect(r.exitCode).toBe(0);
  return JSON.parse(r.stdout) as InspectJson;
}

describe.each(presentToolchains().map((tc) => [tc.id, tc] as const))('core dumps, %s', (_id, tc) => {
  const exe = programPath(tc.id);

  it('gcore: reads every map exactly', async () => {
    const prog = await startProgram(exe);
    try {
      const core = join(prog.dir, 'gcore.core');
      await gcore(prog.pid, core);
      const out = await inspectCore(core, exe, prog.truth);
      expect(out.target.pid).toBeNull();
      expectMatchesTruth(out, prog.truth, 'core');
      expectAnalysisMatchesTruth(out, prog.truth);
    } finally {
      await prog.stop();
    }
  });

  it('kernel core (GOTRACEBACK=crash): reads every map exactly', async () => {
    const crashed = await kernelCore(exe);
    try {
      const out = await inspectCore(crashed.core, exe, crashed.truth);
      expectMatchesTruth(out, crashed.truth, 'core');
      expectAnalysisMatchesTruth(out, crashed.truth);
    } finally {
      rmSync(crashed.dir, { recursive: true, force: true });
    }
  });
});

describe('core dump of a position-independent executable', () => {
  const [machine] = presentToolchains();
  it(`kernel core of a -buildmode=pie build (${machine.id}): reads every map exactly`, async () => {
    const exe = programPath(machine.id, 'mapsuite-pie');
    const crashed = await kernelCore(exe);
    try {
      const out = await inspectCore(crashed.core, exe, crashed.truth);
      expectMatchesTruth(out, crashed.truth, 'core');
      expectAnalysisMatchesTruth(out, crashed.truth);
    } finally {
      rmSync(crashed.dir, { recursive: true, force: true });
    }
  });
});
