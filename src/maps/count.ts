/**
 * Counting live cells without looking at them one by one: a decoder checks every bucket's 8
 * tophash bytes, or every group's 8 control bytes, against the header's count, a quarter
 * million blocks for a million entries. Read as 32-bit words (when the bytes are aligned, as
 * the runtime's blocks are), four bytes are tested and counted with a handful of operations.
 */
import { minTopHash } from './classic/tophash.js';

/** A 32-bit view of `bytes`, when they start on a 4-byte boundary. */
export function wordsOf(bytes: Uint8Array): Int32Array | undefined {
  return bytes.byteOffset % 4 === 0 ? new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2) : undefined;
}

/** Bytes of the word that are at least minTopHash (5): each byte's low seven bits plus 0x7b carry into its high bit exactly when they reach 5, with no carry into the next byte; a byte already at 0x80 or over counts by its own high bit. */
export function liveInWord(w: number): number {
  const ge = (((w & 0x7f7f7f7f) + (0x80 - minTopHash) * 0x01010101) | w) & 0x80808080;
  return Math.imul(ge >>> 7, 0x01010101) >>> 24;
}

/** Bytes of the word whose high bit is clear: full slots, in a Swiss control word. */
export function fullInWord(w: number): number {
  return 4 - (Math.imul((w >>> 7) & 0x01010101, 0x01010101) >>> 24);
}

/**
 * Bytes of the word equal to the byte in every lane of `v4` (v × 0x01010101). Exact: each lane
 * of x = w ^ v4 is zero where equal; its low seven bits plus 0x7f reach its high bit exactly
 * when they are not all zero, with no carry into the next lane.
 */
export function equalInWord(w: number, v4: number): number {
  const x = w ^ v4;
  const zero = ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f);
  return Math.imul((zero >>> 7) & 0x01010101, 0x01010101) >>> 24;
}

/** Bytes equal to `value` among the 8 at `at` (any alignment): a group's empty or deleted slots. */
export function equalBytes(bytes: Uint8Array, words: Int32Array | undefined, at: number, value: number): number {
  if (words && at % 4 === 0) {
    const v4 = Math.imul(value, 0x01010101);
    return equalInWord(words[at >> 2], v4) + equalInWord(words[(at >> 2) + 1], v4);
  }
  let n = 0;
  for (let s = 0; s < 8; s++) if (bytes[at + s] === value) n++;
  return n;
}

/** Live cells among the 8 tophash bytes at `at` (any alignment). */
export function liveTophash(bytes: Uint8Array, words: Int32Array | undefined, at: number): number {
  if (words && at % 4 === 0) return liveInWord(words[at >> 2]) + liveInWord(words[(at >> 2) + 1]);
  let n = 0;
  for (let s = 0; s < 8; s++) if (bytes[at + s] >= minTopHash) n++;
  return n;
}

/** Full slots among the 8 control bytes at `at` (any alignment). */
export function fullCtrl(bytes: Uint8Array, words: Int32Array | undefined, at: number): number {
  if (words && at % 4 === 0) return fullInWord(words[at >> 2]) + fullInWord(words[(at >> 2) + 1]);
  let n = 0;
  for (let s = 0; s < 8; s++) if ((bytes[at + s] & 0x80) === 0) n++;
  return n;
}

/** Whether the `size` bytes at `at` are all zero (a nil pointer, most overflow words). */
export function allZero(bytes: Uint8Array, words: Int32Array | undefined, at: number, size: number): boolean {
  if (words && at % 4 === 0 && size % 4 === 0) {
    for (let k = at >> 2; k < (at + size) >> 2; k++) if (words[k] !== 0) return false;
    return true;
  }
  for (let k = 0; k < size; k++) if (bytes[at + k] !== 0) return false;
  return true;
}
