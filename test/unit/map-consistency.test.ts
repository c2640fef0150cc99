/**
 * The decoded map's own signs of being read as the wrong type (src/maps/consistency.ts), and the
 * warnings the raw-address check turns them into (src/heap/typecheck.ts), over synthetic memory.
 */
import { describe, expect, it } from 'vitest';
import { RawMapTypeCheck, withWarnings } from '../../src/heap/typecheck.js';
import { decodeClassic } from '../../src/maps/classic/decode.js';
import { decodeInconsistencies } from '../../src/maps/consistency.js';
import { decodeSwiss } from '../../src/maps/swiss/decode.js';
import { CachedMemory } from '../../src/target/cache.js';
import { heapTarget, repeated, SyntheticHeap } from './synthetic-heap.js';
import {
  bucketAt,
  classicCell,
  classicMap,
  placeBuckets,
  placeHmap,
  placeGroups,
  placeSwissMap,
  swissMap,
  swissSlot,
  SyntheticMemory,
  writeCtrl,
  writeTophash,
} from './synthetic-memory.js';

const E = 0x80;

describe('decodeInconsistencies, classic', () => {
  const { layout, type } = classicMap(8, 'int', 'int');

  async function decoded(tophash: readonly (readonly number[])[], grow?: { old: readonly (readonly number[])[] }) {
    const mem = new SyntheticMemory();
    placeBuckets(mem, layout, 0x2000, tophash.length);
    tophash.forEach((t, i) => writeTophash(mem, layout, bucketAt(layout, 0x2000, i), t));
    if (grow) {
      placeBuckets(mem, layout, 0x8000, grow.old.length);
      grow.old.forEach((t, i) => writeTophash(mem, layout, bucketAt(layout, 0x8000, i), t));
    }
    const live = [...tophash, ...(grow?.old ?? [])].flat().filter((t) => t >= 5).length;
    placeHmap(mem, layout, 0x1000, { count: live, B: Math.log2(tophash.length), buckets: 0x2000, oldbuckets: grow ? 0x8000 : 0 });
    return { mem, snapshot: await decodeClassic(mem, layout, 0x1000n) };
  }

  it('a map as the runtime leaves it: nothing', async () => {
    const { mem, snapshot } = await decoded([
      [0x10, 1, 0x20, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0],
    ]);
    expect(await decodeInconsistencies(mem, layout, snapshot)).toEqual([]);
    expect(type.name).toBe('map[int]int');
  });

  it('a cell after emptyRest, and an evacuation mark in the current array', async () => {
    const { mem, snapshot } = await decoded([
      [0x10, 0, 0, 0x33, 0, 0, 0, 0],
      [2, 0, 0, 0, 0, 0, 0, 0],
    ]);
    expect(await decodeInconsistencies(mem, layout, snapshot)).toEqual([
      '1 tophash bytes of the bucket array are evacuation marks, which only evacuated old buckets hold (first: bucket 0x2090 cell 0: 2)',
      '1 cells of the bucket array follow an emptyRest cell but are not empty (first: bucket 0x2000 cell 3: 51)',
    ]);
  });

  it('an old bucket evacuated in part', async () => {
    const { mem, snapshot } = await decoded(
      [
        [0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0],
      ],
      { old: [[2, 3, 0x40, 4, 4, 4, 4, 4]] },
    );
    expect(await decodeInconsistencies(mem, layout, snapshot)).toEqual(['1 cells of evacuated old buckets are not marked evacuated (first: bucket 0x8000)']);
  });

  it('a bool key that is neither 0 nor 1', async () => {
    const b = classicMap(8, 'bool', 'int').layout;
    const mem = new SyntheticMemory();
    placeBuckets(mem, b, 0x2000, 1);
    writeTophash(mem, b, 0x2000, [0x10, 0x11, 0, 0, 0, 0, 0, 0]);
    mem.u8(classicCell(b, 0x2000, 0).key, 1);
    mem.u8(classicCell(b, 0x2000, 1).key, 7);
    placeHmap(mem, b, 0x1000, { count: 2, B: 0, buckets: 0x2000 });
    const s = await decodeClassic(mem, b, 0x1000n);
    expect(await decodeInconsistencies(mem, b, s)).toEqual(['1 of 2 bool keys sampled are neither 0 nor 1 (first: 7)']);
  });
});

describe('decodeInconsistencies, Swiss', () => {
  it('control bytes the runtime never writes; a tombstone in a small map', async () => {
    const { layout } = swissMap(8, 'int', 'int');
    const mem = new SyntheticMemory();
    const g = placeGroups(mem, layout, 0x2000, 1);
    writeCtrl(mem, layout, g, [0x12, 0x9c, 0xfe, E, E, E, E, 0xff]);
    placeSwissMap(mem, layout, 0x1000, { used: 1, dirPtr: g, dirLen: 0 });
    const s = await decodeSwiss(mem, layout, 0x1000n);
    expect(await decodeInconsistencies(mem, layout, s)).toEqual([
      '2 control bytes are neither empty (0x80), deleted (0xfe) nor full (below 0x80) (first: 0x9c in group 0x2000)',
      "the small map's group has 1 deleted slots, which only tables have",
    ]);
  });

  it('string keys: impossible headers, and data that cannot be read', async () => {
    const { layout } = swissMap(8, 'string', 'int');
    const mem = new SyntheticMemory();
    const g = placeGroups(mem, layout, 0x2000, 1);
    writeCtrl(mem, layout, g, [0x12, 0x13, 0x14, 0x15, E, E, E, E]);
    mem.alloc(0x5000, 16);
    mem.goString(swissSlot(layout, g, 0).key, 0x5000, 'fine');
    mem.goString(swissSlot(layout, g, 1).key, 0x5008, '');
    mem.ptr(swissSlot(layout, g, 2).key, 0x7000);
    mem.ptr(swissSlot(layout, g, 2).key + 8n, 3);
    mem.ptr(swissSlot(layout, g, 3).key, 0x5000);
    mem.ptr(swissSlot(layout, g, 3).key + 8n, -5);
    placeSwissMap(mem, layout, 0x1000, { used: 4, dirPtr: g, dirLen: 0 });
    const s = await decodeSwiss(mem, layout, 0x1000n);
    expect(await decodeInconsistencies(mem, layout, s)).toEqual([
      '1 of 4 string keys sampled have impossible headers (first: data 0x5000, len -5)',
      '1 of 4 string keys sampled point at memory that cannot be read (first: data 0x7000, len 3)',
    ]);
  });
});

describe('RawMapTypeCheck', () => {
  const { layout, type } = swissMap(8, 'int', 'int');
  /** A target whose binary says nothing of its heap: the check can only watch the decode. */
  const blind = (mem: SyntheticMemory) => ({
    pointerSize: 8 as const,
    littleEndian: true,
    info: { arch: 'amd64' },
    readMany: mem.readMany.bind(mem),
    typesByName: async (names: readonly string[]) => names.map(() => undefined),
    symbolAddress: async () => undefined,
  });

  it('where the heap cannot tell, the decoded map’s inconsistencies become one warning; a consistent map gets none', async () => {
    const mem = new SyntheticMemory();
    const g = placeGroups(mem, layout, 0x2000, 1);
    writeCtrl(mem, layout, g, [0x12, 0x9c, E, E, E, E, E, E]);
    placeSwissMap(mem, layout, 0x1000, { used: 2, dirPtr: g, dirLen: 0 });
    const check = new RawMapTypeCheck(blind(mem));
    const cached = new CachedMemory(mem);
    const c = await check.check(cached, 0x1000n, type, layout);
    expect(c.error).toBeUndefined();
    expect(c.verdict).toEqual({ kind: 'unknown', reason: 'the binary has no DWARF description of runtime.mheap, heapArena or mspan', signals: [] });
    const s = await decodeSwiss(cached, layout, 0x1000n);
    expect(await c.warnings(s)).toEqual([
      '0x1000 may not hold a map[int]int (the Go heap cannot tell: the binary has no DWARF description of runtime.mheap, heapArena or mspan): 1 control bytes are neither empty (0x80), deleted (0xfe) nor full (below 0x80) (first: 0x9c in group 0x2000)',
    ]);

    writeCtrl(mem, layout, g, [0x12, 0x13, E, E, E, E, E, E]);
    const fresh = new CachedMemory(mem);
    const d = await check.check(fresh, 0x1000n, type, layout);
    expect(await d.warnings(await decodeSwiss(fresh, layout, 0x1000n))).toEqual([]);
  });

  it('from the binary’s DWARF to a verdict: refused before the decode, several maps in the reads of one', async () => {
    const mem = new SyntheticMemory();
    const h = new SyntheticHeap(mem);
    const strInt = swissMap(8, 'string', 'int');
    // A map[int]int's small group (136 bytes, noscan) and a map[string]int's (200, with pointers).
    h.span({ start: 0xc000000000n, sizeclass: 11, noscan: true });
    h.span({ start: 0xc000002000n, sizeclass: 15, noscan: false });
    h.heapBits(0xc000002000n, 0xc000002000n, 208, repeated([8], 24, 8));
    placeSwissMap(mem, layout, 0x1000, { used: 0, dirPtr: 0xc000000000n, dirLen: 0 });
    placeSwissMap(mem, strInt.layout, 0x1100, { used: 0, dirPtr: 0xc000002000n, dirLen: 0 });
    const check = new RawMapTypeCheck(heapTarget(h));
    const maps = [
      { header: 0x1000n, type, layout },
      { header: 0x1000n, type: strInt.type, layout: strInt.layout },
      { header: 0x1100n, type: strInt.type, layout: strInt.layout },
      { header: 0x1100n, type, layout },
    ];
    await check.heapLayout();
    mem.calls = 0;
    const all = await check.checkAll(mem, maps);
    const batched = mem.calls;
    expect(all.map((c) => c.verdict.kind)).toEqual(['consistent', 'contradicts', 'consistent', 'contradicts']);
    expect(all[1].error).toBe(
      '0x1000 does not hold a map[string]int: its group at 0xc000000000 is a 144-byte noscan object (size class 11); a map[string]int group is 200 bytes with pointers, a 208-byte object',
    );
    expect(all[3].error).toMatch(/^0x1100 does not hold a map\[int\]int: its group at 0xc000002000 is a 208-byte object with pointers \(size class 15\);/);
    mem.calls = 0;
    const one = await check.check(mem, 0x1100n, type, layout);
    expect(one.error).toBe(all[3].error);
    expect(mem.calls).toBe(batched);
  });

  it('withWarnings adds to a snapshot without building what it builds lazily', async () => {
    const mem = new SyntheticMemory();
    const g = placeGroups(mem, layout, 0x2000, 1);
    writeCtrl(mem, layout, g, [0x12, E, E, E, E, E, E, E]);
    mem.ptr(swissSlot(layout, g, 0).key, 42);
    placeSwissMap(mem, layout, 0x1000, { used: 1, dirPtr: g, dirLen: 0 });
    const s = await decodeSwiss(mem, layout, 0x1000n);
    const w = withWarnings(s, ['look out']);
    expect(w.warnings).toEqual(['look out']);
    expect(s.warnings).toEqual([]);
    // Still lazy: `entries` is a getter (the snapshot's class's), not a value made by the copy.
    const getter = (o: object) => Object.getOwnPropertyDescriptor(o, 'entries')?.get ?? Object.getOwnPropertyDescriptor(Object.getPrototypeOf(o) as object, 'entries')?.get;
    expect(getter(w)).toBeTypeOf('function');
    expect(w.entries.map((e) => mem.readInt(e.key))).toEqual([42]);
    expect(withWarnings(s, [])).toBe(s);
  });
});
