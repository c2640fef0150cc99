/**
 * Other architectures, read from this amd64 machine: post-mortem cores of arm64 and s390x
 * (big-endian) programs run under qemu-user, opened with gdb-multiarch chosen automatically;
 * and 32-bit (GOARCH=386) programs attached live and from the kernel's core. Every map must equal
 * the program's own ground truth, classic (Go 1.19) and Swiss (Go 1.26), analysis included.
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectAnalysisMatchesTruth, expectMatchesTruth, expectStderrWarnings, type InspectJson } from './compare.js';
import { crossBuilds, qemuCore, qemuMissing } from './cross.js';
import { kernelCore, mapscope, processStatus, startProgram, type Truth } from './harness.js';

async function inspectAll(target: string[], truth: Truth): Promise<InspectJson> {
  const r = await mapscope(['inspect', ...truth.maps.map((m) => m.expr), ...target, '--json']);
  expectStderrWarnings(r.stderr, truth);
  expect(r.exitCode).toBe(0);
  return JSON.parse(r.stdout) as InspectJson;
}

const foreign = crossBuilds().filter((b) => b.goarch !== '386');
const i386 = crossBuilds().filter((b) => b.goarch === '386');

describe.each(foreign.map((b) => [`${b.tc.id} ${b.goarch}`, b] as const))('qemu-user core, %s', (_label, b) => {
  const missing = qemuMissing(b.goarch as 'arm64' | 's390x');
  if (missing) console.warn(`[mapscope tests] skipping ${b.goarch} cores: ${missing}`);

  it.skipIf(missing !== undefined)('reads every map exactly, with gdb-multiarch picked from the binary', async () => {
    const crashed = await qemuCore(b.exe, b.goarch as 'arm64' | 's390x');
    try {
      expect(crashed.truth.goarch).toBe(b.goarch);
      expect(crashed.truth.impl).toBe(b.tc.impl);
      const out = await inspectAll(['--core', crashed.core, '--exe', b.exe], crashed.truth);
      expect(out.target.arch).toBe(b.goarch);
      expect(out.target.pointerSize).toBe(8);
      expectMatchesTruth(out, crashed.truth, 'core');
      expectAnalysisMatchesTruth(out, crashed.truth);
      // The same with the gdb named by --gdb.
      const named = await mapscope(['inspect', 'main.strInt', '--core', crashed.core, '--exe', b.exe, '--gdb', 'gdb-multiarch', '--json']);
      expect(named.exitCode).toBe(0);
      expect((JSON.parse(named.stdout) as InspectJson).maps[0]).toEqual(out.maps.find((m) => m.expr === 'main.strInt'));
    } finally {
      rmSync(crashed.dir, { recursive: true, force: true });
    }
  });
});

describe.each(i386.map((b) => [b.tc.id, b] as const))('GOARCH=386, %s', (_id, b) => {
  it('live: attached on amd64, every map exact, and left running', async () => {
    const prog = await startProgram(b.exe);
    try {
      expect(prog.truth.ptrSize).toBe(4);
      const out = await inspectAll(['--pid', String(prog.pid)], prog.truth);
      expect(out.target.arch).toBe('386');
      expect(out.target.pointerSize).toBe(4);
      expectMatchesTruth(out, prog.truth, 'live');
      expectAnalysisMatchesTruth(out, prog.truth);
      const st = processStatus(prog.pid);
      expect(st.tracerPid).toBe(0);
      expect(['S', 'R']).toContain(st.state);
    } finally {
      await prog.stop();
    }
  });

  it('kernel core: every map exact', async () => {
    const crashed = await kernelCore(b.exe);
    try {
      const out = await inspectAll(['--core', crashed.core, '--exe', b.exe], crashed.truth);
      expectMatchesTruth(out, crashed.truth, 'core');
      expectAnalysisMatchesTruth(out, crashed.truth);
    } finally {
      rmSync(crashed.dir, { recursive: true, force: true });
    }
  });
});
