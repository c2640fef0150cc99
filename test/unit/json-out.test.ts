import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ascii, jsonOutText } from '../../src/values/json-out.js';

describe('JsonOut', () => {
  it('writes every safe integer as String() does', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.constantFrom(0, -0, 9, 10, 99, 100, 9999, 10000, 99999999, 1e8, 2147483647, 2147483648, -2147483648, 4294967295, 4294967296, 4294967396, 999999999999999, 1e15, 2 ** 53 - 1, 2 ** 53, -(2 ** 53))), (n) => {
        expect(jsonOutText((o) => o.int(n))).toBe(Object.is(n, -0) ? '-0' : String(n));
      }),
      { numRuns: 20000 },
    );
  });
  it('writes text and Go strings as JSON.stringify does', () => {
    const slow = (b: Uint8Array) => JSON.stringify(Buffer.from(b).toString('latin1'));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.string({ maxLength: 100 }), (bytes, s) => {
        expect(jsonOutText((o) => o.goString(bytes, slow))).toBe(slow(bytes));
        expect(jsonOutText((o) => o.text(s))).toBe(s);
        expect(jsonOutText((o) => o.jsonString(s))).toBe(JSON.stringify(s));
      }),
    );
  });
  it('escapes quotes and backslashes in place, across flushes, as JSON.stringify does', () => {
    const quoted = fc.string({ unit: fc.constantFrom('"', '\\', 'a', '[', ']', '.', 'é', '\n'), maxLength: 2100 });
    fc.assert(
      fc.property(quoted, (s) => {
        expect(jsonOutText((o) => o.jsonString(s))).toBe(JSON.stringify(s));
      }),
      { numRuns: 2000 },
    );
    const path = 'main.requests["6ba7b811-9dad-11d1-80b4-00c04fd430c8"].attrs["k\\"]';
    const many = Array.from({ length: 20_000 }, (_, i) => path + i);
    expect(jsonOutText((o) => many.forEach((p) => o.jsonString(p)))).toBe(many.map((p) => JSON.stringify(p)).join(''));
  });
  it('flushes across its buffer', () => {
    const long = 'x'.repeat(700_000);
    expect(jsonOutText((o) => { o.text(long); o.text(long); o.int(12345); o.text('é'.repeat(400_000)); })).toBe(long + long + '12345' + 'é'.repeat(400_000));
  });
  it('writes ASCII constants, byte arrays and addresses word by word, across flushes, as text would be', () => {
    const ascii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });
    fc.assert(
      fc.property(fc.array(fc.tuple(ascii, fc.uint8Array({ maxLength: 9 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })), { maxLength: 30 }), fc.integer({ min: 0, max: 2 ** 20 }), (parts, lead) => {
        // `lead` bytes first, so that words land on every offset and across the megabyte flush.
        const pad = 'x'.repeat(lead);
        const got = jsonOutText((o) => {
          o.text(pad);
          for (const [s, bytes, a] of parts) {
            o.ascii(new Ascii(s));
            o.byteArray(bytes, 0, bytes.length);
            o.byteArray(bytes, 0, bytes.length, true);
            o.hexAddress(Number(a >> 32n), Number(a & 0xffffffffn));
          }
        });
        const want = pad + parts.map(([s, bytes, a]) => s + JSON.stringify([...bytes]) + JSON.stringify([...bytes].reverse()) + JSON.stringify('0x' + a.toString(16))).join('');
        expect(got).toBe(want);
      }),
      { numRuns: 300 },
    );
  });
});
