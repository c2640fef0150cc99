/**
 * 64-bit addresses as two 32-bit halves, for writers and columns that handle a quarter million
 * blocks: `base + offset` without a bigint per block. Blocks of one read share their base, so
 * the last base is split once and each block's offset added with a carry.
 */
const TWO32 = 2 ** 32;

export class AddressHalves {
  private base = -1n;
  private baseHi = 0;
  private baseLo = 0;
  /** The halves of the last address set. */
  hi = 0;
  lo = 0;

  set(base: bigint, offset: number): void {
    if (base !== this.base) {
      this.base = base;
      this.baseHi = Number(base >> 32n);
      this.baseLo = Number(base & 0xffffffffn);
    }
    // No float remainder: offsets within one read carry a few times at most.
    let lo = this.baseLo + offset;
    let hi = this.baseHi;
    while (lo >= TWO32) {
      lo -= TWO32;
      hi++;
    }
    this.hi = hi;
    this.lo = lo;
  }
}
