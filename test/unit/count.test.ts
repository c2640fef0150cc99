import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allZero, equalBytes, fullCtrl, liveTophash, wordsOf } from '../../src/maps/count.js';
import { ctrlDeleted, ctrlEmpty, fullMask } from '../../src/maps/swiss/ctrl.js';

/** Bytes with the values that matter over-represented: the tophash specials, minTopHash, 0x80 and neighbours. */
const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 0x7f, 0x80, 0x81, 0x84, 0x85, 0xfe, 0xff));

describe('counting tophash and ctrl bytes, and masking full slots, a word at a time', () => {
  it('equals counting byte by byte, at every offset, aligned or not', () => {
    fc.assert(
      fc.property(fc.array(byte, { minLength: 24, maxLength: 40 }), fc.integer({ min: 0, max: 3 }), (values, shift) => {
        // A buffer offset by `shift`: the view is aligned or not, as a subarray of a read may be.
        const backing = new Uint8Array(values.length + 4);
        const bytes = backing.subarray(shift, shift + values.length);
        bytes.set(values);
        const words = wordsOf(bytes);
        expect(words === undefined).toBe(shift !== 0);
        for (let at = 0; at + 8 <= bytes.length; at++) {
          const window = values.slice(at, at + 8);
          expect(liveTophash(bytes, words, at)).toBe(window.filter((b) => b >= 5).length);
          expect(fullCtrl(bytes, words, at)).toBe(window.filter((b) => (b & 0x80) === 0).length);
          for (const size of [4, 8]) expect(allZero(bytes, words, at, size)).toBe(values.slice(at, at + size).every((b) => b === 0));
          for (const v of [ctrlEmpty, ctrlDeleted, 0, 0xff, window[0]]) expect(equalBytes(bytes, words, at, v)).toBe(window.filter((b) => b === v).length);
          // Slot s is byte s, or byte 7-s on a big-endian target.
          for (const le of [true, false]) {
            let mask = 0;
            for (let s = 0; s < 8; s++) if ((window[le ? s : 7 - s] & 0x80) === 0) mask |= 1 << s;
            expect(fullMask(bytes, at, le, words)).toBe(mask);
            expect(fullMask(bytes, at, le)).toBe(mask);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
});
