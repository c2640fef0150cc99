/**
 * Shape types of generic functions' locals, as gdb describes them (Go 1.19's numbered
 * `go.shape.string_0` and 1.20+'s `go.shape.string`), laid out as the underlying types they
 * stand for: a string shape is a string (not a struct of str and len), an int shape an int, a
 * pointer, interface or struct shape that pointer, interface or struct; and maps keyed by them
 * get the same layout as the instantiated map.
 */
import { describe, expect, it } from 'vitest';
import { type DwarfType, GoTypeBuilder } from '../../src/layout/dwarf.js';
import { hasShapeName, shapeUnderlying } from '../../src/layout/gotype.js';
import { mapLayout } from '../../src/layout/map-layout.js';
import { classicMapDwarf, DwarfTable, swissMapDwarf } from './synthetic-memory.js';

/** The descriptions gdb 13 gives these shapes (recorded from Go 1.19, 1.22 and 1.26 binaries). */
function shapes(): DwarfType[] {
  return [
    { id: 0, code: 'INT', name: 'uint8', str: 'uint8', size: 1, signed: false },
    { id: 1, code: 'PTR', name: '', str: 'uint8 *', size: 8, target: 0 },
    { id: 2, code: 'INT', name: 'int', str: 'int', size: 8, signed: true },
    {
      id: 3,
      code: 'STRUCT',
      name: 'go.shape.string_0',
      str: 'go.shape.string_0',
      size: 16,
      fields: [
        { name: 'str', offset: 0, bitsize: 0, type: 1 },
        { name: 'len', offset: 8, bitsize: 0, type: 2 },
      ],
    },
    { id: 4, code: 'INT', name: 'go.shape.int', str: 'go.shape.int', size: 8, signed: true },
    { id: 5, code: 'INT', name: 'go.shape.uintptr_1', str: 'go.shape.uintptr_1', size: 8, signed: false },
    { id: 6, code: 'STRUCT', name: 'main.tag', str: 'main.tag', size: 8, fields: [{ name: 'n', offset: 0, bitsize: 0, type: 2 }] },
    { id: 7, code: 'PTR', name: '', str: 'main.tag *', size: 8, target: 6 },
    { id: 8, code: 'TYPEDEF', name: 'go.shape.*main.tag', str: 'go.shape.*main.tag', size: 8, target: 7 },
    { id: 9, code: 'VOID', name: 'void', str: 'void', size: 1 },
    { id: 10, code: 'PTR', name: '', str: 'void *', size: 8, target: 9 },
    {
      id: 11,
      code: 'STRUCT',
      name: 'runtime.eface',
      str: 'runtime.eface',
      size: 16,
      fields: [
        { name: '_type', offset: 0, bitsize: 0, type: 10 },
        { name: 'data', offset: 8, bitsize: 0, type: 10 },
      ],
    },
    { id: 12, code: 'TYPEDEF', name: 'runtime.eface', str: 'runtime.eface', size: 16, target: 11 },
    // The bridge skips typedef chains of one name: go.shape.interface {} -> runtime.eface.
    { id: 13, code: 'TYPEDEF', name: 'go.shape.interface {}', str: 'go.shape.interface {}', size: 16, target: 12 },
    {
      id: 14,
      code: 'STRUCT',
      name: 'go.shape.struct { ID int32; Name string }',
      str: 'go.shape.struct { ID int32; Name string }',
      size: 24,
      fields: [
        { name: 'ID', offset: 0, bitsize: 0, type: 2 },
        { name: 'Name', offset: 8, bitsize: 0, type: 3 },
      ],
    },
    { id: 15, code: 'TYPEDEF', name: 'go.shape.struct { ID int32; Name string }', str: 'go.shape.struct { ID int32; Name string }', size: 24, target: 14 },
    { id: 16, code: 'PTR', name: '', str: 'go.shape.int *', size: 8, target: 4 },
    {
      id: 17,
      code: 'STRUCT',
      name: '[]go.shape.int',
      str: '[]go.shape.int',
      size: 24,
      fields: [
        { name: 'array', offset: 0, bitsize: 0, type: 16 },
        { name: 'len', offset: 8, bitsize: 0, type: 2 },
        { name: 'cap', offset: 16, bitsize: 0, type: 2 },
      ],
    },
    {
      id: 18,
      code: 'STRUCT',
      name: 'go.shape.[]uint8',
      str: 'go.shape.[]uint8',
      size: 24,
      fields: [
        { name: 'array', offset: 0, bitsize: 0, type: 1 },
        { name: 'len', offset: 8, bitsize: 0, type: 2 },
        { name: 'cap', offset: 16, bitsize: 0, type: 2 },
      ],
    },
  ];
}

describe('shape names', () => {
  it('the underlying type of a shape, numbered (Go 1.18/1.19) or not', () => {
    expect(shapeUnderlying('go.shape.string_0')).toBe('string');
    expect(shapeUnderlying('go.shape.string')).toBe('string');
    expect(shapeUnderlying('go.shape.*uint8_1')).toBe('*uint8');
    expect(shapeUnderlying('go.shape.struct { a_1 int }_0')).toBe('struct { a_1 int }');
    expect(shapeUnderlying('go.shape.struct { a_1 int }')).toBe('struct { a_1 int }');
    expect(shapeUnderlying('main.T_1')).toBe('main.T_1');
    expect(hasShapeName('map[go.shape.string]struct {}')).toBe(true);
    expect(hasShapeName('map[string]struct {}')).toBe(false);
  });
});

describe('GoTypeBuilder on shape types', () => {
  const b = new GoTypeBuilder(shapes(), 8);

  it('a string shape is a string, under its shape name', () => {
    expect(b.type(3)).toEqual({ kind: 'string', name: 'go.shape.string_0', size: 16, align: 8 });
  });

  it('integer shapes are Go integers of their kind', () => {
    expect(b.type(4)).toEqual({ kind: 'int', name: 'go.shape.int', size: 8, align: 8 });
    expect(b.type(5)).toMatchObject({ kind: 'uintptr', name: 'go.shape.uintptr_1', size: 8 });
  });

  it('pointer, interface, struct and slice shapes keep their kind', () => {
    expect(b.type(8)).toMatchObject({ kind: 'pointer', name: 'go.shape.*main.tag', elem: { kind: 'struct', name: 'main.tag' } });
    expect(b.type(13)).toMatchObject({ kind: 'eface', name: 'go.shape.interface {}', size: 16 });
    const s = b.type(15);
    expect(s.kind).toBe('struct');
    expect(s.kind === 'struct' && s.fields.map((f) => [f.name, f.offset, f.type.kind])).toEqual([
      ['ID', 0, 'int'],
      ['Name', 8, 'string'],
    ]);
    expect(b.type(17)).toMatchObject({ kind: 'slice', name: '[]go.shape.int', elem: { kind: 'int' } });
    expect(b.type(18)).toMatchObject({ kind: 'slice', name: 'go.shape.[]uint8', elem: { kind: 'uint', size: 1 } });
  });
});

/** `go.shape.string_0`, as gdb describes it, in a table of synthetic map types. */
function shapeString(t: DwarfTable): number {
  return t.struct('go.shape.string_0', [
    ['str', t.ptr(t.basic('uint8'))],
    ['len', t.basic('int')],
  ]);
}

describe('maps keyed by shapes', () => {
  for (const [impl, build] of [
    ['classic', classicMapDwarf],
    ['swiss', swissMapDwarf],
  ] as const) {
    it(`${impl}: map[go.shape.string_0]int is laid out as map[string]int`, () => {
      const shaped = new DwarfTable(8);
      const shapedMap = shaped.go(build(shaped, shapeString(shaped), shaped.basic('int')));
      const plain = new DwarfTable(8);
      const plainMap = plain.go(build(plain, plain.basic('string'), plain.basic('int')));
      if (shapedMap.kind !== 'map' || plainMap.kind !== 'map') throw new Error('not maps');
      expect(shapedMap).toMatchObject({ name: 'map[go.shape.string_0]int', keyName: 'go.shape.string_0', elemName: 'int' });
      const a = mapLayout(shapedMap);
      const p = mapLayout(plainMap);
      expect(a.key).toEqual({ ...p.key, name: 'go.shape.string_0' });
      expect(a.elem).toEqual(p.elem);
      expect([a.indirectKey, a.indirectElem]).toEqual([p.indirectKey, p.indirectElem]);
      const { name: _a, ...slots } = a.kind === 'classic' ? a.bucket : a.group;
      const { name: _p, ...plainSlots } = p.kind === 'classic' ? p.bucket : p.group;
      expect(slots).toEqual(plainSlots);
    });
  }
});
