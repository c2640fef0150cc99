import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readUint, readUintN, readWordNumber, wordReader } from '../../src/target/bytes.js';

describe('readWordNumber', () => {
  it('is readUint as a number below 2^53, undefined from there, for 4- and 8-byte words in either order (so is wordReader)', () => {
    const edge = fc.constantFrom(0n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 64n - 1n);
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), edge), fc.constantFrom(4, 8), fc.boolean(), fc.integer({ min: 0, max: 5 }), (w, size, le, at) => {
        const bytes = new Uint8Array(16);
        for (let i = 0; i < size; i++) bytes[at + (le ? i : size - 1 - i)] = Number((w >> BigInt(8 * i)) & 0xffn);
        const exact = readUint(bytes, at, size, { littleEndian: le });
        const want = exact < 2n ** 53n ? Number(exact) : undefined;
        expect(readWordNumber(bytes, at, size, le)).toBe(want);
        expect(wordReader(size as 4 | 8, le)(bytes, at)).toBe(want);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('readUintN', () => {
  it('is Number(readUint) for every width in either order, in a subarray too, and throws out of bounds as it does', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.constantFrom(1, 2, 3, 4, 8), fc.boolean(), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 3 }), (w, size, le, at, skip) => {
        const whole = new Uint8Array(24);
        const bytes = whole.subarray(skip, skip + 16);
        for (let i = 0; i < size; i++) bytes[at + (le ? i : size - 1 - i)] = Number((w >> BigInt(8 * i)) & 0xffn);
        const order = { littleEndian: le };
        expect(readUintN(bytes, at, size, order)).toBe(Number(readUint(bytes, at, size, order)));
        expect(() => readUintN(bytes, 16 - size + 1, size, order)).toThrow(RangeError);
      }),
      { numRuns: 5000 },
    );
  });
});
