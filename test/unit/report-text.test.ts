/**
 * The text reports stay short for maps of any size: --rows bounds the bucket, table and group
 * lines, and the analysis sums up per-table figures when there are many tables. Counts are
 * worded in the right number ("1 bucket", "2 buckets").
 */
import { describe, expect, it } from 'vitest';
import { analyzeMap } from '../../src/analyze/analyze.js';
import type { MapInspection } from '../../src/inspect/inspect.js';
import type { StreamedMap } from '../../src/inspect/stream.js';
import { decodeClassic } from '../../src/maps/classic/decode.js';
import { decodeSwiss } from '../../src/maps/swiss/decode.js';
import { analysisText } from '../../src/report/analysis-text.js';
import { plural } from '../../src/report/plural.js';
import { statsText } from '../../src/report/stream.js';
import { textReport } from '../../src/report/text.js';
import { CachedMemory } from '../../src/target/cache.js';
import type { Target, TargetInfo } from '../../src/target/target.js';
import { classicMap, placeBuckets, placeDirectory, placeGroups, placeHmap, placeSwissMap, placeTable, swissMap, SyntheticMemory, writeCtrl, writeTophash } from './synthetic-memory.js';

const INFO: TargetInfo = { kind: 'core', pid: null, exe: '/tmp/app', goVersion: 'go1.26.0', arch: 'amd64', pointerSize: 8, littleEndian: true };
const E = 0x80;
const D = 0xfe;

/** A Swiss map[int]int of `tables` tables of `groups` groups each; table i has i % 5 tombstones in its first group. */
async function manyTables(tables: number, groups: number): Promise<MapInspection> {
  const { type, layout } = swissMap(8, 'int', 'int', { tombstonePossible: true });
  const mem = new SyntheticMemory(8);
  const depth = Math.log2(tables);
  const addresses: bigint[] = [];
  for (let i = 0; i < tables; i++) {
    const data = 0x1000000 + i * 0x10000;
    placeGroups(mem, layout, data, groups);
    const dead = i % 5;
    writeCtrl(mem, layout, BigInt(data), [0x11, ...Array.from({ length: 7 }, (_, k) => (k < dead ? D : E))]);
    addresses.push(placeTable(mem, layout, 0x100000 + i * 0x100, { used: 1, capacity: groups * 8, growthLeft: groups * 7 - 1 - dead, localDepth: depth, index: i, data, lengthMask: groups - 1 }));
  }
  const dir = placeDirectory(mem, 0x80000, addresses);
  placeSwissMap(mem, layout, 0x1000, { used: tables, dirPtr: dir, dirLen: tables, globalDepth: depth, globalShift: 64 - depth, tombstonePossible: true });
  const cache = new CachedMemory(mem);
  const snapshot = await decodeSwiss(cache, layout, 0x1000n);
  const analysis = await analyzeMap({ target: { info: INFO } as unknown as Target, mem: cache, rtypes: undefined, typesByName: new Map(), type, layout, snapshot });
  return { expr: 'main.big', type, layout, snapshot, entries: [], analysis };
}

/** A classic map[int]int of 2^B empty buckets, with no grow. */
async function classicBuckets(B: number): Promise<MapInspection> {
  const { type, layout } = classicMap(8, 'int', 'int');
  const mem = new SyntheticMemory(8);
  const buckets = placeBuckets(mem, layout, 0x20000, 2 ** B);
  for (let i = 0; i < 2 ** B; i++) writeTophash(mem, layout, buckets + BigInt(i * layout.bucket.size), [0, 0, 0, 0, 0, 0, 0, 0]);
  placeHmap(mem, layout, 0x1000, { count: 0, B, hash0: 1, buckets, oldbuckets: 0n, nevacuate: 0 });
  const snapshot = await decodeClassic(new CachedMemory(mem), layout, 0x1000n);
  return { expr: 'main.c', type, layout, snapshot, entries: [] };
}

const mapLines = (text: string) => text.split('\n').filter((l) => /^ {4}(table @|… )| {6}(\s*\d+ @|… )/.test(l));

describe('--rows bounds the lines of buckets, tables and groups', () => {
  it('--rows 0: no table or group line, one line saying how many tables and groups were left out', async () => {
    const m = await manyTables(64, 2);
    const text = textReport(INFO, [m], { maxRows: 0, maxEntries: 3 });
    expect(text).toContain('directory: 64 entries → 64 distinct tables');
    expect(text).toContain('    … 64 tables not drawn, with 128 groups (--rows N draws more)');
    expect(text).not.toMatch(/table @/);
    expect(mapLines(text)).toHaveLength(1);
  });

  it('--rows N: tables and groups share N rows; the rest in one line each', async () => {
    const m = await manyTables(64, 2);
    const text = textReport(INFO, [m], { maxRows: 5, maxEntries: 3 });
    // Table 0 and its 2 groups, table 1 and its 2 groups: 6 rows would be too many, so table 1 keeps 1 group.
    expect((text.match(/^ {4}table @/gm) ?? []).length).toBe(2);
    expect(text).toContain('      … 1 more group in this table');
    expect(text).toContain('    … 62 more tables, with 124 groups (--rows N draws more)');
    expect(mapLines(text).length).toBeLessThanOrEqual(5 + 2);
  });

  it('the report of 256 tables is as long as that of 16 at the same --rows', async () => {
    const small = textReport(INFO, [await manyTables(16, 1)], { maxRows: 4, maxEntries: 0 });
    const big = textReport(INFO, [await manyTables(256, 1)], { maxRows: 4, maxEntries: 0 });
    expect(big.split('\n').length).toBe(small.split('\n').length);
  });

  it('classic: buckets over --rows are counted in one line, in the right number', async () => {
    const text = textReport(INFO, [await classicBuckets(3)], { maxRows: 7, maxEntries: 0 });
    expect(text).toContain('B 3 (8 buckets)');
    expect(text).toContain('    … 1 more bucket (--rows N draws more)');
    const none = textReport(INFO, [await classicBuckets(0)], { maxRows: 0, maxEntries: 0 });
    expect(none).toContain('B 0 (1 bucket)');
    expect(none).toContain('    … 1 bucket not drawn (--rows N draws more)');
  });
});

describe('analysis text with many tables', () => {
  it('a few tables: one line each', async () => {
    const m = await manyTables(4, 1);
    const lines = analysisText(m.analysis ?? fail());
    expect(lines.filter((l) => /^ {4}table 0x/.test(l))).toHaveLength(4);
  });

  it('many tables: their distribution in one line and the worst three, not a line each', async () => {
    const m = await manyTables(256, 1);
    const lines = analysisText(m.analysis ?? fail());
    // 256 tables, i % 5 tombstones each: 0,1,2,3,4 repeating.
    const tombstones = Array.from({ length: 256 }, (_, i) => i % 5).reduce((a, b) => a + b, 0);
    const withTombstones = Array.from({ length: 256 }, (_, i) => i % 5).filter((n) => n > 0).length;
    expect(lines).toContain(`    tables: 256, load factor min 12.5%, median 12.5%, max 12.5%; ${tombstones} tombstones in ${withTombstones} tables; 0 tables with growthLeft 0`);
    expect(lines).toContain('    worst 3 (most tombstones, then fullest):');
    const listed = lines.filter((l) => /table 0x/.test(l));
    expect(listed).toHaveLength(3);
    for (const l of listed) expect(l).toContain('tombstones 4,');
    expect(lines.length).toBeLessThan(20);
  });

  it('--stats text: the same summary', async () => {
    const m = await manyTables(256, 1);
    const streamed = { expr: m.expr, type: m.type, layout: m.layout, header: null, analysis: m.analysis, warnings: [], streamed: 0 } as unknown as StreamedMap;
    const text = statsText(INFO, [streamed]);
    expect(text.split('\n').length).toBeLessThan(25);
    expect(text).toContain('    tables: 256,');
  });
});

describe('plural', () => {
  it('one, many, zero, bigints and irregular plurals', () => {
    expect(plural(1, 'entry', 'entries')).toBe('1 entry');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
    expect(plural(0, 'map')).toBe('0 maps');
    expect(plural(1n, 'level')).toBe('1 level');
    expect(plural(3n, 'level')).toBe('3 levels');
  });
});

function fail(): never {
  throw new Error('no analysis');
}
