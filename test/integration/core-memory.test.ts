/**
 * Core dumps read straight from the core file (src/target/core-memory.ts), on real cores: the
 * kernel's of a Swiss and a classic build, qemu-user's of big-endian s390x and the kernel's of a
 * 32-bit 386 build. `inspect --json` prints the very same bytes with MAPSCOPE_CORE_READS=gdb
 * (every read through gdb) as without (the core file's segments first), and gdb carries far
 * fewer bytes without. In one session: every map's bucket or group arrays and its string data
 * read from the file equal what gdb's channel reads; addresses the file does not hold (the
 * binary's read-only data, unmapped ones) get no answer from the file, and gdb's answer, error
 * included, through the target.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GdbSession } from '../../src/gdb/session.js';
import { type MapLayout, mapLayout } from '../../src/layout/map-layout.js';
import { readInt, readUint } from '../../src/target/bytes.js';
import { CoreMemory } from '../../src/target/core-memory.js';
import { GdbTarget } from '../../src/target/gdb-target.js';
import { type MemRange, readExact } from '../../src/target/target.js';
import { expectMatchesTruth, type InspectJson } from './compare.js';
import { crossBuilds, qemuCore, qemuMissing } from './cross.js';
import { type CrashedProgram, kernelCore } from './harness.js';
import { type TracedRun, inspectCoreTraced } from './mapscope-run.js';
import { programPath } from './paths.js';
import { presentToolchains } from './toolchains.js';

const present = presentToolchains();
const swiss = present.find((t) => t.id === 'go1.26');
const classic = present.find((t) => t.id === 'go1.19') ?? present.find((t) => t.id === 'go1.24-noswissmap');
if (!swiss) console.warn('[mapscope tests] core-memory.test.ts: no go1.26 toolchain, the Swiss core is skipped');
if (!classic) console.warn('[mapscope tests] core-memory.test.ts: neither go1.19 nor go1.24-noswissmap is installed, the classic core is skipped');
const toolchains = [swiss, classic].filter((t) => t !== undefined);

/** inspect --json of every map in the truth, with the MI traffic traced. */
function inspect(crashed: CrashedProgram, exe: string, env: Record<string, string>): Promise<TracedRun> {
  return inspectCoreTraced(crashed.truth.maps.map((m) => m.expr), crashed.core, exe, env, 300_000);
}

/** Bytes gdb read for mapscope through the memory channel: the totals of its reads in a MAPSCOPE_TRACE=1 log. */
function bytesThroughGdb(trace: string): number {
  let total = 0;
  for (const m of trace.matchAll(/^\[\s*\d+ gdb in\] \d+-mapscope-read-to \S+ \d+ (\d+)/gm)) total += Number(m[1]);
  return total;
}

/** Both paths print the same bytes; the core-file path says it is open and leaves gdb far less to read. */
async function expectSameOutput(crashed: CrashedProgram, exe: string): Promise<InspectJson> {
  const direct = await inspect(crashed, exe, {});
  expect(direct.exitCode, direct.stderr.slice(-3000)).toBe(0);
  expect(direct.stderr).toMatch(/\] core memory open$/m);
  const viaGdb = await inspect(crashed, exe, { MAPSCOPE_CORE_READS: 'gdb' });
  expect(viaGdb.exitCode, viaGdb.stderr.slice(-3000)).toBe(0);
  expect(viaGdb.stderr).toMatch(/\] core memory off \(MAPSCOPE_CORE_READS=gdb\)/m);
  expect(viaGdb.stdout).toBe(direct.stdout);
  const [gdbBytesDirect, gdbBytesAll] = [bytesThroughGdb(direct.stderr), bytesThroughGdb(viaGdb.stderr)];
  expect(gdbBytesAll).toBeGreaterThan(0);
  expect(gdbBytesDirect, `${gdbBytesDirect} bytes through gdb with the core file, ${gdbBytesAll} without`).toBeLessThan(gdbBytesAll / 2);
  return JSON.parse(direct.stdout) as InspectJson;
}

/**
 * The memory a map's decoder reads in bulk: a classic map's bucket array, a Swiss map's group
 * arrays (or its one small group). Pointers are read through `t`, offsets come from DWARF.
 */
async function mapArrays(t: GdbTarget, header: bigint, layout: MapLayout): Promise<MemRange[]> {
  const ps = t.pointerSize;
  if (layout.kind === 'classic') {
    const h = await readExact(t, header, layout.hmap.size);
    const buckets = readUint(h, layout.hmap.buckets.offset, ps, t);
    const B = Number(readUint(h, layout.hmap.B.offset, layout.hmap.B.size, t));
    return buckets === 0n ? [] : [{ address: buckets, length: 2 ** B * layout.bucket.size }];
  }
  const m = await readExact(t, header, layout.map.size);
  const dirPtr = readUint(m, layout.map.dirPtr.offset, ps, t);
  const dirLen = Number(readInt(m, layout.map.dirLen.offset, layout.map.dirLen.size, t));
  if (dirPtr === 0n) return [];
  if (dirLen === 0) return [{ address: dirPtr, length: layout.group.size }];
  const dir = await readExact(t, dirPtr, dirLen * ps);
  const tables = [...new Set(Array.from({ length: dirLen }, (_, i) => readUint(dir, i * ps, ps, t)))];
  const out: MemRange[] = [];
  for (const table of tables) {
    const tb = await readExact(t, table, layout.table.size);
    const data = readUint(tb, layout.table.groupsData.offset, ps, t);
    const mask = readUint(tb, layout.table.groupsLengthMask.offset, layout.table.groupsLengthMask.size, t);
    out.push({ address: data, length: Number(mask + 1n) * layout.group.size });
  }
  return out;
}

/** The string data of the string keys in `arrays` (empty slots are zeroed): each key's bytes. */
function stringKeys(t: GdbTarget, layout: MapLayout, arrays: readonly { bytes: Uint8Array }[]): MemRange[] {
  const ps = t.pointerSize;
  const [unit, count, first, stride] =
    layout.kind === 'classic'
      ? [layout.bucket.size, 8, layout.bucket.keys.offset, layout.bucket.keySlot]
      : [layout.group.size, 8, layout.group.keysOff, layout.group.keyStride];
  const out: MemRange[] = [];
  for (const { bytes } of arrays) {
    for (let u = 0; u + unit <= bytes.length; u += unit) {
      for (let i = 0; i < count; i++) {
        const at = u + first + i * stride;
        const data = readUint(bytes, at, ps, t);
        const len = Number(readInt(bytes, at + ps, ps, t));
        if (data !== 0n && len > 0 && len < 1 << 20) out.push({ address: data, length: len });
      }
    }
  }
  return out;
}

describe.each(toolchains.map((tc) => [tc.id, tc] as const))('core memory, kernel core, %s', (_id, tc) => {
  const exe = programPath(tc.id);
  let crashed: CrashedProgram;

  beforeAll(async () => {
    crashed = await kernelCore(exe);
  });
  afterAll(() => {
    if (crashed) rmSync(crashed.dir, { recursive: true, force: true });
  });

  it('inspect --json: the same bytes with MAPSCOPE_CORE_READS=gdb as from the core file, each map as the program says', async () => {
    expectMatchesTruth(await expectSameOutput(crashed, exe), crashed.truth, 'core');
  });

  describe('in one gdb session on the core', () => {
    let session: GdbSession;
    let direct: GdbTarget;
    let viaGdb: GdbTarget;
    let core: CoreMemory;

    beforeAll(async () => {
      session = await GdbSession.open({ kind: 'core', core: crashed.core, exe });
      direct = await GdbTarget.create(session);
      process.env.MAPSCOPE_CORE_READS = 'gdb';
      try {
        viaGdb = await GdbTarget.create(session);
      } finally {
        delete process.env.MAPSCOPE_CORE_READS;
      }
      core = await CoreMemory.open(crashed.core);
    });
    afterAll(async () => {
      core?.close();
      await session?.close();
    });

    it("bucket and group arrays, and string keys' data: the core file's bytes are gdb's", async () => {
      const arrays: MemRange[] = [];
      const strings: MemRange[] = [];
      for (const m of crashed.truth.maps.filter((x) => !x.nil)) {
        const { header, type } = await viaGdb.evalMap(m.expr);
        const layout = mapLayout(type);
        const mine = await mapArrays(viaGdb, header, layout);
        arrays.push(...mine);
        if (type.keyName === 'string') {
          const got = await viaGdb.readMany(mine);
          strings.push(...stringKeys(viaGdb, layout, got.filter((g) => g.ok)));
        }
      }
      expect(arrays.length).toBeGreaterThan(10);
      expect(strings.length).toBeGreaterThan(100);
      const ranges = [...arrays, ...strings];
      const fromGdb = await viaGdb.readMany(ranges);
      let served = 0;
      ranges.forEach((r, i) => {
        const mine = core.read(r.address, r.length);
        const gdb = fromGdb[i];
        if (mine === undefined) return;
        served++;
        expect(gdb.ok, `0x${r.address.toString(16)}+${r.length}`).toBe(true);
        if (gdb.ok) expect(Buffer.compare(Buffer.from(mine), Buffer.from(gdb.bytes)), `0x${r.address.toString(16)}+${r.length}`).toBe(0);
      });
      // Every array is heap memory, which the kernel dumps whole; so is the data of built strings.
      arrays.forEach((r) => expect(core.read(r.address, r.length), `array 0x${r.address.toString(16)}`).toBeDefined());
      expect(served).toBeGreaterThan(arrays.length + strings.length / 2);
      // And the target mixing both paths answers what gdb answers, in the order asked.
      const mixed = await direct.readMany(ranges);
      mixed.forEach((r, i) => {
        const g = fromGdb[i];
        expect(r.ok).toBe(g.ok);
        if (r.ok && g.ok) expect(Buffer.compare(Buffer.from(r.bytes), Buffer.from(g.bytes))).toBe(0);
      });
    });

    it('what the core file does not hold: no answer from it, and through the target exactly what gdb answers', async () => {
      // runtime.buildVersion's bytes are the binary's read-only data: not in a kernel core's file bytes.
      const bv = await direct.symbolAddress('runtime.buildVersion');
      expect(bv).toBeDefined();
      const header = await readExact(viaGdb, bv ?? 0n, 2 * direct.pointerSize);
      const versionData = { address: readUint(header, 0, direct.pointerSize, direct), length: Number(readInt(header, direct.pointerSize, direct.pointerSize, direct)) };
      expect(core.read(versionData.address, versionData.length)).toBeUndefined();
      expect(direct.info.goVersion).toBe(crashed.truth.goVersion);
      const { header: mapHeader } = await viaGdb.evalMap('main.strIntBig');
      const ranges: MemRange[] = [
        versionData,
        { address: mapHeader, length: 16 },
        { address: 0x10n, length: 16 }, // the first page: unmapped in every process
        { address: mapHeader, length: 0 },
        { address: 0x800000000000n, length: 4096 }, // past user space
        { address: mapHeader + 8n, length: 8 },
      ];
      for (const r of [ranges[2], ranges[4]]) expect(core.read(r.address, r.length)).toBeUndefined();
      expect(core.read(mapHeader, 16)).toBeDefined();
      const [mixed, gdb] = [await direct.readMany(ranges), await viaGdb.readMany(ranges)];
      expect(mixed.map((r) => r.ok)).toEqual([true, true, false, true, false, true]);
      mixed.forEach((r, i) => {
        const g = gdb[i];
        expect(r.ok, `range ${i}`).toBe(g.ok);
        if (r.ok && g.ok) expect(Buffer.compare(Buffer.from(r.bytes), Buffer.from(g.bytes)), `range ${i}`).toBe(0);
        if (!r.ok && !g.ok) expect(r.error).toBe(g.error);
      });
    });
  });
});

describe('core memory, other architectures', () => {
  const s390x = crossBuilds().filter((b) => b.goarch === 's390x');
  const i386 = crossBuilds().filter((b) => b.goarch === '386');
  const missing = qemuMissing('s390x');
  if (missing) console.warn(`[mapscope tests] core-memory.test.ts: skipping s390x cores: ${missing}`);

  it.skipIf(missing !== undefined || s390x.length === 0).each(s390x.map((b) => [b.tc.id, b] as const))(
    's390x (big-endian) qemu core, %s: the same bytes with MAPSCOPE_CORE_READS=gdb as from the core file',
    async (_id, b) => {
      const crashed = await qemuCore(b.exe, 's390x');
      try {
        expectMatchesTruth(await expectSameOutput(crashed, b.exe), crashed.truth, 'core');
      } finally {
        rmSync(crashed.dir, { recursive: true, force: true });
      }
    },
    600_000,
  );

  it.skipIf(i386.length === 0).each(i386.map((b) => [b.tc.id, b] as const))(
    '386 (32-bit) kernel core, %s: the same bytes with MAPSCOPE_CORE_READS=gdb as from the core file',
    async (_id, b) => {
      const crashed = await kernelCore(b.exe);
      try {
        expectMatchesTruth(await expectSameOutput(crashed, b.exe), crashed.truth, 'core');
      } finally {
        rmSync(crashed.dir, { recursive: true, force: true });
      }
    },
  );
});
