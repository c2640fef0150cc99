import { describe, expect, it } from 'vitest';
import { LineFramer } from '../../src/mi/framer.js';

describe('LineFramer', () => {
  it('splits lines and keeps partial ones', () => {
    const f = new LineFramer();
    expect(f.push('a\nb')).toEqual(['a']);
    expect(f.push('c\n\nd\n')).toEqual(['bc', '', 'd']);
    expect(f.end()).toEqual([]);
  });

  it('strips \\r\\n, even when split across chunks', () => {
    const f = new LineFramer();
    expect(f.push(Buffer.from('x\r\ny\r'))).toEqual(['x']);
    expect(f.push(Buffer.from('\nz'))).toEqual(['y']);
    expect(f.end()).toEqual(['z']);
    expect(f.end()).toEqual([]);
  });

  it('does not break multi-byte UTF-8 split across chunks', () => {
    const bytes = Buffer.from('héllo 😀\n', 'utf8');
    const f = new LineFramer();
    const out: string[] = [];
    for (let i = 0; i < bytes.length; i++) out.push(...f.push(bytes.subarray(i, i + 1)));
    expect(out).toEqual(['héllo 😀']);
  });

  it('accepts plain Uint8Array chunks', () => {
    const f = new LineFramer();
    expect(f.push(new TextEncoder().encode('ab\ncd\n'))).toEqual(['ab', 'cd']);
  });

  it('assembles a long line from many chunks in linear time', () => {
    const f = new LineFramer();
    const chunk = Buffer.alloc(65536, 0x61);
    const t0 = performance.now();
    for (let i = 0; i < 500; i++) expect(f.push(chunk)).toEqual([]);
    const [line] = f.push('\n');
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(line.length).toBe(500 * 65536);
  });
});
