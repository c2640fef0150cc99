/**
 * Where a map's entries are, column by column: for entry i, the bucket or group that holds it
 * (its bytes and address) and the offsets of its key and elem slots in it.
 *
 * A million entries as objects with two bigint addresses cost a quarter of a second and much
 * of the garbage collector's time; as columns they cost four numbers each, and renderers read
 * keys and elems straight from the bytes already in hand. `refs()` still gives the addresses,
 * following indirect (over 128-byte) slots, for the consumers that want them.
 */
import { readUint, type ByteOrder } from '../target/bytes.js';
import type { EntryRef } from './snapshot.js';

export interface SlotOrder extends ByteOrder {
  readonly pointerSize: 4 | 8;
}

export class EntrySlots {
  private n = 0;
  private holder: Uint8Array[] = [];
  private base = new BigUint64Array(64);
  private keyAt = new Uint32Array(64);
  private elemAt = new Uint32Array(64);
  private refsCache: EntryRef[] | undefined;

  constructor(
    readonly indirectKey: boolean,
    readonly indirectElem: boolean,
    readonly order: SlotOrder,
  ) {}

  get length(): number {
    return this.n;
  }

  /** Appends the entry whose slots are at keyOff and elemOff of `bytes`, the block at `address`. */
  push(bytes: Uint8Array, address: bigint, keyOff: number, elemOff: number): void {
    const i = this.n;
    if (i === this.keyAt.length) this.grow();
    this.holder.push(bytes);
    this.base[i] = address;
    this.keyAt[i] = keyOff;
    this.elemAt[i] = elemOff;
    this.n = i + 1;
    this.refsCache = undefined;
  }

  /** The bucket or group holding entry i. */
  block(i: number): Uint8Array {
    return this.holder[i];
  }

  keyOffset(i: number): number {
    return this.keyAt[i];
  }

  elemOffset(i: number): number {
    return this.elemAt[i];
  }

  /** The key's address: in the slot, or where the slot points for an indirect key. */
  keyAddress(i: number): bigint {
    return this.indirectKey ? readUint(this.holder[i], this.keyAt[i], this.order.pointerSize, this.order) : this.base[i] + BigInt(this.keyAt[i]);
  }

  elemAddress(i: number): bigint {
    return this.indirectElem ? readUint(this.holder[i], this.elemAt[i], this.order.pointerSize, this.order) : this.base[i] + BigInt(this.elemAt[i]);
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
    const size = this.keyAt.length * 2;
    const base = new BigUint64Array(size);
    base.set(this.base);
    this.base = base;
    const keyAt = new Uint32Array(size);
    keyAt.set(this.keyAt);
    this.keyAt = keyAt;
    const elemAt = new Uint32Array(size);
    elemAt.set(this.elemAt);
    this.elemAt = elemAt;
  }
}
