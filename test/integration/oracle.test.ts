/**
 * mapsuite's own checks on every present toolchain (toolchains.ts): it gets
 * READY only when its self-check passed (it exits 3 otherwise: build tags, type descriptor
 * mirrors and group layout against the runtime, every map's internals and analysis), built with
 * the Go and GOEXPERIMENT the toolchain names, and its truth locates keys and elems by one
 * formula on every Swiss build.
 */
import { describe, expect, it } from 'vitest';
import { startProgram } from './harness.js';
import { programPath } from './paths.js';
import { presentToolchains, type Toolchain } from './toolchains.js';

interface SwissMaptype {
  readonly groupSize: number;
  readonly keysOff: number;
  readonly keyStride: number;
  readonly elemsOff: number;
  readonly elemStride: number;
  readonly groupLayout: 'interleaved' | 'split';
  readonly indirectKey: boolean;
  readonly indirectElem: boolean;
}

interface OracleTruth {
  readonly goVersion: string;
  readonly impl: 'classic' | 'swiss';
  readonly ptrSize: number;
  readonly maps: readonly { readonly expr: string; readonly type: string; readonly maptype: Partial<SwissMaptype> }[];
}

function experiments(tc: Toolchain): string[] {
  return (tc.env['GOEXPERIMENT'] ?? '').split(',').filter((e) => e !== '');
}

/** go1.27-mapsplitgroup → go1.27: the release the toolchain's id names. */
function release(tc: Toolchain): string {
  return tc.id.split('-')[0] ?? tc.id;
}

describe.each(presentToolchains().map((tc) => [tc.id, tc] as const))('mapsuite ground truth, %s', (_id, tc) => {
  it('passes its self-check, with the Go, experiments and group layout of the toolchain', async () => {
    const prog = await startProgram<OracleTruth>(programPath(tc.id));
    try {
      const t = prog.truth;
      expect(t.goVersion.startsWith(`${release(tc)}.`) || t.goVersion === release(tc)).toBe(true);
      for (const e of experiments(tc)) expect(t.goVersion).toContain(`X:${e}`);
      expect(t.impl).toBe(tc.impl);
      if (tc.impl === 'classic') {
        expect(t.maps.every((m) => m.maptype.groupLayout === undefined)).toBe(true);
        return;
      }
      const layout = experiments(tc).includes('mapsplitgroup') ? 'split' : 'interleaved';
      for (const { expr, type, maptype: mt } of t.maps) {
        const { groupSize = 0, keysOff = 0, keyStride = 0, elemsOff = 0, elemStride = 0 } = mt;
        const where = `${expr} (${type}): ${JSON.stringify(mt)}`;
        expect(mt.groupLayout, where).toBe(layout);
        expect(keysOff, where).toBe(8);
        // Interleaved: 8 slots of one stride, each elem inside its slot. Split: 8 keys, then 8 elems.
        if (layout === 'interleaved') {
          expect([elemStride, elemsOff < keysOff + keyStride || keyStride === 0], where).toEqual([keyStride, true]);
          expect(keysOff + 8 * keyStride, where).toBeLessThanOrEqual(groupSize);
        } else {
          expect(elemsOff, where).toBeGreaterThanOrEqual(keysOff + 8 * keyStride);
          expect(elemsOff + 8 * elemStride, where).toBeLessThanOrEqual(groupSize);
        }
      }
    } finally {
      await prog.stop();
    }
  });
});
