/**
 * The Map Inspector's slot ↔ entry retracing (extension/src/webview/slots.ts), which works on the
 * contract JSON alone. Maps are laid out in synthetic memory, decoded by the real decoders and
 * written as the real contract; every live slot must then be given the entry whose key was
 * written into that very slot — and the answer must agree with the HTML report's retracing,
 * which works on the snapshot instead.
 */
import { describe, expect, it } from 'vitest';
import type { MapJson } from '../../extension/src/shared/contract.js';
import { classicOrder, evacuated, slotEntries, slotKey, type SlotRef, swissOrder } from '../../extension/src/webview/slots.js';
import type { MapInspection } from '../../src/inspect/inspect.js';
import { decodeClassic } from '../../src/maps/classic/decode.js';
import type { MapSnapshot } from '../../src/maps/snapshot.js';
import { decodeSwiss } from '../../src/maps/swiss/decode.js';
import { contractJson } from '../../src/report/contract.js';
import { slotEntries as reportSlotEntries } from '../../src/report/html/slot-entries.js';
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
  writeOverflow,
  writeTophash,
} from './synthetic-memory.js';

const INFO: TargetInfo = { kind: 'core', pid: null, exe: '/tmp/app', goVersion: 'go1.23.4', arch: 'amd64', pointerSize: 8, littleEndian: true };
const E = 0x80;
const D = 0xfe;
const noTypes = { typesByName: async (names: readonly string[]) => names.map(() => undefined) };

interface Built {
  readonly json: MapJson;
  readonly snapshot: MapSnapshot;
  /** The key written into each slot that holds one, by slotKey. */
  readonly keyAt: Map<string, number>;
}

async function contract(expr: string, m: Omit<MapInspection, 'expr' | 'entries'> & { snapshot: MapSnapshot }, cache: CachedMemory, swiss: boolean): Promise<MapJson> {
  const layout = m.layout;
  if (!layout) throw new Error('no layout');
  const entries = await renderEntries(m.snapshot.entries, layout.key, layout.elem, { mem: cache, rtypes: undefined, typesByName: new Map(), swissHeaders: swiss }, noTypes);
  const j = JSON.parse(stringifyJson(contractJson(INFO, [{ ...m, expr, entries }]))) as { maps: MapJson[] };
  return j.maps[0];
}

/**
 * A classic map[int]int mid-grow: B=2 (4 buckets), 2 old buckets. Old bucket 0 is not evacuated
 * (its entries, one in an overflow bucket, are read from it, and new buckets 0 and 2 are skipped
 * even though new bucket 2 has a live-looking byte); old bucket 1 is evacuated, so new buckets 1
 * and 3 (with an overflow chain on 3) hold their entries.
 */
async function classicGrowing(): Promise<Built> {
  const { type, layout } = classicMap(8, 'int', 'int');
  const mem = new SyntheticMemory(8);
  const keyAt = new Map<string, number>();
  const cur = placeBuckets(mem, layout, 0x10000, 4);
  const old = placeBuckets(mem, layout, 0x20000, 2);
  const ovfOld = placeBuckets(mem, layout, 0x30000, 1);
  const ovfCur = placeBuckets(mem, layout, 0x31000, 1);
  let next = 100;
  const live = (bucket: bigint, tophash: number[], at: Omit<SlotRef, 'slot'> | null) => {
    writeTophash(mem, layout, bucket, tophash);
    tophash.forEach((t, slot) => {
      if (t < 5) return;
      const k = next++;
      mem.ptr(classicCell(layout, bucket, slot).key, k);
      mem.ptr(classicCell(layout, bucket, slot).elem, k * 10);
      if (at) keyAt.set(slotKey({ ...at, slot }), k);
    });
  };
  live(bucketAt(layout, old, 0), [0x51, 1, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57], { array: 'oldbuckets', bucket: 0, chain: 0 });
  writeOverflow(mem, layout, bucketAt(layout, old, 0), ovfOld);
  live(ovfOld, [0x61, 0, 0, 0, 0, 0, 0, 0], { array: 'oldbuckets', bucket: 0, chain: 1 });
  writeTophash(mem, layout, bucketAt(layout, old, 1), [2, 3, 4, 4, 4, 4, 4, 4]);
  // Not read: the decoder takes old bucket 0 in its place (a runtime would leave it empty).
  live(bucketAt(layout, cur, 2), [0x71, 0, 0, 0, 0, 0, 0, 0], null);
  live(bucketAt(layout, cur, 1), [0x81, 0x82, 0, 0, 0, 0, 0, 0], { array: 'buckets', bucket: 1, chain: 0 });
  live(bucketAt(layout, cur, 3), [0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98], { array: 'buckets', bucket: 3, chain: 0 });
  writeOverflow(mem, layout, bucketAt(layout, cur, 3), ovfCur);
  live(ovfCur, [0xa1, 1, 0xa2, 0, 0, 0, 0, 0], { array: 'buckets', bucket: 3, chain: 1 });
  placeHmap(mem, layout, 0x1000, { count: keyAt.size, B: 2, flags: 0, noverflow: 1, hash0: 7, buckets: cur, oldbuckets: old, nevacuate: 0 });
  const cache = new CachedMemory(mem);
  const snapshot = await decodeClassic(cache, layout, 0x1000n);
  return { json: await contract('main.growing', { type, layout, snapshot }, cache, false), snapshot, keyAt };
}

/** A Swiss map[int]int with a directory of two tables, tombstones and empties among full slots. */
async function swissTables(): Promise<Built> {
  const { type, layout } = swissMap(8, 'int', 'int');
  const mem = new SyntheticMemory(8);
  const keyAt = new Map<string, number>();
  let next = 1;
  const group = (g: bigint, ctrl: number[], table: number, bucket: number) => {
    writeCtrl(mem, layout, g, ctrl);
    ctrl.forEach((c, slot) => {
      if ((c & 0x80) !== 0) return;
      const k = next++;
      mem.ptr(swissSlot(layout, g, slot).key, k);
      mem.ptr(swissSlot(layout, g, slot).elem, -k);
      keyAt.set(slotKey({ array: 'groups', table, bucket, slot }), k);
    });
  };
  const g0 = placeGroups(mem, layout, 0x40000, 2);
  group(groupAt(layout, g0, 0), [0x11, E, 0x12, D, E, 0x13, E, E], 0, 0);
  group(groupAt(layout, g0, 1), [E, E, E, E, E, E, E, 0x14], 0, 1);
  const g1 = placeGroups(mem, layout, 0x50000, 2);
  group(groupAt(layout, g1, 0), [D, D, 0x21, E, E, E, E, E], 1, 0);
  group(groupAt(layout, g1, 1), [0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, E], 1, 1);
  const t0 = placeTable(mem, layout, 0x3000, { used: 4, capacity: 16, growthLeft: 8, localDepth: 1, index: 0, data: g0, lengthMask: 1 });
  const t1 = placeTable(mem, layout, 0x3100, { used: 8, capacity: 16, growthLeft: 2, localDepth: 1, index: 1, data: g1, lengthMask: 1 });
  const dir = placeDirectory(mem, 0x2000, [t0, t1]);
  placeSwissMap(mem, layout, 0x1000, { used: keyAt.size, seed: 9, dirPtr: dir, dirLen: 2, globalDepth: 1, globalShift: 63, tombstonePossible: true });
  const cache = new CachedMemory(mem);
  const snapshot = await decodeSwiss(cache, layout, 0x1000n);
  return { json: await contract('main.tables', { type, layout, snapshot }, cache, true), snapshot, keyAt };
}

/** Every slot the walk visits holds the entry whose key was written there; the report agrees. */
function checkAgainstMemory(b: Built): void {
  const s = slotEntries(b.json);
  const entries = b.json.entries ?? [];
  expect(s.mapped).toBe(true);
  expect(entries).toHaveLength(b.keyAt.size);
  const report = reportSlotEntries(b.snapshot);
  for (let i = 0; i < entries.length; i++) {
    const at = s.slotOf(i);
    expect(at, `entry ${i}`).toBeDefined();
    if (!at) continue;
    expect(entries[i].key, `entry ${i} at ${slotKey(at)}`).toBe(b.keyAt.get(slotKey(at)));
    expect(s.entryAt(at)).toBe(i);
    expect(report.slotOf(i), `report's slot of entry ${i}`).toEqual(at);
  }
}

describe('slot ↔ entry retracing over the contract JSON', () => {
  it('classic mid-grow: unevacuated old bucket read once from its lower index, its new buckets skipped, chains in order', async () => {
    const b = await classicGrowing();
    checkAgainstMemory(b);
    const s = slotEntries(b.json);
    // The live-looking byte of new bucket 2 is not an entry: old bucket 0 stands for it.
    expect(s.entryAt({ array: 'buckets', bucket: 2, chain: 0, slot: 0 })).toBeUndefined();
    expect(s.entryAt({ array: 'oldbuckets', bucket: 0, chain: 1, slot: 0 })).toBeDefined();
    // Not live: emptyOne inside a chain.
    expect(s.entryAt({ array: 'oldbuckets', bucket: 0, chain: 0, slot: 1 })).toBeUndefined();
    expect(evacuated([2, 0, 0, 0, 0, 0, 0, 0])).toBe(true);
    expect(evacuated([4, 4, 4, 4, 4, 4, 4, 4])).toBe(true);
    expect(evacuated([1, 0x55, 0, 0, 0, 0, 0, 0])).toBe(false);
    expect(evacuated([0x55, 0, 0, 0, 0, 0, 0, 0])).toBe(false);
  });

  it('Swiss: tables in contract order, groups in index order, full slots only', async () => {
    checkAgainstMemory(await swissTables());
  });

  it('Swiss small map: the one group', () => {
    const order = swissOrder({ ctrl: [E, 0x05, E, 0x7f, D, E, E, E] }, []);
    expect(order).toEqual([
      { array: 'small', bucket: 0, slot: 1 },
      { array: 'small', bucket: 0, slot: 3 },
    ]);
  });

  it('entries cut by a limit: slots still know their entry index, beyond the entries given', async () => {
    const b = await classicGrowing();
    const limited: MapJson = { ...b.json, entries: (b.json.entries ?? []).slice(0, 3) };
    const s = slotEntries(limited);
    expect(s.mapped).toBe(true);
    const last = s.slotOf(b.keyAt.size - 1);
    expect(last).toBeDefined();
    expect(s.entryAt(last as SlotRef)).toBe(b.keyAt.size - 1);
  });

  it('when the walk and the JSON disagree (the map changed while read), no slot claims an entry', async () => {
    const b = await classicGrowing();
    const extra: MapJson = { ...b.json, entries: [...(b.json.entries ?? []), { key: 1, value: 2 }], count: (b.json.count ?? 0) + 1 };
    const s = slotEntries(extra);
    expect(s.mapped).toBe(false);
    expect(s.entryAt({ array: 'oldbuckets', bucket: 0, chain: 0, slot: 0 })).toBeUndefined();
    expect(slotEntries({ expr: 'main.nil', address: null, count: 0, entries: [] }).mapped).toBe(false);
  });

  it('classic without a grow: every bucket of the current array, each chain in order', () => {
    const ch = (tophash: number[], ...overflow: number[][]) => ({ address: '0x1', tophash, overflow: overflow.map((t) => ({ address: '0x2', tophash: t })) });
    const order = classicOrder([ch([0, 0, 0, 0, 0, 0, 0, 0]), ch([5, 1, 6, 0, 0, 0, 0, 0], [0xff, 0, 0, 0, 0, 0, 0, 0])], null);
    expect(order.map(slotKey)).toEqual(['buckets/0/1/0/0', 'buckets/0/1/0/2', 'buckets/0/1/1/0']);
  });
});
