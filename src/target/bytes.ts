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
  // Reads come in runs over one buffer (a chunk of buckets, a merged string read): the last
  // view answers most of them without a WeakMap lookup.
  if (bytes.buffer === lastBuffer && lastView) return lastView;
  let v = views.get(bytes.buffer);
  if (!v) {
    v = new DataView(bytes.buffer);
    views.set(bytes.buffer, v);
  }
  lastBuffer = bytes.buffer;
  lastView = v;
  return v;
}

let lastBuffer: ArrayBufferLike | undefined;
let lastView: DataView | undefined;

/**
 * An unsigned word of `size` bytes (4 or 8) as a JS number, when below 2^53 (else undefined):
 * addresses and lengths, without a BigInt.
 */
export function readWordNumber(bytes: Uint8Array, offset: number, size: number, littleEndian: boolean): number | undefined {
  return wordReader(size === 4 ? 4 : 8, littleEndian)(bytes, offset);
}

/**
 * readWordNumber for one word size and byte order, as a function small enough for the JIT to
 * inline where it runs for every string of a map (its header's two words, when gathered, counted
 * and written). With the size and order chosen per call, the read stayed a call of its own
 * there: a sixth of a second of a million-entry map[string]string's profile.
 */
export function wordReader(size: 4 | 8, littleEndian: boolean): (bytes: Uint8Array, offset: number) => number | undefined {
  if (size === 4) return littleEndian ? word32le : word32be;
  return littleEndian ? word64le : word64be;
}

function word64le(b: Uint8Array, o: number): number | undefined {
  const hi = (b[o + 4] | (b[o + 5] << 8) | (b[o + 6] << 16)) + b[o + 7] * 16777216;
  return hi < 2097152 ? hi * 4294967296 + ((b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 16777216) : undefined;
}

function word64be(b: Uint8Array, o: number): number | undefined {
  const hi = (b[o + 3] | (b[o + 2] << 8) | (b[o + 1] << 16)) + b[o] * 16777216;
  return hi < 2097152 ? hi * 4294967296 + ((b[o + 7] | (b[o + 6] << 8) | (b[o + 5] << 16)) + b[o + 4] * 16777216) : undefined;
}

function word32le(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 16777216;
}

function word32be(b: Uint8Array, o: number): number {
  return (b[o + 3] | (b[o + 2] << 8) | (b[o + 1] << 16)) + b[o] * 16777216;
}

export function readInt(bytes: Uint8Array, offset: number, size: number, order: ByteOrder): bigint {
  return BigInt.asIntN(size * 8, readUint(bytes, offset, size, order));
}

/** As a JS number; for counts and sizes that fit (callers bound them). Without a BigInt below 2^53. */
export function readUintN(bytes: Uint8Array, offset: number, size: number, order: ByteOrder): number {
  if (offset >= 0 && offset + size <= bytes.length) {
    if (size === 1) return bytes[offset];
    if (size === 2) return viewOf(bytes).getUint16(bytes.byteOffset + offset, order.littleEndian);
    if (size === 4) return viewOf(bytes).getUint32(bytes.byteOffset + offset, order.littleEndian);
    if (size === 8) {
      const n = readWordNumber(bytes, offset, 8, order.littleEndian);
      if (n !== undefined) return n;
    }
  }
  return Number(readUint(bytes, offset, size, order));
}

export function hex(address: bigint): string {
  return '0x' + address.toString(16);
}
