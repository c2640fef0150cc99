/**
 * The debug adapter's pure parts, without gdb: launch arguments, Go-style previews, paging
 * bounds, and the raw JSON bodies that keep the inspect contract's -0 intact on the wire.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DapRequestError } from '../../src/dap/errors.js';
import { attachRequestSpec, launchRequestSpec } from '../../src/dap/launch-args.js';
import { RawJsonBodies } from '../../src/dap/raw-json.js';
import { previewEntry, previewValue } from '../../src/dap/values/preview.js';
import { MAX_PAGE, MAX_UNPAGED, indexedRange } from '../../src/dap/vars/node.js';
import type { GoStructType, GoType } from '../../src/layout/gotype.js';
import { predeclaredType } from '../../src/layout/gotype.js';
import { stringifyJson } from '../../src/values/json.js';

const t = (name: string): GoType => {
  const p = predeclaredType(name, 8);
  if (!p) throw new Error(name);
  return p;
};
const point: GoStructType = {
  kind: 'struct',
  name: 'main.Point',
  size: 16,
  align: 8,
  fields: [
    { name: 'X', offset: 0, type: t('int') },
    { name: 'Y', offset: 8, type: t('int') },
  ],
};

describe('launch arguments', () => {
  it('takes processId as a number or the numeric string ${command:pickProcess} gives', () => {
    expect(attachRequestSpec({ processId: 42 }).spec).toEqual({ kind: 'live', pid: 42 });
    expect(attachRequestSpec({ processId: ' 4242 ' }).spec).toEqual({ kind: 'live', pid: 4242 });
    for (const bad of [undefined, 'abc', 0, -1, 1.5, '${command:pickProcess}']) {
      expect(() => attachRequestSpec({ processId: bad }), String(bad)).toThrow(DapRequestError);
    }
  });

  it('launches only a core, under the Go or the C/C++ extension spelling', () => {
    expect(launchRequestSpec({ coreFilePath: '/c', program: '/p' }).spec).toEqual({ kind: 'core', core: '/c', exe: '/p' });
    expect(launchRequestSpec({ coreDumpPath: '/c', program: '/p', gdbPath: '/g' })).toEqual({ spec: { kind: 'core', core: '/c', exe: '/p' }, gdbPath: '/g' });
    expect(() => launchRequestSpec({ program: '/p' })).toThrow(/coreFilePath/);
    expect(() => launchRequestSpec({ coreFilePath: '/c' })).toThrow(/program/);
  });
});

describe('Go-style previews', () => {
  it('reads as Go shows values', () => {
    expect(previewValue(t('string'), 'a"b', { top: true })).toBe('"a\\"b"');
    expect(previewValue(t('float64'), -0, { top: true })).toBe('-0');
    expect(previewValue(t('float64'), 'NaN', { top: true })).toBe('NaN');
    expect(previewValue(t('complex128'), { real: 3, imag: -4 }, { top: true })).toBe('(3-4i)');
    expect(previewValue(point, { X: 1, Y: -2 }, { top: true })).toBe('main.Point{X: 1, Y: -2}');
    expect(previewValue(point, { X: 1, Y: -2 }, { top: false })).toBe('{X: 1, Y: -2}');
    const ptr: GoType = { kind: 'pointer', name: '*main.Point', size: 8, align: 8, elem: point };
    expect(previewValue(ptr, '0xc000012345', { top: true })).toBe('(*main.Point)(0xc000012345)');
    expect(previewValue(ptr, '0xc000012345', { top: true, pointee: { X: 1, Y: 2 } })).toBe('&main.Point{X: 1, Y: 2}');
    expect(previewValue(ptr, null, { top: true })).toBe('nil');
    const slice: GoType = { kind: 'slice', name: '[]int', size: 24, align: 8, elem: t('int') };
    expect(previewValue(slice, { len: 3, cap: 4, data: '0xc0' }, { top: true, elements: [1, 2, 3] })).toBe('[]int len: 3, cap: 4, [1, 2, 3]');
    expect(previewValue(slice, { len: 0, cap: 0, data: null }, { top: true })).toBe('[]int nil');
    const map: GoType = { kind: 'map', name: 'map[string]int', size: 8, align: 8, keyName: 'string', elemName: 'int', header: undefined };
    expect(previewValue(map, { map: '0xc0', len: 5000 }, { top: true })).toBe('map[string]int len=5000 (memory order)');
    expect(previewValue(map, null, { top: true })).toBe('map[string]int nil');
    const iface: GoType = { kind: 'eface', name: 'interface {}', size: 16, align: 8 };
    expect(previewValue(iface, { type: 'string', value: 'hi' }, { top: true, typeOf: (n) => predeclaredType(n, 8) })).toBe('interface {}(string) "hi"');
    expect(previewValue(iface, null, { top: true })).toBe('nil');
    expect(previewValue(t('string'), { error: 'unreadable memory at 0x10' }, { top: true })).toBe('<unreadable memory at 0x10>');
  });

  it('writes an entry as key: value, JSON for scalars', () => {
    const line = previewEntry(t('string'), 'alice', t('int'), 1);
    expect(line).toBe('"alice": 1');
    expect(JSON.parse(`{${line}}`)).toEqual({ alice: 1 });
  });

  it('cuts long arrays and strings', () => {
    const arr: GoType = { kind: 'array', name: '[100]int', size: 800, align: 8, elem: t('int'), length: 100 };
    const v = previewValue(arr, Array.from({ length: 100 }, (_, i) => i), { top: true });
    expect(v.startsWith('[100]int [0, 1, 2')).toBe(true);
    expect(v.endsWith(', …]')).toBe(true);
    expect(previewValue(t('string'), 'x'.repeat(5000), { top: true })).toMatch(/… \(5000 chars\)$/);
  });
});

describe('paging bounds', () => {
  it('pages indexed children and never returns an unbounded list', () => {
    expect(indexedRange({ filter: 'indexed', start: 100, count: 50 }, 5000)).toEqual({ start: 100, end: 150 });
    expect(indexedRange({ filter: 'indexed', start: 4990, count: 50 }, 5000)).toEqual({ start: 4990, end: 5000 });
    expect(indexedRange({ filter: 'named', start: 0 }, 5000)).toBeUndefined();
    expect(indexedRange({ start: 0 }, 1_000_000)).toEqual({ start: 0, end: MAX_UNPAGED });
    expect(indexedRange({ filter: 'indexed', start: 0, count: 1_000_000 }, 1_000_000)).toEqual({ start: 0, end: MAX_PAGE });
  });
});

describe('raw JSON bodies', () => {
  it('splice the contract text into the message, -0 kept and Content-Length right', async () => {
    const raw = new RawJsonBodies();
    const out = new PassThrough();
    const wrapped = raw.wrap(out);
    const text = stringifyJson({ key: -0, s: 'é' });
    const message = JSON.stringify({ type: 'response', body: raw.placeholder(text) });
    const other = JSON.stringify({ type: 'event', event: 'x' });
    const frame = (json: string) => `Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n${json}`;
    wrapped.write(frame(message));
    wrapped.write(frame(other));
    wrapped.end();
    await new Promise((r) => wrapped.on('finish', r));
    const got = out.read().toString('utf8') as string;
    const body = '{"type":"response","body":{"key":-0,"s":"é"}}';
    expect(got).toBe(frame(body) + frame(other));
    expect(Object.is((JSON.parse(body) as { body: { key: number } }).body.key, -0)).toBe(true);
  });
});
