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

/** The full slots of the group whose control word is at `offset`, as a bit mask by slot (in the same byte order as ctrlBytes). */
export function fullMask(group: Uint8Array, offset: number, littleEndian: boolean): number {
  let m = 0;
  for (let s = 0; s < groupSlots; s++) if ((group[offset + (littleEndian ? s : groupSlots - 1 - s)] & 0x80) === 0) m |= 1 << s;
  return m;
}

export function ctrlName(c: number): string {
  if (c === ctrlEmpty) return 'empty';
  if (c === ctrlDeleted) return 'deleted';
  return isFull(c) ? `full(H2=0x${c.toString(16).padStart(2, '0')})` : `invalid(0x${c.toString(16)})`;
}
