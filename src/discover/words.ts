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

/**
 * Objects seen, by address and then type: a Map keyed by the address avoids building a string per
 * pointer, and by the address as a double (exact below 2^53, where every heap is) avoids hashing
 * a bigint.
 */
export class VisitedSet {
  private readonly seen = new Map<number | bigint, string | Set<string>>();

  /** Records the object; false if it was already recorded. */
  add(address: bigint, typeKey: string): boolean {
    const key = keyOf(address);
    const got = this.seen.get(key);
    if (got === undefined) {
      this.seen.set(key, typeKey);
      return true;
    }
    if (typeof got === 'string') {
      if (got === typeKey) return false;
      this.seen.set(key, new Set([got, typeKey]));
      return true;
    }
    if (got.has(typeKey)) return false;
    got.add(typeKey);
    return true;
  }

  has(address: bigint, typeKey: string): boolean {
    const got = this.seen.get(keyOf(address));
    return got !== undefined && (typeof got === 'string' ? got === typeKey : got.has(typeKey));
  }
}

function keyOf(address: bigint): number | bigint {
  return address < SAFE ? Number(address) : address;
}

const SAFE = 2n ** 53n;
