import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonOutText } from '../../src/values/json-out.js';

describe('JsonOut', () => {
  it('writes every safe integer as String() does', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.constantFrom(0, -0, 9, 10, 99, 100, 2147483647, 2147483648, -2147483648, 999999999999999, 1e15, 2 ** 53, -(2 ** 53))), (n) => {
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
  it('flushes across its buffer', () => {
    const long = 'x'.repeat(700_000);
    expect(jsonOutText((o) => { o.text(long); o.text(long); o.int(12345); o.text('é'.repeat(400_000)); })).toBe(long + long + '12345' + 'é'.repeat(400_000));
  });
});
