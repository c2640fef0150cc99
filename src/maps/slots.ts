/**
 * Where a map's entries are, column by column: for entry i, the block of target memory that
 * holds it (a run of buckets or groups as read, or one overflow bucket) and the offsets of its
 * key and elem slots in that block.
 *
 * A million entries as objects with two bigint addresses cost a quarter of a second and much
 * of the garbage collector's time; as columns they cost three numbers each, and renderers read
 * keys and elems straight from the bytes already in hand. Blocks are whole reads, not one view
 * per bucket: a quarter million subarrays were themselves a tenth of a second. `refs()` still
 * gives the addresses, following indirect (over 128-byte) slots, for the consumers that want them.
 */
import { readUint, type ByteOrder } from '../target/bytes.js';
import { doubled } from '../target/columns.js';
import type { EntryRef } from './snapshot.js';

export interface SlotOrder extends ByteOrder {
  readonly pointerSize: 4 | 8;
}

/** What a walker hands live cells to: the decoder's EntrySlots, or a streaming reader's. */
export interface CellSink {
  /** Registers a block of memory read at `address` that holds cells; returns its id for push. */
  holder(bytes: Uint8Array, address: bigint): number;
  /** A live cell whose key and elem slots are at keyOff and elemOff of holder `id`. */
  push(id: number, keyOff: number, elemOff: number): void;
}

export class EntrySlots implements CellSink {
  private n = 0;
  private readonly blocks: Uint8Array[] = [];
  private readonly blockAddress: bigint[] = [];
  private blockOf: Uint32Array;
  private keyAt: Uint32Array;
  private elemAt: Uint32Array;
  private refsCache: EntryRef[] | undefined;

  constructor(
    readonly indirectKey: boolean,
    readonly indirectElem: boolean,
    readonly order: SlotOrder,
    /** Entries expected (the header's count): room is made for them at once, within reason. */
    expected = 0,
  ) {
    // The count comes from target memory: trusted for sizing only up to a bound, and grown past it.
    const size = Math.max(8, Math.min(expected, 1 << 24));
    this.blockOf = new Uint32Array(size);
    this.keyAt = new Uint32Array(size);
    this.elemAt = new Uint32Array(size);
  }

  get length(): number {
    return this.n;
  }

  holder(bytes: Uint8Array, address: bigint): number {
    this.blocks.push(bytes);
    this.blockAddress.push(address);
    return this.blocks.length - 1;
  }

  push(id: number, keyOff: number, elemOff: number): void {
    const i = this.n;
    if (i === this.keyAt.length) this.grow();
    this.blockOf[i] = id;
    this.keyAt[i] = keyOff;
    this.elemAt[i] = elemOff;
    this.n = i + 1;
    this.refsCache = undefined;
  }

  /** The block holding entry i; its key and elem are at keyOffset(i) and elemOffset(i) in it. */
  block(i: number): Uint8Array {
    return this.blocks[this.blockOf[i]];
  }

  keyOffset(i: number): number {
    return this.keyAt[i];
  }

  elemOffset(i: number): number {
    return this.elemAt[i];
  }

  /** The key's address: in the slot, or where the slot points for an indirect key. */
  keyAddress(i: number): bigint {
    return this.indirectKey ? readUint(this.block(i), this.keyAt[i], this.order.pointerSize, this.order) : this.blockAddress[this.blockOf[i]] + BigInt(this.keyAt[i]);
  }

  elemAddress(i: number): bigint {
    return this.indirectElem ? readUint(this.block(i), this.elemAt[i], this.order.pointerSize, this.order) : this.blockAddress[this.blockOf[i]] + BigInt(this.elemAt[i]);
  }

  /** Every entry's key and elem addresses, made once on first use. */
  refs(): EntryRef[] {
    if (!this.refsCache) {
      const out: EntryRef[] = new Array(this.n);
      for (let i = 0; i < this.n; i++) out[i] = { key: this.keyAddress(i), value: this.elemAddress(i) };
      this.refsCache = out;
    }
    return this.refsCache;
  }

  private grow(): void {
    this.blockOf = doubled(this.blockOf);
    this.keyAt = doubled(this.keyAt);
    this.elemAt = doubled(this.elemAt);
  }
}
