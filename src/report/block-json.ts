/**
 * The contract's lists of blocks (every bucket with its chain, every table with its groups,
 * every block's cache-line use) described as plain data and written straight from the bytes
 * as read: a million-entry map's lists are 37 MB of its 80 MB of JSON, and as objects
 * (chainJson, groupJson) they would be a quarter million made only to be written once.
 */
import type { LineUseColumns } from '../analyze/line-uses.js';
import { BucketArray, type BucketArrayData } from '../maps/classic/buckets.js';
import { bucketCnt } from '../maps/classic/tophash.js';
import type { GroupArray, SwissTableHeader } from '../maps/snapshot.js';
import { groupSlots } from '../maps/swiss/ctrl.js';
import { AddressHalves } from '../target/address-halves.js';
import { Ascii, type JsonOut } from '../values/json-out.js';
import type { JsonItems } from '../values/json.js';

/** A Swiss table as the contract lists it: its header's fields, then its groups. */
export interface TableData extends SwissTableHeader {
  readonly groupArray: GroupArray;
}

export type BlockList =
  | { readonly kind: 'buckets'; readonly array: BucketArrayData }
  | { readonly kind: 'tables'; readonly tables: readonly TableData[]; readonly ctrlOffset: number; readonly littleEndian: boolean }
  | { readonly kind: 'lineUses'; readonly columns: LineUseColumns };

/** How many buckets, groups or blocks a list writes: what its writing costs. */
export function blockCount(list: BlockList): number {
  switch (list.kind) {
    case 'buckets':
      return list.array.length;
    case 'tables':
      return list.tables.reduce((n, t) => n + t.groupArray.count, 0);
    case 'lineUses':
      return list.columns.length;
  }
}

/** The list's items, each written straight from the bytes. */
export function blockListItems(list: BlockList): JsonItems {
  switch (list.kind) {
    case 'buckets': {
      const a = BucketArray.from(list.array);
      return { length: a.read, writeItem: (i, out) => writeChainAt(a, i, out) };
    }
    case 'tables': {
      const { tables, ctrlOffset, littleEndian } = list;
      return { length: tables.length, writeItem: (i, out) => writeTable(tables[i], ctrlOffset, littleEndian, out) };
    }
    case 'lineUses': {
      const c = list.columns;
      // By pattern (16 bits): an array index, not a Map lookup, for each of a quarter million blocks.
      const tails: Ascii[] = new Array(1 << 16);
      for (const [p, t] of c.tails) tails[p] = new Ascii(t);
      return {
        length: c.length,
        writeItem: (i, out) => {
          out.ascii(ADDRESS);
          out.hexAddress(c.hi[i], c.lo[i]);
          out.ascii(tails[c.pattern[i]]);
        },
      };
    }
  }
}

const ADDRESS = new Ascii('{"address":');
const INDEX = new Ascii(',"index":');
const LOCAL_DEPTH = new Ascii(',"localDepth":');
const CAPACITY = new Ascii(',"capacity":');
const USED = new Ascii(',"used":');
const GROWTH_LEFT = new Ascii(',"growthLeft":');
const GROUPS = new Ascii(',"groups":[');
const TOPHASH = new Ascii(',"tophash":');
const OVERFLOW = new Ascii(',"overflow":[');
const CTRL = new Ascii(',"ctrl":');
const COMMA = new Ascii(',');
const CLOSE = new Ascii('}');
const CLOSE_LIST = new Ascii(']}');

/** Writes what contract.ts chainJson gives for chain i of the array, from its bytes. */
export function writeChainAt(a: BucketArray, i: number, out: JsonOut): void {
  const r = a.runOf(i);
  const j = i - r.start;
  const th = a.tophashOffset;
  out.ascii(ADDRESS);
  writeAddress(r.address, j * a.bucketSize, out);
  out.ascii(TOPHASH);
  out.byteArray(r.bytes, j * a.bucketSize + th, bucketCnt);
  out.ascii(OVERFLOW);
  const from = r.overflowFrom[j];
  const to = r.overflowFrom[j + 1];
  for (let k = from; k < to; k++) {
    if (k > from) out.ascii(COMMA);
    const o = r.overflow[k];
    out.ascii(ADDRESS);
    writeAddress(o.address, 0, out);
    out.ascii(TOPHASH);
    out.byteArray(o.bytes, th, bucketCnt);
    out.ascii(CLOSE);
  }
  out.ascii(CLOSE_LIST);
}

/** A table as contract.ts swissJson lists it (one line: its groups inline). */
function writeTable(t: TableData, ctrlOffset: number, littleEndian: boolean, out: JsonOut): void {
  out.ascii(ADDRESS);
  writeAddress(t.address, 0, out);
  out.ascii(INDEX);
  out.int(t.index);
  out.ascii(LOCAL_DEPTH);
  out.int(t.localDepth);
  out.ascii(CAPACITY);
  out.int(t.capacity);
  out.ascii(USED);
  out.int(t.used);
  out.ascii(GROWTH_LEFT);
  out.int(t.growthLeft);
  out.ascii(GROUPS);
  const a = t.groupArray;
  for (let k = 0; k < a.count; k++) {
    if (k > 0) out.ascii(COMMA);
    writeGroup(a, k, ctrlOffset, littleEndian, out);
  }
  out.ascii(CLOSE_LIST);
}

/** What contract.ts groupJson gives for group k of the array, from its bytes. */
function writeGroup(a: GroupArray, k: number, ctrlOffset: number, littleEndian: boolean, out: JsonOut): void {
  out.ascii(ADDRESS);
  writeAddress(a.address, k * a.groupSize, out);
  out.ascii(CTRL);
  // Slot s's ctrl byte is byte s of the native-endian control word (maps/swiss/ctrl.ts).
  out.byteArray(a.bytes, k * a.groupSize + ctrlOffset, groupSlots, !littleEndian);
  out.ascii(CLOSE);
}

/** The last base split into halves: a run's buckets and a table's groups share one. */
const halves = new AddressHalves();

/** The address `offset` bytes past `base`, as "0x…", with no bigint made for it. */
function writeAddress(base: bigint, offset: number, out: JsonOut): void {
  halves.set(base, offset);
  out.hexAddress(halves.hi, halves.lo);
}
