/**
 * The raw-address type check (src/heap/typecheck.ts) against the test program's own maps, on
 * every toolchain present, live and from a kernel core: each map read at its address with its
 * own type (from the program's ground truth) is never refused and gets no warning; read as
 * another type, it is caught — refused with an error naming what the heap holds where the
 * runtime's record contradicts the type (a different pointer-ness always does), or at least
 * warned about — unless the other type lays out its memory exactly alike.
 *
 * The pipeline is mirrored as src/inspect/inspect.ts runs it once hooked (see
 * /work/notes/typecheck-hook.diff): check before the decode, warnings after it.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GdbSession, type TargetSpec } from '../../src/gdb/session.js';
import { mapLayout } from '../../src/layout/map-layout.js';
import { decodeClassic } from '../../src/maps/classic/decode.js';
import { decodeSwiss } from '../../src/maps/swiss/decode.js';
import { RawMapTypeCheck } from '../../src/heap/typecheck.js';
import type { MapTypeVerdict } from '../../src/heap/map-check.js';
import { CachedMemory } from '../../src/target/cache.js';
import { GdbTarget } from '../../src/target/gdb-target.js';
import { loadRuntimeTypeInfo } from '../../src/values/rtype.js';
import { type CrashedProgram, kernelCore, type LiveProgram, startProgram, type Truth, type TruthMap } from './harness.js';
import { crossBuilds, qemuCore, qemuMissing } from './cross.js';
import { discoverToolchains, type HideoutTruth, hideoutPath } from './hideout.js';
import { programPath } from './paths.js';
import { presentToolchains, type Toolchain } from './toolchains.js';

interface Outcome {
  readonly verdict: MapTypeVerdict;
  /** The map's error: the check's, or the decoder's. */
  readonly error?: string;
  readonly warnings: readonly string[];
}

/** Reads `address` as `typeName` as the hooked pipeline does. */
async function inspectRaw(target: GdbTarget, check: RawMapTypeCheck, address: string, typeName: string): Promise<Outcome> {
  const mem = new CachedMemory(target);
  const { header, type } = await target.evalMap(`${address}:${typeName}`);
  const layout = mapLayout(type);
  const c = await check.check(mem, header, type, layout);
  if (c.error) return { verdict: c.verdict, error: c.error, warnings: [] };
  try {
    const snapshot = layout.kind === 'classic' ? await decodeClassic(mem, layout, header) : await decodeSwiss(mem, layout, header);
    // The decoder's own warnings are not the check's: only what the check adds is looked at.
    return { verdict: c.verdict, warnings: await c.warnings(snapshot) };
  } catch (e) {
    return { verdict: c.verdict, error: e instanceof Error ? e.message : String(e), warnings: [] };
  }
}

/** `0xADDR:T` takes a map type literal: a named map type (main.Routes) is spelled by its key and elem. */
function spelled(m: TruthMap): string {
  return m.type.startsWith('map[') ? m.type : `map[${m.keyType}]${m.valueType}`;
}

type AnalysisGc = { analysis?: { gc?: { ptrBytes?: number; bitmap?: string } } | null; maptype?: Record<string, number> };

/** The bucket or group's size and GC mask, as the program derived them with reflect. */
function shapeOf(m: TruthMap): { size: number; ptrBytes: number; bitmap: string } {
  const t = m as TruthMap & AnalysisGc;
  const mt = t.maptype ?? {};
  return { size: mt.groupSize ?? mt.bucketsize, ptrBytes: t.analysis?.gc?.ptrBytes ?? -1, bitmap: t.analysis?.gc?.bitmap ?? '?' };
}

/** Whether the program laid its groups out split (keys [8]K; elems [8]V), as its truth says. */
function splitGroups(m: TruthMap): boolean {
  return (m as TruthMap & { maptype?: { groupLayout?: string } }).maptype?.groupLayout === 'split';
}

/** Whether the map has bucket or group arrays in the heap to judge by. */
function allocated(m: TruthMap): boolean {
  if (m.nil) return false;
  if (m.classic) return Array.isArray(m.classic.buckets) && m.classic.buckets.length > 0;
  const s = m.swiss;
  return !!s && (s.smallGroup !== null || (Array.isArray(s.tables) && s.tables.length > 0));
}

/** Types to misread maps as: those of the program's own maps, so the binary describes them. */
const WRONG_TYPES = ['map[string]int', 'map[int]int', 'map[string]string', 'map[int32]int32', 'map[int]string', 'map[[20]int64]int'];

function suite(label: string, tc: Pick<Toolchain, 'id'>, open: () => Promise<{ spec: TargetSpec; truth: Truth; done: () => Promise<void> }>) {
  describe(`raw-address type check, ${label}, ${tc.id}`, () => {
    let session: GdbSession;
    let target: GdbTarget;
    let truth: Truth;
    let check: RawMapTypeCheck;
    let done: () => Promise<void> = async () => undefined;

    beforeAll(async () => {
      const o = await open();
      truth = o.truth;
      done = o.done;
      session = await GdbSession.open(o.spec);
      target = await GdbTarget.create(session);
      check = new RawMapTypeCheck(target, () => loadRuntimeTypeInfo(target));
    });
    afterAll(async () => {
      await session?.close();
      await done();
    });

    it('finds the runtime heap in the binary', async () => {
      const heap = await check.heapLayout();
      expect(heap.ok, heap.ok ? '' : heap.reason).toBe(true);
    });

    it('reads every map at its address with its own type: no error, no warning; the heap confirms it', async () => {
      const confirmed: string[] = [];
      for (const m of truth.maps) {
        if (m.nil || m.address === null) continue;
        const got = await inspectRaw(target, check, m.address, spelled(m));
        expect(got.error, `${m.expr} as ${m.type}`).toBeUndefined();
        expect(got.verdict.signals, `${m.expr}`).toEqual([]);
        expect(got.warnings, `${m.expr}`).toEqual([]);
        if (allocated(m)) {
          expect(got.verdict.kind, `${m.expr}: ${got.verdict.kind === 'unknown' ? got.verdict.reason : ''}`).toBe('consistent');
          confirmed.push(m.expr);
        }
      }
      expect(confirmed.length).toBeGreaterThan(30);
    });

    it('catches a map read as another type, with an error where the heap contradicts it', async () => {
      const heap = await check.heapLayout();
      // Go 1.22+ (spans' heap bits, malloc headers) and 1.19-1.21 (arenas' bitmaps) record where an object's pointers are.
      const pointerBits = heap.ok && (heap.heap.mallocHeaders || heap.heap.arenaBitmap !== undefined);
      const byType = new Map(truth.maps.filter((m) => !m.nil && (m as AnalysisGc).analysis).map((m) => [m.type, m]));
      let errors = 0;
      for (const m of truth.maps) {
        if (!allocated(m) || m.address === null || m.shape?.includes('midWrite')) continue;
        const actual = shapeOf(m);
        for (const wrong of WRONG_TYPES) {
          const other = byType.get(wrong);
          if (wrong === spelled(m) || !other) continue;
          const given = shapeOf(other);
          const got = await inspectRaw(target, check, m.address, wrong);
          const what = `${m.expr} (${m.type}: ${actual.size} B, mask ${actual.bitmap}) as ${wrong} (${given.size} B, mask ${given.bitmap}): ${JSON.stringify(got)}`;
          if (given.size === actual.size && given.bitmap === actual.bitmap) {
            // Laid out alike: reading one as the other shows the same bytes; nothing to refuse.
            expect(got.verdict.kind, what).not.toBe('contradicts');
            continue;
          }
          if ((given.ptrBytes > 0) !== (actual.ptrBytes > 0)) {
            expect(got.verdict.kind, what).toBe('contradicts');
            expect(got.error, what).toMatch(new RegExp(`^${m.address} does not hold a ${wrong.replace(/[[\]]/g, '\\$&')}: its (old )?(bucket|group)`));
          } else if (pointerBits && given.ptrBytes > 0) {
            // Both with pointers, elsewhere: the heap's pointer bits (or the recorded type) say where.
            expect(got.verdict.kind, what).toBe('contradicts');
          } else if (m.count > 0 && !splitGroups(m)) {
            // Both noscan, of sizes one size class may hold: the decoded entries give it away.
            // Not with split groups (Go 1.27 mapsplitgroup): denser, a map[int]struct{} group
            // (80 B) and a map[int32]int32 one (72 B) share the 80-byte class, and small int keys
            // read as int32 pairs are valid entries too — nothing in memory tells them apart.
            expect(got.error !== undefined || got.warnings.length > 0, what).toBe(true);
          }
          if (got.verdict.kind === 'contradicts') errors++;
        }
      }
      expect(errors).toBeGreaterThan(20);
    });

    it('names what it found: a small map[int]int read as map[string]int', async () => {
      const m = truth.maps.find((x) => x.expr === 'main.smallIntInt');
      if (!m?.address) throw new Error('main.smallIntInt missing from the truth');
      const got = await inspectRaw(target, check, m.address, 'map[string]int');
      const unit = truth.impl === 'classic' ? 'bucket' : 'group';
      // map[int]int: on 64-bit a 144-byte bucket or 136-byte group, noscan, in the 144-byte class.
      const size = truth.ptrSize === 8 ? '144' : '\\d+';
      expect(got.error).toMatch(
        new RegExp(`^${m.address} does not hold a map\\[string\\]int: its ${unit} at 0x[0-9a-f]+ is a ${size}-byte noscan object \\(size class \\d+\\); a map\\[string\\]int ${unit} is \\d+ bytes with pointers, a \\d+-byte object$`),
      );
    });
  });
}

describe.each(discoverToolchains().map((tc) => [tc.id, tc] as const))('raw-address type check, hideout, live, %s', (_id, tc) => {
  it('reads every map hidden in the program at its address with its own type: no error, no warning', async () => {
    const prog = await startProgram(hideoutPath(tc.id));
    const session = await GdbSession.open({ kind: 'live', pid: prog.pid });
    try {
      const truth = prog.truth as unknown as HideoutTruth;
      const target = await GdbTarget.create(session);
      const check = new RawMapTypeCheck(target, () => loadRuntimeTypeInfo(target));
      const maps = [...truth.maps, ...truth.beyond, ...truth.globals].filter((m) => m.address !== null && m.type.startsWith('map['));
      expect(maps.length).toBeGreaterThan(20);
      for (const m of maps) {
        const got = await inspectRaw(target, check, m.address as string, m.type);
        expect(got, `${m.address}:${m.type}`).toMatchObject({ warnings: [], verdict: { signals: [] } });
        expect(got.error, `${m.address}:${m.type}`).toBeUndefined();
        expect(got.verdict.kind, `${m.address}:${m.type}`).not.toBe('contradicts');
      }
    } finally {
      await session.close();
      await prog.stop();
    }
  });
});

const present = presentToolchains();
for (const tc of present) {
  suite('live', tc, async () => {
    const prog: LiveProgram = await startProgram(programPath(tc.id));
    return { spec: { kind: 'live', pid: prog.pid }, truth: prog.truth, done: () => prog.stop() };
  });
}
// Cores: the heap's records read from the core file (spans, arenas), one classic and one Swiss toolchain.
for (const tc of [present.find((t) => t.id === 'go1.19'), present.find((t) => t.id === 'go1.26')].filter((t) => t !== undefined)) {
  suite('kernel core', tc, async () => {
    const exe = programPath(tc.id);
    const crashed: CrashedProgram = await kernelCore(exe);
    return { spec: { kind: 'core', core: crashed.core, exe }, truth: crashed.truth, done: async () => rmSync(crashed.dir, { recursive: true, force: true }) };
  });
}
// Other architectures: 386 live (32-bit: 4-byte words, 128-byte malloc header threshold, no arena
// offset); arm64 and big-endian s390x from qemu-user's guest cores.
for (const b of crossBuilds()) {
  const id = `${b.tc.id}-${b.goarch}`;
  if (b.goarch === '386') {
    suite('live', { id }, async () => {
      const prog = await startProgram(b.exe);
      return { spec: { kind: 'live', pid: prog.pid }, truth: prog.truth, done: () => prog.stop() };
    });
    continue;
  }
  if (b.tc.id !== 'go1.26') continue;
  const missing = qemuMissing(b.goarch);
  if (missing) {
    console.warn(`[mapscope tests] skipping the type check on ${id} cores: ${missing}`);
    continue;
  }
  suite('qemu core', { id }, async () => {
    const crashed = await qemuCore(b.exe, b.goarch as 'arm64' | 's390x');
    return { spec: { kind: 'core', core: crashed.core, exe: b.exe }, truth: crashed.truth, done: async () => rmSync(crashed.dir, { recursive: true, force: true }) };
  });
}
