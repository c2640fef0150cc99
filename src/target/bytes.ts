/** Integer decoding of target bytes in the target's byte order. */

export interface ByteOrder {
  readonly littleEndian: boolean;
}

/** Unsigned integer of `size` bytes (1..8) at `offset`. */
export function readUint(bytes: Uint8Array, offset: number, size: number, order: ByteOrder): bigint {
  if (offset < 0 || offset + size > bytes.length) {
    throw new RangeError(`read of ${size} bytes at offset ${offset} outside a ${bytes.length}-byte block`);
  }
  let v = 0n;
  if (order.littleEndian) {
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[offset + i]);
  } else {
    for (let i = 0; i < size; i++) v = (v << 8n) | BigInt(bytes[offset + i]);
  }
  return v;
}

export function readInt(bytes: Uint8Array, offset: number, size: number, order: ByteOrder): bigint {
  return BigInt.asIntN(size * 8, readUint(bytes, offset, size, order));
}

/** As a JS number; for counts and sizes that fit (callers bound them). */
export function readUintN(bytes: Uint8Array, offset: number, size: number, order: ByteOrder): number {
  return Number(readUint(bytes, offset, size, order));
}

export function hex(address: bigint): string {
  return '0x' + address.toString(16);
}
