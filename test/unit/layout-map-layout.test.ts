/**
 * mapLayout over the synthetic DWARF tables, checked against the offsets of
 * shared/reference/go-map-layouts.md (§2.2, §2.4, §3.1, §3.3, §3.4). This also checks the
 * synthetic type builder the decoder tests rely on.
 */
import { describe, expect, it } from 'vitest';
import { classicMap, type DwarfTable, swissMap } from './synthetic-memory.js';
import { groupElemOffset, groupKeyOffset, type SwissLayout } from '../../src/layout/map-layout.js';

const off = (f: { offset: number } | undefined) => f?.offset;

describe('mapLayout: classic hmap (§2.2)', () => {
  it('64-bit, Go 1.10–1.23: 48 bytes, no clearSeq', () => {
    const { layout } = classicMap(8, 'string', 'int');
    const h = layout.hmap;
    expect([h.count, h.flags, h.B, h.noverflow, h.hash0, h.buckets, h.oldbuckets, h.nevacuate, h.extra].map(off)).toEqual([0, 8, 9, 10, 12, 16, 24, 32, 40]);
    expect(h.size).toBe(48);
    expect(h.clearSeq).toBeUndefined();
    expect(h.name).toBe('hash<string,int>');
  });

  it('64-bit, Go 1.24/1.25 noswiss: clearSeq at 40, extra at 48, 56 bytes', () => {
    const h = classicMap(8, 'string', 'int', { clearSeq: true }).layout.hmap;
    expect(h.clearSeq).toEqual({ offset: 40, size: 8 });
    expect(h.extra.offset).toBe(48);
    expect(h.size).toBe(56);
  });

  it('32-bit: 28 bytes, or 36 with clearSeq (uint64 aligned to 4)', () => {
    const h = classicMap(4, 'string', 'int').layout.hmap;
    expect([h.count, h.flags, h.B, h.noverflow, h.hash0, h.buckets, h.oldbuckets, h.nevacuate, h.extra].map(off)).toEqual([0, 4, 5, 6, 8, 12, 16, 20, 24]);
    expect(h.size).toBe(28);
    const h2 = classicMap(4, 'string', 'int', { clearSeq: true }).layout.hmap;
    expect(h2.clearSeq).toEqual({ offset: 24, size: 8 });
    expect(h2.extra.offset).toBe(32);
    expect(h2.size).toBe(36);
  });
});

describe('mapLayout: classic buckets (§2.4)', () => {
  it('bucket<string,int> on amd64: keys@8, values@136, overflow@200, size 208', () => {
    const { layout } = classicMap(8, 'string', 'int');
    const b = layout.bucket;
    expect([b.tophash, b.keys, b.values, b.overflow].map(off)).toEqual([0, 8, 136, 200]);
    expect([b.size, b.keySlot, b.elemSlot]).toEqual([208, 16, 8]);
    expect(layout.indirectKey || layout.indirectElem).toBe(false);
    expect(layout.key.kind).toBe('string');
  });

  it('bucket<int8,int8>: size 32 on amd64, 28 on 386', () => {
    expect(classicMap(8, 'int8', 'int8').layout.bucket.size).toBe(32);
    const b = classicMap(4, 'int8', 'int8').layout.bucket;
    expect([b.keys.offset, b.values.offset, b.overflow.offset, b.size]).toEqual([8, 16, 24, 28]);
  });

  it('a 200-byte key is indirect: overflow@136, size 144 on amd64; 72 and 76 on 386', () => {
    const big = (t: DwarfTable) => t.struct('main.Big', [['a', t.array(t.basic('int64'), 25)]]);
    const l64 = classicMap(8, big, 'int').layout;
    expect(l64.indirectKey).toBe(true);
    expect(l64.indirectElem).toBe(false);
    expect(l64.key.name).toBe('main.Big');
    expect(l64.key.size).toBe(200);
    expect([l64.bucket.keySlot, l64.bucket.overflow.offset, l64.bucket.size]).toEqual([8, 136, 144]);
    const l32 = classicMap(4, big, 'int').layout;
    expect([l32.bucket.keySlot, l32.bucket.overflow.offset, l32.bucket.size]).toEqual([4, 72, 76]);
  });
});

describe('mapLayout: slot indirection from DWARF', () => {
  it('an unnamed 160-byte array key is indirect; a pointer key to a big struct is direct', () => {
    const arr = classicMap(8, (t) => t.array(t.basic('int64'), 20), 'int').layout;
    expect(arr.indirectKey).toBe(true);
    expect(arr.key.name).toBe('[20]int64');
    const big = (t: DwarfTable) => t.ptr(t.struct('main.Big', [['a', t.array(t.basic('int64'), 25)]]));
    const ptr = swissMap(8, big, 'int').layout;
    expect(ptr.indirectKey).toBe(false);
    expect(ptr.key.name).toBe('*main.Big');
    expect(ptr.group.keyStride).toBe(16);
  });

  it('a 128-byte elem is still direct', () => {
    const l = swissMap(8, 'int', (t) => t.array(t.basic('uint8'), 128)).layout;
    expect(l.indirectElem).toBe(false);
    expect(l.group.slotBytes).toBe(136);
  });
});

describe('mapLayout: Swiss (§3.1, §3.3, §3.4)', () => {
  it('Map, table and group of map[string]int on amd64', () => {
    const { layout } = swissMap(8, 'string', 'int');
    const m = layout.map;
    expect([m.used, m.seed, m.dirPtr, m.dirLen, m.globalDepth, m.globalShift, m.writing, m.clearSeq].map(off)).toEqual([0, 8, 16, 24, 32, 33, 34, 40]);
    expect(m.size).toBe(48);
    expect(m.tombstonePossible).toBeUndefined();
    const t = layout.table;
    expect([t.used, t.capacity, t.growthLeft, t.localDepth, t.index, t.groupsData, t.groupsLengthMask].map(off)).toEqual([0, 2, 4, 6, 8, 16, 24]);
    expect(t.size).toBe(32);
    const g = layout.group;
    expect(g.arrangement).toBe('interleaved');
    expect(g.arrays.map((a) => [a.name, a.offset, a.size, a.stride])).toEqual([['slots', 8, 192, 24]]);
    expect([g.ctrl.offset, g.keysOff, g.keyStride, g.elemsOff, g.elemStride, g.slotBytes, g.size]).toEqual([0, 8, 24, 24, 24, 24, 200]);
  });

  it('on 386: Map 32 bytes (clearSeq@24), table 24 bytes, group 104/12/8', () => {
    const { layout } = swissMap(4, 'string', 'int', { tombstonePossible: true });
    const m = layout.map;
    expect([m.used, m.seed, m.dirPtr, m.dirLen, m.globalDepth, m.globalShift, m.writing, m.tombstonePossible, m.clearSeq].map(off)).toEqual([0, 8, 12, 16, 20, 21, 22, 23, 24]);
    expect(m.size).toBe(32);
    const t = layout.table;
    expect([t.index, t.groupsData, t.groupsLengthMask].map(off)).toEqual([8, 12, 16]);
    expect(t.size).toBe(24);
    expect([layout.group.size, layout.group.keyStride, layout.group.elemsOff - layout.group.keysOff]).toEqual([104, 12, 8]);
  });

  it('map[int8]int64: group 136/16/8 on amd64, 104/12/4 on 386', () => {
    const g64 = swissMap(8, 'int8', 'int64').layout.group;
    expect([g64.size, g64.keyStride, g64.elemsOff - g64.keysOff]).toEqual([136, 16, 8]);
    const g32 = swissMap(4, 'int8', 'int64').layout.group;
    expect([g32.size, g32.keyStride, g32.elemsOff - g32.keysOff]).toEqual([104, 12, 4]);
  });
});

describe('mapLayout: Swiss split groups (Go 1.27 GOEXPERIMENT=mapsplitgroup, §3.13)', () => {
  const split = { split: true, tombstonePossible: true } as const;
  const figures = (g: SwissLayout['group']) => [g.size, g.keysOff, g.keyStride, g.elemsOff, g.elemStride, g.slotBytes];

  it('map[string]int: keys [8]string at 8, elems [8]int at 136, on amd64 and 386', () => {
    const g = swissMap(8, 'string', 'int', split).layout.group;
    expect(g.arrangement).toBe('split');
    expect(g.arrays.map((a) => [a.name, a.offset, a.size, a.stride])).toEqual([
      ['keys', 8, 128, 16],
      ['elems', 136, 64, 8],
    ]);
    expect(figures(g)).toEqual([200, 8, 16, 136, 8, 24]);
    expect(figures(swissMap(4, 'string', 'int', split).layout.group)).toEqual([104, 8, 8, 72, 4, 12]);
  });

  it('map[int8]int64: no per-slot padding (80 bytes where interleaved takes 136)', () => {
    expect(figures(swissMap(8, 'int8', 'int64', split).layout.group)).toEqual([80, 8, 1, 16, 8, 9]);
    expect(figures(swissMap(4, 'int8', 'int64', split).layout.group)).toEqual([80, 8, 1, 16, 8, 9]);
  });

  it('key i and elem i by offset and stride, the same formula as for interleaved groups', () => {
    for (const opts of [split, {}]) {
      const g = swissMap(8, 'int32', 'string', opts).layout.group;
      const keys = [0, 1, 7].map((i) => groupKeyOffset(g, i));
      const elems = [0, 1, 7].map((i) => groupElemOffset(g, i));
      expect({ keys, elems }).toEqual(opts === split ? { keys: [8, 12, 36], elems: [40, 56, 152] } : { keys: [8, 32, 176], elems: [16, 40, 184] });
    }
  });

  it('indirect keys and elems (over 128 bytes) are pointer arrays', () => {
    const l = swissMap(8, (t) => t.array(t.basic('int64'), 20), (t) => t.array(t.basic('uint8'), 200), split).layout;
    expect([l.indirectKey, l.indirectElem]).toEqual([true, true]);
    expect(figures(l.group)).toEqual([136, 8, 8, 72, 8, 16]);
  });

  it('zero-size keys and elems: the group keeps a byte of padding after ctrl', () => {
    const g = swissMap(8, (t) => t.struct('struct {}', []), (t) => t.struct('struct {}', []), split).layout.group;
    expect(figures(g)).toEqual([16, 8, 0, 8, 0, 0]);
  });
});
