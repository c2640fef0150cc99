import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeRanges, pageRuns } from '../../src/target/cache.js';
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

describe('pageRuns', () => {
  it('covers every range with sorted runs of whole pages, no page twice', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ address: fc.bigInt({ min: 0xc000000000n, max: 0xc000100000n }), length: fc.integer({ min: 0, max: 20000 }) }), { maxLength: 50 }), (ranges) => {
        const runs = pageRuns(ranges) ?? [];
        for (let i = 1; i < runs.length; i++) expect(runs[i].address).toBeGreaterThan(runs[i - 1].address + BigInt(runs[i - 1].length));
        for (const r of runs) expect(r.address % 4096n === 0n && r.length % 4096 === 0).toBe(true);
        for (const r of ranges.filter((x) => x.length > 0)) {
          const end = r.address + BigInt(r.length);
          const covered = (at: bigint) => runs.some((x) => x.address <= at && at < x.address + BigInt(x.length));
          expect(covered(r.address) && covered(end - 1n)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
  it('leaves addresses past 2^53 to mergeRanges', () => {
    expect(pageRuns([{ address: 2n ** 60n, length: 8 }])).toBeUndefined();
  });
});
