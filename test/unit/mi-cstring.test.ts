import { describe, expect, it } from 'vitest';
import { decodeCString, quoteMIArg } from '../../src/mi/cstring.js';
import { MIParseError } from '../../src/mi/errors.js';

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
    const many = Array.from({ length: 200_000 }, () => '"ab"').join(',');
    const t0 = performance.now();
    let pos = 0;
    let count = 0;
    while (pos < many.length) {
      pos = dec(many, pos).end + 1;
      count++;
    }
    expect(count).toBe(200_000);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('decodes a 20-million-character string fast', () => {
    const body = '0123456789abcdef'.repeat(1_250_000);
    const t0 = performance.now();
    const r = dec(`"${body}"`);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(r.value.length).toBe(20_000_000);
  });

  it('decodes a long escape-heavy string fast', () => {
    const body = String.raw`\303\251\n`.repeat(500_000);
    const t0 = performance.now();
    const r = dec(`"${body}"`);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(r.value).toBe('é\n'.repeat(500_000));
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
