/**
 * Swiss-table control bytes (internal/runtime/maps/group.go). Each group has one control word:
 * byte i describes slot i. Empty and deleted have the high bit set; a full slot stores H2, the
 * low 7 bits of the key's hash.
 */
export const ctrlEmpty = 0b1000_0000;
export const ctrlDeleted = 0b1111_1110;
export const groupSlots = 8;

export function isFull(c: number): boolean {
  return (c & 0x80) === 0;
}

/**
 * The control bytes of a group in slot order. The runtime reads the control word as a native
 * uint64 and takes byte i as (word >> 8i) & 0xff, so on a big-endian target slot i is byte 7-i.
 */
export function ctrlBytes(group: Uint8Array, offset: number, littleEndian: boolean): number[] {
  const b = group;
  const c = offset;
  // Written out: a subarray and a loop per group cost more than the rest of a million-entry
  // map's decoding.
  return littleEndian
    ? [b[c], b[c + 1], b[c + 2], b[c + 3], b[c + 4], b[c + 5], b[c + 6], b[c + 7]]
    : [b[c + 7], b[c + 6], b[c + 5], b[c + 4], b[c + 3], b[c + 2], b[c + 1], b[c]];
}

/**
 * The full slots of the group whose control word is at `offset`, as a bit mask by slot (in the
 * same byte order as ctrlBytes). With `words` (count.ts wordsOf) on a little-endian host, from
 * the word's high bits four at a time: this runs for each of a million-entry map's groups, in
 * the decoder and again in the analysis.
 */
export function fullMask(group: Uint8Array, offset: number, littleEndian: boolean, words?: Int32Array): number {
  if (words && HOST_LITTLE_ENDIAN && offset % 4 === 0) {
    // Bit j: byte j of the control word (in memory order) is full.
    const m = fullNibble(~words[offset >> 2]) | (fullNibble(~words[(offset >> 2) + 1]) << 4);
    return littleEndian ? m : REVERSED[m];
  }
  let m = 0;
  for (let s = 0; s < groupSlots; s++) if ((group[offset + (littleEndian ? s : groupSlots - 1 - s)] & 0x80) === 0) m |= 1 << s;
  return m;
}

/**
 * The high bits of a word's four bytes (in memory order on a little-endian host) as four bits:
 * moved to bits 0, 8, 16, 24, then a multiply by 2^21 + 2^14 + 2^7 + 1 lines them up at bits
 * 21-24, with every other product at a bit of its own (no carries).
 */
function fullNibble(w: number): number {
  return (Math.imul((w >>> 7) & 0x01010101, 0x204081) >>> 21) & 15;
}

const HOST_LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Each 8-bit mask with its bits in reverse order: slot i is byte 7-i on a big-endian target. */
const REVERSED = Uint8Array.from({ length: 256 }, (_, m) => {
  let r = 0;
  for (let b = 0; b < 8; b++) if (m & (1 << b)) r |= 1 << (7 - b);
  return r;
});

export function ctrlName(c: number): string {
  if (c === ctrlEmpty) return 'empty';
  if (c === ctrlDeleted) return 'deleted';
  return isFull(c) ? `full(H2=0x${c.toString(16).padStart(2, '0')})` : `invalid(0x${c.toString(16)})`;
}
