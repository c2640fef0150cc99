/**
 * The value renderer (renderEntries / Renderer over CachedMemory) on synthetic memory: every
 * Go kind of the contract's value table, unreadable memory, batching, and interfaces through
 * hand-made runtime type descriptors.
 */
import { describe, expect, it } from 'vitest';
import type { GoType } from '../../src/layout/gotype.js';
import { decodeClassic } from '../../src/maps/classic/decode.js';
import { CachedMemory } from '../../src/target/cache.js';
import type { TypeSource } from '../../src/target/target.js';
import { renderEntries } from '../../src/values/entries.js';
import { type JsonValue, stringifyJson } from '../../src/values/json.js';
import type { RenderEnv } from '../../src/values/render.js';
import { Kind, type RtypeLayout, RuntimeTypeInfo } from '../../src/values/rtype.js';
import {
  type Addr,
  bucketAt,
  classicCell,
  classicMap,
  DwarfTable,
  placeBuckets,
  placeHmap,
  swissMap,
  SyntheticMemory,
  writeTophash,
} from './synthetic-memory.js';

const FFFD = '\uFFFD';

/** A TypeSource that knows the given types and records what it was asked. */
function typeSource(known: Record<string, GoType> = {}): TypeSource & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    typesByName: async (names) => {
      asked.push([...names]);
      return names.map((n) => known[n]);
    },
  };
}

interface Rig {
  readonly mem: SyntheticMemory;
  readonly t: DwarfTable;
  readonly env: RenderEnv;
  /** Renders one value of type `type` at `address` through renderEntries. */
  render(type: GoType, address: Addr, types?: TypeSource): Promise<JsonValue>;
}

function rig(opts: { ps?: 4 | 8; le?: boolean; swissHeaders?: boolean; rtypes?: RuntimeTypeInfo; typesByName?: Map<string, GoType | null> } = {}): Rig {
  const ps = opts.ps ?? 8;
  const mem = new SyntheticMemory(ps, opts.le ?? true);
  const env: RenderEnv = {
    mem: new CachedMemory(mem),
    rtypes: opts.rtypes,
    typesByName: opts.typesByName ?? new Map(),
    swissHeaders: opts.swissHeaders ?? true,
  };
  const t = new DwarfTable(ps);
  const render = async (type: GoType, address: Addr, types: TypeSource = typeSource()) => {
    const [e] = await renderEntries([{ key: BigInt(address), value: BigInt(address) }], type, type, env, types);
    expect(e.value).toEqual(e.key);
    return e.key;
  };
  return { mem, t, env, render };
}

describe('rendering scalars', () => {
  it('integers: numbers up to 2^53 in magnitude, decimal strings beyond', async () => {
    const { mem, t, render } = rig();
    mem.alloc(0x1000, 0x100);
    const i64 = t.go(t.basic('int64'));
    const u64 = t.go(t.basic('uint64'));
    mem.u64(0x1000, -(2n ** 63n));
    mem.u64(0x1008, 2n ** 64n - 1n);
    mem.u64(0x1010, 2n ** 53n);
    mem.u64(0x1018, 2n ** 53n + 1n);
    mem.u64(0x1020, -(2n ** 53n));
    mem.u8(0x1028, 0xff);
    mem.u8(0x1029, 0xff);
    mem.ptr(0x1030, -42);
    mem.ptr(0x1038, -1);
    mem.u32(0x1040, 0x80000000);
    expect(await render(i64, 0x1000)).toBe('-9223372036854775808');
    expect(await render(u64, 0x1008)).toBe('18446744073709551615');
    expect(await render(i64, 0x1010)).toBe(9007199254740992);
    expect(await render(i64, 0x1018)).toBe('9007199254740993');
    expect(await render(i64, 0x1020)).toBe(-9007199254740992);
    expect(await render(t.go(t.basic('int8')), 0x1028)).toBe(-1);
    expect(await render(t.go(t.basic('uint8')), 0x1029)).toBe(255);
    expect(await render(t.go(t.basic('int')), 0x1030)).toBe(-42);
    expect(await render(t.go(t.basic('uintptr')), 0x1038)).toBe('18446744073709551615');
    expect(await render(t.go(t.basic('int32')), 0x1040)).toBe(-2147483648);
    expect(await render(t.go(t.basic('uint32')), 0x1040)).toBe(2147483648);
  });

  it('integers on a big-endian 32-bit target', async () => {
    const { mem, t, render } = rig({ ps: 4, le: false });
    mem.alloc(0x1000, 0x10);
    mem.write(0x1000, [0xff, 0xff, 0xff, 0xfe, 0x01, 0x02]);
    expect(await render(t.go(t.basic('int')), 0x1000)).toBe(-2);
    expect(await render(t.go(t.basic('uint16')), 0x1004)).toBe(0x0102);
  });

  it('floats: float32 shortest (0.1), NaN and infinities as strings, -0 kept', async () => {
    const { mem, t, render } = rig();
    mem.alloc(0x1000, 0x100);
    const f32 = t.go(t.basic('float32'));
    const f64 = t.go(t.basic('float64'));
    mem.f32(0x1000, 0.1);
    mem.f32(0x1004, 1 / 3);
    mem.f64(0x1008, 0.1);
    mem.f64(0x1010, NaN);
    mem.f64(0x1018, Infinity);
    mem.f64(0x1020, -Infinity);
    mem.f64(0x1028, -0);
    mem.f32(0x1030, -0);
    mem.f32(0x1034, NaN);
    expect(await render(f32, 0x1000)).toBe(0.1);
    expect(await render(f32, 0x1004)).toBe(0.33333334);
    expect(await render(f64, 0x1008)).toBe(0.1);
    expect(await render(f64, 0x1010)).toBe('NaN');
    expect(await render(f64, 0x1018)).toBe('+Inf');
    expect(await render(f64, 0x1020)).toBe('-Inf');
    expect(await render(f32, 0x1034)).toBe('NaN');
    const negZero = await render(f64, 0x1028);
    expect(Object.is(negZero, -0)).toBe(true);
    expect(stringifyJson({ v: negZero })).toBe('{"v":-0}');
    expect(Object.is(await render(f32, 0x1030), -0)).toBe(true);
  });

  it('float32 digits are the ones Go writes (strconv shortest: ties to even, powers of two)', async () => {
    // Expected strings from Go 1.24: strconv.FormatFloat(float64(f), 'g', -1, 32) / json.Marshal(f).
    const cases: [number, number][] = [
      [186839.125, 186839.12],
      [2623156.25, 2623156.2],
      [3467515.75, 3467515.8],
      [2 ** -96, 1.2621775e-29],
      [2 ** 87, 1.5474251e26],
    ];
    const { mem, t, render } = rig();
    mem.alloc(0x1000, 4 * cases.length);
    cases.forEach(([v], i) => mem.f32(0x1000 + 4 * i, v));
    const f32 = t.go(t.basic('float32'));
    const got: JsonValue[] = [];
    for (let i = 0; i < cases.length; i++) got.push(await render(f32, 0x1000 + 4 * i));
    expect(got).toEqual(cases.map(([, go]) => go));
  });

  it('floats on a big-endian target', async () => {
    const { mem, t, render } = rig({ le: false });
    mem.alloc(0x1000, 0x10);
    mem.f64(0x1000, 2.5);
    mem.f32(0x1008, -0.1);
    expect(await render(t.go(t.basic('float64')), 0x1000)).toBe(2.5);
    expect(await render(t.go(t.basic('float32')), 0x1008)).toBe(-0.1);
  });

  it('complex64 and complex128 as {real, imag}', async () => {
    const { mem, t, render } = rig();
    mem.alloc(0x1000, 0x20);
    mem.f64(0x1000, 1.5);
    mem.f64(0x1008, -2.25);
    mem.f32(0x1010, 0.1);
    mem.f32(0x1014, Infinity);
    expect(await render(t.go(t.basic('complex128')), 0x1000)).toEqual({ real: 1.5, imag: -2.25 });
    expect(await render(t.go(t.basic('complex64')), 0x1010)).toEqual({ real: 0.1, imag: '+Inf' });
  });

  it('bool', async () => {
    const { mem, t, render } = rig();
    mem.alloc(0x1000, 2);
    mem.u8(0x1001, 1);
    expect(await render(t.go(t.basic('bool')), 0x1000)).toBe(false);
    expect(await render(t.go(t.basic('bool')), 0x1001)).toBe(true);
  });

  it('pointers, unsafe.Pointer, chan and func: lowercase hex, nil → null', async () => {
    const { mem, t, render } = rig();
    mem.alloc(0x1000, 0x10);
    mem.ptr(0x1008, 0xc000abcdefn);
    const p = t.go(t.ptr(t.basic('int')));
    expect(p.name).toBe('*int');
    expect(await render(p, 0x1000)).toBeNull();
    expect(await render(p, 0x1008)).toBe('0xc000abcdef');
    expect(await render(t.go(t.basic('unsafe.Pointer')), 0x1008)).toBe('0xc000abcdef');
    const r32 = rig({ ps: 4 });
    r32.mem.alloc(0x1000, 4);
    r32.mem.ptr(0x1000, 0xdeadbeef);
    expect(await r32.render(r32.t.go(r32.t.ptr(r32.t.basic('int'))), 0x1000)).toBe('0xdeadbeef');
  });
});

describe('rendering strings', () => {
  /** Renders a string whose bytes are `bytes`. */
  async function str(bytes: string | readonly number[]): Promise<JsonValue> {
    const { mem, t, render } = rig();
    mem.alloc(0x1000, 16);
    mem.alloc(0x2000, 64);
    mem.goString(0x1000, 0x2000, bytes);
    return render(t.go(t.basic('string')), 0x1000);
  }

  it('valid UTF-8 as is', async () => {
    expect(await str('hello')).toBe('hello');
    expect(await str([0xe6, 0x97, 0xa5, 0xe6, 0x9c, 0xac])).toBe('日本');
    expect(await str([0xf0, 0x9f, 0x98, 0x80])).toBe('😀');
  });

  it('each byte that does not start a valid sequence is one U+FFFD (utf8.DecodeRune)', async () => {
    expect(await str([0x61, 0xe6, 0x97, 0x62])).toBe(`a${FFFD}${FFFD}b`);
    expect(await str([0xe6, 0x97])).toBe(FFFD + FFFD);
    expect(await str([0xff, 0xfe])).toBe(FFFD + FFFD);
    expect(await str([0xf0, 0x9f, 0x98])).toBe(FFFD.repeat(3));
    expect(await str([0xed, 0xa0, 0x80])).toBe(FFFD.repeat(3)); // a surrogate
    expect(await str([0xc0, 0x80])).toBe(FFFD.repeat(2)); // overlong
    expect(await str([0xf4, 0x90, 0x80, 0x80])).toBe(FFFD.repeat(4)); // over U+10FFFF
    expect(await str([0xe2, 0x82, 0xac, 0x80, 0x41])).toBe(`€${FFFD}A`);
  });

  it('the empty string, with a nil data pointer', async () => {
    expect(await str([])).toBe('');
  });

  it('unreadable string data is an {error} value, not a throw', async () => {
    const { mem, t, render } = rig();
    mem.alloc(0x1000, 16);
    mem.ptr(0x1000, 0xdead0000);
    mem.ptr(0x1008, 5);
    expect(await render(t.go(t.basic('string')), 0x1000)).toEqual({ error: 'unreadable string data at 0xdead0000' });
  });

  it('a bad string next to a good one: the merged read fails, the good one is still read', async () => {
    const { mem, t, env } = rig();
    mem.alloc(0x1000, 32);
    mem.alloc(0x2000, 16);
    mem.goString(0x1000, 0x2000, 'abc');
    mem.ptr(0x1010, 0x2010); // just past the placed block, within merging distance
    mem.ptr(0x1018, 4);
    const s = t.go(t.basic('string'));
    const [e] = await renderEntries([{ key: 0x1000n, value: 0x1010n }], s, s, env, typeSource());
    expect(e).toEqual({ key: 'abc', value: { error: 'unreadable string data at 0x2010' } });
  });

  it('a negative length is an {error} value', async () => {
    const { mem, t, render } = rig();
    mem.alloc(0x1000, 16);
    mem.ptr(0x1000, 0x2000);
    mem.ptr(0x1008, -1);
    expect(await render(t.go(t.basic('string')), 0x1000)).toEqual({ error: 'string length -1 is negative' });
  });
});

describe('rendering composites', () => {
  it('structs: fields in declaration order, blank _ fields left out', async () => {
    const { mem, t, render } = rig();
    const S = t.struct('main.S', [
      ['Z', t.basic('int64')],
      ['_', t.basic('int32')],
      ['A', t.basic('bool')],
      ['Name', t.basic('string')],
      ['_', t.basic('uint8')],
      ['F', t.basic('float32')],
    ]);
    const st = t.go(S);
    expect(st.size).toBe(40);
    mem.alloc(0x1000, st.size);
    mem.alloc(0x2000, 8);
    mem.u64(0x1000, 7);
    mem.u32(0x1008, 0xffffffff);
    mem.u8(0x100c, 1);
    mem.goString(0x1010, 0x2000, 'go');
    mem.u8(0x1020, 9);
    mem.f32(0x1024, 0.5);
    const v = await render(st, 0x1000);
    expect(v).toEqual({ Z: 7, A: true, Name: 'go', F: 0.5 });
    expect(Object.keys(v as object)).toEqual(['Z', 'A', 'Name', 'F']);
  });

  it('arrays, nested', async () => {
    const { mem, t, render } = rig();
    mem.alloc(0x1000, 16);
    mem.write(0x1000, [1, 0, 0xfe, 0xff, 3, 0]);
    mem.write(0x1008, [1, 2, 3, 4]);
    expect(await render(t.go(t.array(t.basic('int16'), 3)), 0x1000)).toEqual([1, -2, 3]);
    expect(await render(t.go(t.array(t.array(t.basic('uint8'), 2), 2)), 0x1008)).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('slices as {len, cap, data}; a nil slice has data null', async () => {
    const { mem, t, render } = rig();
    const sl = t.go(t.slice(t.basic('int')));
    expect(sl.kind).toBe('slice');
    mem.alloc(0x1000, 48);
    mem.ptr(0x1000, 0xc000010000n);
    mem.ptr(0x1008, 2);
    mem.ptr(0x1010, 5);
    const v = await render(sl, 0x1000);
    expect(v).toEqual({ len: 2, cap: 5, data: '0xc000010000' });
    expect(Object.keys(v as object)).toEqual(['len', 'cap', 'data']);
    expect(await render(sl, 0x1018)).toEqual({ len: 0, cap: 0, data: null });
  });

  it('map values as {map, len}: a Swiss header starts with a uint64 used', async () => {
    const { mem, render } = rig({ ps: 4, le: false, swissHeaders: true });
    const mt = swissMap(4, 'string', 'int').type;
    mem.alloc(0x1000, 8);
    mem.alloc(0x3000, 32);
    mem.ptr(0x1000, 0x3000);
    mem.u64(0x3000, 7);
    expect(await render(mt, 0x1000)).toEqual({ map: '0x3000', len: 7 });
    expect(await render(mt, 0x1004)).toBeNull();
  });

  it('map values as {map, len}: a classic header starts with an int count', async () => {
    const { mem, render } = rig({ ps: 4, le: false, swissHeaders: false });
    const mt = classicMap(4, 'string', 'int').type;
    mem.alloc(0x1000, 4);
    mem.alloc(0x3000, 28);
    mem.ptr(0x1000, 0x3000);
    mem.write(0x3000, [0, 0, 0, 9, 1, 3, 0, 0]); // count 9, flags 1, B 3, noverflow 0
    expect(await render(mt, 0x1000)).toEqual({ map: '0x3000', len: 9 });
  });

  it('zero-size types render without reading memory', async () => {
    const { mem, t, render } = rig();
    const empty = t.struct('struct {}', []);
    const z = t.go(t.struct('main.Z', [['A', empty], ['_', t.array(t.basic('int'), 0)], ['B', t.array(empty, 3)]]));
    expect(z.size).toBe(0);
    expect(await render(z, 0xdead0000)).toEqual({ A: {}, B: [{}, {}, {}] });
    expect(await render(t.go(t.array(t.basic('int'), 0)), 0)).toEqual([]);
    const w = t.go(t.struct('main.W', [['N', t.basic('int')], ['E', empty]]));
    expect(w.size).toBe(16);
    mem.alloc(0x1000, 16);
    mem.ptr(0x1000, 3);
    expect(await render(w, 0x1000)).toEqual({ N: 3, E: {} });
    expect(mem.calls).toBe(1);
  });
});

describe('rendering many entries', () => {
  it('a map of 10,000 string keys costs a handful of reads (all through CachedMemory)', async () => {
    const { layout } = classicMap(8, 'string', 'int');
    const mem = new SyntheticMemory(8);
    const B = 11;
    const arr = placeBuckets(mem, layout, 0x100000, 2 ** B);
    const data = mem.alloc(0x10000000, 10_000 * 32);
    const fill = new Map<number, number[]>();
    for (let i = 0; i < 10_000; i++) {
      const b = i % 2 ** B;
      const slot = Math.floor(i / 2 ** B);
      const cell = classicCell(layout, bucketAt(layout, arr, b), slot);
      mem.goString(cell.key, data + BigInt(i * 32), `key-${i}`);
      mem.ptr(cell.elem, i);
      fill.set(b, [...(fill.get(b) ?? []), 0x80 + slot]);
    }
    for (const [b, tops] of fill) writeTophash(mem, layout, bucketAt(layout, arr, b), tops);
    placeHmap(mem, layout, 0x1000, { count: 10_000, B, buckets: arr });

    const cache = new CachedMemory(mem);
    const snap = await decodeClassic(cache, layout, 0x1000n);
    expect(snap.entries).toHaveLength(10_000);
    const env: RenderEnv = { mem: cache, rtypes: undefined, typesByName: new Map(), swissHeaders: false };
    const out = await renderEntries(snap.entries, layout.key, layout.elem, env, typeSource());
    expect(out[0]).toEqual({ key: 'key-0', value: 0 });
    expect(out[1]).toEqual({ key: 'key-2048', value: 2048 });
    expect(new Set(out.map((e) => e.key)).size).toBe(10_000);
    expect(out.every((e) => e.key === `key-${e.value}`)).toBe(true);
    // Header, bucket array, then the string data: a handful of calls, not 10,000.
    expect(mem.calls).toBeLessThanOrEqual(4);
  });
});

// ---- interfaces ----

/** abi.Type on a 64-bit target, as the task's contract gives it. */
const RTYPE64: RtypeLayout = {
  size: 48,
  sizeField: { offset: 0, size: 8 },
  ptrBytes: { offset: 8, size: 8 },
  tflag: { offset: 20, size: 1 },
  kind: { offset: 23, size: 1 },
  str: { offset: 40, size: 4 },
  gcdata: { offset: 32, size: 8 },
};
const TYPES = 0x400000n;
const TFLAG_EXTRA_STAR = 2;
const KIND_DIRECT_IFACE = 0x20;

/** Writes a type descriptor at types+at and its name at types+nameOff. */
function typeDescriptor(mem: SyntheticMemory, types: bigint, at: number, d: { size: number; ptrBytes: number; tflag?: number; kind: number; nameOff: number; name: string }): bigint {
  const a = types + BigInt(at);
  mem.u64(a, d.size);
  mem.u64(a + 8n, d.ptrBytes);
  mem.u8(a + 20n, d.tflag ?? 0);
  mem.u8(a + 23n, d.kind);
  mem.u32(a + 40n, d.nameOff);
  const bytes = new TextEncoder().encode(d.name);
  mem.write(types + BigInt(d.nameOff), [0, bytes.length, ...bytes]);
  return a;
}

describe('rendering interfaces', () => {
  function ifaceRig(typesByName = new Map<string, GoType | null>()) {
    const rtypes = new RuntimeTypeInfo(RTYPE64, [{ types: TYPES, etypes: TYPES + 0x1000n }]);
    const r = rig({ rtypes, typesByName });
    r.mem.alloc(TYPES, 0x1000);
    r.mem.alloc(0x1000, 0x100); // interface values
    r.mem.alloc(0xc000000000n, 0x100); // their data
    const eface = r.t.go(r.t.eface());
    expect(eface.kind).toBe('eface');
    return { ...r, eface };
  }

  it('an eface holding an int (predeclared: no DWARF lookup)', async () => {
    const { mem, eface, render } = ifaceRig();
    const intType = typeDescriptor(mem, TYPES, 0x100, { size: 8, ptrBytes: 0, kind: Kind.Int, nameOff: 0x800, name: 'int' });
    mem.ptr(0x1000, intType);
    mem.ptr(0x1008, 0xc000000000n);
    mem.u64(0xc000000000n, 42);
    const ts = typeSource();
    expect(await render(eface, 0x1000, ts)).toEqual({ type: 'int', value: 42 });
    expect(ts.asked).toEqual([]);
  });

  it('a nil eface → null', async () => {
    const { eface, render } = ifaceRig();
    expect(await render(eface, 0x1010)).toBeNull();
  });

  it('a direct-iface pointer type: the value is the data word itself', async () => {
    const { mem, t, eface, render } = ifaceRig();
    const node = t.struct('main.Node', [['next', t.basic('unsafe.Pointer')]]);
    const ptrNode = t.go(t.ptr(node));
    expect(ptrNode.name).toBe('*main.Node');
    const pt = typeDescriptor(mem, TYPES, 0x100, { size: 8, ptrBytes: 8, kind: Kind.Pointer | KIND_DIRECT_IFACE, nameOff: 0x800, name: '*main.Node' });
    mem.ptr(0x1000, pt);
    mem.ptr(0x1008, 0xc000abc000n); // not placed: dereferencing it would fail
    const ts = typeSource({ '*main.Node': ptrNode });
    expect(await render(eface, 0x1000, ts)).toEqual({ type: '*main.Node', value: '0xc000abc000' });
    expect(ts.asked).toEqual([['*main.Node']]);
  });

  it('tflagExtraStar: the stored name has a leading * to strip; the type comes from RenderEnv.typesByName', async () => {
    const t0 = new DwarfTable(8);
    const celsius = t0.go(t0.named('main.Celsius', t0.basic('float64')));
    const { mem, eface, render } = ifaceRig(new Map<string, GoType | null>([['main.Celsius', celsius]]));
    const ct = typeDescriptor(mem, TYPES, 0x100, { size: 8, ptrBytes: 0, tflag: TFLAG_EXTRA_STAR | 1, kind: Kind.Float64, nameOff: 0x800, name: '*main.Celsius' });
    mem.ptr(0x1000, ct);
    mem.ptr(0x1008, 0xc000000010n);
    mem.f64(0xc000000010n, 36.6);
    const ts = typeSource();
    expect(await render(eface, 0x1000, ts)).toEqual({ type: 'main.Celsius', value: 36.6 });
    expect(ts.asked).toEqual([]);
  });

  it('a type DWARF does not describe is rendered by its kind', async () => {
    const { mem, eface, render } = ifaceRig();
    const st = typeDescriptor(mem, TYPES, 0x100, { size: 16, ptrBytes: 8, tflag: TFLAG_EXTRA_STAR, kind: Kind.String, nameOff: 0x800, name: '*main.Label' });
    mem.ptr(0x1000, st);
    mem.ptr(0x1008, 0xc000000020n);
    mem.goString(0xc000000020n, 0xc000000040n, 'hot');
    expect(await render(eface, 0x1000)).toEqual({ type: 'main.Label', value: 'hot' });
  });

  it('an iface (non-empty interface): the dynamic type is the itab’s second word', async () => {
    const { mem, t, render } = ifaceRig();
    const stringer = t.go(t.iface('fmt.Stringer'));
    expect(stringer.kind).toBe('iface');
    const intType = typeDescriptor(mem, TYPES, 0x100, { size: 8, ptrBytes: 0, kind: Kind.Int, nameOff: 0x800, name: 'int' });
    mem.alloc(0x5000, 32); // itab{inter, _type, hash, fun}
    mem.ptr(0x5008, intType);
    mem.ptr(0x1000, 0x5000);
    mem.ptr(0x1008, 0xc000000030n);
    mem.u64(0xc000000030n, -3);
    expect(await render(stringer, 0x1000)).toEqual({ type: 'int', value: -3 });
  });

  it('an iface where the runtime’s itab has no dynamic type field: not guessed at (the target’s warnings say why)', async () => {
    const rtypes = new RuntimeTypeInfo(RTYPE64, [{ types: TYPES, etypes: TYPES + 0x1000n }], 'absent');
    const { mem, t, render } = rig({ rtypes });
    mem.alloc(TYPES, 0x1000);
    mem.alloc(0x1000, 0x10);
    mem.alloc(0x5000, 32);
    mem.ptr(0x5008, typeDescriptor(mem, TYPES, 0x100, { size: 8, ptrBytes: 0, kind: Kind.Int, nameOff: 0x800, name: 'int' }));
    mem.ptr(0x1000, 0x5000);
    expect(await render(t.go(t.iface('fmt.Stringer')), 0x1000)).toEqual({ type: null, value: { error: 'no runtime type information' } });
  });

  it('a type name at the very end of readable memory is still read', async () => {
    // A second module whose types section ends right after the name: the name's 64-byte
    // read fails, and the reader falls back to the shortest header (rtype.ts readName).
    const types2 = 0x600000n;
    const rtypes = new RuntimeTypeInfo(RTYPE64, [
      { types: TYPES, etypes: TYPES + 0x1000n },
      { types: types2, etypes: types2 + 0x100n },
    ]);
    const { mem, t, render } = rig({ rtypes });
    mem.alloc(types2, 0x100);
    mem.alloc(0x1000, 0x10);
    mem.alloc(0xc000000000n, 8);
    const intType = typeDescriptor(mem, types2, 0, { size: 8, ptrBytes: 0, kind: Kind.Int, nameOff: 0x100 - 5, name: 'int' });
    mem.ptr(0x1000, intType);
    mem.ptr(0x1008, 0xc000000000n);
    mem.u64(0xc000000000n, 7);
    expect(await render(t.go(t.eface()), 0x1000)).toEqual({ type: 'int', value: 7 });
  });
});
