/**
 * Walks a Swiss-table map (internal/runtime/maps, Go 1.24+) in chunks of tables, so that a
 * caller may keep everything (the decoder) or nothing (statistics, streamed entries).
 *
 * A Map is either small — dirLen 0, and dirPtr points straight at one group of 8 slots (or is
 * nil until the first write) — or a directory of 2^globalDepth table pointers. A table with
 * localDepth < globalDepth fills 2^(globalDepth-localDepth) consecutive directory entries, so
 * tables are listed once, in the order the directory first points at them. A table owns an
 * array of lengthMask+1 groups; a group is a control word followed by 8 key/elem slots.
 * Grows are done whole within one write, so there is no half-moved state to reconcile.
 *
 * Reads: the header, the directory, every table header in one batched read, then the group
 * arrays of as many tables as fit a chunk in one more.
 */
import type { SwissLayout } from '../../layout/map-layout.js';
import { readInt, readUint, readUintN, readWordNumber } from '../../target/bytes.js';
import { readExact, type Memory } from '../../target/target.js';
import type { CellSink } from '../slots.js';
import { MAX_ARRAY_BYTES } from '../limits.js';
import { CorruptMapError, type SwissMapHeader, type SwissTableHeader } from '../snapshot.js';
import { fullCtrl, wordsOf } from '../count.js';
import { fullMask, groupSlots } from './ctrl.js';

/** globalDepth is at most the hash width; a directory over 2^24 entries is garbage. */
const MAX_DIR_LEN = 1 << 24;
/** maxTableCapacity is 1024 slots; allow generous slack for future runtimes. */
const MAX_GROUPS_PER_TABLE = 1 << 20;

export interface SwissHeader extends SwissMapHeader {
  /** What the walk found wrong but could read past; appended to as the walk goes. */
  readonly warnings: string[];
}

export interface TableHead extends SwissTableHeader {
  /** Where its group array starts, and how many groups it has (lengthMask+1). */
  readonly data: bigint;
  readonly groupCount: number;
}

export interface SwissChunk {
  /** The small map's one group (dirLen 0): its address and bytes. */
  readonly small?: { readonly address: bigint; readonly bytes: Uint8Array };
  /** Tables in directory order, each with its whole group array. */
  readonly tables: readonly { readonly head: TableHead; readonly groups: Uint8Array }[];
  /** Full slots in this chunk and those before it. */
  readonly found: number;
}

export async function readSwissHeader(mem: Memory, layout: SwissLayout, address: bigint): Promise<SwissHeader> {
  return parseSwissHeader(layout, address, await readExact(mem, address, layout.map.size), mem);
}

/** The header from its bytes (read already: a decoder working from a copy needs no await). */
export function parseSwissHeader(layout: SwissLayout, address: bigint, header: Uint8Array, mem: { readonly littleEndian: boolean }): SwissHeader {
  const m = layout.map;
  const u = (f: { offset: number; size: number }) => readUint(header, f.offset, f.size, mem);
  const warnings: string[] = [];
  // A write toggles Map.writing for its duration: caught mid-write, a group or table may be half updated.
  const writing = Number(u(m.writing));
  if (writing !== 0) warnings.push(`caught mid-write (Map.writing is ${writing}): a goroutine was writing the map, so what was read may be inconsistent`);
  const dirLen = Number(readInt(header, m.dirLen.offset, m.dirLen.size, mem));
  if (dirLen < 0 || dirLen > MAX_DIR_LEN) throw new CorruptMapError(`Map.dirLen is ${dirLen}, in the Map at 0x${address.toString(16)}`);
  return {
    address,
    used: Number(u(m.used)),
    seed: u(m.seed),
    dirPtr: u(m.dirPtr),
    dirLen,
    globalDepth: Number(u(m.globalDepth)),
    globalShift: Number(u(m.globalShift)),
    writing,
    tombstonePossible: m.tombstonePossible ? u(m.tombstonePossible) !== 0n : undefined,
    clearSeq: u(m.clearSeq),
    warnings,
  };
}

/**
 * The map's groups, a chunk of about `chunkBytes` of group arrays at a time (all at once by
 * default), each chunk's full slots handed to `sink` before the chunk is yielded (without a
 * sink, only counted).
 */
export async function* swissChunks(mem: Memory, layout: SwissLayout, h: SwissHeader, sink: CellSink | undefined, chunkBytes = Infinity): AsyncGenerator<SwissChunk> {
  const at = `in the Map at 0x${h.address.toString(16)}`;
  const gs = layout.group.size;
  if (h.dirLen === 0) {
    if (h.dirPtr !== 0n) {
      const bytes = await readExact(mem, h.dirPtr, gs);
      const full = sink ? collectGroups(layout, h.dirPtr, bytes, 1, mem.littleEndian, sink) : countFull(layout, bytes, 1);
      if (full !== h.used) h.warnings.push(`found ${full} full slots but Map.used is ${h.used}`);
      yield { small: { address: h.dirPtr, bytes }, tables: [], found: full };
    } else if (h.used !== 0) {
      throw new CorruptMapError(`Map.used is ${h.used} but the map has no group, ${at}`);
    }
    return;
  }
  if (h.dirLen !== 2 ** h.globalDepth) throw new CorruptMapError(`Map.dirLen ${h.dirLen} is not 2^globalDepth (globalDepth ${h.globalDepth}), ${at}`);
  const heads = await tableHeads(mem, layout, h);
  let found = 0;
  for (let i = 0; i < heads.length; ) {
    // As many tables as fit the chunk, and at least one.
    let j = i;
    let bytes = 0;
    do bytes += heads[j++].groupCount * gs;
    while (j < heads.length && bytes + heads[j].groupCount * gs <= chunkBytes);
    const batch = heads.slice(i, j);
    const arrays = await mem.readMany(batch.map((t) => ({ address: t.data, length: t.groupCount * gs })));
    const tables = batch.map((head, k) => {
      const r = arrays[k];
      if (!r.ok) throw new CorruptMapError(`groups of table 0x${head.address.toString(16)} are unreadable: ${r.error}`);
      if (head.capacity !== head.groupCount * groupSlots) {
        h.warnings.push(`table 0x${head.address.toString(16)}: capacity ${head.capacity} but ${head.groupCount} groups`);
      }
      const full = sink ? collectGroups(layout, head.data, r.bytes, head.groupCount, mem.littleEndian, sink) : countFull(layout, r.bytes, head.groupCount);
      if (full !== head.used) h.warnings.push(`table 0x${head.address.toString(16)}: ${full} full slots but used is ${head.used}`);
      found += full;
      return { head, groups: r.bytes };
    });
    yield { tables, found };
    i = j;
  }
  if (found !== h.used) h.warnings.push(`found ${found} full slots but Map.used is ${h.used}`);
}

/** Each distinct table's header, in the order the directory first points at it. */
async function tableHeads(mem: Memory, layout: SwissLayout, h: SwissHeader): Promise<TableHead[]> {
  const ps = mem.pointerSize;
  const dir = await readExact(mem, h.dirPtr, h.dirLen * ps);
  const distinct: bigint[] = [];
  // Pointers as numbers below 2^53 (a directory holds up to millions), as bigints only above.
  const seen = new Set<number | bigint>();
  for (let i = 0; i < h.dirLen; i++) {
    const t = readWordNumber(dir, i * ps, ps, mem.littleEndian) ?? readUint(dir, i * ps, ps, mem);
    if (t === 0) throw new CorruptMapError(`directory entry ${i} is nil (at 0x${(h.dirPtr + BigInt(i * ps)).toString(16)})`);
    if (!seen.has(t)) {
      seen.add(t);
      distinct.push(BigInt(t));
    }
  }
  const tl = layout.table;
  const tableBytes = await mem.readMany(distinct.map((address) => ({ address, length: tl.size })));
  const heads = tableBytes.map((r, i): TableHead => {
    if (!r.ok) throw new CorruptMapError(`table 0x${distinct[i].toString(16)} is unreadable: ${r.error}`);
    const b = r.bytes;
    const lengthMask = readUintN(b, tl.groupsLengthMask.offset, tl.groupsLengthMask.size, mem);
    if (lengthMask >= MAX_GROUPS_PER_TABLE) throw new CorruptMapError(`table 0x${distinct[i].toString(16)} has lengthMask ${lengthMask}`);
    return {
      address: distinct[i],
      used: readUintN(b, tl.used.offset, tl.used.size, mem),
      capacity: readUintN(b, tl.capacity.offset, tl.capacity.size, mem),
      growthLeft: readUintN(b, tl.growthLeft.offset, tl.growthLeft.size, mem),
      localDepth: readUintN(b, tl.localDepth.offset, tl.localDepth.size, mem),
      index: Number(readInt(b, tl.index.offset, tl.index.size, mem)),
      data: readUint(b, tl.groupsData.offset, tl.groupsData.size, mem),
      groupCount: lengthMask + 1,
    };
  });
  // Each table's lengthMask is bounded above; so is their sum, or 2^24 tables of 2^20 groups could ask for petabytes.
  let total = 0;
  for (const t of heads) {
    total += t.groupCount * layout.group.size;
    if (total > MAX_ARRAY_BYTES) throw new CorruptMapError(`table 0x${t.address.toString(16)}: the tables' group arrays add up to over ${MAX_ARRAY_BYTES} bytes`);
  }
  return heads;
}

/** Full slots of `count` groups back to back in `bytes`, counted a word at a time (each control byte is one slot's, in either byte order). */
export function countFull(layout: SwissLayout, bytes: Uint8Array, count: number): number {
  const g = layout.group;
  const words = wordsOf(bytes);
  let n = 0;
  for (let k = 0; k < count; k++) n += fullCtrl(bytes, words, k * g.size + g.ctrl.offset);
  return n;
}

/** Hands every full slot of `count` groups back to back in `bytes` (read at `address`) to `sink`; returns how many. */
export function collectGroups(layout: SwissLayout, address: bigint, bytes: Uint8Array, count: number, littleEndian: boolean, sink: CellSink): number {
  const g = layout.group;
  const id = sink.holder(bytes, address);
  const words = wordsOf(bytes);
  let n = 0;
  for (let k = 0, at = 0; k < count; k++, at += g.size) {
    const full = fullMask(bytes, at + g.ctrl.offset, littleEndian, words);
    for (let s = 0; s < groupSlots; s++) {
      if ((full & (1 << s)) === 0) continue;
      sink.push(id, at + g.keysOff + s * g.keyStride, at + g.elemsOff + s * g.elemStride);
      n++;
    }
  }
  return n;
}
