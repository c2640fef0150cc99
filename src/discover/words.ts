/**
 * Pointer-sized words of a block of target memory, read through one DataView: a walk reads
 * several words from each of hundreds of thousands of objects, and a byte-by-byte BigInt
 * assembly per word was a quarter of its time.
 */
export class Words {
  private readonly view: DataView;

  constructor(
    bytes: Uint8Array,
    private readonly ptrSize: 4 | 8,
    private readonly littleEndian: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  uint(offset: number): bigint {
    return this.ptrSize === 8 ? this.view.getBigUint64(offset, this.littleEndian) : BigInt(this.view.getUint32(offset, this.littleEndian));
  }

  int(offset: number): bigint {
    return this.ptrSize === 8 ? this.view.getBigInt64(offset, this.littleEndian) : BigInt(this.view.getInt32(offset, this.littleEndian));
  }
}

/** Objects seen, by address and then type: a Map keyed by the address avoids building a string per pointer. */
export class VisitedSet {
  private readonly seen = new Map<bigint, string | Set<string>>();

  /** Records the object; false if it was already recorded. */
  add(address: bigint, typeKey: string): boolean {
    const got = this.seen.get(address);
    if (got === undefined) {
      this.seen.set(address, typeKey);
      return true;
    }
    if (typeof got === 'string') {
      if (got === typeKey) return false;
      this.seen.set(address, new Set([got, typeKey]));
      return true;
    }
    if (got.has(typeKey)) return false;
    got.add(typeKey);
    return true;
  }

  has(address: bigint, typeKey: string): boolean {
    const got = this.seen.get(address);
    return got !== undefined && (typeof got === 'string' ? got === typeKey : got.has(typeKey));
  }
}
