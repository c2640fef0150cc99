/**
 * What a decoded map shows that no map of its type could hold: the signs left when memory is
 * read as the wrong map type (or is damaged). The decoders already count live slots against the
 * header's count; this adds the bytes the runtime never writes:
 * - classic: an evacuation mark (evacuatedX/Y/Empty) in the current bucket array, an old
 *   bucket half evacuated, a live or deleted cell after emptyRest in its chain (emptyRest means
 *   "and every later cell of the chain is empty": runtime/map.go mapdelete keeps it so);
 * - Swiss: a control byte that is neither empty (0x80), deleted (0xfe) nor full (below 0x80), and
 *   a deleted slot in a small map's group (deleteSmall empties slots, it never leaves tombstones);
 * - strings (keys or elems stored in their slots): a negative length, or data that cannot be read
 *   (checked on a bounded sample, in one batched read); bools other than 0 and 1.
 * Pure but for the one read of string bytes.
 */
import type { MapLayout } from '../layout/map-layout.js';
import type { GoType } from '../layout/gotype.js';
import { readInt, readUint } from '../target/bytes.js';
import type { Memory, MemRange } from '../target/target.js';
import type { BucketArray } from './classic/buckets.js';
import { bucketCnt, emptyRest, evacuatedEmpty, evacuatedX } from './classic/tophash.js';
import type { MapSnapshot } from './snapshot.js';
import { ctrlDeleted, ctrlEmpty } from './swiss/ctrl.js';

/** Entries whose strings and bools are looked at. */
export const SAMPLE_ENTRIES = 256;

const isMark = (t: number) => t >= evacuatedX && t <= evacuatedEmpty;

interface Tally {
  n: number;
  first: string;
}

function note(t: Tally, where: () => string): void {
  if (t.n++ === 0) t.first = where();
}

function hex(a: bigint): string {
  return '0x' + a.toString(16);
}

/** Evacuation marks and cells after emptyRest, over an array's chains; `old`: marks are expected, whole buckets of them. */
function tophashFindings(array: BucketArray, old: boolean, out: string[]): void {
  const marks: Tally = { n: 0, first: '' };
  const half: Tally = { n: 0, first: '' };
  const afterRest: Tally = { n: 0, first: '' };
  const size = array.bucketSize;
  const th = array.tophashOffset;
  for (const run of array.runs) {
    for (let j = 0; j < run.count; j++) {
      const chain: { bytes: Uint8Array; at: number; address: bigint }[] = [{ bytes: run.bytes, at: j * size + th, address: run.address + BigInt(j * size) }];
      for (let o = run.overflowFrom[j]; o < run.overflowFrom[j + 1]; o++) chain.push({ bytes: run.overflow[o].bytes, at: th, address: run.overflow[o].address });
      const evacuated = old && isMark(run.bytes[j * size + th]);
      let rest = false;
      for (const b of chain) {
        for (let s = 0; s < bucketCnt; s++) {
          const t = b.bytes[b.at + s];
          if (evacuated) {
            if (!isMark(t)) note(half, () => `bucket ${hex(b.address)}`);
            continue;
          }
          if (isMark(t)) note(marks, () => `bucket ${hex(b.address)} cell ${s}: ${t}`);
          else if (rest && t !== emptyRest) note(afterRest, () => `bucket ${hex(b.address)} cell ${s}: ${t}`);
          if (t === emptyRest) rest = true;
        }
      }
    }
  }
  const what = old ? 'old bucket array' : 'bucket array';
  if (marks.n > 0) out.push(`${marks.n} tophash bytes of the ${what} are evacuation marks, which only evacuated old buckets hold (first: ${marks.first})`);
  if (half.n > 0) out.push(`${half.n} cells of evacuated old buckets are not marked evacuated (first: ${half.first})`);
  if (afterRest.n > 0) out.push(`${afterRest.n} cells of the ${what} follow an emptyRest cell but are not empty (first: ${afterRest.first})`);
}

interface CtrlTallies {
  readonly bad: Tally;
  readonly deleted: Tally;
}

/** Control bytes of `count` groups back to back from `at` in `bytes`; their order within a word does not matter here. */
function ctrlScan(t: CtrlTallies, bytes: Uint8Array, address: bigint, at: number, count: number, groupSize: number, small: boolean): void {
  for (let g = 0; g < count; g++) {
    for (let s = 0; s < 8; s++) {
      const c = bytes[at + g * groupSize + s];
      const where = () => `0x${c.toString(16)} in group ${hex(address + BigInt(g * groupSize))}`;
      if (c === ctrlDeleted) {
        if (small) note(t.deleted, where);
      } else if (c !== ctrlEmpty && c >= 0x80) note(t.bad, where);
    }
  }
}

interface SlotCheck {
  readonly what: string;
  readonly type: GoType;
  readonly offset: (i: number) => number;
}

/** Strings and bools of a sample of entries: impossible values, and string data that cannot be read. */
async function valueFindings(mem: Memory, layout: MapLayout, snapshot: MapSnapshot, out: string[]): Promise<void> {
  const slots = snapshot.slots;
  const checks: SlotCheck[] = [];
  if (!layout.indirectKey) checks.push({ what: 'key', type: layout.key, offset: (i) => slots.keyOffset(i) });
  if (!layout.indirectElem) checks.push({ what: 'elem', type: layout.elem, offset: (i) => slots.elemOffset(i) });
  const wanted = checks.filter((c) => c.type.kind === 'string' || c.type.kind === 'bool');
  if (wanted.length === 0 || slots.length === 0) return;
  const n = Math.min(slots.length, SAMPLE_ENTRIES);
  const step = slots.length / n;
  const ps = mem.pointerSize;
  const top = 1n << BigInt(ps * 8);
  const reads: MemRange[] = [];
  const readOf: { what: string; data: bigint; len: bigint }[] = [];
  for (const c of wanted) {
    const badBool: Tally = { n: 0, first: '' };
    const badLen: Tally = { n: 0, first: '' };
    for (let k = 0; k < n; k++) {
      const i = Math.floor(k * step);
      const block = slots.block(i);
      const at = c.offset(i);
      if (c.type.kind === 'bool') {
        if (block[at] > 1) note(badBool, () => `${block[at]}`);
        continue;
      }
      const data = readUint(block, at, ps, mem);
      const len = readInt(block, at + ps, ps, mem);
      if (len < 0n || (len > 0n && (data === 0n || data + len > top))) {
        note(badLen, () => `data ${hex(data)}, len ${len}`);
        continue;
      }
      if (len === 0n) continue;
      // Its first and last byte: a length read from the wrong bytes runs off its mapping.
      reads.push({ address: data, length: 1 }, { address: data + len - 1n, length: 1 });
      readOf.push({ what: c.what, data, len });
    }
    if (badBool.n > 0) out.push(`${badBool.n} of ${n} bool ${c.what}s sampled are neither 0 nor 1 (first: ${badBool.first})`);
    if (badLen.n > 0) out.push(`${badLen.n} of ${n} string ${c.what}s sampled have impossible headers (first: ${badLen.first})`);
  }
  if (reads.length === 0) return;
  const got = await mem.readMany(reads);
  const nowhere = new Map<string, Tally>();
  readOf.forEach((r, j) => {
    if (got[2 * j].ok && got[2 * j + 1].ok) return;
    let t = nowhere.get(r.what);
    if (!t) nowhere.set(r.what, (t = { n: 0, first: '' }));
    note(t, () => `data ${hex(r.data)}, len ${r.len}`);
  });
  for (const [what, t] of nowhere) out.push(`${t.n} of ${n} string ${what}s sampled point at memory that cannot be read (first: ${t.first})`);
}

/** Every sign, in the decoded map, that its memory does not hold a map of its layout's type. */
export async function decodeInconsistencies(mem: Memory, layout: MapLayout, snapshot: MapSnapshot): Promise<string[]> {
  const out: string[] = [];
  if (snapshot.implementation === 'classic') {
    tophashFindings(snapshot.array, false, out);
    if (snapshot.oldArray) tophashFindings(snapshot.oldArray, true, out);
  } else if (layout.kind === 'swiss') {
    const t: CtrlTallies = { bad: { n: 0, first: '' }, deleted: { n: 0, first: '' } };
    const small = snapshot.smallGroup;
    if (small) ctrlScan(t, Uint8Array.from(small.ctrl), small.address, 0, 1, 8, true);
    for (const table of snapshot.tables) {
      const a = table.groupArray;
      ctrlScan(t, a.bytes, a.address, layout.group.ctrl.offset, a.count, a.groupSize, false);
    }
    if (t.bad.n > 0) out.push(`${t.bad.n} control bytes are neither empty (0x80), deleted (0xfe) nor full (below 0x80) (first: ${t.bad.first})`);
    if (t.deleted.n > 0) out.push(`the small map's group has ${t.deleted.n} deleted slots, which only tables have`);
  }
  await valueFindings(mem, layout, snapshot, out);
  return out;
}
