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
export function ctrlBytes(word: Uint8Array, littleEndian: boolean): number[] {
  const out: number[] = new Array(groupSlots);
  for (let i = 0; i < groupSlots; i++) out[i] = word[littleEndian ? i : groupSlots - 1 - i];
  return out;
}

export function ctrlName(c: number): string {
  if (c === ctrlEmpty) return 'empty';
  if (c === ctrlDeleted) return 'deleted';
  return isFull(c) ? `full(H2=0x${c.toString(16).padStart(2, '0')})` : `invalid(0x${c.toString(16)})`;
}
