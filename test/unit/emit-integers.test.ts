import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GoType } from '../../src/layout/gotype.js';
import { CachedMemory } from '../../src/target/cache.js';
import { compileEmitter } from '../../src/values/emit.js';
import { jsonOutText } from '../../src/values/json-out.js';

/** The JSON of the integer of `size` bytes at `at`, read the slow exact way: a number up to ±2^53, beyond that a string (render.ts intJson). */
function reference(bytes: Uint8Array, at: number, size: number, signed: boolean, le: boolean): string {
  let v = 0n;
  for (let i = 0; i < size; i++) v = (v << 8n) | BigInt(bytes[at + (le ? size - 1 - i : i)]);
  if (signed && v >= 1n << BigInt(8 * size - 1)) v -= 1n << BigInt(8 * size);
  return v <= 2n ** 53n && v >= -(2n ** 53n) ? v.toString() : JSON.stringify(v.toString());
}

describe('integer emitters', () => {
  it('write every int and uint width in either byte order as the exact decimal', () => {
    const sizes = [1, 2, 4, 8] as const;
    // Values near the edges that matter: 2^53 (where doubles stop being exact), 2^31, 2^32, 2^63.
    const edge = fc.constantFrom(0n, 1n, 2n ** 31n - 1n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n);
    const word = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), edge);
    fc.assert(
      fc.property(word, fc.constantFrom(...sizes), fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 7 }), (w, size, signed, le, at) => {
        const bytes = new Uint8Array(16);
        for (let i = 0; i < 8; i++) bytes[at + (le ? i : 7 - i)] = Number((w >> BigInt(8 * i)) & 0xffn);
        const mem = new CachedMemory({ pointerSize: 8, littleEndian: le, readMany: async () => [] });
        const t = { kind: signed ? 'int' : 'uint', name: `${signed ? '' : 'u'}int${8 * size}`, size, align: size } as GoType;
        const e = compileEmitter(t, { mem, swissHeaders: true, rtypes: undefined, typesByName: new Map() });
        if (!e) throw new Error('no emitter');
        // The emitter reads the low `size` bytes of the word in the target's order.
        const off = le ? at : at + 8 - size;
        expect(jsonOutText((out) => e.emit(bytes, off, out))).toBe(reference(bytes, off, size, signed, le));
      }),
      { numRuns: 5000 },
    );
  });
});
