/**
 * A read-through cache over target memory. Decoders read whole bucket and group arrays once;
 * the value renderer then finds keys and elems inside those blocks without another round trip,
 * and asks only for what lies elsewhere (string data, indirect keys, interface payloads).
 */
import { MAX_SAFE_ADDRESS } from './range-list.js';

const PAGE = 4096;
/** Page indexes cover at most this many pages (a 16 MB index, 16 GiB of address space). */
const MAX_INDEXED_PAGES = 1 << 22;
import type { MemRange, Memory, ReadResult } from './target.js';

interface Block {
  readonly address: bigint;
  readonly end: bigint;
  readonly bytes: Uint8Array;
  /** address as a double (exact below 2^53), for blockAt. */
  readonly lo: number;
  /** For a failed read: what the reader said. */
  readonly why?: string;
}

export type Peek = Uint8Array | 'unreadable' | undefined;

/**
 * Blocks up to this size are found by the pages they touch; larger ones (bucket and group
 * arrays, page runs of string data) by binary search. A walk over thousands of small maps adds
 * blocks at scattered addresses between lookups: kept in one sorted array, every lookup after an
 * add sorted it again, and measuring 30,000 small maps took minutes.
 */
const SMALL_BLOCK = 1 << 16;

export class CachedMemory implements Memory {
  /** Blocks over SMALL_BLOCK, or above 2^53: sorted when `sorted`. */
  private blocks: Block[] = [];
  private sorted = true;
  /** Small blocks by each page they touch. */
  private small = new Map<number, Block[]>();
  private lastHit: Block | undefined;
  /** Each sorted large block's start as a double, for searchAt; rebuilt when blocks change. */
  private los: Float64Array | undefined;
  private readonly failed: Block[] = [];
  private failedSorted = true;
  /** Blocks of whole pages by page number (indexPages), for the lookups of millions of strings. */
  private pages: { readonly first: number; readonly index: Int32Array; readonly blocks: Block[] } | undefined;

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
    if (ranges.length >= 64) this.indexBlocks();
    ranges.forEach((r, i) => {
      // Addresses come from target memory: a corrupt one may lie below 0 or past the top of the
      // address space (base + offset overflowing), which no target can read and gdb would
      // misparse. Refused here, once for every reader, and remembered like any failed read.
      if (!this.possible(r)) {
        out[i] = { ok: false, error: `0x${r.address.toString(16)}+${r.length} is outside the ${this.pointerSize * 8}-bit address space` };
        this.noteFailed(r);
        return;
      }
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
        else this.noteFailed(ranges[i], r.error);
      });
    }
    return out;
  }

  private possible(r: MemRange): boolean {
    return r.address >= 0n && Number.isSafeInteger(r.length) && r.length >= 0 && r.address + BigInt(r.length) <= 1n << BigInt(this.pointerSize * 8);
  }

  private noteFailed(r: MemRange, why?: string): void {
    const last = this.failed[this.failed.length - 1];
    if (last && last.address > r.address) this.failedSorted = false;
    this.failed.push({ address: r.address, end: r.address + BigInt(r.length), bytes: new Uint8Array(0), lo: Number(r.address), why });
  }

  /** Drops everything cached (a streamed walk's chunk is done with): memory stays flat. */
  clear(): void {
    this.pages = undefined;
    this.blocks = [];
    this.small = new Map();
    this.lastHit = undefined;
    this.los = undefined;
    this.sorted = true;
    this.failed.length = 0;
    this.failedSorted = true;
  }

  add(address: bigint, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const lo = Number(address);
    const block = { address, end: address + BigInt(bytes.length), bytes, lo };
    if (bytes.length <= SMALL_BLOCK && lo + bytes.length <= MAX_SAFE_ADDRESS) {
      const last = Math.floor((lo + bytes.length - 1) / PAGE);
      for (let p = Math.floor(lo / PAGE); p <= last; p++) {
        const at = this.small.get(p);
        if (at) at.push(block);
        else this.small.set(p, [block]);
      }
      return;
    }
    const prev = this.blocks[this.blocks.length - 1];
    if (prev && prev.address > address) this.sorted = false;
    this.blocks.push(block);
    this.los = undefined;
  }

  /** Where the last blockAt found its range: the offset in the block it returned. */
  foundAt = 0;

  /**
   * The cached block holding [address, address+length), with the address as a double (below
   * 2^53), and the range's offset in it left in `foundAt`; undefined if not cached (then ask
   * peek). The string emitters read millions of strings: most lie in the block the one before
   * did, which this answers without a BigInt, and none makes a view.
   */
  blockAt(address: number, length: number): Uint8Array | undefined {
    let b = this.lastHit;
    if (!(b && b.lo <= address && address + length <= b.lo + b.bytes.length)) {
      b = this.pageAt(address, length) ?? this.searchAt(address, length);
      if (!b) {
        // Not cached: a failed read, or bytes the binary's file holds (read now, cached by peek).
        if (this.failed.length === 0 && !this.mayBeStatic(address, length)) return undefined;
        const bytes = this.peek(BigInt(address), length);
        if (!(bytes instanceof Uint8Array)) return undefined;
        this.foundAt = 0;
        return bytes;
      }
      this.lastHit = b;
    }
    this.foundAt = address - b.lo;
    return b.bytes;
  }

  /** Whether a read of [address, address+length) failed (as a double below 2^53): blockAt said undefined, and this says why. */
  unreadableAt(address: number, length: number): boolean {
    return this.failed.length > 0 && this.containsFailed(BigInt(address), BigInt(address + length));
  }

  /**
   * Indexes runs of whole pages just read into the cache (`runs`, sorted, from target/fetch.ts
   * fetchRanges) by page number: a string's block is then one array lookup, not a binary search
   * among thousands of runs (a fifth of a second for two million strings). Only for runs spanning
   * at most MAX_INDEXED_PAGES pages; others are found by search as before.
   */
  indexPages(runs: readonly MemRange[]): void {
    if (runs.length === 0) return;
    const first = Number(runs[0].address) / PAGE;
    const last = Number(runs[runs.length - 1].address + BigInt(runs[runs.length - 1].length)) / PAGE;
    if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || last - first > MAX_INDEXED_PAGES) return;
    const index = new Int32Array(last - first).fill(-1);
    const blocks: Block[] = [];
    for (const r of runs) {
      const at = Number(r.address);
      const b = this.searchAt(at, r.length);
      if (!b) continue;
      for (let p = at / PAGE - first; p < (at + r.length) / PAGE - first; p++) index[p] = blocks.length;
      blocks.push(b);
    }
    this.pages = { first, index, blocks };
  }

  private pageAt(address: number, length: number): Block | undefined {
    const pages = this.pages;
    if (!pages) return undefined;
    const p = Math.floor(address / PAGE) - pages.first;
    if (p < 0 || p >= pages.index.length) return undefined;
    const k = pages.index[p];
    if (k < 0) return undefined;
    const b = pages.blocks[k];
    return b.lo <= address && address + length <= b.lo + b.bytes.length ? b : undefined;
  }

  private ensureSorted(): void {
    if (this.sorted) return;
    // The doubles first: exact below 2^53, and only blocks above it that round alike need the bigints.
    this.blocks.sort((a, b) => a.lo - b.lo || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    this.sorted = true;
    this.los = undefined;
  }

  /** Sorts the large blocks and indexes their starts as doubles, for searchAt. */
  private indexBlocks(): Float64Array {
    this.ensureSorted();
    if (!this.los || this.los.length !== this.blocks.length) this.los = Float64Array.from(this.blocks, (b) => b.lo);
    return this.los;
  }

  /** A small block by page, else a large one by binary search over their starts as doubles. */
  private searchAt(address: number, length: number): Block | undefined {
    const near = this.small.get(Math.floor(address / PAGE));
    if (near) {
      for (let i = near.length - 1; i >= 0; i--) {
        const b = near[i];
        if (b.lo <= address && address + length <= b.lo + b.bytes.length) return b;
      }
    }
    if (this.blocks.length === 0) return undefined;
    const los = this.indexBlocks();
    const blocks = this.blocks;
    let lo = 0;
    let hi = los.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (los[mid] <= address) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = at; i >= 0 && i > at - 8; i--) {
      const b = blocks[i];
      if (b.lo <= address && address + length <= b.lo + b.bytes.length) return b;
    }
    return undefined;
  }

  /** The bytes if cached, 'unreadable' if a read of that range failed, else undefined. */
  peek(address: bigint, length: number): Peek {
    const at = Number(address);
    if (at + length <= MAX_SAFE_ADDRESS) {
      // Below 2^53 (every user-space address of today's machines) with doubles: a decoder's
      // batch of thousands of table or group reads peeks once per range before reading it.
      const last = this.lastHit;
      const b = last && last.lo <= at && at + length <= last.lo + last.bytes.length ? last : this.searchAt(at, length);
      if (b) {
        this.lastHit = b;
        return b.bytes.subarray(at - b.lo, at - b.lo + length);
      }
      if (this.failed.length > 0 && this.containsFailed(address, address + BigInt(length))) return 'unreadable';
      return this.peekStatic(address, length);
    }
    const end = address + BigInt(length);
    const block = this.find(address, end);
    if (block) {
      const start = Number(address - block.address);
      return block.bytes.subarray(start, start + length);
    }
    // A failed read says only that some byte of its range is unreadable: a range that contains
    // it is unreadable for sure, a smaller range inside it may still be read.
    return this.containsFailed(address, end) ? 'unreadable' : undefined;
  }

  /**
   * Read-only bytes the inner memory can give at once (type descriptors from the binary's file):
   * cached, so that what renders an interface needs no round of reads to learn its type.
   */
  private peekStatic(address: bigint, length: number): Uint8Array | undefined {
    if (!this.mayBeStatic(Number(address), length)) return undefined;
    const bytes = this.inner.readStatic?.(address, length);
    if (bytes) this.add(address, bytes);
    return bytes;
  }

  readStatic(address: bigint, length: number): Uint8Array | undefined {
    return this.inner.readStatic?.(address, length);
  }

  get staticSpan(): readonly [number, number] | undefined {
    return this.inner.staticSpan;
  }

  private mayBeStatic(address: number, length: number): boolean {
    const span = this.inner.staticSpan;
    return span !== undefined && address >= span[0] && address + length <= span[1];
  }

  /** Why [address, address+length) is unreadable, as the failed read that makes it so said. */
  failure(address: bigint, length: number): string | undefined {
    const f = this.failedWithin(address, address + BigInt(length));
    return f ? (f.why ?? 'unreadable') : undefined;
  }

  /**
   * Whether a failed range lies within [address, end). Sorted and searched, not scanned: a map
   * whose strings all point at unmapped memory fails one read per entry, and the renderer peeks
   * once per entry per round (scanning made 20,000 such entries take seconds, 200,000 minutes).
   */
  private containsFailed(address: bigint, end: bigint): boolean {
    return this.failedWithin(address, end) !== undefined;
  }

  private failedWithin(address: bigint, end: bigint): Block | undefined {
    const failed = this.failed;
    if (!this.failedSorted) {
      failed.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
      this.failedSorted = true;
    }
    let lo = 0;
    let hi = failed.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (failed[mid].address < address) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < failed.length && failed[i].address < end; i++) if (failed[i].end <= end) return failed[i];
    return undefined;
  }

  private find(address: bigint, end: bigint): Block | undefined {
    // Entries of one bucket array, strings of one merged read: most lookups hit the block before.
    const last = this.lastHit;
    if (last && last.address <= address && end <= last.end) return last;
    const b = this.search(address, end);
    if (b) this.lastHit = b;
    return b;
  }

  /** Large blocks only: small ones lie below 2^53, where peek searches by double. */
  private search(address: bigint, end: bigint): Block | undefined {
    this.ensureSorted();
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
  return mergeSmall(ranges, gap) ?? mergeAny(ranges, gap);
}


/**
 * Addresses below 2^53 (every user-space address of today's machines) as doubles: starts and
 * ends sorted apart, natively, then swept. Sorting two million bigint ranges with a comparator
 * took seconds; the union of intervals only needs their starts and ends in order.
 */
function mergeSmall(ranges: readonly MemRange[], gap: number): MemRange[] | undefined {
  const starts = new Float64Array(ranges.length);
  // Ends pushed out by the gap: ranges within `gap` of each other then overlap, and merge.
  const ends = new Float64Array(ranges.length);
  let n = 0;
  for (const r of ranges) {
    if (r.length <= 0) continue;
    const a = Number(r.address);
    if (a + r.length + gap > MAX_SAFE_ADDRESS) return undefined;
    starts[n] = a;
    ends[n++] = a + r.length + gap;
  }
  const s0 = starts.subarray(0, n).sort();
  const e0 = ends.subarray(0, n).sort();
  const out: MemRange[] = [];
  // The j-th smallest end is never before the j-th smallest start, so `open` never goes below
  // zero; a start at the very position of an end is taken first, so touching ranges merge.
  let open = 0;
  let from = 0;
  for (let i = 0, j = 0; j < n; ) {
    if (i < n && s0[i] <= e0[j]) {
      if (open++ === 0) from = s0[i];
      i++;
    } else {
      if (--open === 0) out.push({ address: BigInt(from), length: e0[j] - gap - from });
      j++;
    }
  }
  return out;
}

function mergeAny(ranges: readonly MemRange[], gap: number): MemRange[] {
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
