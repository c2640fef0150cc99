/**
 * decodeClassic over synthetic memory: bucket arrays, overflow chains, deletes, both kinds of
 * grow, indirect keys, Go 1.24 noswiss headers, 32-bit targets and corrupt structures.
 */
import { describe, expect, it } from 'vitest';
import { decodeClassic, decodeSmallClassic } from '../../src/maps/classic/decode.js';
import { CachedMemory } from '../../src/target/cache.js';
import { CorruptMapError, type ClassicSnapshot } from '../../src/maps/snapshot.js';
import {
  type Addr,
  bucketAt,
  classicCell,
  classicMap,
  type DwarfTable,
  placeBuckets,
  placeHmap,
  SyntheticMemory,
  writeOverflow,
  writeTophash,
} from './synthetic-memory.js';

const EMPTY_REST = 0;
const EMPTY_ONE = 1;
const EVAC_X = 2;
const EVAC_Y = 3;
const EVAC_EMPTY = 4;

/** A cell: [tophash] or [tophash, key, value]; keys and values are Go ints. */
type Cell = readonly [top: number, key?: number, value?: number];

/** A map[int]int test rig on a target of the given shape. */
function rig(ps: 4 | 8 = 8, littleEndian = true, opts: { clearSeq?: boolean } = {}) {
  const { layout } = classicMap(ps, 'int', 'int', opts);
  const mem = new SyntheticMemory(ps, littleEndian);
  /** Fills a bucket's cells (missing cells are emptyRest) and its overflow pointer. */
  const fill = (bucket: Addr, cells: readonly Cell[], overflow: Addr = 0) => {
    const top = Array.from({ length: 8 }, (_, s) => cells[s]?.[0] ?? EMPTY_REST);
    writeTophash(mem, layout, bucket, top);
    cells.forEach(([, key, value], s) => {
      const c = classicCell(layout, bucket, s);
      if (key !== undefined) mem.ptr(c.key, key);
      if (value !== undefined) mem.ptr(c.elem, value);
    });
    writeOverflow(mem, layout, bucket, overflow);
  };
  const keys = (s: ClassicSnapshot) => s.entries.map((e) => mem.readInt(e.key));
  const pairs = (s: ClassicSnapshot) => s.entries.map((e) => [mem.readInt(e.key), mem.readInt(e.value)]);
  return { layout, mem, fill, keys, pairs };
}

describe('decodeClassic', () => {
  it('an empty map with an allocated bucket: no entries, one all-emptyRest bucket', async () => {
    const { layout, mem } = rig();
    placeBuckets(mem, layout, 0x2000, 1);
    placeHmap(mem, layout, 0x1000, { count: 0, B: 0, hash0: 0xdeadbeef, buckets: 0x2000 });
    const s = await decodeClassic(mem, layout, 0x1000n);
    expect(s).toMatchObject({ implementation: 'classic', address: 0x1000n, count: 0, B: 0, flags: 0, hash0: 0xdeadbeef, oldbuckets: null, entries: [], warnings: [] });
    expect(s.buckets).toEqual([{ address: 0x2000n, tophash: [0, 0, 0, 0, 0, 0, 0, 0], overflow: [] }]);
    expect(s.clearSeq).toBeUndefined();
  });

  it('a nil bucket array with count 0 (make(map) that was never written)', async () => {
    const { layout, mem } = rig();
    placeHmap(mem, layout, 0x1000, { count: 0, B: 0, buckets: 0 });
    const s = await decodeClassic(mem, layout, 0x1000n);
    expect(s.buckets).toEqual([]);
    expect(s.entries).toEqual([]);
  });

  it('B=2 with overflow chains: chains in order, entries in memory order with their addresses', async () => {
    const { layout, mem, fill, pairs } = rig();
    const arr = placeBuckets(mem, layout, 0x2000, 4);
    const [ovA, ovB, ovC] = [0x5000n, 0x4000n, 0x6000n].map((a) => placeBuckets(mem, layout, a, 1));
    fill(bucketAt(layout, arr, 0), [[0x10, 1, 10]]);
    fill(bucketAt(layout, arr, 1), Array.from({ length: 8 }, (_, s): Cell => [0x20 + s, 100 + s, s]), ovA);
    fill(ovA, Array.from({ length: 8 }, (_, s): Cell => [0x30 + s, 200 + s, s]), ovB);
    fill(ovB, [[0x40, 300, 3]]);
    fill(bucketAt(layout, arr, 3), [[0x50, 400, 4], [0x51, 401, 4]], ovC);
    fill(ovC, [[EMPTY_ONE], [0x60, 500, 5]]);
    placeHmap(mem, layout, 0x1000, { count: 21, B: 2, noverflow: 3, buckets: arr });

    const s = await decodeClassic(mem, layout, 0x1000n);
    expect(s.buckets.map((c) => c.address)).toEqual([0, 1, 2, 3].map((i) => bucketAt(layout, arr, i)));
    expect(s.buckets.map((c) => c.overflow.map((o) => o.address))).toEqual([[], [ovA, ovB], [], [ovC]]);
    expect(s.buckets[1].overflow[1].tophash).toEqual([0x40, 0, 0, 0, 0, 0, 0, 0]);
    expect(s.noverflow).toBe(3);
    const want = [1, ...[0, 1, 2, 3, 4, 5, 6, 7].map((s) => 100 + s), ...[0, 1, 2, 3, 4, 5, 6, 7].map((s) => 200 + s), 300, 400, 401, 500];
    expect(pairs(s).map(([k]) => k)).toEqual(want);
    expect(pairs(s)[want.indexOf(300)]).toEqual([300, 3]);
    // EntryRefs are the cell addresses themselves (direct key and elem).
    expect(s.entries[0]).toEqual({ key: classicCell(layout, arr, 0).key, value: classicCell(layout, arr, 0).elem });
    expect(s.entries.at(-1)).toEqual({ key: classicCell(layout, ovC, 1).key, value: classicCell(layout, ovC, 1).elem });
    expect(s.warnings).toEqual([]);
  });

  it('deleted cells (emptyOne) and empty cells (emptyRest) are not entries, whatever their stale bytes', async () => {
    const { layout, mem, fill, keys } = rig();
    const arr = placeBuckets(mem, layout, 0x2000, 1);
    fill(arr, [[0x55, 1, 1], [EMPTY_ONE, 666, 6], [0x66, 2, 2], [EMPTY_ONE, 667, 6], [EMPTY_REST, 668, 6], [EMPTY_REST, 669]]);
    placeHmap(mem, layout, 0x1000, { count: 2, B: 0, buckets: arr });
    const s = await decodeClassic(mem, layout, 0x1000n);
    expect(keys(s)).toEqual([1, 2]);
    expect(s.buckets[0].tophash).toEqual([0x55, 1, 0x66, 1, 0, 0, 0, 0]);
  });

  it('a doubling grow in progress: evacuated old buckets are skipped (stale keys too), unevacuated ones read once, from the lower index', async () => {
    const { layout, mem, fill, keys } = rig();
    // B=2: four new buckets; two old ones. Old bucket 0 went to new 0 (X) and new 2 (Y);
    // old bucket 1, not evacuated yet, still holds the entries of new buckets 1 and 3.
    const cur = placeBuckets(mem, layout, 0x2000, 4);
    const old = placeBuckets(mem, layout, 0x3000, 2);
    const oldOvf = placeBuckets(mem, layout, 0x3800, 1);
    fill(bucketAt(layout, old, 0), [[EVAC_X, 900, 0], [EVAC_Y, 901, 0], [EVAC_X, 902, 0], [EVAC_EMPTY, 903], [EVAC_EMPTY], [EVAC_EMPTY], [EVAC_EMPTY], [EVAC_EMPTY]]);
    fill(bucketAt(layout, old, 1), [[0x70, 201, 1], [0x71, 203, 3]], oldOvf);
    fill(oldOvf, [[0x72, 205, 5]]);
    fill(bucketAt(layout, cur, 0), [[0x10, 100, 0], [0x11, 102, 0]]);
    fill(bucketAt(layout, cur, 2), [[0x12, 101, 0]]);
    placeHmap(mem, layout, 0x1000, { count: 6, B: 2, buckets: cur, oldbuckets: old, nevacuate: 1 });

    const s = await decodeClassic(mem, layout, 0x1000n);
    expect(keys(s)).toEqual([100, 102, 201, 203, 205, 101]);
    expect(s.nevacuate).toBe(1n);
    expect(s.oldbuckets?.map((c) => c.address)).toEqual([old, bucketAt(layout, old, 1)]);
    expect(s.oldbuckets?.[0].tophash).toEqual([2, 3, 2, 4, 4, 4, 4, 4]);
    expect(s.oldbuckets?.[1].overflow.map((o) => o.address)).toEqual([oldOvf]);
    expect(s.buckets).toHaveLength(4);
    expect(s.warnings).toEqual([]);
  });

  it('a same-size grow (flags & 8): the old array has 2^B buckets', async () => {
    const { layout, mem, fill, keys } = rig();
    const cur = placeBuckets(mem, layout, 0x2000, 2);
    const old = placeBuckets(mem, layout, 0x3000, 2);
    const oldOvf = placeBuckets(mem, layout, 0x3800, 1);
    fill(bucketAt(layout, old, 0), [[EVAC_X, 990], [EVAC_X, 991], [EVAC_EMPTY, 992], [EVAC_EMPTY], [EVAC_EMPTY], [EVAC_EMPTY], [EVAC_EMPTY], [EVAC_EMPTY]]);
    fill(bucketAt(layout, old, 1), [[EMPTY_ONE, 993], [0x41, 11, 0]], oldOvf);
    fill(oldOvf, [[0x42, 13, 0]]);
    fill(bucketAt(layout, cur, 0), [[0x43, 10, 0], [0x44, 12, 0]]);
    placeHmap(mem, layout, 0x1000, { count: 4, flags: 8, B: 1, buckets: cur, oldbuckets: old, nevacuate: 1 });

    const s = await decodeClassic(mem, layout, 0x1000n);
    expect(s.oldbuckets).toHaveLength(2);
    expect(s.oldbuckets?.[1].overflow.map((o) => o.address)).toEqual([oldOvf]);
    expect(keys(s)).toEqual([10, 12, 11, 13]);
    expect(s.flags).toBe(8);
  });

  it('indirect keys (over 128 bytes): EntryRef.key is the pointed-to key, not the slot', async () => {
    const big = (t: DwarfTable) => t.struct('main.Big', [['a', t.array(t.basic('int64'), 20)]]);
    const { layout } = classicMap(8, big, 'int');
    expect(layout.indirectKey).toBe(true);
    const mem = new SyntheticMemory(8);
    const arr = placeBuckets(mem, layout, 0x2000, 1);
    writeTophash(mem, layout, arr, [0x80, EMPTY_ONE, 0x81, 0, 0, 0, 0, 0]);
    mem.alloc(0x9000, 0x400);
    mem.ptr(classicCell(layout, arr, 0).key, 0x9000);
    mem.ptr(classicCell(layout, arr, 1).key, 0x9100);
    mem.ptr(classicCell(layout, arr, 2).key, 0x9200);
    placeHmap(mem, layout, 0x1000, { count: 2, B: 0, buckets: arr });

    const s = await decodeClassic(mem, layout, 0x1000n);
    expect(s.entries).toEqual([
      { key: 0x9000n, value: classicCell(layout, arr, 0).elem },
      { key: 0x9200n, value: classicCell(layout, arr, 2).elem },
    ]);
  });

  it('a Go 1.24 noswiss hmap with clearSeq: clearSeq read, extra and the rest still found', async () => {
    const { layout, mem, fill, keys } = rig(8, true, { clearSeq: true });
    expect(layout.hmap.clearSeq).toBeDefined();
    const arr = placeBuckets(mem, layout, 0x2000, 2);
    fill(bucketAt(layout, arr, 1), [[0x99, 7, 70]]);
    placeHmap(mem, layout, 0x1000, { count: 1, B: 1, buckets: arr, nevacuate: 2, clearSeq: 3, extra: 0x7777 });
    const s = await decodeClassic(mem, layout, 0x1000n);
    expect(s.clearSeq).toBe(3n);
    expect(s.nevacuate).toBe(2n);
    expect(keys(s)).toEqual([7]);
  });

  it.each([
    ['386-like (4-byte pointers, little-endian)', true],
    ['mips-like (4-byte pointers, big-endian)', false],
  ])('%s: 4-byte words for pointers and ints, uint64 clearSeq aligned to 4', async (_name, le) => {
    const { layout, mem, fill, pairs } = rig(4, le, { clearSeq: true });
    expect([layout.hmap.size, layout.bucket.size]).toEqual([36, 8 + 32 + 32 + 4]);
    const arr = placeBuckets(mem, layout, 0x2000, 2);
    const ovf = placeBuckets(mem, layout, 0x3000, 1);
    fill(bucketAt(layout, arr, 0), [[0x10, -5, 50]], ovf);
    fill(ovf, [[0x11, 6, 60]]);
    fill(bucketAt(layout, arr, 1), [[EMPTY_ONE, 99], [0x12, 7, 70]]);
    placeHmap(mem, layout, 0x1000, { count: 3, B: 1, hash0: 0x01020304, buckets: arr, clearSeq: 0x100000001n });
    const s = await decodeClassic(mem, layout, 0x1000n);
    expect(pairs(s)).toEqual([
      [-5, 50],
      [6, 60],
      [7, 70],
    ]);
    expect(s.buckets[0].overflow.map((o) => o.address)).toEqual([ovf]);
    expect(s.hash0).toBe(0x01020304);
    expect(s.clearSeq).toBe(0x100000001n);
  });

  it('warns when the live cells do not add up to hmap.count', async () => {
    const { layout, mem, fill } = rig();
    const arr = placeBuckets(mem, layout, 0x2000, 1);
    fill(arr, [[0x50, 1, 1]]);
    placeHmap(mem, layout, 0x1000, { count: 2, B: 0, buckets: arr });
    const s = await decodeClassic(mem, layout, 0x1000n);
    expect(s.entries).toHaveLength(1);
    expect(s.warnings).toEqual(['found 1 live entries but hmap.count is 2']);
  });
});

describe('decodeClassic on corrupt maps', () => {
  /** Reusable: a one-bucket map whose bucket chains as given. */
  function corrupt(build: (r: ReturnType<typeof rig>, arr: bigint) => void, init: { B?: number; count?: number } = {}) {
    const r = rig();
    const arr = placeBuckets(r.mem, r.layout, 0x2000, 2 ** (init.B ?? 0));
    build(r, arr);
    placeHmap(r.mem, r.layout, 0x1000, { count: init.count ?? 1, B: init.B ?? 0, buckets: arr });
    return decodeClassic(r.mem, r.layout, 0x1000n);
  }

  it('an overflow chain that loops onto itself is CorruptMapError, not a hang', async () => {
    await expect(
      corrupt(({ layout, mem, fill }, arr) => {
        const a = placeBuckets(mem, layout, 0x5000, 1);
        fill(arr, [[0x50, 1, 1]], a);
        fill(a, [[0x51, 2, 2]], a);
      }),
    ).rejects.toBeInstanceOf(CorruptMapError);
  });

  it('a longer cycle (bucket → A → B → A) is CorruptMapError', async () => {
    await expect(
      corrupt(({ layout, mem, fill }, arr) => {
        const a = placeBuckets(mem, layout, 0x5000, 1);
        const b = placeBuckets(mem, layout, 0x6000, 1);
        fill(arr, [[0x50, 1, 1]], a);
        fill(a, [[0x51, 2, 2]], b);
        fill(b, [[0x52, 3, 3]], a);
      }),
    ).rejects.toThrow(/loops back to 0x5000/);
  });

  it('B > 40 is CorruptMapError before any bucket is read', async () => {
    const { layout, mem } = rig();
    placeHmap(mem, layout, 0x1000, { count: 1, B: 41, buckets: 0x2000 });
    await expect(decodeClassic(mem, layout, 0x1000n)).rejects.toBeInstanceOf(CorruptMapError);
    expect(mem.calls).toBe(1);
  });

  it('an unreadable overflow bucket is CorruptMapError naming it', async () => {
    const p = corrupt(({ fill }, arr) => fill(arr, [[0x50, 1, 1]], 0xdead0000));
    await expect(p).rejects.toBeInstanceOf(CorruptMapError);
    await expect(p).rejects.toThrow(/overflow bucket 0xdead0000 of bucket 0 is unreadable/);
  });

  it('a negative count, or entries counted under a nil bucket array, are CorruptMapError', async () => {
    const { layout, mem } = rig();
    placeHmap(mem, layout, 0x1000, { count: -1, B: 0, buckets: 0 });
    await expect(decodeClassic(mem, layout, 0x1000n)).rejects.toBeInstanceOf(CorruptMapError);
    placeHmap(mem, layout, 0x1100, { count: 3, B: 0, buckets: 0 });
    await expect(decodeClassic(mem, layout, 0x1100n)).rejects.toBeInstanceOf(CorruptMapError);
  });
});

describe('decodeSmallClassic', () => {
  /** The snapshot as plain data: what every reader of it sees. */
  const plain = (s: ClassicSnapshot) => ({ ...s, buckets: s.buckets, oldbuckets: s.oldbuckets, entries: s.entries, array: undefined, oldArray: undefined, slots: undefined });

  it('decodes a small map from bytes in hand exactly as decodeClassic does', async () => {
    const { layout, mem, fill } = rig();
    const arr = placeBuckets(mem, layout, 0x2000, 2);
    fill(bucketAt(layout, arr, 0), [[0x10, 1, 10], [EMPTY_ONE, 9, 9], [0x11, 2, 20]]);
    fill(bucketAt(layout, arr, 1), [[0x12, 3, 30]]);
    placeHmap(mem, layout, 0x1000, { count: 3, B: 1, hash0: 7, buckets: arr });
    placeHmap(mem, layout, 0x1100, { count: 0, B: 0, buckets: 0 });
    for (const at of [0x1000n, 0x1100n]) {
      const cache = new CachedMemory(mem);
      const want = await decodeClassic(cache, layout, at);
      const got = decodeSmallClassic(cache, layout, at);
      expect(got && plain(got)).toEqual(plain(want));
      expect(got?.warnings).toEqual([]);
    }
  });

  it('leaves to decodeClassic what it cannot decode from bytes in hand', async () => {
    const { layout, mem, fill } = rig();
    const arr = placeBuckets(mem, layout, 0x2000, 1);
    const ov = placeBuckets(mem, layout, 0x3000, 1);
    fill(arr, [[0x10, 1, 10]], ov);
    fill(ov, [[0x11, 2, 20]]);
    placeHmap(mem, layout, 0x1000, { count: 2, B: 0, buckets: arr });
    const old = placeBuckets(mem, layout, 0x4000, 1);
    fill(old, [[0x10, 1, 10]]);
    const grown = placeBuckets(mem, layout, 0x5000, 2);
    placeHmap(mem, layout, 0x1100, { count: 1, B: 1, buckets: grown, oldbuckets: old });
    const cache = new CachedMemory(mem);
    // Nothing read yet: not in hand.
    expect(decodeSmallClassic(cache, layout, 0x1000n)).toBeUndefined();
    await decodeClassic(cache, layout, 0x1000n);
    await decodeClassic(cache, layout, 0x1100n);
    // An overflow bucket, a grow under way: its decoder's.
    expect(decodeSmallClassic(cache, layout, 0x1000n)).toBeUndefined();
    expect(decodeSmallClassic(cache, layout, 0x1100n)).toBeUndefined();
  });
});
