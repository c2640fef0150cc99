/**
 * Decoder for Go's Swiss-table maps: the header, each table once with every group's control
 * bytes, and every full slot, kept as a snapshot (./walk.ts walks the map; see it for the
 * runtime's rules).
 *
 * Pure: reads come from the Memory it is given: the header, the directory, all tables in one
 * batched read, then every table's group array in one more. Group arrays stay as read; the
 * snapshot's group objects are made from them only when asked for.
 */
import type { SwissLayout } from '../../layout/map-layout.js';
import type { Memory } from '../../target/target.js';
import { EntrySlots } from '../slots.js';
import type { GroupArray, SwissGroup, SwissSnapshot, SwissTable } from '../snapshot.js';
import type { DecodeOptions } from '../classic/decode.js';
import { ctrlBytes } from './ctrl.js';
import { collectGroups, readSwissHeader, swissChunks, type TableHead } from './walk.js';

export async function decodeSwiss(mem: Memory, layout: SwissLayout, address: bigint, opts: DecodeOptions = {}): Promise<SwissSnapshot> {
  const h = await readSwissHeader(mem, layout, address);
  const le = mem.littleEndian;
  let smallGroup: SwissGroup | null = null;
  let small: { address: bigint; bytes: Uint8Array } | undefined;
  const tables: SwissTable[] = [];
  // The walk only counts the full slots (for the checks against used); the entries are
  // collected from the groups kept here when first asked for (renderers, the analysis).
  for await (const chunk of swissChunks(mem, layout, h, undefined, opts.chunkBytes)) {
    if (chunk.small) {
      small = chunk.small;
      smallGroup = groupAt(layout, chunk.small.address, chunk.small.bytes, 0, le);
    }
    for (const t of chunk.tables) tables.push(tableOf(layout, t.head, t.groups, le));
    opts.progress?.(chunk.found, h.used);
  }
  let slots: EntrySlots | undefined;
  const entrySlots = (): EntrySlots => {
    if (!slots) {
      slots = new EntrySlots(layout.indirectKey, layout.indirectElem, mem, h.used);
      if (small) collectGroups(layout, small.address, small.bytes, 1, le, slots);
      for (const t of tables) collectGroups(layout, t.groupArray.address, t.groupArray.bytes, t.groupArray.count, le, slots);
    }
    return slots;
  };
  return {
    implementation: 'swiss',
    address,
    used: h.used,
    seed: h.seed,
    dirPtr: h.dirPtr,
    dirLen: h.dirLen,
    globalDepth: h.globalDepth,
    globalShift: h.globalShift,
    writing: h.writing,
    tombstonePossible: h.tombstonePossible,
    clearSeq: h.clearSeq,
    smallGroup,
    tables,
    get slots() {
      return entrySlots();
    },
    get entries() {
      return entrySlots().refs();
    },
    warnings: h.warnings,
  };
}

/** The group at `at` of `bytes` (read from `address`): its address and ctrl bytes. */
export function groupAt(layout: SwissLayout, address: bigint, bytes: Uint8Array, at: number, littleEndian: boolean): SwissGroup {
  return { address, ctrl: ctrlBytes(bytes, at + layout.group.ctrl.offset, littleEndian) };
}

/** A table as the snapshot keeps it: its header, its group array as read, and group objects made on first use. */
export function tableOf(layout: SwissLayout, head: TableHead, bytes: Uint8Array, littleEndian: boolean): SwissTable {
  const gs = layout.group.size;
  const groupArray: GroupArray = { address: head.data, count: head.groupCount, groupSize: gs, bytes };
  let groups: SwissGroup[] | undefined;
  // The header's fields named, not spread: a rest-and-spread per table was most of the time
  // the decoder spent on two thousand tables after reading them.
  return {
    address: head.address,
    index: head.index,
    localDepth: head.localDepth,
    capacity: head.capacity,
    used: head.used,
    growthLeft: head.growthLeft,
    groupArray,
    get groups() {
      if (!groups) {
        groups = new Array(head.groupCount);
        const step = BigInt(gs);
        let address = head.data;
        for (let j = 0; j < head.groupCount; j++, address += step) groups[j] = groupAt(layout, address, bytes, j * gs, littleEndian);
      }
      return groups;
    },
  };
}
