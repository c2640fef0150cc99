/**
 * Decoder for Go's Swiss-table maps (internal/runtime/maps, Go 1.24+).
 *
 * A Map is either small — dirLen 0, and dirPtr points straight at one group of 8 slots (or is
 * nil until the first write) — or a directory of 2^globalDepth table pointers. A table with
 * localDepth < globalDepth fills 2^(globalDepth-localDepth) consecutive directory entries, so
 * tables are listed once, in the order the directory first points at them. A table owns an
 * array of lengthMask+1 groups; a group is a control word followed by 8 key/elem slots.
 * Grows are done whole within one write, so there is no half-moved state to reconcile.
 *
 * Pure: reads come from the Memory it is given: the header, the directory, all tables in one
 * batched read, then every table's group array in one more.
 */
import type { SwissLayout } from '../../layout/map-layout.js';
import { readInt, readUint } from '../../target/bytes.js';
import { readExact, type Memory } from '../../target/target.js';
import { MAX_ARRAY_BYTES } from '../limits.js';
import { CorruptMapError, type EntryRef, type SwissGroup, type SwissSnapshot, type SwissTable } from '../snapshot.js';
import { ctrlBytes, groupSlots, isFull } from './ctrl.js';

/** globalDepth is at most the hash width; a directory over 2^24 entries is garbage. */
const MAX_DIR_LEN = 1 << 24;
/** maxTableCapacity is 1024 slots; allow generous slack for future runtimes. */
const MAX_GROUPS_PER_TABLE = 1 << 20;

export async function decodeSwiss(mem: Memory, layout: SwissLayout, address: bigint): Promise<SwissSnapshot> {
  const m = layout.map;
  const header = await readExact(mem, address, m.size);
  const u = (f: { offset: number; size: number }) => readUint(header, f.offset, f.size, mem);
  const used = Number(u(m.used));
  const dirPtr = u(m.dirPtr);
  const dirLen = Number(readInt(header, m.dirLen.offset, m.dirLen.size, mem));
  const globalDepth = Number(u(m.globalDepth));
  const warnings: string[] = [];
  const entries: EntryRef[] = [];
  let smallGroup: SwissGroup | null = null;
  const tables: SwissTable[] = [];

  // A write toggles Map.writing for its duration: caught mid-write, a group or table may be half updated.
  const writing = Number(u(m.writing));
  if (writing !== 0) warnings.push(`caught mid-write (Map.writing is ${writing}): a goroutine was writing the map, so what was read may be inconsistent`);
  if (dirLen < 0 || dirLen > MAX_DIR_LEN) throw new CorruptMapError(`Map.dirLen is ${dirLen}, in the Map at 0x${address.toString(16)}`);
  if (dirLen === 0) {
    if (dirPtr !== 0n) {
      const g = await readExact(mem, dirPtr, layout.group.size);
      smallGroup = group(mem, layout, dirPtr, g, entries);
    } else if (used !== 0) {
      throw new CorruptMapError(`Map.used is ${used} but the map has no group, in the Map at 0x${address.toString(16)}`);
    }
  } else {
    if (dirLen !== 2 ** globalDepth) throw new CorruptMapError(`Map.dirLen ${dirLen} is not 2^globalDepth (globalDepth ${globalDepth}), in the Map at 0x${address.toString(16)}`);
    const ps = mem.pointerSize;
    const dir = await readExact(mem, dirPtr, dirLen * ps);
    const distinct: bigint[] = [];
    const seen = new Set<bigint>();
    for (let i = 0; i < dirLen; i++) {
      const t = readUint(dir, i * ps, ps, mem);
      if (t === 0n) throw new CorruptMapError(`directory entry ${i} is nil (at 0x${(dirPtr + BigInt(i * ps)).toString(16)})`);
      if (!seen.has(t)) {
        seen.add(t);
        distinct.push(t);
      }
    }
    const tl = layout.table;
    const tableBytes = await mem.readMany(distinct.map((address) => ({ address, length: tl.size })));
    const heads = tableBytes.map((r, i) => {
      if (!r.ok) throw new CorruptMapError(`table 0x${distinct[i].toString(16)} is unreadable: ${r.error}`);
      const b = r.bytes;
      const lengthMask = readUint(b, tl.groupsLengthMask.offset, tl.groupsLengthMask.size, mem);
      if (lengthMask >= BigInt(MAX_GROUPS_PER_TABLE)) throw new CorruptMapError(`table 0x${distinct[i].toString(16)} has lengthMask ${lengthMask}`);
      return {
        address: distinct[i],
        used: Number(readUint(b, tl.used.offset, tl.used.size, mem)),
        capacity: Number(readUint(b, tl.capacity.offset, tl.capacity.size, mem)),
        growthLeft: Number(readUint(b, tl.growthLeft.offset, tl.growthLeft.size, mem)),
        localDepth: Number(readUint(b, tl.localDepth.offset, tl.localDepth.size, mem)),
        index: Number(readInt(b, tl.index.offset, tl.index.size, mem)),
        data: readUint(b, tl.groupsData.offset, tl.groupsData.size, mem),
        groupCount: Number(lengthMask) + 1,
      };
    });
    const gs = layout.group.size;
    // Each table's lengthMask is bounded above; so is their sum, or 2^24 tables of 2^20 groups could ask for petabytes.
    let total = 0;
    for (const t of heads) {
      total += t.groupCount * gs;
      if (total > MAX_ARRAY_BYTES) throw new CorruptMapError(`table 0x${t.address.toString(16)}: the tables' group arrays add up to over ${MAX_ARRAY_BYTES} bytes`);
    }
    const arrays = await mem.readMany(heads.map((t) => ({ address: t.data, length: t.groupCount * gs })));
    heads.forEach((t, i) => {
      const r = arrays[i];
      if (!r.ok) throw new CorruptMapError(`groups of table 0x${t.address.toString(16)} are unreadable: ${r.error}`);
      if (t.capacity !== t.groupCount * groupSlots) {
        warnings.push(`table 0x${t.address.toString(16)}: capacity ${t.capacity} but ${t.groupCount} groups`);
      }
      const before = entries.length;
      const groups: SwissGroup[] = [];
      for (let j = 0; j < t.groupCount; j++) {
        const address = t.data + BigInt(j * gs);
        groups.push(group(mem, layout, address, r.bytes.subarray(j * gs, (j + 1) * gs), entries));
      }
      if (entries.length - before !== t.used) {
        warnings.push(`table 0x${t.address.toString(16)}: ${entries.length - before} full slots but used is ${t.used}`);
      }
      const { data: _data, groupCount: _count, ...rest } = t;
      tables.push({ ...rest, groups });
    });
  }
  if (entries.length !== used) warnings.push(`found ${entries.length} full slots but Map.used is ${used}`);

  return {
    implementation: 'swiss',
    address,
    used,
    seed: u(m.seed),
    dirPtr,
    dirLen,
    globalDepth,
    globalShift: Number(u(m.globalShift)),
    writing,
    tombstonePossible: m.tombstonePossible ? u(m.tombstonePossible) !== 0n : undefined,
    clearSeq: u(m.clearSeq),
    smallGroup,
    tables,
    entries,
    warnings,
  };
}

/** Decodes one group's control bytes and appends its full slots. */
function group(mem: Memory, layout: SwissLayout, address: bigint, bytes: Uint8Array, out: EntryRef[]): SwissGroup {
  const g = layout.group;
  const ctrl = ctrlBytes(bytes.subarray(g.ctrl.offset, g.ctrl.offset + 8), mem.littleEndian);
  const ps = mem.pointerSize;
  for (let s = 0; s < groupSlots; s++) {
    if (!isFull(ctrl[s])) continue;
    const slot = g.slots.offset + s * g.slotSize;
    const keyOff = slot + g.keyOff;
    const elemOff = slot + g.elemOff;
    const key = layout.indirectKey ? readUint(bytes, keyOff, ps, mem) : address + BigInt(keyOff);
    const value = layout.indirectElem ? readUint(bytes, elemOff, ps, mem) : address + BigInt(elemOff);
    out.push({ key, value });
  }
  return { address, ctrl };
}
