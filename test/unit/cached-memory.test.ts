/**
 * CachedMemory answers exactly what its memory holds, whichever way it looks a block up: doubles
 * below 2^53 when its index is current, bigints above or while reads and peeks alternate.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CachedMemory } from '../../src/target/cache.js';
import type { Memory, MemRange, ReadResult } from '../../src/target/target.js';

/** Every address readable, its byte a hash of the address; counts what it is asked for. */
class HashMemory implements Memory {
  readonly pointerSize = 8;
  readonly littleEndian = true;
  asked = 0;

  async readMany(ranges: readonly MemRange[]): Promise<ReadResult[]> {
    this.asked += ranges.length;
    return ranges.map((r) => ({ ok: true, bytes: truth(r) }));
  }
}

function truth(r: MemRange): Uint8Array {
  const out = new Uint8Array(r.length);
  for (let i = 0; i < r.length; i++) {
    const a = r.address + BigInt(i);
    out[i] = Number((a * 0x9e3779b1n) >> 7n) & 0xff;
  }
  return out;
}

const BASES = [0x1000n, 0xc000_0000_00n, 2n ** 53n - 2n ** 35n, 2n ** 63n];

const range = fc.record({
  base: fc.constantFrom(...BASES),
  offset: fc.integer({ min: 0, max: 1 << 16 }),
  length: fc.integer({ min: 1, max: 300 }),
}).map(({ base, offset, length }): MemRange => ({ address: base + BigInt(offset), length }));

/** A batch read (big batches build the doubles index) or a peek, in any order. */
const step = fc.oneof(
  fc.record({ read: fc.array(range, { minLength: 1, maxLength: 100 }) }),
  fc.record({ peek: range }),
);

describe('CachedMemory', () => {
  it('reads and peeks what memory holds, and a range inside one read is peeked without reading', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 30 }), async (steps) => {
        const inner = new HashMemory();
        const mem = new CachedMemory(inner);
        const read: MemRange[] = [];
        for (const s of steps) {
          if ('read' in s) {
            const got = await mem.readMany(s.read);
            got.forEach((g, i) => expect(g).toEqual({ ok: true, bytes: truth(s.read[i]) }));
            read.push(...s.read);
            continue;
          }
          const r = s.peek;
          const p = mem.peek(r.address, r.length);
          if (p instanceof Uint8Array) expect(p).toEqual(truth(r));
          else expect(p).toBeUndefined();
          // Held by one block read earlier: always found.
          const inside = read.some((b) => b.address <= r.address && r.address + BigInt(r.length) <= b.address + BigInt(b.length));
          if (inside) expect(p).toBeInstanceOf(Uint8Array);
        }
        // Everything read once is answered from the cache.
        const before = inner.asked;
        if (read.length > 0) await mem.readMany(read);
        expect(inner.asked).toBe(before);
      }),
      { seed: 20261122, numRuns: 300 },
    );
  });
});
