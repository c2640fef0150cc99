/**
 * Target memory made of a few byte blocks (a captured map image), with the accounting the fuzz
 * tests assert on: how many reads, how many bytes asked for and handed out, the largest single
 * request, and any request for an address no target can have (the cache must filter those).
 */
import type { Memory, MemRange, ReadResult } from '../../../src/target/target.js';

export interface ImageBlockBytes {
  readonly address: bigint;
  readonly bytes: Uint8Array;
}

export interface ReadStats {
  calls: number;
  ranges: number;
  bytesRequested: number;
  bytesReturned: number;
  largestRequest: number;
  /** Ranges starting below 0 or ending past the top of the address space. */
  impossible: MemRange[];
}

export class ImageMemory implements Memory {
  readonly stats: ReadStats = { calls: 0, ranges: 0, bytesRequested: 0, bytesReturned: 0, largestRequest: 0, impossible: [] };
  private readonly blocks: ImageBlockBytes[];
  private readonly top: bigint;

  /** `blocks` must be sorted by address and not overlap (as mergeBlocks leaves them). */
  constructor(
    blocks: readonly ImageBlockBytes[],
    readonly pointerSize: 4 | 8,
    readonly littleEndian: boolean,
  ) {
    this.blocks = [...blocks];
    this.top = 1n << BigInt(pointerSize * 8);
  }

  async readMany(ranges: readonly MemRange[]): Promise<ReadResult[]> {
    const s = this.stats;
    s.calls++;
    s.ranges += ranges.length;
    return ranges.map((r) => {
      s.bytesRequested += r.length;
      s.largestRequest = Math.max(s.largestRequest, r.length);
      if (r.address < 0n || r.address + BigInt(r.length) > this.top) s.impossible.push(r);
      const bytes = this.lookup(r);
      if (!bytes) return { ok: false, error: `Cannot access memory at address 0x${r.address.toString(16)}` };
      s.bytesReturned += bytes.length;
      return { ok: true, bytes };
    });
  }

  /** The bytes of `r` when one block holds all of it (blocks never touch, so one is enough). */
  private lookup(r: MemRange): Uint8Array | undefined {
    if (!Number.isSafeInteger(r.length) || r.length < 0) return undefined;
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const b = this.blocks[mid];
      if (r.address < b.address) hi = mid - 1;
      else if (r.address >= b.address + BigInt(b.bytes.length)) lo = mid + 1;
      else {
        const from = Number(r.address - b.address);
        return from + r.length <= b.bytes.length ? b.bytes.subarray(from, from + r.length) : undefined;
      }
    }
    return undefined;
  }
}
