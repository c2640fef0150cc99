/**
 * Bounds of the value renderer, the analysis walker and the memory cache over damaged memory
 * (regressions of what test/unit/fuzz-decoders.test.ts found, built small on synthetic memory):
 * type descriptors whose size disagrees with their kind, types named by target memory that are
 * huge or lead back to themselves, and thousands of unreadable ranges.
 */
import { describe, expect, it } from 'vitest';
import { InlineWalker } from '../../src/analyze/inline.js';
import type { GoType } from '../../src/layout/gotype.js';
import { CachedMemory } from '../../src/target/cache.js';
import type { Memory, MemRange, ReadResult, TypeSource } from '../../src/target/target.js';
import { fetchRanges } from '../../src/target/fetch.js';
import { renderEntries } from '../../src/values/entries.js';
import { MAX_VALUE_BYTES, MAX_VALUE_NODES } from '../../src/values/limits.js';
import { MAX_STRING_BYTES, type RenderEnv } from '../../src/values/render.js';
import { Kind, type RtypeLayout, RuntimeTypeInfo } from '../../src/values/rtype.js';
import { QUASILINEAR_AT_8X } from './growth.js';
import { SyntheticMemory } from './synthetic-memory.js';

/** abi.Type on a 64-bit target (as in values-render.test.ts). */
const RTYPE64: RtypeLayout = {
  size: 48,
  sizeField: { offset: 0, size: 8 },
  ptrBytes: { offset: 8, size: 8 },
  tflag: { offset: 20, size: 1 },
  kind: { offset: 23, size: 1 },
  str: { offset: 40, size: 4 },
  gcdata: { offset: 32, size: 8 },
};
const TYPES = 0x400000n;
const VALUES = 0xc000000000n;

const eface: GoType = { kind: 'eface', name: 'interface {}', size: 16, align: 8 };
const noTypes: TypeSource = { typesByName: async (names) => names.map(() => undefined) };

/** Memory that records the largest range asked for. */
class Recording implements Memory {
  largest = 0;
  constructor(private readonly inner: SyntheticMemory) {}
  get pointerSize(): 4 | 8 {
    return this.inner.pointerSize;
  }
  get littleEndian(): boolean {
    return this.inner.littleEndian;
  }
  readMany(ranges: readonly MemRange[]): Promise<ReadResult[]> {
    for (const r of ranges) this.largest = Math.max(this.largest, r.length);
    return this.inner.readMany(ranges);
  }
}

/** Counts the looks into the cache (peek, blockAt): the work of rendering or walking cached values. */
function countLooks(cache: CachedMemory): { count: number } {
  const c = { count: 0 };
  const peek = cache.peek.bind(cache);
  const blockAt = cache.blockAt.bind(cache);
  cache.peek = (address, length) => (c.count++, peek(address, length));
  cache.blockAt = (address, length) => (c.count++, blockAt(address, length));
  return c;
}

/** Counts reads of the elements of an object's array field (a private one: this is a white-box check). */
function countElementReads(obj: object, field: string): { count: number } {
  const c = { count: 0 };
  const list: unknown = Reflect.get(obj, field);
  if (!Array.isArray(list)) throw new Error(`the test expects ${obj.constructor.name}.${field} to be an array: update it`);
  const counted = new Proxy(list, {
    get: (t, k, r) => {
      if (typeof k === 'string' && /^\d+$/.test(k)) c.count++;
      return Reflect.get(t, k, r) as unknown;
    },
  });
  Object.defineProperty(obj, field, { value: counted, writable: true, configurable: true });
  return c;
}

function rig(typesByName = new Map<string, GoType | null>()) {
  const mem = new SyntheticMemory(8, true);
  mem.alloc(TYPES, 0x1000);
  mem.alloc(VALUES, 0x1000);
  const rec = new Recording(mem);
  const cache = new CachedMemory(rec);
  const rtypes = new RuntimeTypeInfo(RTYPE64, [{ types: TYPES, etypes: TYPES + 0x1000n }]);
  const env: RenderEnv = { mem: cache, rtypes, typesByName, swissHeaders: true };
  /** A descriptor at types+at named `name` (name bytes at types+nameOff). */
  const descriptor = (at: number, d: { size: bigint | number; ptrBytes: number; kind: number; nameOff: number; name: string }) => {
    const a = TYPES + BigInt(at);
    mem.u64(a, d.size);
    mem.u64(a + 8n, d.ptrBytes);
    mem.u8(a + 23n, d.kind);
    mem.u32(a + 40n, d.nameOff);
    const bytes = new TextEncoder().encode(d.name);
    mem.write(TYPES + BigInt(d.nameOff), [0, bytes.length, ...bytes]);
    return a;
  };
  const render = async (type: GoType, address: bigint) => (await renderEntries([{ key: address, value: address }], type, type, env, noTypes))[0].key;
  /** What the analysis walker finds in the value, fetching until it is complete. */
  const walk = async (type: GoType, address: bigint) => {
    const w = new InlineWalker({ mem: cache, rtypes, typesByName });
    const facts = { stringBytes: 0, nan: false };
    for (let round = 0; round < 8; round++) {
      w.reset();
      Object.assign(facts, { stringBytes: 0, nan: false });
      w.walk(type, address, facts);
      if (w.complete) break;
      await fetchRanges(cache, w.misses);
    }
    return facts;
  };
  return { mem, rec, cache, render, walk, descriptor };
}

describe('type descriptors that disagree with their kind', () => {
  it('a float64 descriptor of 7 bytes: an error value, not a RangeError from DataView', async () => {
    const { mem, render, walk, descriptor } = rig();
    const t = descriptor(0x100, { size: 7, ptrBytes: 0, kind: Kind.Float64, nameOff: 0x800, name: 'main.F' });
    mem.ptr(VALUES, t);
    mem.ptr(VALUES + 8n, VALUES + 0x100n);
    expect(await render(eface, VALUES)).toEqual({ error: `corrupt type descriptor at 0x${t.toString(16)}: kind 14 with size 7` });
    expect(await walk(eface, VALUES)).toEqual({ stringBytes: 0, nan: false });
  });

  it('an int of 2^34 bytes: no 16 GB read', async () => {
    const { mem, rec, render, walk, descriptor } = rig();
    const t = descriptor(0x100, { size: 2n ** 34n + 8n, ptrBytes: 0, kind: Kind.Int, nameOff: 0x800, name: 'main.I' });
    mem.ptr(VALUES, t);
    mem.ptr(VALUES + 8n, VALUES + 0x100n);
    expect(await render(eface, VALUES)).toMatchObject({ error: expect.stringMatching(/corrupt type descriptor/) });
    await walk(eface, VALUES);
    expect(rec.largest).toBeLessThan(4096);
  });
});

describe('types too big or too branching to render', () => {
  it('an array of 10^11 bools (a `[N]T` name built from memory): an error, no read', async () => {
    const { rec, render } = rig();
    const huge: GoType = { kind: 'array', name: '[100000000000]bool', size: 1e11, align: 1, length: 1e11, elem: { kind: 'bool', name: 'bool', size: 1, align: 1 } };
    expect(await render(huge, VALUES)).toEqual({ error: `value of ${1e11} bytes at 0x${VALUES.toString(16)} is too large to render` });
    expect(rec.largest).toBeLessThanOrEqual(MAX_VALUE_BYTES);
  });

  it('a billion zero-sized elements: an error, not an out-of-memory', async () => {
    const { render } = rig();
    const zs: GoType = { kind: 'array', name: '[1000000000]struct {}', size: 0, align: 1, length: 1e9, elem: { kind: 'struct', name: 'struct {}', size: 0, align: 1, fields: [] } };
    expect(await render(zs, VALUES)).toMatchObject({ error: expect.stringMatching(/too long to render/) });
  });

  const pair: GoType = {
    kind: 'struct',
    name: 'main.pair',
    size: 32,
    align: 8,
    fields: [
      { name: 'a', offset: 0, type: eface },
      { name: 'b', offset: 16, type: eface },
    ],
  };

  it('a struct whose two interface fields point back at it: a cycle, reported where found', async () => {
    const { mem, render, walk, descriptor } = rig(new Map([['main.pair', pair]]));
    const t = descriptor(0x100, { size: 32, ptrBytes: 32, kind: Kind.Struct, nameOff: 0x800, name: 'main.pair' });
    for (const at of [0n, 16n]) {
      mem.ptr(VALUES + at, t);
      mem.ptr(VALUES + at + 8n, VALUES);
    }
    const cycle = { type: 'main.pair', value: { error: `cycle: the value at 0x${VALUES.toString(16)} contains itself` } };
    const inner = { a: cycle, b: cycle };
    expect(await render(eface, VALUES)).toEqual({ type: 'main.pair', value: inner });
    expect(await walk(eface, VALUES)).toEqual({ stringBytes: 0, nan: false });
  });

  it('20 levels of pairs sharing their halves (2^20 paths, no cycle): cut at the node budget, in bounded work', async () => {
    const { mem, cache, render, walk, descriptor } = rig(new Map([['main.pair', pair]]));
    const t = descriptor(0x100, { size: 32, ptrBytes: 32, kind: Kind.Struct, nameOff: 0x800, name: 'main.pair' });
    for (let level = 0n; level < 20n; level++) {
      for (const at of [0n, 16n]) {
        mem.ptr(VALUES + 32n * level + at, t);
        mem.ptr(VALUES + 32n * level + at + 8n, VALUES + 32n * (level + 1n));
      }
    }
    // All of it cached up front, so that one rendering round sees the whole DAG.
    await cache.readMany([{ address: VALUES, length: 0x1000 }, { address: TYPES, length: 0x1000 }]);
    // The work is counted, not timed: each part rendered or walked looks at cached memory.
    const looks = countLooks(cache);
    const v = await render(pair, VALUES);
    expect(JSON.stringify(v).includes(`has more than ${MAX_VALUE_NODES} parts`)).toBe(true);
    const rendering = looks.count;
    await walk(pair, VALUES);
    const walking = looks.count - rendering;
    // A few looks per part within the budget (about 4); following every path would look 2^21 times or more.
    expect(rendering).toBeLessThanOrEqual(8 * MAX_VALUE_NODES);
    expect(walking).toBeLessThanOrEqual(8 * MAX_VALUE_NODES);
  });

  it('a string of length 2^62 reads at most MAX_STRING_BYTES', async () => {
    const { mem, rec, render } = rig();
    mem.ptr(VALUES, VALUES + 0x100n);
    mem.u64(VALUES + 8n, 2n ** 62n);
    const str: GoType = { kind: 'string', name: 'string', size: 16, align: 8 };
    await render(str, VALUES);
    expect(rec.largest).toBeLessThanOrEqual(MAX_STRING_BYTES);
  });
});

describe('CachedMemory', () => {
  it('refuses ranges outside the address space without asking the target', async () => {
    const { mem } = rig();
    const rec = new Recording(mem);
    let asked = 0;
    const counting: Memory = { pointerSize: 8, littleEndian: true, readMany: (r) => ((asked += r.length), rec.readMany(r)) };
    const cache = new CachedMemory(counting);
    const got = await cache.readMany([
      { address: -16n, length: 8 },
      { address: 2n ** 64n - 8n, length: 16 },
      { address: VALUES, length: 8 },
    ]);
    expect(got.map((r) => r.ok)).toEqual([false, false, true]);
    expect(asked).toBe(1);
    expect(cache.peek(-16n, 8)).toBe('unreadable');
  });

  it('40,000 unreadable ranges: fetched and peeked in n log n work, counted (quadratic before: 2.6 s for 20,000)', async () => {
    const failing: Memory = { pointerSize: 8, littleEndian: true, readMany: async (r) => r.map(() => ({ ok: false as const, error: 'unmapped' })) };
    /** Reads of the cache's list of failed ranges, for n unreadable ranges fetched and peeked: counted, not timed. */
    const work = async (n: number): Promise<number> => {
      const cache = new CachedMemory(failing);
      const reads = countElementReads(cache, 'failed');
      const ranges = Array.from({ length: n }, (_, i) => ({ address: 0x100000n + BigInt(i * 1000), length: 16 }));
      await fetchRanges(cache, ranges);
      const unreadable = ranges.filter((r) => cache.peek(r.address, r.length) === 'unreadable').length;
      expect(unreadable).toBe(ranges.length);
      return reads.count;
    };
    // Searched, each peek reads log n of them; scanned, n (64× at 8× the ranges).
    expect((await work(40_000)) / (await work(5_000))).toBeLessThan(QUASILINEAR_AT_8X);
  });
});
