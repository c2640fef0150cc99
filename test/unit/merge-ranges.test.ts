import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeRanges } from '../../src/target/cache.js';
import type { MemRange } from '../../src/target/target.js';

/** The obvious merge, for comparison: sort by address, extend while within the gap. */
function reference(ranges: readonly MemRange[], gap: number): MemRange[] {
  const sorted = ranges.filter((r) => r.length > 0).sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const out: { address: bigint; end: bigint }[] = [];
  for (const r of sorted) {
    const end = r.address + BigInt(r.length);
    const last = out[out.length - 1];
    if (last && r.address <= last.end + BigInt(gap)) {
      if (end > last.end) last.end = end;
    } else out.push({ address: r.address, end });
  }
  return out.map((r) => ({ address: r.address, length: Number(r.end - r.address) }));
}

describe('mergeRanges', () => {
  it('equals the sort-and-extend merge, below 2^53 and above', () => {
    const range = (base: bigint) => fc.record({ address: fc.bigInt({ min: base, max: base + 5000n }), length: fc.integer({ min: 0, max: 400 }) });
    for (const base of [0x1000n, 0xc000000000n, 2n ** 60n]) {
      fc.assert(
        fc.property(fc.array(range(base), { maxLength: 60 }), fc.integer({ min: 0, max: 300 }), (ranges, gap) => {
          expect(mergeRanges(ranges, gap)).toEqual(reference(ranges, gap));
        }),
        { numRuns: 3000 },
      );
    }
  });
});
