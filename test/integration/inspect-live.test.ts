/**
 * mapscope inspect --pid against live test programs, one per toolchain: the JSON equals the
 * program's own ground truth, and the program runs on, untraced, afterwards.
 */
import { describe, expect, it } from 'vitest';
import { expectAnalysisMatchesTruth, expectMatchesTruth, expectStderrWarnings, type InspectJson } from './compare.js';
import { mapscope, processStatus, startProgram } from './harness.js';
import { programPath } from './paths.js';
import { presentToolchains } from './toolchains.js';

describe.each(presentToolchains().map((tc) => [tc.id, tc] as const))('live process, %s', (_id, tc) => {
  it('reads every map exactly as the program sees itself, and leaves it running', async () => {
    const prog = await startProgram(programPath(tc.id));
    try {
      expect(prog.truth.impl).toBe(tc.impl);
      const r = await mapscope(['inspect', ...prog.truth.maps.map((m) => m.expr), '--pid', String(prog.pid), '--json']);
      expectStderrWarnings(r.stderr, prog.truth);
      expect(r.exitCode).toBe(0);
      const out = JSON.parse(r.stdout) as InspectJson;
      expect(out.target.pid).toBe(prog.pid);
      expectMatchesTruth(out, prog.truth, 'live');
      expectAnalysisMatchesTruth(out, prog.truth);
      // Detached and running on: not stopped, not traced, and still alive a moment later.
      const st = processStatus(prog.pid);
      expect(st.tracerPid).toBe(0);
      expect(['S', 'R']).toContain(st.state);
      await new Promise((r) => setTimeout(r, 200));
      expect(['S', 'R']).toContain(processStatus(prog.pid).state);
    } finally {
      await prog.stop();
    }
  });
});
