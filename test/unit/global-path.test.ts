/**
 * A map reached from a global by field names, followed without gdb's evaluator
 * (src/target/global-path.ts): which expressions it takes, and that everything it does not follow
 * plainly is left to gdb (undefined), never guessed.
 */
import { describe, expect, it } from 'vitest';
import type { GoMapType, GoPointerType, GoStructType, GoType } from '../../src/layout/gotype.js';
import { followGlobalPath, parseGlobalPath, type PathSteps } from '../../src/target/global-path.js';

describe('parseGlobalPath', () => {
  it('takes a global and field names, quoted or not, with dots in the package path', () => {
    expect(parseGlobalPath('main.m')).toEqual({ global: 'main.m', fields: [] });
    expect(parseGlobalPath('main.objects.cache.items')).toEqual({ global: 'main.objects', fields: ['cache', 'items'] });
    expect(parseGlobalPath("'main.objects'.cache.items")).toEqual({ global: 'main.objects', fields: ['cache', 'items'] });
    expect(parseGlobalPath('github.com/x/y.Registry.byName')).toEqual({ global: 'github.com/x/y.Registry', fields: ['byName'] });
    expect(parseGlobalPath("'net/http.DefaultServeMux'")).toEqual({ global: 'net/http.DefaultServeMux', fields: [] });
    // A last path element with a dot, as the linker escapes it.
    expect(parseGlobalPath('gopkg.in/yaml%2ev3.registry.kinds')).toEqual({ global: 'gopkg.in/yaml%2ev3.registry', fields: ['kinds'] });
  });

  it('leaves every other expression to gdb', () => {
    for (const e of ['m', 'main.m[3]', 'main.m["a"].b', '*main.p', '(main.m)', 'main.f().m', "'main.m", "'main.m'x", 'main.a.b c', '0x1234:map[string]int']) {
      expect(parseGlobalPath(e)).toBeUndefined();
    }
  });
});

const P = 8;
const mapType: GoMapType = { kind: 'map', name: 'map[string]main.Item', size: P, align: P, keyName: 'string', elemName: 'main.Item', header: undefined };
const inner: GoStructType = {
  kind: 'struct',
  name: 'main.cache',
  size: 24,
  align: P,
  fields: [
    { name: 'n', offset: 0, type: { kind: 'int', name: 'int', size: P, align: P } },
    { name: 'items', offset: 16, type: mapType },
  ],
};
/** A pointer the bridge stopped following: its pointee is described by name. */
const innerPtr: GoPointerType = { kind: 'pointer', name: '*main.cache', size: P, align: P, elem: undefined };
const outer: GoStructType = { kind: 'struct', name: 'main.Cache', size: 8, align: P, fields: [{ name: 'cache', offset: 0, type: innerPtr }] };
const outerPtr: GoPointerType = { kind: 'pointer', name: '*main.Cache', size: P, align: P, elem: outer };

/** Memory: the global (0x1000) points at a Cache (0x2000), whose field points at a cache (0x3000), whose map field holds 0x4000. */
function target(memory: Record<string, bigint>, types: Record<string, GoType> = { '*main.Cache': outerPtr, 'main.cache': inner }): PathSteps & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    describe: (name) => {
      asked.push(name);
      return Promise.resolve(types[name]);
    },
    readPointer: (a) => Promise.resolve(memory[`0x${a.toString(16)}`]),
  };
}

const MEMORY = { '0x1000': 0x2000n, '0x2000': 0x3000n, '0x3010': 0x4000n };

describe('followGlobalPath', () => {
  it('follows pointers and fields to the map header, describing a pointee by name', async () => {
    const t = target(MEMORY);
    expect(await followGlobalPath('*main.Cache', 0x1000n, ['cache', 'items'], t, true)).toEqual({ mapTypeName: 'map[string]main.Item', header: 0x4000n });
    expect(t.asked).toEqual(['*main.Cache', 'main.cache']);
  });

  it('follows types alone before the target can be read', async () => {
    expect(await followGlobalPath('*main.Cache', 0x1000n, ['cache', 'items'], target({}), false)).toEqual({ mapTypeName: 'map[string]main.Item', header: undefined });
  });

  it('leaves to gdb a nil pointer, an unreadable one, a missing field, a type not found, and an end that is no map', async () => {
    expect(await followGlobalPath('*main.Cache', 0x1000n, ['cache', 'items'], target({ ...MEMORY, '0x2000': 0n }), true)).toBeUndefined();
    expect(await followGlobalPath('*main.Cache', 0x1000n, ['cache', 'items'], target({ '0x1000': 0x2000n }), true)).toBeUndefined();
    expect(await followGlobalPath('*main.Cache', 0x1000n, ['cache', 'itms'], target(MEMORY), true)).toBeUndefined();
    expect(await followGlobalPath('*main.Cache', 0x1000n, ['cache', 'items'], target(MEMORY, { '*main.Cache': outerPtr }), true)).toBeUndefined();
    expect(await followGlobalPath('*main.Cache', 0x1000n, ['cache', 'n'], target(MEMORY), true)).toBeUndefined();
    expect(await followGlobalPath('*main.Cache', 0x1000n, ['cache'], target(MEMORY), true)).toBeUndefined();
  });

  it('stops at a cycle of pointer types', async () => {
    const loop: GoPointerType = { kind: 'pointer', name: '*main.L', size: P, align: P, elem: undefined };
    loop.elem = loop;
    const t = target({ '0x1000': 0x1000n }, { '*main.L': loop });
    expect(await followGlobalPath('*main.L', 0x1000n, ['x'], t, true)).toBeUndefined();
  });
});
