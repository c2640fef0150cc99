import { describe, expect, it } from 'vitest';
import { decodeCString, quoteMIArg } from '../../src/mi/cstring.js';
import { MIParseError } from '../../src/mi/errors.js';
import { growth, LINEAR_AT_8X } from './growth.js';

const dec = (s: string, start = 0) => decodeCString(s, start);

describe('decodeCString', () => {
  it('decodes plain strings and reports the end index', () => {
    expect(dec('"abc",x')).toEqual({ value: 'abc', end: 5 });
    expect(dec('x=""', 2)).toEqual({ value: '', end: 4 });
  });

  it('handles every escape gdb printchar emits', () => {
    expect(dec(String.raw`"\n\t\r\b\f\v\a\e\"\\\'\?"`).value).toBe('\n\t\r\b\f\v\x07\x1b"\\\'?');
  });

  it('decodes octal byte runs as UTF-8', () => {
    expect(dec(String.raw`"h\303\251llo"`).value).toBe('héllo');
    expect(dec(String.raw`"\360\237\230\200!"`).value).toBe('😀!');
    expect(dec(String.raw`"\000|\033[1m"`).value).toBe('\0|\x1b[1m');
  });

  it('decodes the real gdb 13.1 console line', () => {
    const line = String.raw`~"h\303\251llo\\033\\a\000\033[1m\e\a\b\t|\r\n"`;
    expect(dec(line, 1)).toEqual({ value: 'héllo\\033\\a\0\x1b[1m\x1b\x07\b\t|\r\n', end: line.length });
  });

  it('turns invalid UTF-8 into U+FFFD instead of throwing', () => {
    expect(dec(String.raw`"a\377b\303"`).value).toBe('a\uFFFDb\uFFFD');
    // A multi-byte sequence interrupted by a literal character is two broken runs.
    expect(dec(String.raw`"\303x\251"`).value).toBe('\uFFFDx\uFFFD');
  });

  it('mixes ASCII escapes into UTF-8 byte runs correctly', () => {
    expect(dec(String.raw`"\n\303\251\n"`).value).toBe('\né\n');
  });

  it('passes non-ASCII characters through unchanged', () => {
    expect(dec('"ünï😀"').value).toBe('ünï😀');
  });

  it('keeps the character of an unknown escape', () => {
    expect(dec(String.raw`"\q\x41"`).value).toBe('qx41');
    expect(dec('"\\é\\😀."').value).toBe('é😀.');
  });

  it('throws MIParseError when unterminated or not at a quote', () => {
    expect(() => dec('"abc')).toThrow(MIParseError);
    expect(() => dec('"abc\\"')).toThrow(MIParseError);
    expect(() => dec('"abc\\')).toThrow(MIParseError);
    expect(() => dec('abc"')).toThrow(MIParseError);
  });

  it('stops at the closing quote without scanning the rest of the line', () => {
    const decodeAll = (line: string): number => {
      let pos = 0;
      let count = 0;
      while (pos < line.length) {
        pos = dec(line, pos).end + 1;
        count++;
      }
      return count;
    };
    const many = (n: number) => Array.from({ length: n }, () => '"ab"').join(',');
    expect(decodeAll(many(200_000))).toBe(200_000);
    // Scanning to the end of the line each time would make this quadratic.
    expect(growth(many, decodeAll, 25_000)).toBeLessThan(LINEAR_AT_8X);
  });

  it('decodes a 20-million-character string, with work linear in its length', () => {
    const body = (n: number) => '0123456789abcdef'.repeat(n);
    expect(dec(`"${body(1_250_000)}"`).value.length).toBe(20_000_000);
    expect(growth((n) => `"${body(n)}"`, dec, 150_000)).toBeLessThan(LINEAR_AT_8X);
  });

  it('decodes a long escape-heavy string, with work linear in its length', () => {
    const body = (n: number) => String.raw`\303\251\n`.repeat(n);
    expect(dec(`"${body(500_000)}"`).value).toBe('é\n'.repeat(500_000));
    expect(growth((n) => `"${body(n)}"`, dec, 60_000)).toBeLessThan(LINEAR_AT_8X);
  });
});

describe('quoteMIArg', () => {
  it('escapes quotes, backslashes and controls', () => {
    expect(quoteMIArg('plain')).toBe('"plain"');
    expect(quoteMIArg('a"b\\c')).toBe(String.raw`"a\"b\\c"`);
    expect(quoteMIArg('l1\nl2\tx\r')).toBe(String.raw`"l1\nl2\tx\r"`);
    expect(quoteMIArg('\x1b[1m\x7f')).toBe(String.raw`"\033[1m\177"`);
    expect(quoteMIArg('')).toBe('""');
  });

  it('passes non-ASCII through', () => {
    expect(quoteMIArg('héllo')).toBe('"héllo"');
  });

  it('rejects NUL, which gdb cannot parse in an argument', () => {
    expect(() => quoteMIArg('a\0b')).toThrow(RangeError);
  });

  it('round-trips through decodeCString', () => {
    const s = 'x "y" \\z\n\t\x01\x1béü';
    expect(decodeCString(quoteMIArg(s), 0).value).toBe(s);
  });
});
