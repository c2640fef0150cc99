import { describe, expect, it } from 'vitest';
import { LineFramer } from '../../src/mi/framer.js';
import { growth, LINEAR_AT_8X } from './growth.js';

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

  it('assembles a long line from many chunks, with work linear in its length (counted, not timed)', () => {
    const chunk = Buffer.alloc(65536, 0x61);
    const f = new LineFramer();
    for (let i = 0; i < 500; i++) expect(f.push(chunk)).toEqual([]);
    const [line] = f.push('\n');
    expect(line.length).toBe(500 * 65536);
    // Joining the pieces at every chunk (or searching them all for the newline) grows 64×.
    const assemble = (chunks: number) => {
      const g = new LineFramer();
      for (let i = 0; i < chunks; i++) g.push(chunk.subarray(0, 4096));
      g.push('\n');
    };
    expect(growth((n) => n, assemble, 20)).toBeLessThan(LINEAR_AT_8X);
  });
});
