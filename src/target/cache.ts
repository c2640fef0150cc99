/**
 * A read-through cache over target memory. Decoders read whole bucket and group arrays once;
 * the value renderer then finds keys and elems inside those blocks without another round trip,
 * and asks only for what lies elsewhere (string data, indirect keys, interface payloads).
 */
import type { MemRange, Memory, ReadResult } from './target.js';

interface Block {
  readonly address: bigint;
  readonly end: bigint;
  readonly bytes: Uint8Array;
}

export type Peek = Uint8Array | 'unreadable' | undefined;

export class CachedMemory implements Memory {
  private blocks: Block[] = [];
  private sorted = true;
  private readonly failed: Block[] = [];

  constructor(private readonly inner: Memory) {}

  get pointerSize(): 4 | 8 {
    return this.inner.pointerSize;
  }

  get littleEndian(): boolean {
    return this.inner.littleEndian;
  }

  async readMany(ranges: readonly MemRange[]): Promise<ReadResult[]> {
    const out: ReadResult[] = new Array(ranges.length);
    const missing: number[] = [];
    ranges.forEach((r, i) => {
      const hit = this.peek(r.address, r.length);
      if (hit instanceof Uint8Array) out[i] = { ok: true, bytes: hit };
      else missing.push(i);
    });
    if (missing.length > 0) {
      const got = await this.inner.readMany(missing.map((i) => ranges[i]));
      missing.forEach((i, j) => {
        const r = got[j];
        out[i] = r;
        if (r.ok) this.add(ranges[i].address, r.bytes);
        else this.failed.push({ address: ranges[i].address, end: ranges[i].address + BigInt(ranges[i].length), bytes: new Uint8Array(0) });
      });
    }
    return out;
  }

  add(address: bigint, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const block = { address, end: address + BigInt(bytes.length), bytes };
    const last = this.blocks[this.blocks.length - 1];
    if (last && last.address > address) this.sorted = false;
    this.blocks.push(block);
  }

  /** The bytes if cached, 'unreadable' if a read of that range failed, else undefined. */
  peek(address: bigint, length: number): Peek {
    const end = address + BigInt(length);
    const block = this.find(address, end);
    if (block) {
      const start = Number(address - block.address);
      return block.bytes.subarray(start, start + length);
    }
    // A failed read says only that some byte of its range is unreadable: a range that contains
    // it is unreadable for sure, a smaller range inside it may still be read.
    for (const f of this.failed) if (address <= f.address && end >= f.end) return 'unreadable';
    return undefined;
  }

  private find(address: bigint, end: bigint): Block | undefined {
    if (!this.sorted) {
      this.blocks.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
      this.sorted = true;
    }
    const blocks = this.blocks;
    let lo = 0;
    let hi = blocks.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (blocks[mid].address <= address) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Blocks may overlap (a string inside a bucket array read earlier): look back a little.
    for (let i = at; i >= 0 && i > at - 8; i--) {
      const b = blocks[i];
      if (b.address <= address && end <= b.end) return b;
    }
    return undefined;
  }
}

/**
 * Sorts ranges and merges those that overlap or lie within `gap` bytes of each other, so that
 * scattered string data becomes a few large reads.
 */
export function mergeRanges(ranges: readonly MemRange[], gap = 256): MemRange[] {
  const sorted = [...ranges].filter((r) => r.length > 0).sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const out: { address: bigint; end: bigint }[] = [];
  const g = BigInt(gap);
  for (const r of sorted) {
    const end = r.address + BigInt(r.length);
    const last = out[out.length - 1];
    if (last && r.address <= last.end + g) {
      if (end > last.end) last.end = end;
    } else out.push({ address: r.address, end });
  }
  return out.map((r) => ({ address: r.address, length: Number(r.end - r.address) }));
}
