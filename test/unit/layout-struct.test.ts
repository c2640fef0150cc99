/**
 * structLayout on hand-made Go structs (64- and 32-bit): holes, tail padding, zero-size fields
 * and cache-line marks as pahole reports them; structText line for line as pahole prints; and
 * mapStructs over the synthetic map DWARF.
 */
import { describe, expect, it } from 'vitest';
import type { GoField, GoStructType, GoType } from '../../src/layout/gotype.js';
import { predeclaredType } from '../../src/layout/gotype.js';
import { cacheLineCount, mapStructs, structLayout, sumHoles, sumMembers } from '../../src/layout/struct-layout.js';
import { structText } from '../../src/report/layout-text.js';
import { classicMap, swissMap } from './synthetic-memory.js';

function basic(name: string, ps: 4 | 8): GoType {
  const t = predeclaredType(name, ps);
  if (!t) throw new Error(`no predeclared ${name}`);
  return t;
}

function array(elem: GoType, length: number): GoType {
  return { kind: 'array', name: `[${length}]${elem.name}`, size: elem.size * length, align: elem.align, elem, length };
}

const empty: GoStructType = { kind: 'struct', name: 'struct {}', size: 0, align: 1, fields: [] };

/**
 * Lays fields out as the Go compiler does: each at its alignment; the size rounded to the
 * struct's alignment, after one byte of padding when the last field has size zero (so that its
 * address is not past the end of the object).
 */
function goStruct(name: string, fields: [string, GoType][]): GoStructType {
  const out: GoField[] = [];
  let off = 0;
  let align = 1;
  for (const [n, t] of fields) {
    off = Math.ceil(off / t.align) * t.align;
    out.push({ name: n, offset: off, type: t });
    off += t.size;
    align = Math.max(align, t.align);
  }
  if (fields.length > 0 && fields[fields.length - 1][1].size === 0 && off > 0) off += 1;
  return { kind: 'struct', name, size: Math.ceil(off / align) * align, align, fields: out };
}

describe('structLayout', () => {
  it('holes and tail padding, 64-bit (main.Holey)', () => {
    const ps = 8;
    const t = goStruct('main.Holey', [
      ['A', basic('bool', ps)],
      ['B', basic('int64', ps)],
      ['C', basic('uint16', ps)],
      ['D', { kind: 'pointer', name: '*main.Holey', size: ps, align: ps, elem: undefined }],
      ['_', array({ kind: 'func', name: 'func()', size: ps, align: ps }, 0)],
      ['E', basic('int8', ps)],
    ]);
    const l = structLayout(t);
    expect(l.fields.map((f) => [f.name, f.offset, f.size, f.align])).toEqual([
      ['A', 0, 1, 1],
      ['B', 8, 8, 8],
      ['C', 16, 2, 2],
      ['D', 24, 8, 8],
      ['_', 32, 0, 8],
      ['E', 32, 1, 1],
    ]);
    expect(l.holes).toEqual([
      { offset: 1, size: 7 },
      { offset: 18, size: 6 },
    ]);
    expect(l.size).toBe(40);
    expect(l.align).toBe(8);
    expect(l.tailPadding).toBe(7);
    expect(sumMembers(l)).toBe(20);
    expect(sumHoles(l)).toBe(13);
    expect(l.cacheLines).toEqual([]);
    expect(cacheLineCount(l)).toBe(1);
  });

  it('holes and tail padding, 32-bit: int64 aligns to 4', () => {
    const ps = 4;
    const t = goStruct('main.Holey', [
      ['A', basic('bool', ps)],
      ['B', basic('int64', ps)],
      ['C', basic('uint16', ps)],
      ['D', { kind: 'pointer', name: '*main.Holey', size: ps, align: ps, elem: undefined }],
      ['_', array({ kind: 'func', name: 'func()', size: ps, align: ps }, 0)],
      ['E', basic('int8', ps)],
    ]);
    const l = structLayout(t);
    expect(l.fields.map((f) => f.offset)).toEqual([0, 4, 12, 16, 20, 20]);
    expect(l.fields[1].align).toBe(4);
    expect(l.holes).toEqual([
      { offset: 1, size: 3 },
      { offset: 14, size: 2 },
    ]);
    expect([l.size, l.align, l.tailPadding]).toEqual([24, 4, 3]);
  });

  it('a zero-size field after a hole takes the hole before it, none after', () => {
    const ps = 8;
    const l = structLayout(goStruct('main.ZeroMid', [
      ['A', basic('int8', ps)],
      ['Z', array(basic('int64', ps), 0)],
      ['B', basic('int64', ps)],
    ]));
    expect(l.holes).toEqual([{ offset: 1, size: 7 }]);
    expect([l.size, l.tailPadding]).toEqual([16, 0]);
  });

  it('a zero-size last field: Go pads, and the padding counts from its offset', () => {
    for (const [ps, size, padding] of [
      [8, 16, 7],
      [4, 12, 3],
    ] as const) {
      const l = structLayout(goStruct('main.ZeroTail', [
        ['A', basic('int64', ps)],
        ['B', basic('int8', ps)],
        ['Z', empty],
      ]));
      expect(l.fields[2]).toEqual({ name: 'Z', type: 'struct {}', offset: 9, size: 0, align: 1 });
      expect(l.holes).toEqual([]);
      expect([l.size, l.tailPadding]).toEqual([size, padding]);
    }
  });

  it('an empty struct and a struct of zero-size fields: size 0, no cache lines', () => {
    const l = structLayout(goStruct('noalg.struct { key struct {}; elem struct {} }', [
      ['key', empty],
      ['elem', empty],
    ]));
    expect([l.size, l.tailPadding, l.holes.length, cacheLineCount(l)]).toEqual([0, 0, 0, 0]);
    expect(structLayout(empty).fields).toEqual([]);
  });

  it('cache lines: one mark per field starting in a later line, "was N bytes ago" when past it', () => {
    const ps = 8;
    const u8 = basic('uint8', ps);
    const l = structLayout(goStruct('main.Wide', [
      ['A', array(u8, 60)],
      ['B', basic('int64', ps)],
      ['C', array(u8, 60)],
      ['D', basic('int32', ps)],
      ['E', array(basic('string', ps), 3)],
      ['F', basic('bool', ps)],
    ]));
    expect(l.fields.map((f) => f.offset)).toEqual([0, 64, 72, 132, 136, 184]);
    expect(l.cacheLines).toEqual([
      { line: 1, boundary: 64, field: 1, ago: 0 },
      { line: 2, boundary: 128, field: 3, ago: 4 },
    ]);
    expect([l.size, cacheLineCount(l), l.tailPadding]).toEqual([192, 3, 7]);
    // A field spanning several lines: only the line the next field starts in is marked.
    const big = structLayout(goStruct('big', [
      ['a', basic('int64', ps)],
      ['b', array(u8, 200)],
      ['c', basic('int64', ps)],
    ]));
    expect(big.cacheLines).toEqual([{ line: 3, boundary: 192, field: 2, ago: 16 }]);
    // Another cache-line size, like pahole -c.
    expect(structLayout(goStruct('w', [['A', array(u8, 60)], ['B', basic('int64', ps)]]), 32).cacheLines).toEqual([{ line: 2, boundary: 64, field: 1, ago: 0 }]);
  });
});

describe('structText', () => {
  it('prints as pahole 1.24 does', () => {
    const ps = 8;
    const u8 = basic('uint8', ps);
    const l = structLayout(goStruct('main.Wide', [
      ['A', array(u8, 60)],
      ['B', basic('int64', ps)],
      ['C', array(u8, 60)],
      ['D', basic('int32', ps)],
      ['E', array(basic('string', ps), 3)],
      ['F', basic('bool', ps)],
    ]));
    expect(structText(l)).toBe(
      [
        'struct main.Wide {',
        '\t[60]uint8                  A;                    /*     0    60 */',
        '',
        '\t/* XXX 4 bytes hole, try to pack */',
        '',
        '\t/* --- cacheline 1 boundary (64 bytes) --- */',
        '\tint64                      B;                    /*    64     8 */',
        '\t[60]uint8                  C;                    /*    72    60 */',
        '\t/* --- cacheline 2 boundary (128 bytes) was 4 bytes ago --- */',
        '\tint32                      D;                    /*   132     4 */',
        '\t[3]string                  E;                    /*   136    48 */',
        '\tbool                       F;                    /*   184     1 */',
        '',
        '\t/* size: 192, cachelines: 3, members: 6 */',
        '\t/* sum members: 181, holes: 1, sum holes: 4 */',
        '\t/* padding: 7 */',
        '};',
      ].join('\n'),
    );
  });

  it('a one-byte hole, a long type name, the last cache line', () => {
    const ps = 8;
    const long: GoType = { kind: 'pointer', name: '*noalg.map.group[struct {}]struct {}', size: ps, align: ps, elem: undefined };
    const text = structText(structLayout(goStruct('t', [
      ['a', basic('uint8', ps)],
      ['b', basic('uint16', ps)],
      ['data', long],
    ])));
    expect(text).toContain('\n\t/* XXX 1 byte hole, try to pack */\n');
    expect(text).toContain('\t*noalg.map.group[struct {}]struct {} data;       /*     8     8 */');
    expect(text).toContain('\t/* last cacheline: 16 bytes */');
  });
});

describe('mapStructs', () => {
  it('classic: the hmap header, then the bucket', () => {
    const { type } = classicMap(4, 'string', 'int');
    const [hash, bucket] = mapStructs(type).map((s) => structLayout(s));
    expect(hash.name).toBe('hash<string,int>');
    expect([hash.size, hash.holes.length]).toEqual([28, 0]);
    expect(bucket.name).toBe('bucket<string,int>');
    expect(bucket.fields.map((f) => [f.name, f.offset])).toEqual([
      ['tophash', 0],
      ['keys', 8],
      ['values', 72],
      ['overflow', 104],
    ]);
  });

  it('Swiss: Map, table, group reference, group, slot (a hole after an int8 key)', () => {
    const { type } = swissMap(8, 'int8', 'int64');
    const structs = mapStructs(type).map((s) => structLayout(s));
    expect(structs.map((s) => s.name)).toEqual(['map<int8,int64>', 'table<int8,int64>', 'groupReference<int8,int64>', 'noalg.map.group[int8]int64', expect.stringContaining('key int8')]);
    expect(structs[4].holes).toEqual([{ offset: 1, size: 7 }]);
    expect(structs[3].size).toBe(8 + 8 * 16);
  });
});
