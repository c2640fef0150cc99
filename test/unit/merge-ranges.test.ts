import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeRanges } from '../../src/target/cache.js';
import { RangeList, pageRunsOf } from '../../src/target/range-list.js';
import type { MemRange } from '../../src/target/target.js';

const pageRuns = (ranges: readonly MemRange[]) => pageRunsOf(RangeList.of(ranges));

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
  /** The pages of every range, and exactly those, as maximal sorted runs. */
  function checkRuns(ranges: readonly MemRange[]): void {
    const runs = pageRuns(ranges) ?? [];
    for (let i = 1; i < runs.length; i++) expect(runs[i].address).toBeGreaterThan(runs[i - 1].address + BigInt(runs[i - 1].length));
    const want = new Set<bigint>();
    for (const r of ranges.filter((x) => x.length > 0)) for (let p = r.address / 4096n; p <= (r.address + BigInt(r.length) - 1n) / 4096n; p++) want.add(p);
    const got = new Set<bigint>();
    for (const r of runs) {
      expect(r.address % 4096n === 0n && r.length % 4096 === 0 && r.length > 0).toBe(true);
      for (let p = r.address / 4096n; p < (r.address + BigInt(r.length)) / 4096n; p++) got.add(p);
    }
    expect([...got].sort()).toEqual([...want].sort());
  }
  it('covers exactly the pages of the ranges, in sorted maximal runs (pages marked in a bitmap)', () => {
    const range = fc.record({ address: fc.bigInt({ min: 0xc000000000n, max: 0xc000100000n }), length: fc.integer({ min: 0, max: 20000 }) });
    fc.assert(fc.property(fc.array(range, { maxLength: 50 }), checkRuns), { numRuns: 1000 });
  });
  it('the same for ranges spread too wide for a bitmap (pages sorted)', () => {
    const near = fc.record({ address: fc.bigInt({ min: 0x1000n, max: 0x10000n }), length: fc.integer({ min: 0, max: 9000 }) });
    const far = fc.record({ address: fc.bigInt({ min: 0x7fff00000000n, max: 0x7fff00010000n }), length: fc.integer({ min: 1, max: 9000 }) });
    fc.assert(fc.property(fc.array(near, { maxLength: 20 }), fc.array(far, { minLength: 1, maxLength: 20 }), (a, b) => checkRuns([...a, ...b])), { numRuns: 300 });
  });
  it('leaves addresses past 2^53 to mergeRanges', () => {
    expect(pageRuns([{ address: 2n ** 60n, length: 8 }])).toBeUndefined();
  });
});
