/**
 * Fuzzing the decoders, the value renderer and the analysis over memory images of real maps
 * (test/fixtures/map-images/, captured from mapsuite core dumps by
 * test/fixtures/capture-images.ts), replayed without gdb and then corrupted.
 *
 * Whatever the damage, the pipeline must end in a result or one of the typed errors that name
 * what could not be trusted (./fuzz/pipeline.ts TYPED_ERRORS), asking for a bounded number of
 * bytes in a bounded number of reads, and never for an address no target can have. Time is
 * reported (the slowest case), not asserted: a timed bound in a parallel suite is flaky, and a
 * hang still fails the test at its timeout.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { mapLayout } from '../../src/layout/map-layout.js';
import { decodeSwiss } from '../../src/maps/swiss/decode.js';
import { CachedMemory } from '../../src/target/cache.js';
import { loadRuntimeTypeInfo } from '../../src/values/rtype.js';
import { type Anatomy, anatomy, descriptorFields } from './fuzz/anatomy.js';
import { corrupt, type Mutation, mutations } from './fuzz/corrupt.js';
import type { ImageFile, ImageMap } from './fuzz/image-format.js';
import { isTypedError, type PipelineResult, runPipeline } from './fuzz/pipeline.js';
import type { ReadStats } from './fuzz/image-memory.js';
import { imageBlocks, loadImageFile, ReplayTarget } from './fuzz/replay-target.js';
import { placeDirectory, placeSwissMap, placeTable, swissMap, SyntheticMemory } from './synthetic-memory.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'map-images');
// Fixed, so that a failure reproduces; MAPSCOPE_FUZZ_SEED / MAPSCOPE_FUZZ_RUNS explore further.
const SEED = Number(process.env.MAPSCOPE_FUZZ_SEED ?? 20261121);
const RUNS_PER_IMAGE = Number(process.env.MAPSCOPE_FUZZ_RUNS ?? 150);
// Bounds per corrupted case.
/** The decoders' cap on one bucket array or all group arrays (src/maps/limits.ts). */
const MAX_REQUEST = 2 ** 31;
/** Bytes handed out per case, as a multiple of the image: repeated reads are allowed, floods are not. */
const MAX_RETURNED_FACTOR = 8;
const MAX_CALLS = 400;

interface Image {
  readonly label: string;
  readonly file: ImageFile;
  readonly map: ImageMap;
  readonly bytes: number;
}

const images: Image[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((f) => {
    const file = loadImageFile(join(DIR, f));
    return file.maps.map((map) => ({
      label: `${file.toolchain} ${map.expr}`,
      file,
      map,
      bytes: imageBlocks(map).reduce((n, b) => n + b.bytes.length, 0),
    }));
  });

/** What the fuzzing saw, printed at the end: the numbers behind the bounds above. */
const seen = { cases: 0, ok: 0, errors: new Map<string, number>(), slowestMs: 0, largestRequest: 0, mostReturnedFactor: 0, mostCalls: 0 };

afterAll(() => {
  const errors = [...seen.errors].map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(
    `fuzz-decoders: ${seen.cases} corrupted cases over ${images.length} images: ${seen.ok} decoded, errors: ${errors}; ` +
      `slowest ${seen.slowestMs.toFixed(1)} ms, largest request ${seen.largestRequest} bytes, ` +
      `most bytes returned ${seen.mostReturnedFactor.toFixed(2)}x the image, most read calls ${seen.mostCalls}`,
  );
});

async function clean(img: Image): Promise<{ result: PipelineResult; anatomy: Anatomy }> {
  const blocks = imageBlocks(img.map);
  const target = new ReplayTarget(img.file, img.map, blocks);
  const result = await runPipeline(target, img.map.expr);
  const layout = mapLayout((await target.evalMap(img.map.expr)).type);
  const ps = img.file.pointerSize;
  const a = anatomy(layout, result.snapshot, ps);
  const rtypes = await loadRuntimeTypeInfo(target);
  if (rtypes) {
    const d = descriptorFields(layout, result.snapshot, rtypes.layout, blocks, ps, img.file.littleEndian);
    a.fields.push(...d.fields);
    a.structures.push(...d.structures);
  }
  return { result, anatomy: a };
}

/** Runs the pipeline over a corrupted copy of the image and checks every bound. */
async function check(img: Image, a: Anatomy, ms: readonly Mutation[]): Promise<void> {
  const blocks = imageBlocks(img.map);
  corrupt(blocks, a, ms, img.file.pointerSize, img.file.littleEndian);
  const target = new ReplayTarget(img.file, img.map, blocks);
  // Measured for the summary line only.
  const t0 = performance.now();
  let outcome = 'ok';
  let r: PipelineResult | undefined;
  try {
    r = await runPipeline(target, img.map.expr);
  } catch (e) {
    if (!isTypedError(e)) {
      const err = e instanceof Error ? e : new Error(String(e));
      throw new Error(`untyped ${err.name} escaped: ${err.message}\n${err.stack ?? ''}`);
    }
    outcome = (e as Error).name;
  }
  const elapsed = performance.now() - t0;
  if (r) {
    expect(r.entries.length).toBe(r.snapshot.entries.length);
    // What the pipeline hands on must be plain JSON-ready data.
    JSON.stringify({ entries: r.entries, analysis: r.analysis });
  }
  const st = target.mem.stats;
  expect(st.impossible, 'reads of addresses no target has').toEqual([]);
  expect(st.largestRequest, 'largest single read').toBeLessThanOrEqual(MAX_REQUEST);
  expect(st.bytesReturned / img.bytes, 'bytes read over image size').toBeLessThanOrEqual(MAX_RETURNED_FACTOR);
  expect(st.calls, 'read calls').toBeLessThanOrEqual(MAX_CALLS);
  seen.cases++;
  if (outcome === 'ok') seen.ok++;
  else seen.errors.set(outcome, (seen.errors.get(outcome) ?? 0) + 1);
  seen.slowestMs = Math.max(seen.slowestMs, elapsed);
  seen.largestRequest = Math.max(seen.largestRequest, st.largestRequest);
  seen.mostReturnedFactor = Math.max(seen.mostReturnedFactor, st.bytesReturned / img.bytes);
  seen.mostCalls = Math.max(seen.mostCalls, st.calls);
}

describe('map images replay like the core they came from', () => {
  it.each(images.map((i) => [i.label, i] as const))('%s', async (_, img) => {
    const { result } = await clean(img);
    const s = result.snapshot;
    expect(s.warnings).toEqual([]);
    expect(s.entries.length).toBe(s.implementation === 'classic' ? s.count : s.used);
    expect(s.entries.length).toBe(img.map.count);
    expect(result.entries.length).toBe(img.map.entries);
    expect(createHash('sha256').update(JSON.stringify(result.entries)).digest('hex')).toBe(img.map.entriesSha256);
  });
});

describe('corrupted map images: typed errors only, bounded reads', () => {
  it.each(images.map((i) => [i.label, i] as const))('%s', async (_, img) => {
    const { anatomy: a } = await clean(img);
    await fc.assert(
      fc.asyncProperty(mutations, async (ms) => {
        await check(img, a, ms);
      }),
      { seed: SEED, numRuns: RUNS_PER_IMAGE },
    );
  });
});

// ------------------------------------------------------------------------------------------
// Absurd values written on purpose, and regressions of what the fuzzing found.

interface Write {
  readonly address: bigint;
  readonly size: number;
  readonly value: bigint;
}

function image(label: string): Image {
  const img = images.find((i) => i.label === label);
  if (!img) throw new Error(`no image ${label}`);
  return img;
}

/** Runs the pipeline over the image with `writes` applied; checks the bounds; returns what happened. */
async function scenario(img: Image, writes: readonly Write[]): Promise<{ result?: PipelineResult; error?: Error; stats: ReadStats }> {
  const blocks = imageBlocks(img.map);
  const ps = img.file.pointerSize;
  for (const w of writes) {
    const b = blocks.find((x) => x.address <= w.address && w.address + BigInt(w.size) <= x.address + BigInt(x.bytes.length));
    if (!b) throw new Error(`0x${w.address.toString(16)} is not in the image of ${img.label}`);
    let v = BigInt.asUintN(w.size * 8, w.value);
    for (let i = 0; i < w.size; i++) {
      b.bytes[Number(w.address - b.address) + (img.file.littleEndian ? i : w.size - 1 - i)] = Number(v & 0xffn);
      v >>= 8n;
    }
  }
  const target = new ReplayTarget(img.file, img.map, blocks);
  const stats = target.mem.stats;
  let out: { result?: PipelineResult; error?: Error; stats: ReadStats };
  try {
    out = { result: await runPipeline(target, img.map.expr), stats };
  } catch (e) {
    expect(isTypedError(e), `untyped ${String(e)}`).toBe(true);
    out = { error: e as Error, stats };
  }
  expect(target.mem.stats.impossible).toEqual([]);
  expect(target.mem.stats.largestRequest).toBeLessThanOrEqual(Math.max(MAX_REQUEST, ps));
  return out;
}

/** The writes that set every field matching `what` to `value`. */
function fields(a: Anatomy, what: RegExp, value: bigint): Write[] {
  const out = a.fields.filter((f) => what.test(f.what)).map((f) => ({ address: f.address, size: f.size, value }));
  if (out.length === 0) throw new Error(`no field ${what}`);
  return out;
}

const hexOf = (a: bigint) => `0x${a.toString(16)}`;

describe('classic maps with absurd headers and chains', () => {
  const growing = 'go1.24-noswissmap main.growing';
  const longChain = 'go1.24-noswissmap main.longChain';

  it('B = 60: CorruptMapError naming the header', async () => {
    const img = image(growing);
    const { anatomy: a } = await clean(img);
    const { error } = await scenario(img, fields(a, /^header\.B$/, 60n));
    expect(error?.message).toBe(`hmap.B is 60, over the bound of 40, in the hmap at ${img.map.header}`);
  });

  it('B = 30: refused before reading (it asked for 4.8 GB before MAX_ARRAY_BYTES was lowered)', async () => {
    const img = image(growing);
    const { anatomy: a } = await clean(img);
    const { error } = await scenario(img, fields(a, /^header\.B$/, 30n));
    expect(error?.message).toMatch(/buckets at 0x[0-9a-f]+: 1073741824 buckets of \d+ bytes is beyond belief/);
  });

  it('a negative count', async () => {
    const img = image(growing);
    const { anatomy: a } = await clean(img);
    const { error } = await scenario(img, fields(a, /^header\.count$/, -1n));
    expect(error?.message).toBe(`hmap.count is negative (-1), in the hmap at ${img.map.header}`);
  });

  it('an overflow pointer back at an earlier bucket of the array: CorruptMapError, not entries read twice', async () => {
    const img = image(longChain);
    const { result, anatomy: a } = await clean(img);
    const s = result.snapshot;
    if (s.implementation !== 'classic') throw new Error('classic image expected');
    const last = s.buckets.length - 1;
    const w = a.fields.find((f) => f.what === `bucket[${last}].overflow`);
    if (!w) throw new Error('no overflow field');
    const { error } = await scenario(img, [{ ...w, value: s.buckets[0].address }]);
    expect(error?.message).toMatch(new RegExp(`points back into the bucket array, at ${hexOf(s.buckets[0].address)}`));
  });

  it('an overflow bucket pointing at itself: a cycle, reported with its address', async () => {
    const img = image(longChain);
    const { result, anatomy: a } = await clean(img);
    const s = result.snapshot;
    if (s.implementation !== 'classic') throw new Error('classic image expected');
    const i = s.buckets.findIndex((c) => c.overflow.length > 0);
    const self = s.buckets[i].overflow[0].address;
    const f = a.fields.find((x) => x.what === `bucket[${i}].overflow[0].overflow`);
    if (!f) throw new Error('no overflow field');
    const { error } = await scenario(img, [{ ...f, value: self }]);
    expect(error?.message).toBe(`buckets: overflow chain of bucket ${i} loops back to ${hexOf(self)}`);
  });

  it('an overflow pointer into unmapped memory', async () => {
    const img = image(longChain);
    const { anatomy: a } = await clean(img);
    const { error } = await scenario(img, fields(a, /^bucket\[3\]\.overflow$/, 0xdead0000n));
    expect(error?.message).toMatch(/overflow bucket 0xdead0000 of bucket 3 is unreadable/);
  });
});

describe('Swiss maps with absurd headers and directories', () => {
  const dir = 'go1.26 main.swissDir';

  it.each([
    ['dirLen 2^40', /^header\.dirLen$/, 2n ** 40n, /dirLen is 1099511627776/],
    ['dirLen -1', /^header\.dirLen$/, -1n, /dirLen is -1/],
    ['globalDepth 64', /^header\.globalDepth$/, 64n, /dirLen 4 is not 2\^globalDepth \(globalDepth 64\)/],
    ['a nil directory entry', /^directory\[2\]$/, 0n, /directory entry 2 is nil \(at 0x[0-9a-f]+\)/],
    ['lengthMask 2^40', /^table\.groupsLengthMask$/, 2n ** 40n, /has lengthMask 1099511627776/],
    ['a table\'s groups in unmapped memory', /^table\.groupsData$/, 0xdead0000n, /groups of table 0x[0-9a-f]+ are unreadable/],
  ])('%s: CorruptMapError', async (_, what, value, message) => {
    const img = image(dir);
    const { anatomy: a } = await clean(img);
    const { error } = await scenario(img, fields(a, what, value));
    expect(error?.message).toMatch(message);
  });

  it('16 tables at the largest lengthMask: refused by their total, before any group read', async () => {
    const { layout } = swissMap(8, 'int', 'int');
    const mem = new SyntheticMemory(8, true);
    let largest = 0;
    const read = mem.readMany.bind(mem);
    mem.readMany = (ranges) => {
      for (const r of ranges) largest = Math.max(largest, r.length);
      return read(ranges);
    };
    const tables = Array.from({ length: 16 }, (_, i) =>
      placeTable(mem, layout, 0x10000 + i * 0x100, { used: 0, capacity: 2 ** 23, growthLeft: 0, localDepth: 4, index: i, data: 0x100000 * (i + 1), lengthMask: 2 ** 20 - 1 }),
    );
    placeDirectory(mem, 0x2000, tables);
    placeSwissMap(mem, layout, 0x1000, { used: 0, dirPtr: 0x2000, dirLen: 16, globalDepth: 4 });
    // 16 × 2^20 groups of 136 bytes is 2.3 GB: each table alone is within bounds, together not.
    await expect(decodeSwiss(new CachedMemory(mem), layout, 0x1000n)).rejects.toThrow(/the tables' group arrays add up to over 2147483648 bytes/);
    expect(largest).toBeLessThan(4096);
  });

  it('a directory entry pointing at the map header: decoded as a table, or CorruptMapError', async () => {
    const img = image(dir);
    const { anatomy: a } = await clean(img);
    await scenario(img, fields(a, /^directory\[1\]$/, BigInt(img.map.header)));
  });
});

describe('values over damaged memory', () => {
  it.each(['go1.26 main.strStr', 'go1.24-noswissmap main.strStr'])('%s: string lengths of 2^62 and -1 render as errors, read at most 1 MiB', async (label) => {
    const img = image(label);
    const { anatomy: a } = await clean(img);
    for (const len of [2n ** 62n, -1n]) {
      const { result } = await scenario(img, fields(a, /^(key|elem) word 1$/, len));
      expect(result?.entries.length).toBeGreaterThan(0);
      expect(JSON.stringify(result?.entries)).toMatch(len < 0n ? /string length -1 is negative/ : /unreadable string data/);
    }
  });

  it.each(['go1.26 main.anyVal', 'go1.24-noswissmap main.ifaceKey', 'go1.19 main.anyVal'])(
    '%s: descriptors of 7 bytes (a RangeError from DataView in the analysis, found by fuzzing)',
    async (label) => {
      const img = image(label);
      const { anatomy: a } = await clean(img);
      const { result } = await scenario(img, fields(a, /^descriptor\.size$/, 7n));
      expect(JSON.stringify(result?.entries)).toMatch(/corrupt type descriptor at 0x[0-9a-f]+: kind \d+ with size 7/);
    },
  );

  it('descriptors of 2^34 bytes: no 16 GB read (found by fuzzing)', async () => {
    const img = image('go1.24-noswissmap main.ifaceKey');
    const { anatomy: a } = await clean(img);
    const { result, stats } = await scenario(img, fields(a, /^descriptor\.size$/, 2n ** 34n + 8n));
    expect(result?.entries.length).toBe(img.map.entries);
    expect(stats.largestRequest).toBeLessThan(1 << 20);
  });

  it('name offsets of -2^31 (a negative address for the name): no impossible read (found by fuzzing)', async () => {
    const img = image('go1.26 main.anyVal');
    const { anatomy: a } = await clean(img);
    await scenario(img, fields(a, /^descriptor\.str$/, 0x80000000n));
  });
});

describe('runtime metadata over damaged memory (found by fuzzing)', () => {
  it('moduledata.next past the top of the address space: no impossible read', async () => {
    const img = image('go1.24-noswissmap main.sameSizeGrowing');
    const target = new ReplayTarget(img.file, img.map, imageBlocks(img.map));
    const [md] = await target.typesByName(['runtime.moduledata']);
    if (md?.kind !== 'struct') throw new Error('no runtime.moduledata');
    const next = md.fields.find((f) => f.name === 'next');
    const first = await target.symbolAddress('runtime.firstmoduledata');
    if (!next || first === undefined) throw new Error('no moduledata.next');
    const { result } = await scenario(img, [{ address: first + BigInt(next.offset), size: 8, value: 2n ** 64n - 8n }]);
    expect(result?.entries.length).toBe(img.map.entries);
  });

  it('the bucket type claiming 2^34 pointer bytes: its GC mask is not read (it asked for 30 GB)', async () => {
    const img = image('go1.26 main.smallIntInt');
    const { result: clean_ } = await clean(img);
    const descriptor = clean_.analysis.gc.runtime?.descriptor;
    const target = new ReplayTarget(img.file, img.map, imageBlocks(img.map));
    const rtypes = await loadRuntimeTypeInfo(target);
    if (!descriptor || !rtypes) throw new Error('no runtime GC data in the image');
    const f = rtypes.layout.ptrBytes;
    const { result, stats } = await scenario(img, [{ address: BigInt(descriptor) + BigInt(f.offset), size: f.size, value: 2n ** 34n }]);
    expect(result?.analysis.gc.runtime).toBeNull();
    expect(stats.largestRequest).toBeLessThan(1 << 20);
  });
});
