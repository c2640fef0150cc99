/** Integer decoding of target bytes in the target's byte order. */

export interface ByteOrder {
  readonly littleEndian: boolean;
}

/** Unsigned integer of `size` bytes (1..8) at `offset`. */
export function readUint(bytes: Uint8Array, offset: number, size: number, order: ByteOrder): bigint {
  if (offset < 0 || offset + size > bytes.length) {
    throw new RangeError(`read of ${size} bytes at offset ${offset} outside a ${bytes.length}-byte block`);
  }
  // The common widths through a DataView: a byte-by-byte BigInt build cost a tenth of a second
  // per million entries.
  if (size === 8) return viewOf(bytes).getBigUint64(bytes.byteOffset + offset, order.littleEndian);
  if (size === 4) return BigInt(viewOf(bytes).getUint32(bytes.byteOffset + offset, order.littleEndian));
  let v = 0n;
  if (order.littleEndian) {
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[offset + i]);
  } else {
    for (let i = 0; i < size; i++) v = (v << 8n) | BigInt(bytes[offset + i]);
  }
  return v;
}

const views = new WeakMap<ArrayBufferLike, DataView>();

/**
 * A DataView over the whole buffer behind `bytes` (index it at bytes.byteOffset + offset). One
 * per buffer: a bucket array is read as one buffer and then seen through many subarrays.
 */
export function viewOf(bytes: Uint8Array): DataView {
  let v = views.get(bytes.buffer);
  if (!v) {
    v = new DataView(bytes.buffer);
    views.set(bytes.buffer, v);
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
