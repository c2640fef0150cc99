import { describe, expect, it } from 'vitest';
import { MIParseError } from '../../src/mi/errors.js';
import { parseMILine } from '../../src/mi/parser.js';
import type { MITuple } from '../../src/mi/records.js';
import { growth, LINEAR_AT_8X } from './growth.js';

describe('parseMILine: real gdb 13.1 lines', () => {
  it('console stream with escapes and UTF-8 octal runs', () => {
    expect(parseMILine(String.raw`~"h\303\251llo\\033\\a\000\033[1m\e\a\b\t|\r\n"`)).toEqual({
      type: 'console',
      text: 'héllo\\033\\a\0\x1b[1m\x1b\x07\b\t|\r\n',
    });
  });

  it('target and log streams', () => {
    expect(parseMILine('@"out\\n"')).toEqual({ type: 'target', text: 'out\n' });
    expect(parseMILine('&"warning: x\\n"')).toEqual({ type: 'log', text: 'warning: x\n' });
  });

  it('-data-read-memory-bytes result', () => {
    const line =
      '^done,memory=[{begin="0x7ffd4c8",offset="0x0000000000000000",end="0x7ffd4d0",contents="0102030000000000"}]';
    expect(parseMILine(line)).toEqual({
      type: 'result',
      resultClass: 'done',
      results: {
        memory: [{ begin: '0x7ffd4c8', offset: '0x0000000000000000', end: '0x7ffd4d0', contents: '0102030000000000' }],
      },
    });
  });

  it('*stopped exec record', () => {
    const line =
      '*stopped,frame={addr="0x000000000046e0a3",func="runtime.futex",args=[],file="/usr/lib/go/src/runtime/sys_linux_amd64.s",line="557"},thread-id="1",stopped-threads="all",core="0"';
    expect(parseMILine(line)).toEqual({
      type: 'exec',
      asyncClass: 'stopped',
      results: {
        frame: {
          addr: '0x000000000046e0a3',
          func: 'runtime.futex',
          args: [],
          file: '/usr/lib/go/src/runtime/sys_linux_amd64.s',
          line: '557',
        },
        'thread-id': '1',
        'stopped-threads': 'all',
        core: '0',
      },
    });
  });

  it('^connected', () => {
    expect(parseMILine('^connected,frame={level="0",addr="0x0"}')).toEqual({
      type: 'result',
      resultClass: 'connected',
      results: { frame: { level: '0', addr: '0x0' } },
    });
  });

  it('notify record', () => {
    expect(parseMILine('=thread-group-added,id="i1"')).toEqual({
      type: 'notify',
      asyncClass: 'thread-group-added',
      results: { id: 'i1' },
    });
  });

  it('status record and bare classes', () => {
    expect(parseMILine('+download,section=".text"')).toEqual({
      type: 'status',
      asyncClass: 'download',
      results: { section: '.text' },
    });
    expect(parseMILine('*running,thread-id="all"')).toMatchObject({ type: 'exec', asyncClass: 'running' });
    expect(parseMILine('^done')).toEqual({ type: 'result', resultClass: 'done', results: {} });
    expect(parseMILine('5^exit')).toEqual({ type: 'result', token: 5, resultClass: 'exit', results: {} });
    expect(parseMILine('^running')).toMatchObject({ resultClass: 'running' });
  });

  it('tokened ^error with escaped quotes and code', () => {
    expect(parseMILine('123^error,msg="No symbol \\"main\\" in current context.",code="undefined-error"')).toEqual({
      type: 'result',
      token: 123,
      resultClass: 'error',
      results: { msg: 'No symbol "main" in current context.', code: 'undefined-error' },
    });
  });

  it('list of results drops the names', () => {
    expect(parseMILine('^done,children=[child={name="var1.a",exp="a"},child={name="var1.b",exp="b"}]')).toEqual({
      type: 'result',
      resultClass: 'done',
      results: { children: [{ name: 'var1.a', exp: 'a' }, { name: 'var1.b', exp: 'b' }] },
    });
    expect(parseMILine('^done,x=[a="1",b="2"]')).toMatchObject({ results: { x: ['1', '2'] } });
  });

  it('MI2 multi-location breakpoint: nameless tuples continue bkpt', () => {
    expect(parseMILine('^done,bkpt={number="1"},{number="1.1"},{number="1.2"}')).toEqual({
      type: 'result',
      resultClass: 'done',
      results: { bkpt: [{ number: '1' }, { number: '1.1' }, { number: '1.2' }] },
    });
  });

  it('repeated names in one tuple keep all values in order', () => {
    const r = parseMILine('*stopped,frame={level="0"},frame={level="1"},frame={level="2"},reason="x"');
    expect(r).toEqual({
      type: 'exec',
      asyncClass: 'stopped',
      results: { frame: [{ level: '0' }, { level: '1' }, { level: '2' }], reason: 'x' },
    });
    // A list seen twice is wrapped, not concatenated.
    expect(parseMILine('^done,a=["1"],a=["2"]')).toMatchObject({ results: { a: [['1'], ['2']] } });
    expect(parseMILine('^done,t={k="1",k="2"}')).toMatchObject({ results: { t: { k: ['1', '2'] } } });
  });

  it('prompt with and without trailing space', () => {
    expect(parseMILine('(gdb) ')).toEqual({ type: 'prompt' });
    expect(parseMILine('(gdb)')).toEqual({ type: 'prompt' });
    expect(parseMILine('(gdb)\r')).toEqual({ type: 'prompt' });
  });

  it('tokens of many digits', () => {
    expect(parseMILine('000000000000042^done')).toMatchObject({ token: 42 });
    expect(parseMILine('123456789012345^done,value="1"')).toEqual({
      type: 'result',
      token: 123456789012345,
      resultClass: 'done',
      results: { value: '1' },
    });
    expect(parseMILine('9007199254740991*stopped')).toMatchObject({ token: 9007199254740991, type: 'exec' });
  });

  it('empty tuples and lists, list of lists, nesting', () => {
    expect(parseMILine('^done,t={},l=[],ll=[[],["a"],[{}]],n={a={b=[{c="d"}]}}')).toEqual({
      type: 'result',
      resultClass: 'done',
      results: { t: {}, l: [], ll: [[], ['a'], [{}]], n: { a: { b: [{ c: 'd' }] } } },
    });
  });

  it('__proto__ and other Object.prototype names are ordinary keys', () => {
    const r = parseMILine('^done,__proto__={polluted="yes"},constructor="c",x={__proto__="p"}');
    if (r.type !== 'result') throw new Error('expected a result record');
    expect(Object.keys(r.results)).toEqual(['__proto__', 'constructor', 'x']);
    expect(Object.getOwnPropertyDescriptor(r.results, '__proto__')?.value).toEqual({ polluted: 'yes' });
    expect(r.results.constructor).toBe('c');
    expect((r.results.x as MITuple)['__proto__']).toBe('p');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Absent names do not resolve to inherited members.
    expect(r.results.toString).toBeUndefined();
    expect('hasOwnProperty' in r.results).toBe(false);
  });

  it('non-MI noise is unknown', () => {
    for (const line of ['', 'hello world', '123 apples', '(gdb) extra', 'Breakpoint 1, main () at x.go:3', '12~"x"', '[Inferior 1 (process 42) exited normally]']) {
      expect(parseMILine(line)).toEqual({ type: 'unknown', line });
    }
  });

  it('throws MIParseError for malformed MI-looking lines', () => {
    for (const line of [
      '^bogus',
      '^',
      '^done,',
      '^done,a',
      '^done,a=',
      '^done,a="x',
      '^done,a={b="1"',
      '^done,a=[',
      '^done,a=["1" "2"]',
      '^done,a="1"junk',
      '^done,{a="1"}',
      '*',
      '=== RUN   TestMap',
      '~/home/user',
      '~"x" trailing',
    ]) {
      expect(() => parseMILine(line), line).toThrow(MIParseError);
    }
  });

  // Work is counted (./growth.ts), not timed: speed is the benchmarks' to measure.
  it('parses a 20-million-character contents string, with work linear in its length', () => {
    const memoryLine = (n: number) => `^done,memory=[{begin="0x1000",offset="0x0000000000000000",end="0x2000",contents="${'0123456789abcdef'.repeat(n)}"}]`;
    const r = parseMILine(memoryLine(1_250_000));
    if (r.type !== 'result') throw new Error('expected a result record');
    const mem = r.results.memory as MITuple[];
    expect((mem[0].contents as string).length).toBe(20_000_000);
    expect(growth(memoryLine, parseMILine, 10_000)).toBeLessThan(LINEAR_AT_8X);
  });

  it('parses a line with very many small values, with work linear in their number', () => {
    const itemsLine = (n: number) => `^done,items=[${Array.from({ length: n }, (_, i) => `{n="${i}",v="x"}`).join(',')}]`;
    const r = parseMILine(itemsLine(100_000));
    if (r.type !== 'result') throw new Error('expected a result record');
    expect((r.results.items as MITuple[]).length).toBe(100_000);
    expect(growth(itemsLine, parseMILine, 5_000)).toBeLessThan(LINEAR_AT_8X);
  });
});
