/**
 * The raw-address type check over a synthetic Go heap (./synthetic-heap.ts): span lookups,
 * what the allocator makes of a request, and the verdict for classic and Swiss maps read as
 * their own type or another — by size class and noscan bit, malloc header, largeType and heap
 * bits — with the signals of a freed header, and the reads kept few and batched.
 */
import { describe, expect, it } from 'vitest';
import { classTableFrom, type HeapLayoutResult, loadHeapLayout, type HeapTarget, readClassTable } from '../../src/heap/layout.js';
import { checkMapTypes, type MapTypeQuery } from '../../src/heap/map-check.js';
import { findSpans } from '../../src/heap/spans.js';
import { allocationFor, bucketArrayRequest, roundupsize } from '../../src/heap/size-class.js';
import type { GoStructType, GoType } from '../../src/layout/gotype.js';
import type { MapLayout } from '../../src/layout/map-layout.js';
import { CLASS_TO_SIZE, HEAP_DWARF, PAGE, repeated, SyntheticHeap } from './synthetic-heap.js';
import { classicMap, placeDirectory, placeHmap, placeSwissMap, placeTable, swissMap, SyntheticMemory } from './synthetic-memory.js';

const ok = (h: SyntheticHeap): HeapLayoutResult => ({ ok: true, heap: h.heap });

/** map[string]int: group 200 bytes, a string key's data word in each 24-byte slot after the 8-byte ctrl word. */
const STR_INT_GROUP = repeated([8], 24, 8);
/** map[int]string: the elem's data word instead. */
const INT_STR_GROUP = repeated([16], 24, 8);

const classicIntInt = classicMap(8, 'int', 'int').layout;
const classicStrInt = classicMap(8, 'string', 'int').layout;
const classicIntStr = classicMap(8, 'int', 'string').layout;
const swissStrInt = swissMap(8, 'string', 'int').layout;
const swissIntStr = swissMap(8, 'int', 'string').layout;
const swissIntInt = swissMap(8, 'int', 'int').layout;

function q(header: bigint, typeName: string, layout: MapLayout): MapTypeQuery {
  return { header, typeName, layout };
}

/** A Swiss map at 0x1000 with one table at 0x3000 whose groups are at `data`. */
function swissWithTable(mem: SyntheticMemory, data: bigint, groups: number): void {
  placeTable(mem, swissStrInt, 0x3000, { used: 1, capacity: groups * 8, growthLeft: 0, localDepth: 0, index: 0, data, lengthMask: groups - 1 });
  placeDirectory(mem, 0x2000, [0x3000]);
  placeSwissMap(mem, swissStrInt, 0x1000, { used: 1, dirPtr: 0x2000, dirLen: 1, globalDepth: 0, globalShift: 64 });
}

describe('size classes, as mallocgc and roundupsize allocate', () => {
  const h = new SyntheticHeap(new SyntheticMemory()).heap;
  const old = new SyntheticHeap(new SyntheticMemory(), { mallocHeaders: false }).heap;

  it('a small object: the smallest class that holds it, with room for a malloc header from Go 1.22', () => {
    expect(allocationFor(h, 200, false)).toEqual({ request: 200, noscan: false, tiny: false, header: 0, sizeclass: 15, elemsize: 208 });
    expect(allocationFor(h, 136, true)).toMatchObject({ sizeclass: 11, elemsize: 144 });
    // Over 512 bytes with pointers: 8 bytes of header, 3200 + 8 → the 3456-byte class.
    expect(allocationFor(h, 3200, false)).toMatchObject({ header: 8, elemsize: 3456 });
    expect(allocationFor(old, 3200, false)).toMatchObject({ header: 0, elemsize: 3200 });
    expect(allocationFor(h, 3200, true)).toMatchObject({ header: 0, elemsize: 3200 });
  });

  it('tiny and large objects', () => {
    expect(allocationFor(h, 12, true)).toMatchObject({ tiny: true, elemsize: 16 });
    expect(allocationFor(h, 12, false)).toMatchObject({ tiny: false, elemsize: 16 });
    expect(allocationFor(h, 51200, false)).toMatchObject({ sizeclass: 0, header: 0, elemsize: 7 * PAGE });
    // 32761..32768 bytes: small before Go 1.22, large after (a header must fit below 32 KiB).
    expect(allocationFor(h, 32764, true)).toMatchObject({ sizeclass: 0, elemsize: 32768 });
    expect(allocationFor(old, 32764, true)).toMatchObject({ sizeclass: 67, elemsize: 32768 });
  });

  it('roundupsize gives back what the class adds, less the header', () => {
    expect(roundupsize(h, 4896, true)).toBe(5376);
    expect(roundupsize(h, 3536, false)).toBe(4088);
    expect(roundupsize(old, 3536, false)).toBe(4096);
    expect(roundupsize(h, 40000, true)).toBe(40960);
  });

  it('makeBucketArray: 2^B buckets, and from B = 4 the preallocated overflow buckets the rounding leaves room for', () => {
    expect(bucketArrayRequest(h, 144, 0, true)).toBe(144);
    expect(bucketArrayRequest(h, 144, 3, true)).toBe(8 * 144);
    // 34 buckets of 144 = 4896 → 5376 → 37 buckets.
    expect(bucketArrayRequest(h, 144, 5, true)).toBe(37 * 144);
    // 17 buckets of 208 = 3536, + 8 header → 4096 → 4088 usable → 19 buckets.
    expect(bucketArrayRequest(h, 208, 4, false)).toBe(19 * 208);
    expect(bucketArrayRequest(old, 208, 4, false)).toBe(19 * 208);
  });

  it('the class table is trusted only in the runtime’s shape', () => {
    const bytes = new Uint8Array(256);
    CLASS_TO_SIZE.forEach((v, i) => new DataView(bytes.buffer).setUint16(i * 2, v, true));
    expect(classTableFrom(bytes, { littleEndian: true })).toEqual(CLASS_TO_SIZE);
    bytes[10] = 0xff;
    expect(classTableFrom(bytes, { littleEndian: true })).toBeUndefined();
    expect(classTableFrom(new Uint8Array(256), { littleEndian: true })).toBeUndefined();
  });
});

describe('findSpans', () => {
  it('finds the span of every page of a span, in four reads for many addresses', async () => {
    const mem = new SyntheticMemory();
    const h = new SyntheticHeap(mem);
    const a = h.span({ start: 0xc000000000n, npages: 2, sizeclass: 11, noscan: true });
    const b = h.span({ start: 0xc004000000n, sizeclass: 0, noscan: false, npages: 1 });
    mem.calls = 0;
    const got = await findSpans(mem, h.heap, [0xc000000000n, 0xc000003000n, 0xc000002000n + 8000n, 0xc004000010n, 0x2000n, 0xc100000000n]);
    expect(mem.calls).toBe(4);
    expect(got.slice(0, 3).map((x) => x.found && x.span.address)).toEqual([a.mspan, a.mspan, a.mspan]);
    expect(got[0]).toMatchObject({ found: true, span: { npages: 2, elemsize: 144, sizeclass: 11, noscan: true, state: 1 } });
    expect(got[3]).toMatchObject({ found: true, span: { address: b.mspan, sizeclass: 0, noscan: false, elemsize: PAGE } });
    expect(got[4]).toEqual({ found: false, heap: false, reason: 'not in the Go heap' });
    expect(got[5]).toMatchObject({ found: false, heap: false });
  });

  it('a page no span owns is freed heap memory; a stale entry is not taken for the owner', async () => {
    const mem = new SyntheticMemory();
    const h = new SyntheticHeap(mem);
    h.span({ start: 0xc000000000n, sizeclass: 11, noscan: true });
    const [free] = await findSpans(mem, h.heap, [0xc000002000n]);
    expect(free).toMatchObject({ found: false, heap: true, reason: 'in a heap arena, in pages no span owns (freed memory)' });
    // The span's own start claims only its first page.
    mem.alloc(0xc000002000n, PAGE);
    const arena = 0x4000_0000n;
    mem.ptr(arena + ((0xc000002000n / BigInt(PAGE)) % 8192n) * 8n, 0x5000_0000n);
    const [stale] = await findSpans(mem, h.heap, [0xc000002000n]);
    expect(stale).toMatchObject({ found: false, heap: true });
  });
});

describe('checkMapTypes', () => {
  it('a classic map[int]int bucket read as map[string]int: its 144-byte noscan object says otherwise', async () => {
    const mem = new SyntheticMemory();
    const h = new SyntheticHeap(mem);
    h.span({ start: 0xc000000000n, sizeclass: 11, noscan: true });
    placeHmap(mem, classicIntInt, 0x1000, { count: 1, B: 0, buckets: 0xc000000090n });
    const [own, wrong] = await checkMapTypes(mem, ok(h), [q(0x1000n, 'map[int]int', classicIntInt), q(0x1000n, 'map[string]int', classicStrInt)]);
    expect(own).toEqual({ kind: 'consistent', basis: 'size class', signals: [] });
    expect(wrong).toEqual({
      kind: 'contradicts',
      error: '0x1000 does not hold a map[string]int: its bucket at 0xc000000090 is a 144-byte noscan object (size class 11); a map[string]int bucket is 208 bytes with pointers, a 208-byte object',
      signals: [],
    });
  });

  it('B = 5: 32 buckets and their preallocated overflow buckets fill the 5376-byte class, not the 4864-byte one', async () => {
    const mem = new SyntheticMemory();
    const h = new SyntheticHeap(mem);
    h.span({ start: 0xc000000000n, sizeclass: 46, noscan: true });
    h.span({ start: 0xc000002000n, sizeclass: 45, noscan: true });
    placeHmap(mem, classicIntInt, 0x1000, { count: 1, B: 5, buckets: 0xc000000000n });
    placeHmap(mem, classicIntInt, 0x1100, { count: 1, B: 5, buckets: 0xc000002000n });
    const [fits, small] = await checkMapTypes(mem, ok(h), [q(0x1000n, 'map[int]int', classicIntInt), q(0x1100n, 'map[int]int', classicIntInt)]);
    expect(fits.kind).toBe('consistent');
    expect(small.kind === 'contradicts' && small.error).toBe(
      '0x1100 does not hold a map[int]int: its bucket array at 0xc000002000 is a 4864-byte noscan object (size class 45); 37 map[int]int buckets of 144 bytes without pointers take 5328 bytes, a 5376-byte object',
    );
  });

  it('a classic map growing: the old array is judged by its own B', async () => {
    const mem = new SyntheticMemory();
    const h = new SyntheticHeap(mem);
    h.span({ start: 0xc000000000n, sizeclass: 33, noscan: true });
    h.span({ start: 0xc000002000n, sizeclass: 20, noscan: true });
    placeHmap(mem, classicIntInt, 0x1000, { count: 9, B: 3, buckets: 0xc000000000n, oldbuckets: 0xc000002000n });
    const [v] = await checkMapTypes(mem, ok(h), [q(0x1000n, 'map[int]int', classicIntInt)]);
    // 8 buckets of 144 = 1152 (class 33); the old array of 4 = 576: class 27, not 20 (320 bytes).
    expect(v.kind === 'contradicts' && v.error).toMatch(/its old bucket array at 0xc000002000 is a 320-byte noscan object \(size class 20\); 4 map\[int\]int buckets of 144 bytes without pointers take 576 bytes, a 576-byte object$/);
  });

  it('a group array with a malloc header (Go 1.22+): the recorded type decides, even between groups of one size', async () => {
    const mem = new SyntheticMemory();
    const h = new SyntheticHeap(mem);
    h.span({ start: 0xc000000000n, sizeclass: 43, noscan: false });
    const strInt = h.type(200, STR_INT_GROUP);
    mem.ptr(0xc000000000n, strInt);
    swissWithTable(mem, 0xc000000008n, 16);
    const names = async (a: bigint) => (a === strInt ? 'map.group[string]int' : undefined);
    const [own, wrong] = await checkMapTypes(mem, ok(h), [q(0x1000n, 'map[string]int', swissStrInt), q(0x1000n, 'map[int]string', swissIntStr)], names);
    expect(own).toEqual({ kind: 'consistent', basis: 'allocated type', signals: [] });
    expect(wrong.kind === 'contradicts' && wrong.error).toBe(
      '0x1000 does not hold a map[int]string: its group array at 0xc000000008 (of table 0x3000) was allocated as 200-byte elements with pointers of type map.group[string]int (pointers at bytes 8, 32, 56, 80, 104, 128, …); a map[int]string group has pointers at bytes 16, 40, 64, 88, 112, 136, …',
    );
    const [noscan] = await checkMapTypes(mem, ok(h), [q(0x1000n, 'map[int]int', swissIntInt)]);
    expect(noscan.kind === 'contradicts' && noscan.error).toMatch(/was allocated as 200-byte elements with pointers \(pointers at bytes 8, 32, 56, 80, 104, 128, …\); 16 map\[int\]int groups of 136 bytes without pointers take 2176 bytes, a 2304-byte object$/);
  });

  it('a recorded type whose GCData is not a plain mask (a GC program, or built on demand) is judged by size and pointer bytes', async () => {
    const verdict = async (kind: number, tflag: number) => {
      const mem = new SyntheticMemory();
      const h = new SyntheticHeap(mem);
      h.span({ start: 0xc000000000n, sizeclass: 43, noscan: false });
      // 200 bytes, pointer bytes 184 like map[string]int's group, but its first pointer elsewhere.
      const t = h.type(200, [16, ...STR_INT_GROUP.slice(1)]);
      mem.u8(t + 23n, kind);
      mem.u8(t + 20n, tflag);
      mem.ptr(0xc000000000n, t);
      swissWithTable(mem, 0xc000000008n, 16);
      const [v] = await checkMapTypes(mem, ok(h), [q(0x1000n, 'map[string]int', swissStrInt)]);
      return v.kind;
    };
    expect(await verdict(25, 0)).toBe('contradicts');
    expect(await verdict(25 | 0x40, 0)).toBe('consistent');
    expect(await verdict(25, 0x10)).toBe('consistent');
  });

  it('an array pointer that is not where the allocation put the data is refused', async () => {
    const mem = new SyntheticMemory();
    const h = new SyntheticHeap(mem, { mallocHeaders: false });
    h.span({ start: 0xc000000000n, sizeclass: 42, noscan: false });
    swissWithTable(mem, 0xc000000010n, 16);
    const [v] = await checkMapTypes(mem, ok(h), [q(0x1000n, 'map[string]int', swissStrInt)]);
    expect(v.kind === 'contradicts' && v.error).toMatch(/its group array at 0xc000000010 \(of table 0x3000\) points 16 bytes into a 3200-byte object with pointers \(size class 42\);/);
  });

  it.each([0, 128])('a small group (Go 1.22+, inline mark bits %i): its span’s heap bits say where its pointers are', async (inline) => {
    const mem = new SyntheticMemory();
    const h = new SyntheticHeap(mem, { inlineMarkBits: inline });
    const start = 0xc000000000n;
    h.span({ start, sizeclass: 15, noscan: false });
    const group = start + 2n * 208n;
    h.heapBits(start, group, 208, STR_INT_GROUP);
    placeSwissMap(mem, swissStrInt, 0x1000, { used: 1, dirPtr: group, dirLen: 0 });
    const [own, wrong] = await checkMapTypes(mem, ok(h), [q(0x1000n, 'map[string]int', swissStrInt), q(0x1000n, 'map[int]string', swissIntStr)]);
    expect(own).toEqual({ kind: 'consistent', basis: 'allocated type', signals: [] });
    expect(wrong.kind === 'contradicts' && wrong.error).toBe(
      `0x1000 does not hold a map[int]string: its group at 0x${group.toString(16)} holds a pointer at byte 8 by the heap's pointer bits (pointers at bytes 8, 32, 56, 80, 104, 128, …); a map[int]string group has pointers at bytes 16, 40, 64, 88, 112, 136, …, none at byte 8`,
    );
  });

  it('Go 1.20-1.21: the arena’s bitmap, one bit a word, says where the bucket’s pointers are', async () => {
    const mem = new SyntheticMemory();
    const h = new SyntheticHeap(mem, { arenaBitmap: 1 });
    h.span({ start: 0xc000000000n, sizeclass: 15, noscan: false });
    const bucket = 0xc000000000n + 208n * 3n;
    // map[string]int: each key's data word, and the overflow pointer.
    h.arenaBits(bucket, [...repeated([8], 16, 8), 200]);
    placeHmap(mem, classicStrInt, 0x1000, { count: 1, B: 0, buckets: bucket });
    const [own, wrong] = await checkMapTypes(mem, ok(h), [q(0x1000n, 'map[string]int', classicStrInt), q(0x1000n, 'map[int]string', classicIntStr)]);
    expect(own).toEqual({ kind: 'consistent', basis: 'allocated type', signals: [] });
    expect(wrong.kind === 'contradicts' && wrong.error).toBe(
      `0x1000 does not hold a map[int]string: its bucket at 0x${bucket.toString(16)} holds a pointer at byte 8 by the heap's pointer bits (pointers at bytes 8, 24, 40, 56, 72, 88, …); a map[int]string bucket has pointers at bytes 72, 88, 104, 120, 136, 152, …, none at byte 8`,
    );
  });

  it('Go 1.19: two bits a word, compared up to the named type’s last pointer (the rest is left stale)', async () => {
    const mem = new SyntheticMemory();
    const h = new SyntheticHeap(mem, { arenaBitmap: 2 });
    // map[string]bool: 152-byte buckets in the 160-byte class; a stale pointer bit in the last word.
    const strBool = classicMap(8, 'string', 'bool').layout;
    h.span({ start: 0xc000000000n, sizeclass: 12, noscan: false });
    const bucket = 0xc000000000n + 160n;
    h.arenaBits(bucket, [...repeated([8], 16, 8), 144, 152]);
    placeHmap(mem, strBool, 0x1000, { count: 1, B: 0, buckets: bucket });
    const [own] = await checkMapTypes(mem, ok(h), [q(0x1000n, 'map[string]bool', strBool)]);
    expect(own).toEqual({ kind: 'consistent', basis: 'allocated type', signals: [] });
    // map[bool]string: also 152 bytes, with pointers in other words.
    const boolStr = classicMap(8, 'bool', 'string').layout;
    const [wrong] = await checkMapTypes(mem, ok(h), [q(0x1000n, 'map[bool]string', boolStr)]);
    expect(wrong.kind === 'contradicts' && wrong.error).toMatch(/holds a pointer at byte 8 by the heap's pointer bits/);
  });

  it('a large group array: the span’s largeType', async () => {
    const mem = new SyntheticMemory();
    const h = new SyntheticHeap(mem);
    const intStr = h.type(200, INT_STR_GROUP);
    h.span({ start: 0xc000000000n, npages: 7, sizeclass: 0, noscan: false, largeType: intStr });
    swissWithTable(mem, 0xc000000000n, 256);
    const [wrong, own] = await checkMapTypes(mem, ok(h), [q(0x1000n, 'map[string]int', swissStrInt), q(0x1000n, 'map[int]string', swissIntStr)]);
    expect(own.kind).toBe('consistent');
    expect(wrong.kind === 'contradicts' && wrong.error).toMatch(/its group array at 0xc000000000 \(of table 0x3000\) was allocated as 200-byte elements with pointers \(pointers at bytes 16, 40, /);
  });

  it('before Go 1.22, or without the size classes: only what the span itself records', async () => {
    const mem = new SyntheticMemory();
    const h = new SyntheticHeap(mem, { mallocHeaders: false, classes: false });
    h.span({ start: 0xc000000000n, sizeclass: 11, noscan: false });
    h.span({ start: 0xc000002000n, sizeclass: 15, noscan: false });
    placeHmap(mem, classicStrInt, 0x1000, { count: 1, B: 0, buckets: 0xc000000000n });
    placeHmap(mem, classicStrInt, 0x1100, { count: 1, B: 0, buckets: 0xc000002000n });
    const [small, fits] = await checkMapTypes(mem, ok(h), [q(0x1000n, 'map[string]int', classicStrInt), q(0x1100n, 'map[string]int', classicStrInt)]);
    expect(small.kind === 'contradicts' && small.error).toBe(
      '0x1000 does not hold a map[string]int: its bucket at 0xc000000000 is a 144-byte object with pointers (size class 11), 144 bytes from its start; a map[string]int bucket is 208 bytes with pointers',
    );
    expect(fits).toEqual({ kind: 'consistent', basis: 'size class', signals: [] });
  });

  it('arrays on a stack or outside the heap, and a heap it cannot read: unknown, never an error', async () => {
    const mem = new SyntheticMemory();
    const h = new SyntheticHeap(mem);
    h.span({ start: 0xc000000000n, npages: 4, sizeclass: 0, noscan: false, state: 2 });
    mem.alloc(0x9000, 256);
    placeHmap(mem, classicStrInt, 0x1000, { count: 1, B: 0, buckets: 0xc000000100n });
    placeHmap(mem, classicStrInt, 0x1100, { count: 1, B: 0, buckets: 0x9000n });
    const [stack, global] = await checkMapTypes(mem, ok(h), [q(0x1000n, 'map[string]int', classicStrInt), q(0x1100n, 'map[string]int', classicStrInt)]);
    expect(stack).toEqual({ kind: 'unknown', reason: 'the bucket at 0xc000000100 is in a span the runtime manages by hand (a goroutine stack)', signals: [] });
    expect(global).toEqual({ kind: 'unknown', reason: 'the bucket at 0x9000 is not in the Go heap', signals: [] });
    const [none] = await checkMapTypes(mem, { ok: false, reason: 'the binary has no runtime.mheap_ symbol' }, [q(0x1000n, 'map[string]int', classicStrInt)]);
    expect(none).toEqual({ kind: 'unknown', reason: 'the binary has no runtime.mheap_ symbol', signals: [] });
  });

  it('a map never written has no array: unknown, with nothing read past its header', async () => {
    const mem = new SyntheticMemory();
    const h = new SyntheticHeap(mem);
    placeSwissMap(mem, swissStrInt, 0x1000, { used: 0, dirPtr: 0, dirLen: 0 });
    const [v] = await checkMapTypes(mem, ok(h), [q(0x1000n, 'map[string]int', swissStrInt)]);
    expect(v).toEqual({ kind: 'unknown', reason: 'the map has no group array yet', signals: [] });
  });

  it('the header itself: freed, counted free by the allocator, or not a header at all are signals', async () => {
    const mem = new SyntheticMemory();
    const h = new SyntheticHeap(mem);
    // hmap: 48 bytes with pointers.
    h.span({ start: 0xc000000000n, sizeclass: 5, noscan: false, memory: false });
    h.span({ start: 0xc000002000n, sizeclass: 5, noscan: false, freeindex: 0, memory: false });
    h.span({ start: 0xc000004000n, sizeclass: 15, noscan: false, memory: false });
    h.span({ start: 0xc000006000n, sizeclass: 5, noscan: false, state: 0, memory: false });
    h.span({ start: 0xc000008000n, sizeclass: 11, noscan: true });
    const live = placeHmap(mem, classicIntInt, 0xc000000030n, { count: 1, B: 0, buckets: 0xc000008000n });
    const free = placeHmap(mem, classicIntInt, 0xc000002030n, { count: 1, B: 0, buckets: 0xc000008000n });
    const inner = placeHmap(mem, classicIntInt, 0xc000004010n, { count: 1, B: 0, buckets: 0xc000008000n });
    const dead = placeHmap(mem, classicIntInt, 0xc000006000n, { count: 1, B: 0, buckets: 0xc000008000n });
    const got = await checkMapTypes(
      mem,
      ok(h),
      [live, free, inner, dead].map((a) => q(a, 'map[int]int', classicIntInt)),
    );
    expect(got.map((v) => v.kind)).toEqual(['consistent', 'consistent', 'consistent', 'consistent']);
    expect(got[0].signals).toEqual([]);
    expect(got[1].signals).toEqual(['the header 0xc000002030 is in a heap slot the allocator counts free: the map may have been freed']);
    expect(got[2].signals).toEqual([
      'the header 0xc000004010 is 16 bytes into a 208-byte object with pointers (size class 15), where a map header is a 48-byte object of its own: it may not be a map header',
    ]);
    expect(got[3].signals).toEqual(['the header 0xc000006000 is in a span that is no longer in use (freed memory): the map may have been freed']);
  });

  it('reads: a fixed number of batched reads however many maps are checked', async () => {
    const build = (n: number) => {
      const mem = new SyntheticMemory();
      const h = new SyntheticHeap(mem);
      const queries: MapTypeQuery[] = [];
      for (let i = 0; i < n; i++) {
        const start = 0xc000000000n + BigInt(i) * 0x10000n;
        h.span({ start, sizeclass: 43, noscan: false });
        mem.ptr(start, h.type(200, STR_INT_GROUP));
        const table = 0x30000n + BigInt(i) * 0x100n;
        placeTable(mem, swissStrInt, table, { used: 1, capacity: 128, growthLeft: 0, localDepth: 0, index: 0, data: start + 8n, lengthMask: 15 });
        placeDirectory(mem, 0x20000n + BigInt(i) * 0x100n, [table]);
        placeSwissMap(mem, swissStrInt, 0x10000n + BigInt(i) * 0x100n, { used: 1, dirPtr: 0x20000n + BigInt(i) * 0x100n, dirLen: 1, globalDepth: 0, globalShift: 64 });
        queries.push(q(0x10000n + BigInt(i) * 0x100n, 'map[string]int', swissStrInt));
        const small = start + 0x1000n;
        placeSwissMap(mem, swissStrInt, 0x40000n + BigInt(i) * 0x100n, { used: 0, dirPtr: small, dirLen: 0 });
        queries.push(q(0x40000n + BigInt(i) * 0x100n, 'map[string]int', swissStrInt));
      }
      return { mem, h, queries };
    };
    const one = build(1);
    await checkMapTypes(one.mem, ok(one.h), one.queries);
    const many = build(12);
    const verdicts = await checkMapTypes(many.mem, ok(many.h), many.queries);
    expect(verdicts.filter((v) => v.kind === 'contradicts')).toHaveLength(12);
    expect(many.mem.calls).toBe(one.mem.calls);
    // Headers, directories, tables; four levels of span lookup; header words and bits; descriptors; masks.
    expect(many.mem.calls).toBeLessThanOrEqual(10);
  });
});

describe('loadHeapLayout', () => {
  const { mheap, heapArena, mspan, abiType } = HEAP_DWARF;

  function target(types: Record<string, GoType>, symbols: Record<string, bigint>, mem = new SyntheticMemory()): HeapTarget {
    return {
      pointerSize: 8,
      littleEndian: true,
      info: { arch: 'amd64' },
      readMany: (r) => mem.readMany(r),
      typesByName: async (names) => names.map((n) => types[n]),
      symbolAddress: async (n) => symbols[n],
    };
  }

  it('offsets and lengths from DWARF, the mheap_ and size-class symbols from the binary', async () => {
    const mem = new SyntheticMemory();
    mem.alloc(0x8000, 256);
    CLASS_TO_SIZE.forEach((v, i) => mem.u16(0x8000 + 2 * i, v));
    const r = await loadHeapLayout(
      target(
        { 'runtime.mheap': mheap, 'runtime.heapArena': heapArena, 'runtime.mspan': mspan, 'internal/abi.Type': abiType },
        { 'runtime.mheap_': 0x600000n, 'internal/runtime/gc.SizeClassToSize': 0x8000n },
        mem,
      ),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.heap).toMatchObject({
      arenas: 0x600000n + 66008n,
      l1: 1,
      l2: 1 << 22,
      arenaBaseOffset: 0xffff800000000000n,
      pagesPerArena: 8192,
      spansOffset: 0,
      mallocHeaders: true,
      inlineMarkBits: 0,
      classToSize: CLASS_TO_SIZE,
      rtype: { size: 48, sizeField: { offset: 0, size: 8 }, ptrBytes: { offset: 8, size: 8 }, gcdata: { offset: 32, size: 8 }, tflag: { offset: 20, size: 1 }, kind: { offset: 23, size: 1 } },
    });
    expect(r.heap.mspan.state).toEqual({ offset: 99, size: 1 });
  });

  it('says why where it cannot', async () => {
    expect(await loadHeapLayout(target({}, {}))).toEqual({ ok: false, reason: 'the binary has no DWARF description of runtime.mheap, heapArena or mspan' });
    const t = target({ 'runtime.mheap': mheap, 'runtime.heapArena': heapArena, 'runtime.mspan': mspan }, {});
    expect(await loadHeapLayout(t)).toEqual({ ok: false, reason: 'the binary has no runtime.mheap_ symbol' });
    const noState: GoStructType = { ...mspan, fields: mspan.fields.filter((f) => f.name !== 'state') };
    expect(await loadHeapLayout(target({ 'runtime.mheap': mheap, 'runtime.heapArena': heapArena, 'runtime.mspan': noState }, {}))).toMatchObject({ ok: false });
  });
});

describe('readClassTable', () => {
  it('reads past the table where it can, and the 68 classes alone at the end of a mapping', async () => {
    const mem = new SyntheticMemory();
    mem.alloc(0x8000, CLASS_TO_SIZE.length * 2);
    CLASS_TO_SIZE.forEach((v, i) => mem.u16(0x8000 + 2 * i, v));
    mem.calls = 0;
    expect(await readClassTable(mem, 0x8000n)).toEqual(CLASS_TO_SIZE);
    expect(mem.calls).toBe(1);
    expect(await readClassTable(mem, 0x9000n)).toBeUndefined();
  });
});
