/**
 * Named string and slice types (`type Tag string`, `type IDs []int`): Go's DWARF gives each a
 * struct of its own name with the string's or slice's fields, and a typedef to it. They are
 * strings and slices, not structs of str and len — told apart by the fields' types — while a
 * user struct that only borrows the field names stays a struct.
 */
import { describe, expect, it } from 'vitest';
import { type DwarfType, GoTypeBuilder } from '../../src/layout/dwarf.js';

const uint8: DwarfType = { id: 0, code: 'INT', name: 'uint8', str: 'uint8', size: 1, signed: false };
const bytePtr: DwarfType = { id: 1, code: 'PTR', name: '', str: 'uint8 *', size: 8, target: 0 };
const int: DwarfType = { id: 2, code: 'INT', name: 'int', str: 'int', size: 8, signed: true };
const intPtr: DwarfType = { id: 3, code: 'PTR', name: '', str: 'int *', size: 8, target: 2 };
const int32: DwarfType = { id: 4, code: 'INT', name: 'int32', str: 'int32', size: 4, signed: true };

function named(id: number, name: string, fields: [string, number, number][]): DwarfType[] {
  const size = fields.reduce((n, [, , off]) => Math.max(n, off + 8), 0);
  return [
    { id, code: 'STRUCT', name, str: name, size, fields: fields.map(([n, type, offset]) => ({ name: n, offset, bitsize: 0, type })) },
    { id: id + 1, code: 'TYPEDEF', name, str: name, size, target: id },
  ];
}

describe('named string and slice types in DWARF', () => {
  const types: DwarfType[] = [
    uint8,
    bytePtr,
    int,
    intPtr,
    int32,
    ...named(10, 'main.Tag', [
      ['str', 1, 0],
      ['len', 2, 8],
    ]),
    ...named(20, 'main.IDs', [
      ['array', 3, 0],
      ['len', 2, 8],
      ['cap', 2, 16],
    ]),
    // Field names alike, types not: a user's own struct.
    ...named(30, 'main.span', [
      ['str', 4, 0],
      ['len', 2, 8],
    ]),
  ];

  it('type Tag string is a string named main.Tag', () => {
    const t = new GoTypeBuilder(types, 8).type(11);
    expect([t.kind, t.name, t.size]).toEqual(['string', 'main.Tag', 16]);
  });

  it('type IDs []int is a slice of int named main.IDs', () => {
    const t = new GoTypeBuilder(types, 8).type(21);
    expect([t.kind, t.name, t.size]).toEqual(['slice', 'main.IDs', 24]);
    expect(t.kind === 'slice' ? t.elem?.name : undefined).toBe('int');
  });

  it('a struct with fields str and len of other types stays a struct', () => {
    const t = new GoTypeBuilder(types, 8).type(31);
    expect(t.kind).toBe('struct');
  });
});
