/**
 * Decoder for Go's Swiss-table maps: the header, each table once with every group's control
 * bytes, and every full slot, kept as a snapshot (./walk.ts walks the map; see it for the
 * runtime's rules).
 *
 * Pure: reads come from the Memory it is given: the header, the directory, all tables in one
 * batched read, then every table's group array in one more.
 */
import type { SwissLayout } from '../../layout/map-layout.js';
import type { Memory } from '../../target/target.js';
import { EntrySlots } from '../slots.js';
import type { SwissGroup, SwissSnapshot, SwissTable } from '../snapshot.js';
import type { DecodeOptions } from '../classic/decode.js';
import type { CellSink } from '../classic/walk.js';
import { ctrlBytes } from './ctrl.js';
import { collectGroup, readSwissHeader, swissChunks, type TableHead } from './walk.js';

export async function decodeSwiss(mem: Memory, layout: SwissLayout, address: bigint, opts: DecodeOptions = {}): Promise<SwissSnapshot> {
  const h = await readSwissHeader(mem, layout, address);
  const slots = new EntrySlots(layout.indirectKey, layout.indirectElem, mem);
  const le = mem.littleEndian;
  let smallGroup: SwissGroup | null = null;
  const tables: SwissTable[] = [];
  for await (const chunk of swissChunks(mem, layout, h, opts.chunkBytes)) {
    if (chunk.small) smallGroup = groupOf(layout, chunk.small.address, chunk.small.bytes, le, slots);
    for (const t of chunk.tables) tables.push(tableOf(layout, t.head, t.groups, le, slots));
    opts.progress?.(slots.length, h.used);
  }
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
    slots,
    get entries() {
      return slots.refs();
    },
    warnings: h.warnings,
  };
}

/** A group as the snapshot keeps it (address and ctrl bytes); its full slots go to `sink`. */
export function groupOf(layout: SwissLayout, address: bigint, bytes: Uint8Array, littleEndian: boolean, sink?: CellSink): SwissGroup {
  if (sink) collectGroup(layout, address, bytes, littleEndian, sink);
  return { address, ctrl: ctrlBytes(bytes, layout.group.ctrl.offset, littleEndian) };
}

/** A table and its groups as the snapshot keeps them; full slots go to `sink`. */
export function tableOf(layout: SwissLayout, head: TableHead, bytes: Uint8Array, littleEndian: boolean, sink?: CellSink): SwissTable {
  const gs = layout.group.size;
  const step = BigInt(gs);
  const groups: SwissGroup[] = new Array(head.groupCount);
  let address = head.data;
  for (let j = 0; j < head.groupCount; j++, address += step) groups[j] = groupOf(layout, address, bytes.subarray(j * gs, (j + 1) * gs), littleEndian, sink);
  const { data: _data, groupCount: _count, ...rest } = head;
  return { ...rest, groups };
}
