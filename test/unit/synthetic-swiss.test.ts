/**
 * decodeSwiss over synthetic memory: small maps, directories with shared tables, control
 * bytes (tombstones, empties, big-endian order), indirect elems and corrupt structures.
 */
import { describe, expect, it } from 'vitest';
import { CorruptMapError, type SwissSnapshot } from '../../src/maps/snapshot.js';
import { decodeSwiss } from '../../src/maps/swiss/decode.js';
import {
  type Addr,
  type DwarfTable,
  groupAt,
  placeDirectory,
  placeGroups,
  placeSwissMap,
  placeTable,
  swissMap,
  swissSlot,
  SyntheticMemory,
  writeCtrl,
} from './synthetic-memory.js';

const E = 0x80; // ctrlEmpty
const D = 0xfe; // ctrlDeleted

/** A map[int]int test rig on a target of the given shape. */
function rig(ps: 4 | 8 = 8, littleEndian = true) {
  const { layout } = swissMap(ps, 'int', 'int');
  const mem = new SyntheticMemory(ps, littleEndian);
  /** Writes a group's control word and, for each full slot, key k and value k*10. */
  const fill = (group: Addr, ctrl: readonly number[], keys: readonly (number | undefined)[]) => {
    writeCtrl(mem, layout, group, ctrl);
    keys.forEach((k, s) => {
      if (k === undefined) return;
      const slot = swissSlot(layout, group, s);
      mem.ptr(slot.key, k);
      mem.ptr(slot.elem, k * 10);
    });
  };
  /** A table of `groups` groups at `address`, its group array at `data`. */
  const table = (address: Addr, data: Addr, groups: number, extra: { used: number; localDepth: number; index: number }) => {
    placeGroups(mem, layout, data, groups);
    return placeTable(mem, layout, address, { ...extra, capacity: groups * 8, growthLeft: groups * 7 - extra.used, data, lengthMask: groups - 1 });
  };
  const keys = (s: SwissSnapshot) => s.entries.map((e) => mem.readInt(e.key));
  return { layout, mem, fill, table, keys };
}

describe('decodeSwiss', () => {
  it('a small map: dirLen 0, dirPtr → one group, ctrl bytes in slot order', async () => {
    const { layout, mem, fill, keys } = rig();
    const g = placeGroups(mem, layout, 0x2000, 1);
    fill(g, [0x12, E, 0x34, 0x56, E, E, E, E], [1, 99, 3, 4]);
    placeSwissMap(mem, layout, 0x1000, { used: 3, seed: 0xabcdef, dirPtr: g, dirLen: 0, globalShift: 64, clearSeq: 2 });
    const s = await decodeSwiss(mem, layout, 0x1000n);
    expect(s.smallGroup).toEqual({ address: 0x2000n, ctrl: [0x12, E, 0x34, 0x56, E, E, E, E] });
    expect(keys(s)).toEqual([1, 3, 4]);
    expect(s.entries[1]).toEqual({ key: swissSlot(layout, g, 2).key, value: swissSlot(layout, g, 2).elem });
    expect(s).toMatchObject({ used: 3, seed: 0xabcdefn, dirLen: 0, globalShift: 64, clearSeq: 2n, tables: [], warnings: [] });
    expect(s.tombstonePossible).toBeUndefined();
    expect(mem.readInt(s.entries[2].value)).toBe(40);
  });

  it('a nil dirPtr with used 0: no group, nothing read beyond the header', async () => {
    const { layout, mem } = rig();
    placeSwissMap(mem, layout, 0x1000, { used: 0, dirPtr: 0, dirLen: 0 });
    const s = await decodeSwiss(mem, layout, 0x1000n);
    expect(s.smallGroup).toBeNull();
    expect(s.entries).toEqual([]);
    expect(s.tables).toEqual([]);
    expect(mem.calls).toBe(1);
  });

  it.each([8, 4] as const)('a directory of 4 entries over 3 tables (ptr size %i): each table once, in first-pointed order', async (ps) => {
    const { layout, mem, fill, table, keys } = rig(ps);
    // Tables placed at descending addresses, so first-pointed order is not address order.
    const t0 = table(0x5000, 0x50000, 1, { used: 2, localDepth: 2, index: 0 });
    const t1 = table(0x4000, 0x40000, 2, { used: 3, localDepth: 1, index: 1 });
    const t2 = table(0x3000, 0x30000, 1, { used: 1, localDepth: 2, index: 3 });
    fill(groupAt(layout, 0x50000, 0), [0x01, 0x02, E, E, E, E, E, E], [10, 11]);
    fill(groupAt(layout, 0x40000, 0), [E, E, E, 0x03, E, E, E, E], [undefined, undefined, undefined, 20]);
    fill(groupAt(layout, 0x40000, 1), [0x04, E, E, E, E, E, E, 0x05], [21, undefined, undefined, undefined, undefined, undefined, undefined, 22]);
    fill(groupAt(layout, 0x30000, 0), [E, 0x06, E, E, E, E, E, E], [undefined, 30]);
    const dir = placeDirectory(mem, 0x2000, [t0, t1, t1, t2]);
    placeSwissMap(mem, layout, 0x1000, { used: 6, dirPtr: dir, dirLen: 4, globalDepth: 2, globalShift: ps * 8 - 2 });

    const s = await decodeSwiss(mem, layout, 0x1000n);
    expect(s.tables.map((t) => t.address)).toEqual([0x5000n, 0x4000n, 0x3000n]);
    expect(s.tables.map((t) => [t.index, t.localDepth, t.capacity, t.used, t.growthLeft])).toEqual([
      [0, 2, 8, 2, 5],
      [1, 1, 16, 3, 11],
      [3, 2, 8, 1, 6],
    ]);
    expect(s.tables[1].groups.map((g) => g.address)).toEqual([groupAt(layout, 0x40000, 0), groupAt(layout, 0x40000, 1)]);
    expect(s.tables[1].groups[1].ctrl).toEqual([0x04, E, E, E, E, E, E, 0x05]);
    expect(keys(s)).toEqual([10, 11, 20, 21, 22, 30]);
    expect(s.smallGroup).toBeNull();
    expect(s.warnings).toEqual([]);
    // The header, the directory, all tables in one read, all group arrays in one more.
    expect(mem.calls).toBe(4);
  });

  it('tombstones (0xFE) and empty slots (0x80) are not entries, whatever their stale bytes', async () => {
    const { layout, mem, fill, table, keys } = rig();
    const t = table(0x3000, 0x30000, 1, { used: 2, localDepth: 0, index: 0 });
    fill(groupAt(layout, 0x30000, 0), [D, 0x11, E, D, 0x7f, E, D, E], [666, 1, 667, 668, 2, 669, 670, 671]);
    const dir = placeDirectory(mem, 0x2000, [t]);
    placeSwissMap(mem, layout, 0x1000, { used: 2, dirPtr: dir, dirLen: 1, globalDepth: 0 });
    const s = await decodeSwiss(mem, layout, 0x1000n);
    expect(keys(s)).toEqual([1, 2]);
    expect(s.tables[0].groups[0].ctrl).toEqual([D, 0x11, E, D, 0x7f, E, D, E]);
  });

  it('a big-endian target: the ctrl byte of slot i is byte 7-i of the control word in memory', async () => {
    const { layout, mem, keys } = rig(8, false);
    const g = placeGroups(mem, layout, 0x2000, 1);
    // Raw memory bytes of the control word, lowest address first: slot 7 … slot 0.
    mem.write(g, [E, E, E, E, 0x2b, E, E, 0x1a]);
    mem.ptr(swissSlot(layout, g, 0).key, 100);
    mem.ptr(swissSlot(layout, g, 3).key, 103);
    mem.ptr(swissSlot(layout, g, 5).key, 105);
    placeSwissMap(mem, layout, 0x1000, { used: 2, dirPtr: g, dirLen: 0, seed: 0x0102030405060708n });
    const s = await decodeSwiss(mem, layout, 0x1000n);
    expect(s.smallGroup?.ctrl).toEqual([0x1a, E, E, 0x2b, E, E, E, E]);
    expect(keys(s)).toEqual([100, 103]);
    expect(s.used).toBe(2);
    expect(s.seed).toBe(0x0102030405060708n);
  });

  it('a big-endian 32-bit target with a directory (mips-like)', async () => {
    const { layout, mem, fill, table, keys } = rig(4, false);
    const t = table(0x3000, 0x30000, 2, { used: 2, localDepth: 0, index: 0 });
    fill(groupAt(layout, 0x30000, 1), [E, E, 0x21, E, E, E, E, 0x22], [undefined, undefined, -7, undefined, undefined, undefined, undefined, 8]);
    const dir = placeDirectory(mem, 0x2000, [t]);
    placeSwissMap(mem, layout, 0x1000, { used: 2, dirPtr: dir, dirLen: 1, globalDepth: 0, globalShift: 32, clearSeq: 0x100000000n });
    const s = await decodeSwiss(mem, layout, 0x1000n);
    expect(keys(s)).toEqual([-7, 8]);
    expect(s.tables[0]).toMatchObject({ address: 0x3000n, capacity: 16, used: 2 });
    expect(s.tables[0].groups[1].ctrl).toEqual([E, E, 0x21, E, E, E, E, 0x22]);
    expect(s.clearSeq).toBe(0x100000000n);
  });

  it('indirect elems (over 128 bytes): EntryRef.value is the pointed-to elem; Go 1.25 tombstonePossible read', async () => {
    const big = (t: DwarfTable) => t.struct('main.Blob', [['b', t.array(t.basic('uint8'), 200)]]);
    const { layout } = swissMap(8, 'int', big, { tombstonePossible: true });
    expect([layout.indirectKey, layout.indirectElem]).toEqual([false, true]);
    expect(layout.elem.name).toBe('main.Blob');
    const mem = new SyntheticMemory(8);
    const g = placeGroups(mem, layout, 0x2000, 1);
    writeCtrl(mem, layout, g, [0x01, E, 0x02, E, E, E, E, E]);
    mem.ptr(swissSlot(layout, g, 0).elem, 0xc000100000n);
    mem.ptr(swissSlot(layout, g, 2).elem, 0xc000200000n);
    placeSwissMap(mem, layout, 0x1000, { used: 2, dirPtr: g, dirLen: 0, tombstonePossible: true });
    const s = await decodeSwiss(mem, layout, 0x1000n);
    expect(s.entries).toEqual([
      { key: swissSlot(layout, g, 0).key, value: 0xc000100000n },
      { key: swissSlot(layout, g, 2).key, value: 0xc000200000n },
    ]);
    expect(s.tombstonePossible).toBe(true);
  });

  it('warns when full slots do not match a table’s used or Map.used', async () => {
    const { layout, mem, fill, table } = rig();
    const t = table(0x3000, 0x30000, 1, { used: 3, localDepth: 0, index: 0 });
    fill(groupAt(layout, 0x30000, 0), [0x01, E, E, E, E, E, E, E], [1]);
    const dir = placeDirectory(mem, 0x2000, [t]);
    placeSwissMap(mem, layout, 0x1000, { used: 5, dirPtr: dir, dirLen: 1, globalDepth: 0 });
    const s = await decodeSwiss(mem, layout, 0x1000n);
    expect(s.warnings).toEqual(['table 0x3000: 1 full slots but used is 3', 'found 1 full slots but Map.used is 5']);
  });
});

describe('decodeSwiss on corrupt maps', () => {
  it('dirLen that is not 2^globalDepth is CorruptMapError', async () => {
    const { layout, mem, table } = rig();
    const t = table(0x3000, 0x30000, 1, { used: 0, localDepth: 0, index: 0 });
    const dir = placeDirectory(mem, 0x2000, [t, t, t, t]);
    placeSwissMap(mem, layout, 0x1000, { used: 0, dirPtr: dir, dirLen: 3, globalDepth: 2 });
    await expect(decodeSwiss(mem, layout, 0x1000n)).rejects.toBeInstanceOf(CorruptMapError);
    placeSwissMap(mem, layout, 0x1100, { used: 0, dirPtr: dir, dirLen: 4, globalDepth: 1 });
    await expect(decodeSwiss(mem, layout, 0x1100n)).rejects.toThrow(/dirLen 4 is not 2\^globalDepth/);
  });

  it('a negative or huge dirLen is CorruptMapError', async () => {
    const { layout, mem } = rig();
    placeSwissMap(mem, layout, 0x1000, { used: 0, dirPtr: 0x2000, dirLen: -4, globalDepth: 2 });
    await expect(decodeSwiss(mem, layout, 0x1000n)).rejects.toBeInstanceOf(CorruptMapError);
    placeSwissMap(mem, layout, 0x1100, { used: 0, dirPtr: 0x2000, dirLen: 2 ** 30, globalDepth: 30 });
    await expect(decodeSwiss(mem, layout, 0x1100n)).rejects.toBeInstanceOf(CorruptMapError);
  });

  it('a nil directory entry is CorruptMapError', async () => {
    const { layout, mem, table } = rig();
    const t = table(0x3000, 0x30000, 1, { used: 0, localDepth: 1, index: 0 });
    const dir = placeDirectory(mem, 0x2000, [t, 0]);
    placeSwissMap(mem, layout, 0x1000, { used: 0, dirPtr: dir, dirLen: 2, globalDepth: 1 });
    await expect(decodeSwiss(mem, layout, 0x1000n)).rejects.toThrow(/directory entry 1 is nil/);
  });

  it('an absurd lengthMask is CorruptMapError, without reading the groups', async () => {
    const { layout, mem } = rig();
    const t = placeTable(mem, layout, 0x3000, { used: 0, capacity: 8, growthLeft: 7, localDepth: 0, index: 0, data: 0x30000, lengthMask: 2n ** 40n - 1n });
    const dir = placeDirectory(mem, 0x2000, [t]);
    placeSwissMap(mem, layout, 0x1000, { used: 0, dirPtr: dir, dirLen: 1, globalDepth: 0 });
    await expect(decodeSwiss(mem, layout, 0x1000n)).rejects.toThrow(/lengthMask 1099511627775/);
    await expect(decodeSwiss(mem, layout, 0x1000n)).rejects.toBeInstanceOf(CorruptMapError);
  });

  it('used > 0 with no group at all is CorruptMapError', async () => {
    const { layout, mem } = rig();
    placeSwissMap(mem, layout, 0x1000, { used: 3, dirPtr: 0, dirLen: 0 });
    await expect(decodeSwiss(mem, layout, 0x1000n)).rejects.toBeInstanceOf(CorruptMapError);
  });
});
