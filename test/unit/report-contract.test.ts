/**
 * The inspect contract (shared/spec/inspect-json.md) and the text report, from inspections built
 * with the real decoders and renderer over synthetic memory.
 */
import { describe, expect, it } from 'vitest';
import type { MapInspection } from '../../src/inspect/inspect.js';
import { decodeClassic } from '../../src/maps/classic/decode.js';
import { decodeSwiss } from '../../src/maps/swiss/decode.js';
import fc from 'fast-check';
import { chainJson, contractJson, groupJson, SCHEMA } from '../../src/report/contract.js';
import { blockListItems, writeChainAt } from '../../src/report/block-json.js';
import { BucketArray, type Bucket } from '../../src/maps/classic/buckets.js';
import { groupAt as swissGroupAt } from '../../src/maps/swiss/decode.js';
import { analyzeMap } from '../../src/analyze/analyze.js';
import { lineUsesOf } from '../../src/analyze/line-uses.js';
import { jsonOutText } from '../../src/values/json-out.js';
import { textReport } from '../../src/report/text.js';
import { CachedMemory } from '../../src/target/cache.js';
import type { TargetInfo } from '../../src/target/target.js';
import { renderEntries } from '../../src/values/entries.js';
import { stringifyJson } from '../../src/values/json.js';
import {
  bucketAt,
  classicCell,
  classicMap,
  groupAt,
  placeBuckets,
  placeDirectory,
  placeGroups,
  placeHmap,
  placeSwissMap,
  placeTable,
  swissMap,
  swissSlot,
  SyntheticMemory,
  writeCtrl,
  writeTophash,
} from './synthetic-memory.js';

const INFO: TargetInfo = { kind: 'core', pid: null, exe: '/tmp/app', goVersion: 'go1.24.3', arch: 'amd64', pointerSize: 8, littleEndian: true };
const E = 0x80;
const D = 0xfe;

type Obj = Record<string, unknown>;

/** A classic map[int]int caught mid-grow (B=1, one old bucket, evacuated), with a deleted cell. */
async function classicInspection(opts: { clearSeq?: boolean } = {}): Promise<MapInspection> {
  const { type, layout } = classicMap(8, 'int', 'int', opts);
  const mem = new SyntheticMemory(8);
  const cur = placeBuckets(mem, layout, 0x2000, 2);
  const old = placeBuckets(mem, layout, 0x3000, 1);
  writeTophash(mem, layout, old, [2, 3, 4, 4, 4, 4, 4, 4]);
  writeTophash(mem, layout, cur, [0x5a, 1, 0, 0, 0, 0, 0, 0]);
  writeTophash(mem, layout, bucketAt(layout, cur, 1), [0x6b, 0, 0, 0, 0, 0, 0, 0]);
  mem.ptr(classicCell(layout, cur, 0).key, 1);
  mem.ptr(classicCell(layout, cur, 0).elem, 10);
  mem.ptr(classicCell(layout, bucketAt(layout, cur, 1), 0).key, 2);
  mem.ptr(classicCell(layout, bucketAt(layout, cur, 1), 0).elem, 20);
  placeHmap(mem, layout, 0x1000, { count: 2, B: 1, hash0: 0xd1ce, buckets: cur, oldbuckets: old, nevacuate: 0, clearSeq: 4 });
  const cache = new CachedMemory(mem);
  const snapshot = await decodeClassic(cache, layout, 0x1000n);
  const entries = await renderEntries(snapshot.entries, layout.key, layout.elem, env(cache, false), noTypes);
  return { expr: 'main.classic', type, layout, snapshot, entries };
}

/** A Swiss map[string]bool with a directory of one table: one group with a tombstone. */
async function swissInspection(): Promise<MapInspection> {
  const { type, layout } = swissMap(8, 'string', 'bool', { tombstonePossible: true });
  const mem = new SyntheticMemory(8);
  placeGroups(mem, layout, 0x30000, 1);
  const g = groupAt(layout, 0x30000, 0);
  writeCtrl(mem, layout, g, [0x12, E, 0x34, D, E, E, E, E]);
  mem.alloc(0x9000, 16);
  mem.goString(swissSlot(layout, g, 0).key, 0x9000, 'on');
  mem.u8(swissSlot(layout, g, 0).elem, 1);
  mem.goString(swissSlot(layout, g, 2).key, 0x9008, 'off');
  const t = placeTable(mem, layout, 0x3000, { used: 2, capacity: 8, growthLeft: 4, localDepth: 0, index: 0, data: 0x30000, lengthMask: 0 });
  const dir = placeDirectory(mem, 0x2000, [t]);
  placeSwissMap(mem, layout, 0x1000, { used: 2, seed: 0xfeedfacecafebeefn, dirPtr: dir, dirLen: 1, globalDepth: 0, globalShift: 64, tombstonePossible: true });
  const cache = new CachedMemory(mem);
  const snapshot = await decodeSwiss(cache, layout, 0x1000n);
  const entries = await renderEntries(snapshot.entries, layout.key, layout.elem, env(cache, true), noTypes);
  return { expr: 'main.swiss', type, layout, snapshot, entries };
}

/** A small Swiss map (dirLen 0). */
async function smallSwissInspection(): Promise<MapInspection> {
  const { type, layout } = swissMap(8, 'int', 'int');
  const mem = new SyntheticMemory(8);
  const g = placeGroups(mem, layout, 0x2000, 1);
  writeCtrl(mem, layout, g, [E, 0x01, E, E, E, E, E, E]);
  mem.ptr(swissSlot(layout, g, 1).key, 5);
  mem.ptr(swissSlot(layout, g, 1).elem, 50);
  placeSwissMap(mem, layout, 0x1000, { used: 1, dirPtr: g, dirLen: 0 });
  const cache = new CachedMemory(mem);
  const snapshot = await decodeSwiss(cache, layout, 0x1000n);
  const entries = await renderEntries(snapshot.entries, layout.key, layout.elem, env(cache, true), noTypes);
  return { expr: 'main.small', type, layout, snapshot, entries };
}

function env(mem: CachedMemory, swissHeaders: boolean) {
  return { mem, rtypes: undefined, typesByName: new Map(), swissHeaders };
}
const noTypes = { typesByName: async (names: readonly string[]) => names.map(() => undefined) };

function nilInspection(kind: 'classic' | 'swiss'): MapInspection {
  const { type, layout } = kind === 'classic' ? classicMap(8, 'string', 'int') : swissMap(8, 'string', 'int');
  return { expr: `main.nil_${kind}`, type, layout, snapshot: null, entries: [] };
}

/** The contract as a script would parse it. */
function parsed(maps: readonly MapInspection[]): Obj {
  return JSON.parse(stringifyJson(contractJson(INFO, maps))) as Obj;
}

const HEX = /^0x[0-9a-f]+$/;
const byte = (x: unknown) => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 255;
const ctrlOrTophash = (x: unknown) => Array.isArray(x) && x.length === 8 && x.every(byte);

function keys(o: unknown): string[] {
  return Object.keys(o as Obj);
}

describe('contractJson', () => {
  it('top level: schema, target, maps and nothing else', async () => {
    const j = parsed([await classicInspection()]);
    expect(keys(j)).toEqual(['schema', 'target', 'maps']);
    expect(j.schema).toBe(SCHEMA);
    expect(j.schema).toBe('mapscope/inspect@1');
    expect(j.target).toEqual({ kind: 'core', pid: null, exe: '/tmp/app', goVersion: 'go1.24.3', arch: 'amd64', pointerSize: 8, stoppedMs: null, partial: null, warnings: [] });
  });

  it('a classic map: exactly the contract fields, with their types', async () => {
    const [m] = parsed([await classicInspection()]).maps as Obj[];
    expect(keys(m)).toEqual(['expr', 'address', 'type', 'keyType', 'valueType', 'implementation', 'count', 'entries', 'classic']);
    expect(m).toMatchObject({ expr: 'main.classic', address: '0x1000', type: 'map[int]int', keyType: 'int', valueType: 'int', implementation: 'classic', count: 2 });
    expect(m.entries).toEqual([
      { key: 1, value: 10 },
      { key: 2, value: 20 },
    ]);
    const c = m.classic as Obj;
    expect(keys(c)).toEqual(['B', 'flags', 'noverflow', 'hash0', 'nevacuate', 'buckets', 'oldbuckets']);
    expect(c).toMatchObject({ B: 1, flags: 0, noverflow: 0, hash0: 0xd1ce, nevacuate: 0 });
    const buckets = c.buckets as Obj[];
    expect(buckets).toHaveLength(2);
    for (const b of [...buckets, ...(c.oldbuckets as Obj[])]) {
      expect(keys(b)).toEqual(['address', 'tophash', 'overflow']);
      expect(b.address).toMatch(HEX);
      expect(ctrlOrTophash(b.tophash)).toBe(true);
      expect(b.overflow).toEqual([]);
    }
    expect(buckets[0]).toEqual({ address: '0x2000', tophash: [0x5a, 1, 0, 0, 0, 0, 0, 0], overflow: [] });
    expect((c.oldbuckets as Obj[])[0].tophash).toEqual([2, 3, 4, 4, 4, 4, 4, 4]);
  });

  it('a Go 1.24 noswiss map adds clearSeq (a number) to classic', async () => {
    const [m] = parsed([await classicInspection({ clearSeq: true })]).maps as Obj[];
    expect((m.classic as Obj).clearSeq).toBe(4);
  });

  it('a Swiss map: the contract fields with their types; seed a decimal string', async () => {
    const [m] = parsed([await swissInspection()]).maps as Obj[];
    expect(keys(m)).toEqual(['expr', 'address', 'type', 'keyType', 'valueType', 'implementation', 'count', 'entries', 'swiss']);
    expect(m).toMatchObject({ address: '0x1000', type: 'map[string]bool', keyType: 'string', valueType: 'bool', implementation: 'swiss', count: 2 });
    expect(m.entries).toEqual([
      { key: 'on', value: true },
      { key: 'off', value: false },
    ]);
    const s = m.swiss as Obj;
    const spec = ['used', 'seed', 'dirLen', 'globalDepth', 'smallGroup', 'tables'];
    const added = ['globalShift', 'writing', 'clearSeq', 'tombstonePossible'];
    expect(keys(s).filter((k) => !added.includes(k))).toEqual(spec);
    expect(s).toMatchObject({ used: 2, seed: (0xfeedfacecafebeefn).toString(), dirLen: 1, globalDepth: 0, smallGroup: null, tombstonePossible: true });
    const [t] = s.tables as Obj[];
    expect(t).toMatchObject({ address: '0x3000', index: 0, localDepth: 0, capacity: 8, used: 2, growthLeft: 4 });
    const [g] = t.groups as Obj[];
    expect(g.ctrl).toEqual([0x12, E, 0x34, D, E, E, E, E]);
    expect(ctrlOrTophash(g.ctrl)).toBe(true);
  });

  it('a small Swiss map has smallGroup {address, ctrl} and no tables', async () => {
    const [m] = parsed([await smallSwissInspection()]).maps as Obj[];
    const s = m.swiss as Obj;
    expect(s.smallGroup).toEqual({ address: '0x2000', ctrl: [E, 1, E, E, E, E, E, E] });
    expect(s.tables).toEqual([]);
    expect(m.entries).toEqual([{ key: 5, value: 50 }]);
  });

  it('nil maps: address null, count 0, entries [], classic/swiss null', () => {
    const [c, s] = parsed([nilInspection('classic'), nilInspection('swiss')]).maps as Obj[];
    expect(c).toEqual({ expr: 'main.nil_classic', address: null, type: 'map[string]int', keyType: 'string', valueType: 'int', implementation: 'classic', count: 0, entries: [], classic: null });
    expect(s).toEqual({ expr: 'main.nil_swiss', address: null, type: 'map[string]int', keyType: 'string', valueType: 'int', implementation: 'swiss', count: 0, entries: [], swiss: null });
  });

  it('a map that could not be read carries error, and the others are unaffected', async () => {
    const maps = parsed([{ expr: 'main.nope', error: 'No symbol "main.nope" in current context' }, await smallSwissInspection()]).maps as Obj[];
    expect(maps[0]).toEqual({ expr: 'main.nope', error: 'No symbol "main.nope" in current context' });
    expect(maps[1].count).toBe(1);
  });
});

describe('textReport', () => {
  const opts = { maxRows: 8, maxEntries: 10 };

  it('names the classic tophash specials: __ emptyRest, .. emptyOne, eX, eY, e_', async () => {
    const text = textReport(INFO, [await classicInspection()], opts);
    expect(text).toContain('core dump of /tmp/app — go1.24.3 amd64, 64-bit little-endian');
    expect(text).toContain('@0x2000 [5a .. __ __ __ __ __ __]');
    expect(text).toContain('@0x2090 [6b __ __ __ __ __ __ __]'); // bucket 1: 0x2000 + 144
    expect(text).toContain('@0x3000 [eX eY e_ e_ e_ e_ e_ e_]');
    expect(text).toContain('__ emptyRest, .. emptyOne, eX evacuatedX, eY evacuatedY, e_ evacuatedEmpty');
    expect(text).toContain('oldbuckets (grow in progress; nevacuate 0 of 1)');
    expect(text).toContain('entries (all 2, in memory order):');
    expect(text).toContain('    1: 10');
  });

  it('names the Swiss ctrl specials: -- empty, xx deleted', async () => {
    const text = textReport(INFO, [await swissInspection(), await smallSwissInspection()], opts);
    expect(text).toContain('@0x30000 [12 -- 34 xx -- -- -- --]');
    expect(text).toContain('-- empty (0x80), xx deleted (0xfe, a tombstone)');
    expect(text).toContain('directory: 1 entry → 1 distinct table');
    expect(text).toContain('small map, one group @0x2000 [-- 01 -- -- -- -- -- --]');
    expect(text).toContain('    "on": true');
  });

  it('nil maps and errors', () => {
    const text = textReport(INFO, [nilInspection('classic'), { expr: 'main.nope', error: 'boom' }], opts);
    expect(text).toContain('main.nil_classic  map[string]int  (classic)\n  nil map');
    expect(text).toContain('main.nope\n  error: boom');
  });
});

describe('bucket, group and line-use writers', () => {
  // Addresses anywhere in 64 bits, near the 2^32 and 2^64 edges too: the writers add offsets to halves.
  const address = fc.oneof(
    fc.bigInt({ min: 0n, max: 2n ** 64n - 2n ** 20n }),
    fc.bigInt({ min: 2n ** 32n - 2n ** 16n, max: 2n ** 32n + 2n ** 16n }),
    fc.bigInt({ min: 2n ** 64n - 2n ** 20n, max: 2n ** 64n - 2n ** 16n }),
    // Just below a 2^32 boundary: the blocks after the first cross it.
    fc.constantFrom(2n ** 32n - 8n, 2n ** 33n - 200n),
  );
  const bucketSize = 24;
  const tophashOffset = 4;
  const block = fc.uint8Array({ minLength: bucketSize, maxLength: bucketSize });

  it('write exactly what chainJson gives for every chain of a bucket array', () => {
    fc.assert(
      fc.property(address, fc.array(fc.tuple(block, fc.array(fc.tuple(address, block), { maxLength: 3 })), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 5 }), (base, buckets, per) => {
        const a = new BucketArray(base, buckets.length, bucketSize, tophashOffset);
        for (let start = 0; start < buckets.length; start += per) {
          const part = buckets.slice(start, start + per);
          const bytes = new Uint8Array(part.length * bucketSize);
          part.forEach(([b], j) => bytes.set(b, j * bucketSize));
          const overflowFrom = new Uint32Array(part.length + 1);
          const overflow: Bucket[] = [];
          part.forEach(([, chain], j) => {
            overflowFrom[j] = overflow.length;
            for (const [address, bytes] of chain) overflow.push({ address, bytes });
          });
          overflowFrom[part.length] = overflow.length;
          a.add({ start, count: part.length, address: base + BigInt(start * bucketSize), bytes, overflowFrom, overflow });
        }
        for (let i = 0; i < buckets.length; i++) {
          const chain = a.chain(i);
          expect(chain.address).toBe(base + BigInt(i * bucketSize));
          expect(chain.tophash).toEqual([...buckets[i][0].subarray(tophashOffset, tophashOffset + 8)]);
          expect(jsonOutText((out) => writeChainAt(a, i, out))).toBe(stringifyJson(chainJson(chain)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('write exactly the table, with what groupJson gives for every group, either byte order', () => {
    const { layout } = swissMap(8, 'int', 'int');
    const gs = layout.group.size;
    fc.assert(
      fc.property(address, fc.integer({ min: 1, max: 6 }), fc.boolean(), fc.uint8Array({ minLength: 6 * gs, maxLength: 6 * gs }), (base, count, le, bytes) => {
        const header = { address: base ^ 0x5a0n, index: 3, localDepth: 2, capacity: count * 8, used: 5, growthLeft: 1 };
        const table = { ...header, groupArray: { address: base, count, groupSize: gs, bytes } };
        const groups = Array.from({ length: count }, (_, k) => groupJson(swissGroupAt(layout, base + BigInt(k * gs), bytes, k * gs, le)));
        const items = blockListItems({ kind: 'tables', tables: [table], ctrlOffset: layout.group.ctrl.offset, littleEndian: le });
        expect(jsonOutText((out) => items.writeItem(0, out))).toBe(stringifyJson({ ...header, address: `0x${header.address.toString(16)}`, groups }));
      }),
      { numRuns: 300 },
    );
  });

  it('write exactly the objects of the per-block line use, classic and Swiss', async () => {
    for (const m of [await classicInspection(), await swissInspection(), await smallSwissInspection()]) {
      const s = m.snapshot;
      if (!s || !m.layout || !m.type) throw new Error('no snapshot');
      const mem = new CachedMemory(new SyntheticMemory(8));
      const a = await analyzeMap({ target: { ...INFO } as never, mem, rtypes: undefined, typesByName: new Map(), type: m.type, layout: m.layout, snapshot: s });
      const uses = lineUsesOf(a.cacheLines);
      if (!uses) throw new Error('no line-use columns');
      const items = blockListItems({ kind: 'lineUses', columns: uses.columns() });
      const list = s.implementation === 'classic' ? a.cacheLines.buckets : a.cacheLines.groups;
      expect(items.length).toBe(list?.length);
      list?.forEach((u, i) => expect(jsonOutText((out) => items.writeItem(i, out))).toBe(stringifyJson(u)));
    }
  });
});
