/**
 * A generic function's map named as instantiated: the runtime descriptor the bridge found in the
 * function's dictionary → its name and those of its key and elem (read from synthetic memory laid
 * out as Go's abi.Type and map type descriptors are) → the shape-typed map renamed, when the
 * descriptor fits the layout; and the bridge's answer carrying the descriptor's address.
 */
import { describe, expect, it } from 'vitest';
import { bridgeGoroutineEval } from '../../src/goroutines/bridge.js';
import { instantiate, type MapTypeNames, runtimeMapNames } from '../../src/goroutines/instantiate.js';
import type { GoMapType } from '../../src/layout/gotype.js';
import type { MISession, MITuple } from '../../src/mi/index.js';
import { Kind, type RtypeLayout, RuntimeTypeInfo } from '../../src/values/rtype.js';
import { classicMapDwarf, DwarfTable, SyntheticMemory, swissMapDwarf } from './synthetic-memory.js';

// abi.Type on a 64-bit target (Go 1.21+): Size_, PtrBytes, Hash, TFlag, Align_, FieldAlign_,
// Kind_, Equal, GCData, Str, PtrToThis.
const RTYPE: RtypeLayout = {
  size: 48,
  sizeField: { offset: 0, size: 8 },
  ptrBytes: { offset: 8, size: 8 },
  tflag: { offset: 20, size: 1 },
  kind: { offset: 23, size: 1 },
  gcdata: { offset: 32, size: 8 },
  str: { offset: 40, size: 4 },
};
const TYPES = 0x10000n;
const TFLAG_EXTRA_STAR = 2;

/** A types section with descriptors placed by `type` and names by `name`. */
function section() {
  const mem = new SyntheticMemory(8);
  mem.alloc(TYPES, 0x1000);
  let names = 0x800;
  const name = (text: string): number => {
    const bytes = new TextEncoder().encode(text);
    const at = names;
    mem.write(TYPES + BigInt(at), [0, bytes.length, ...bytes]);
    names += bytes.length + 2;
    return at;
  };
  /** A descriptor at offset `at`; Go stores most names with a '*' and sets tflagExtraStar. */
  const type = (at: number, kind: number, size: number, text: string): bigint => {
    const a = TYPES + BigInt(at);
    mem.u64(a, size);
    mem.u8(a + 20n, TFLAG_EXTRA_STAR);
    mem.u8(a + 23n, kind);
    mem.u32(a + 40n, name('*' + text));
    return a;
  };
  const rtypes = new RuntimeTypeInfo(RTYPE, [{ types: TYPES, etypes: TYPES + 0x1000n }]);
  return { mem, type, rtypes };
}

/** A map type descriptor: abi.Type, then Key and Elem. */
function mapDescriptor(s: ReturnType<typeof section>, at: number, text: string, key: bigint, elem: bigint): bigint {
  const a = s.type(at, Kind.Map, 8, text);
  s.mem.ptr(a + 48n, key);
  s.mem.ptr(a + 56n, elem);
  return a;
}

describe('runtimeMapNames', () => {
  it('the map, key and elem names of a map type descriptor', async () => {
    const s = section();
    const str = s.type(0x100, Kind.String, 16, 'string');
    const pair = s.type(0x140, Kind.Struct, 24, 'main.pairKey');
    const set = mapDescriptor(s, 0x200, 'map[main.pairKey]struct {}', pair, s.type(0x180, Kind.Struct, 0, 'struct {}'));
    const byKey = mapDescriptor(s, 0x280, 'map[string]int', str, s.type(0x1c0, Kind.Int, 8, 'int'));
    expect(await runtimeMapNames(s.mem, s.rtypes, set)).toEqual({ descriptor: set, name: 'map[main.pairKey]struct {}', key: 'main.pairKey', elem: 'struct {}', keySize: 24, elemSize: 0 });
    expect(await runtimeMapNames(s.mem, s.rtypes, byKey)).toEqual({ descriptor: byKey, name: 'map[string]int', key: 'string', elem: 'int', keySize: 16, elemSize: 8 });
  });

  it('undefined for a descriptor that is not a map, or that cannot be read', async () => {
    const s = section();
    expect(await runtimeMapNames(s.mem, s.rtypes, s.type(0x100, Kind.String, 16, 'string'))).toBeUndefined();
    expect(await runtimeMapNames(s.mem, s.rtypes, 0x90000n)).toBeUndefined();
    const broken = mapDescriptor(s, 0x200, 'map[string]int', 0x90000n, 0x90000n);
    expect(await runtimeMapNames(s.mem, s.rtypes, broken)).toBeUndefined();
  });
});

/** map[go.shape.string]V as GoTypeBuilder makes it from gdb's description. */
function shapeMap(impl: 'classic' | 'swiss', elem: (t: DwarfTable) => number): GoMapType {
  const t = new DwarfTable(8);
  const key = t.struct('go.shape.string', [
    ['str', t.ptr(t.basic('uint8'))],
    ['len', t.basic('int')],
  ]);
  const m = t.go((impl === 'classic' ? classicMapDwarf : swissMapDwarf)(t, key, elem(t)));
  if (m.kind !== 'map') throw new Error('not a map');
  return m;
}

const STRING_INT: MapTypeNames = { descriptor: 0x4a5b60n, name: 'map[string]int', key: 'string', elem: 'int', keySize: 16, elemSize: 8 };

describe('instantiate', () => {
  for (const impl of ['classic', 'swiss'] as const) {
    it(`${impl}: the shape's names become the instantiated ones, the layout stays`, () => {
      const shape = shapeMap(impl, (t) => t.basic('int'));
      const named = instantiate(shape, STRING_INT);
      expect(named).toMatchObject({ kind: 'map', name: 'map[string]int', keyName: 'string', elemName: 'int' });
      // Where the runtime's GC mask is read from: the dictionary's descriptor, not a search by name.
      expect(named.descriptor).toBe(0x4a5b60n);
      expect(named.header).toBe(shape.header);
      // A named generic map type: key and elem by their own descriptors.
      expect(instantiate(shape, { ...STRING_INT, name: 'main.Set[string]' })).toMatchObject({ name: 'main.Set[string]', keyName: 'string', elemName: 'int' });
    });
  }

  it('a descriptor that does not fit the layout leaves the shape names', () => {
    const shape = shapeMap('swiss', (t) => t.basic('int'));
    expect(instantiate(shape, { ...STRING_INT, elemSize: 4 })).toBe(shape);
    expect(instantiate(shape, { ...STRING_INT, keySize: 8 })).toBe(shape);
  });

  it('a map that is no shape is left as it is', () => {
    const t = new DwarfTable(8);
    const plain = t.go(swissMapDwarf(t, t.basic('string'), t.basic('int')));
    if (plain.kind !== 'map') throw new Error('not a map');
    expect(instantiate(plain, { ...STRING_INT, name: 'map[other]int' })).toBe(plain);
  });
});

describe('bridgeGoroutineEval', () => {
  const answer = (extra: MITuple): MISession =>
    ({ send: async () => ({ results: { header: '4096', typeName: 'map[go.shape.string]int', root: '0', types: [], frame: '3', function: 'main.f[go.shape.string]', ...extra } }) }) as unknown as MISession;

  it('carries the descriptor address of a generic local, and none for others', async () => {
    const named = await bridgeGoroutineEval(answer({ runtimeType: '5017600' }), { goroutine: 7 }, 'm', 'm');
    expect(named.runtimeType).toBe(5017600n);
    const shaped = await bridgeGoroutineEval(answer({}), { goroutine: 7 }, 'm', 'm');
    expect(shaped.runtimeType).toBeUndefined();
    expect(shaped).toMatchObject({ header: 4096n, typeName: 'map[go.shape.string]int', frame: 3, function: 'main.f[go.shape.string]' });
  });
});
