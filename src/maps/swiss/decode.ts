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
import type { CachedMemory } from '../../target/cache.js';
import type { Memory } from '../../target/target.js';
import { EntrySlots } from '../slots.js';
import type { EntryRef, GroupArray, SwissGroup, SwissSnapshot, SwissTable } from '../snapshot.js';
import type { DecodeOptions } from '../classic/decode.js';
import { ctrlBytes } from './ctrl.js';
import { collectGroups, countFull, parseSwissHeader, readSwissHeader, swissChunks, type SwissHeader, type TableHead } from './walk.js';

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
  return snapshotOf(mem, layout, h, smallGroup, small, tables);
}

/**
 * A small map (dirLen 0: one group, or none) decoded at once from memory already read, or
 * undefined when it is not one or its bytes are not all there (then decodeSwiss). `top` measures
 * 100,000 of them from a copy of the process: the async walk's awaits and objects were most of it.
 */
export function decodeSmallSwiss(mem: CachedMemory, layout: SwissLayout, address: bigint): SwissSnapshot | undefined {
  const bytes = mem.peek(address, layout.map.size);
  if (!(bytes instanceof Uint8Array)) return undefined;
  const h = parseSwissHeader(layout, address, bytes, mem);
  if (h.dirLen !== 0) return undefined;
  if (h.dirPtr === 0n) {
    if (h.used !== 0) return undefined; // the walker says what is wrong
    return snapshotOf(mem, layout, h, null, undefined, []);
  }
  const group = mem.peek(h.dirPtr, layout.group.size);
  if (!(group instanceof Uint8Array)) return undefined;
  const full = countFull(layout, group, 1);
  if (full !== h.used) h.warnings.push(`found ${full} full slots but Map.used is ${h.used}`);
  const small = { address: h.dirPtr, bytes: group };
  return snapshotOf(mem, layout, h, groupAt(layout, h.dirPtr, group, 0, mem.littleEndian), small, []);
}

function snapshotOf(
  mem: Memory,
  layout: SwissLayout,
  h: SwissHeader,
  smallGroup: SwissGroup | null,
  small: { address: bigint; bytes: Uint8Array } | undefined,
  tables: SwissTable[],
): SwissSnapshot {
  return new DecodedSwiss(mem, layout, h, smallGroup, small, tables);
}

/**
 * The snapshot as a class, its entries' columns made on first use: an object literal with getters
 * and the closures behind them cost a tenth of measuring 100,000 small maps.
 */
class DecodedSwiss implements SwissSnapshot {
  readonly implementation = 'swiss';
  readonly address: bigint;
  readonly used: number;
  readonly seed: bigint;
  readonly dirPtr: bigint;
  readonly dirLen: number;
  readonly globalDepth: number;
  readonly globalShift: number;
  readonly writing: number;
  readonly tombstonePossible: boolean | undefined;
  readonly clearSeq: bigint;
  readonly warnings: string[];
  private made: EntrySlots | undefined;

  constructor(
    private readonly mem: Memory,
    private readonly layout: SwissLayout,
    h: SwissHeader,
    readonly smallGroup: SwissGroup | null,
    private readonly small: { address: bigint; bytes: Uint8Array } | undefined,
    readonly tables: SwissTable[],
  ) {
    this.address = h.address;
    this.used = h.used;
    this.seed = h.seed;
    this.dirPtr = h.dirPtr;
    this.dirLen = h.dirLen;
    this.globalDepth = h.globalDepth;
    this.globalShift = h.globalShift;
    this.writing = h.writing;
    this.tombstonePossible = h.tombstonePossible;
    this.clearSeq = h.clearSeq;
    this.warnings = h.warnings;
  }

  get slots(): EntrySlots {
    if (!this.made) {
      const { layout, mem, small } = this;
      const slots = new EntrySlots(layout.indirectKey, layout.indirectElem, mem, this.used);
      if (small) collectGroups(layout, small.address, small.bytes, 1, mem.littleEndian, slots);
      for (const t of this.tables) collectGroups(layout, t.groupArray.address, t.groupArray.bytes, t.groupArray.count, mem.littleEndian, slots);
      this.made = slots;
    }
    return this.made;
  }

  get entries(): EntryRef[] {
    return this.slots.refs();
  }
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
