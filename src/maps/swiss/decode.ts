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
import { ctrlBytes } from './ctrl.js';
import { collectGroup, readSwissHeader, swissChunks } from './walk.js';

export async function decodeSwiss(mem: Memory, layout: SwissLayout, address: bigint): Promise<SwissSnapshot> {
  const h = await readSwissHeader(mem, layout, address);
  const slots = new EntrySlots(layout.indirectKey, layout.indirectElem, mem);
  const le = mem.littleEndian;
  const g = layout.group;
  const group = (at: bigint, bytes: Uint8Array): SwissGroup => {
    collectGroup(layout, at, bytes, le, slots);
    return { address: at, ctrl: ctrlBytes(bytes.subarray(g.ctrl.offset, g.ctrl.offset + 8), le) };
  };
  let smallGroup: SwissGroup | null = null;
  const tables: SwissTable[] = [];
  for await (const chunk of swissChunks(mem, layout, h)) {
    if (chunk.small) smallGroup = group(chunk.small.address, chunk.small.bytes);
    for (const { head, groups: bytes } of chunk.tables) {
      const groups: SwissGroup[] = new Array(head.groupCount);
      for (let j = 0; j < head.groupCount; j++) groups[j] = group(head.data + BigInt(j * g.size), bytes.subarray(j * g.size, (j + 1) * g.size));
      const { data: _data, groupCount: _count, ...rest } = head;
      tables.push({ ...rest, groups });
    }
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
