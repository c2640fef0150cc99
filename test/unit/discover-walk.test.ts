/**
 * The top walk and the path syntax over synthetic memory: shortest paths through fields, slices
 * and pointers, each map once, a cyclic list walked within its depth and object bounds; path
 * expressions parsed and printed back.
 */
import { describe, expect, it } from 'vitest';
import type { DiscoverEnv } from '../../src/discover/env.js';
import { nameFoundMaps, readKeyLiterals } from '../../src/discover/found-path.js';
import { formatPath, parsePath } from '../../src/discover/path.js';
import { DEFAULT_BOUNDS, type Root, walk } from '../../src/discover/walk.js';
import type { GoMapType, GoPointerType, GoSliceType, GoStructType, GoType } from '../../src/layout/gotype.js';
import { CachedMemory } from '../../src/target/cache.js';
import { type Target, TypeLookupRefused } from '../../src/target/target.js';
import { SyntheticMemory, swissMap } from './synthetic-memory.js';

const INT: GoType = { kind: 'int', name: 'int', size: 8, align: 8 };

/** `type Node struct { next *Node; id int; m map[int]int }`, built by hand with its cycle. */
function nodeType(mapType: GoMapType): { node: GoStructType; ptr: GoPointerType; slice: GoSliceType } {
  const ptr: GoPointerType = { kind: 'pointer', name: '*main.Node', size: 8, align: 8, elem: undefined };
  const node: GoStructType = {
    kind: 'struct',
    name: 'main.Node',
    size: 24,
    align: 8,
    fields: [
      { name: 'next', offset: 0, type: ptr },
      { name: 'id', offset: 8, type: INT },
      { name: 'm', offset: 16, type: mapType },
    ],
  };
  ptr.elem = node;
  return { node, ptr, slice: { kind: 'slice', name: '[]*main.Node', size: 24, align: 8, elem: ptr } };
}

function envOver(mem: SyntheticMemory): DiscoverEnv {
  const target: Target = {
    pointerSize: mem.pointerSize,
    littleEndian: mem.littleEndian,
    info: { kind: 'core', pid: null, exe: 'synthetic', goVersion: 'go1.26', arch: 'amd64', pointerSize: 8, littleEndian: true },
    readMany: (r) => mem.readMany(r),
    typesByName: (names) => Promise.resolve(names.map(() => undefined)),
    symbolAddress: () => Promise.resolve(undefined),
    evalMap: () => Promise.reject(new Error('no gdb here')),
  };
  return { target, mem: new CachedMemory(target), rtypes: undefined, typesByName: new Map(), stopReason: () => undefined };
}

const N = 1000;
const NODES = 0x10000n;
const ROOTS = 0x1000n;
const SLICE_DATA = 0x2000n;
const MAP_AT_3 = 0xdead0n;
const MAP_AT_900 = 0xbeef0n;

/** A ring of N nodes; node 3 and node 900 hold maps; `main.list` points at nodes 3 and 3 again. */
function ring(): { env: DiscoverEnv; roots: Root[] } {
  const { type: mapType } = swissMap(8, 'int', 'int');
  const { ptr, slice } = nodeType(mapType);
  const mem = new SyntheticMemory(8);
  mem.alloc(NODES, N * 24);
  for (let i = 0; i < N; i++) {
    const at = NODES + BigInt(i * 24);
    mem.ptr(at, NODES + BigInt(((i + 1) % N) * 24));
    mem.u64(at + 8n, i);
  }
  mem.ptr(NODES + 3n * 24n + 16n, MAP_AT_3);
  mem.ptr(NODES + 900n * 24n + 16n, MAP_AT_900);
  mem.alloc(ROOTS, 32);
  mem.ptr(ROOTS, NODES);
  mem.ptr(ROOTS + 8n, SLICE_DATA);
  mem.u64(ROOTS + 16n, 2);
  mem.u64(ROOTS + 24n, 2);
  mem.alloc(SLICE_DATA, 16);
  mem.ptr(SLICE_DATA, NODES + 3n * 24n);
  mem.ptr(SLICE_DATA + 8n, NODES + 3n * 24n);
  const env = envOver(mem);
  return {
    env,
    roots: [
      { name: 'main.list', address: ROOTS + 8n, type: slice },
      { name: 'main.ring', address: ROOTS, type: ptr },
    ],
  };
}

describe('walk', () => {
  it('finds each map once, by a shortest path, and says the depth bound cut the ring', async () => {
    const { env, roots } = ring();
    const r = await walk(env, roots, DEFAULT_BOUNDS);
    const names = nameFoundMaps(r.maps, await readKeyLiterals(env, r.maps));
    expect(r.maps.map((m) => m.header)).toEqual([MAP_AT_3]);
    expect(names[0].path).toBe('main.list[0].m');
    expect(r.maps[0].depth).toBe(2);
    expect(r.stoppedBy).toBe('depth');
    expect(r.skipped.depth).toBe(1);
    // The slice's array, nodes 0..2 from main.ring, nodes 3..9 from main.list (node 3 once,
    // though three pointers lead to it): node 9's next is one hop too deep.
    expect(r.objects).toBe(11);
  });

  it('walks the whole cycle when the bounds allow, each node once', async () => {
    const { env, roots } = ring();
    const r = await walk(env, roots, { ...DEFAULT_BOUNDS, maxDepth: 10 * N });
    const names = nameFoundMaps(r.maps, await readKeyLiterals(env, r.maps));
    // Node 900 is 897 hops past node 3, which main.list reaches in two: closer than main.ring's 900.
    expect(names.map((n) => n.path).sort()).toEqual(['main.list[0].m', `main.list[0]${'.next'.repeat(897)}.m`]);
    expect(r.stoppedBy).toBeNull();
    expect(r.objects).toBe(N + 1);
  });

  it('stops at the object budget and counts what it left', async () => {
    const { env, roots } = ring();
    const r = await walk(env, roots, { ...DEFAULT_BOUNDS, maxDepth: 10 * N, maxObjects: 100 });
    expect(r.stoppedBy).toBe('objects');
    expect(r.objects).toBe(100);
    expect(r.skipped.objects).toBe(1);
    expect(r.maps.map((m) => m.header)).toEqual([MAP_AT_3]);
  });
});

describe('walk past the pause budget', () => {
  /** main.ring points at a node whose type the bridge did not describe: it is looked up by name. */
  function undescribed(typesByName: Target['typesByName']): { env: DiscoverEnv; roots: Root[] } {
    const { env, roots } = ring();
    const bare: GoPointerType = { kind: 'pointer', name: '*main.Node', size: 8, align: 8, elem: undefined };
    Object.assign(env.target, { typesByName });
    return { env, roots: [{ ...roots[1], type: bare }] };
  }

  it('takes a refused lookup as the end of its time, not as a type the binary lacks', async () => {
    let why: string | undefined;
    const { env, roots } = undescribed(() => {
      why = 'not read: the target was let go after 200 ms stopped (--max-pause)';
      return Promise.reject(new TypeLookupRefused(why));
    });
    env.stopReason = () => why;
    const r = await walk(env, roots, DEFAULT_BOUNDS);
    expect(r.stoppedBy).toBe('pause');
    expect(r.skipped.time).toBe(1);
    expect(r.skipped.unknownTypes).toBe(0);
    // Nothing is remembered as missing: asked again once the target runs.
    expect(env.typesByName.has('main.Node')).toBe(false);
  });

  it('counts a type the binary lacks as unknown', async () => {
    const { env, roots } = undescribed((names) => Promise.resolve(names.map(() => undefined)));
    const r = await walk(env, roots, DEFAULT_BOUNDS);
    expect(r.skipped.unknownTypes).toBe(1);
    expect(r.skipped.time).toBe(0);
    expect(env.typesByName.get('main.Node')).toBeNull();
  });
});

describe('path expressions', () => {
  it.each([
    'main.routes',
    'main.srv.cache.byKey',
    'main.shards[3].byID',
    'main.box.(*main.T).m',
    'main.handler.(main.valueHandler).m',
    'main.anyMap.(map[string]int)',
    'main.byTenant["acme"].sessions[-42].tags',
    'main.m["a.b]c\\"d\\n"][true]',
    'github.com/acme/svc/internal/state.Cache.items[18446744073709551615]',
  ])('%s parses and prints back', (expr) => {
    const p = parsePath(expr);
    expect(p).toBeDefined();
    expect(formatPath(p!)).toBe(expr);
  });

  it('reads the root up to the first dot after the last slash', () => {
    expect(parsePath('net/http.DefaultServeMux.m')).toEqual({ root: 'net/http.DefaultServeMux', steps: [{ kind: 'field', name: 'm' }] });
  });

  it('accepts Go literals beyond JSON: raw strings, \\x escapes, hex', () => {
    expect(parsePath('main.m[`raw\\n`]')?.steps).toEqual([{ kind: 'index', key: 'raw\\n' }]);
    expect(parsePath('main.m["\\x41"]')?.steps).toEqual([{ kind: 'index', key: 'A' }]);
    expect(parsePath('main.m[0x10]')?.steps).toEqual([{ kind: 'index', key: 16n }]);
  });

  it.each(['routes', 'main.', 'main.m[', 'main.m[x]', 'main.m.(', '(*main.srv).cache', 'main.m[1] + 2'])('leaves %s to gdb', (expr) => {
    expect(parsePath(expr)).toBeUndefined();
  });
});
