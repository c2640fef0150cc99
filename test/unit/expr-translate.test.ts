/** Go expressions → gdb expressions, raw `0xADDR:map[K]V` expressions, and map type names. */
import { describe, expect, it } from 'vitest';
import { parseRawMapExpr, toGdbExpression } from '../../src/gdb/expr.js';
import { splitHeaderName, splitMapTypeName } from '../../src/layout/gotype.js';

describe('toGdbExpression', () => {
  it.each([
    ['main.routes', "'main.routes'"],
    ['main.cfg.byName', "'main.cfg'.byName"],
    ['(*main.srv).cache', "(*'main.srv').cache"],
    ['net/http.DefaultServeMux.m', "'net/http.DefaultServeMux'.m"],
    ['github.com/acme/svc/internal/state.Cache.items', "'github.com/acme/svc/internal/state.Cache'.items"],
    ['main.a.b.c', "'main.a'.b.c"],
    ['main.tables[2].m', "'main.tables'[2].m"],
    ['*main.ptr', "*'main.ptr'"],
  ])('%s → %s', (input, want) => {
    expect(toGdbExpression(input)).toBe(want);
  });

  it.each(["'main.routes'", "'main.cfg'.byName", "(*'main.srv').cache", "'net/http.DefaultServeMux'.m"])('leaves already-quoted %s unchanged', (input) => {
    expect(toGdbExpression(input)).toBe(input);
  });

  it('leaves a bare local name and numbers alone', () => {
    expect(toGdbExpression('routes')).toBe('routes');
    expect(toGdbExpression('m[0x10]')).toBe('m[0x10]');
  });
});

describe('parseRawMapExpr', () => {
  it('parses 0xADDR:map[K]V', () => {
    expect(parseRawMapExpr('0xc000012345:map[string]int')).toEqual({ address: 0xc000012345n, typeName: 'map[string]int' });
  });

  it('accepts upper-case hex and bracketed key types', () => {
    expect(parseRawMapExpr('0xC0:map[[2]int]string')).toEqual({ address: 0xc0n, typeName: 'map[[2]int]string' });
  });

  it('tolerates spaces around the colon', () => {
    expect(parseRawMapExpr(' 0x10 : map[int]*main.T ')).toEqual({ address: 0x10n, typeName: 'map[int]*main.T' });
  });

  it.each(['main.routes', '0xc0:[]int', 'c000:map[int]int', '0x:map[int]int'])('rejects %s', (input) => {
    expect(parseRawMapExpr(input)).toBeUndefined();
  });
});

describe('splitMapTypeName', () => {
  it.each([
    ['map[string]int', 'string', 'int'],
    ['map[[2]int]map[string][]int', '[2]int', 'map[string][]int'],
    ['map[map[int]bool]string', 'map[int]bool', 'string'],
    ['map[struct { a [3]int }][]*main.T', 'struct { a [3]int }', '[]*main.T'],
    ['map[*main.K]interface {}', '*main.K', 'interface {}'],
  ])('%s → [%s] %s', (name, key, elem) => {
    expect(splitMapTypeName(name)).toEqual({ key, elem });
  });

  it('is undefined for non-map names and unbalanced brackets', () => {
    expect(splitMapTypeName('[]int')).toBeUndefined();
    expect(splitMapTypeName('map[[2]int')).toBeUndefined();
  });
});

describe('splitHeaderName (named map types)', () => {
  it('splits the linker header name at the top-level comma', () => {
    expect(splitHeaderName('hash<string,int>')).toEqual({ key: 'string', elem: 'int' });
    expect(splitHeaderName('map<main.Pair[int,string],func(int, string) bool>')).toEqual({
      key: 'main.Pair[int,string]',
      elem: 'func(int, string) bool',
    });
    expect(splitHeaderName('map<struct { a int; b int },[]int>')).toEqual({ key: 'struct { a int; b int }', elem: '[]int' });
    expect(splitHeaderName('table<string,int>')).toBeUndefined();
  });
});
