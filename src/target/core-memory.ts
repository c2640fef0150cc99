/**
 * A core dump's memory read straight from the core file. What gdb answers for an address inside
 * the file-backed part of a PT_LOAD segment ([vaddr, vaddr+filesz)) is the core file's bytes at
 * that segment's offset: BFD makes that part a section with contents (and the rest up to memsz
 * one without), and gdb's core target reads sections with contents before anything else. So
 * mapscope can read them itself: one pread for a whole bucket or group array, where gdb's read
 * and the memory channel take two to four times as long.
 *
 * Only ranges that lie wholly in such bytes are served, from one segment or several contiguous in
 * address; everything else is left to gdb (read() answers undefined): bytes between filesz and
 * memsz (gdb finds them in the binary or reads zeros), text the kernel did not dump, unmapped
 * addresses, segments that overlap (which one gdb picks is gdb's business). So a read served here
 * is always exactly gdb's answer, and never a different error.
 *
 * Cores come from other machines: every offset and length in the headers is checked against the
 * file's size and the address space before it is kept, and a segment that fails is dropped
 * (gdb answers for it), never trusted. A read never allocates more than the length asked for
 * (a batch, twice its lengths), and only after the whole range has been found in the file.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { ET_CORE, ElfFile, PT_LOAD, type ProgramHeader } from '../elf/elf.js';

/** Ranges this close in the file are read by one pread, the bytes between them along. */
const MERGE_GAP = 4096;

/** A file that is no core dump mapscope can read memory from; gdb is asked instead. */
export class CoreMemoryError extends Error {
  override readonly name = 'CoreMemoryError';
}

/** Where a run of memory lies in the core file. */
export interface FilePiece {
  readonly offset: number;
  readonly length: number;
}

interface Segment {
  readonly vaddr: bigint;
  /** vaddr + filesz: the first address past the segment's bytes in the file. */
  readonly end: bigint;
  readonly offset: number;
}

/**
 * The file-backed parts of a core's PT_LOAD segments, sorted by address, for finding where a
 * range of memory lies in the file. Pure: no I/O, shared by CoreMemory (synchronous reads) and
 * the core/binary check (src/gdb/core-check.ts, asynchronous ones).
 */
export class CoreSegments {
  private constructor(
    private readonly segments: readonly Segment[],
    /** Each segment's vaddr, for the binary search. */
    private readonly starts: readonly bigint[],
  ) {}

  /**
   * Keeps the PT_LOAD segments with bytes in a file of `fileSize` bytes, in an address space
   * of `addressBits` bits. A segment whose bytes lie past the file's end, or whose addresses
   * run past the top of the address space, is dropped; so is every segment of a group that
   * overlaps in address (no real core has one; gdb decides which it reads).
   */
  static from(headers: readonly ProgramHeader[], fileSize: bigint, addressBits: 32 | 64): CoreSegments {
    const top = 1n << BigInt(addressBits);
    const kept = headers
      .filter((h) => h.type === PT_LOAD && h.filesz > 0n && h.offset + h.filesz <= fileSize && h.vaddr + h.filesz <= top)
      .map((h): Segment => ({ vaddr: h.vaddr, end: h.vaddr + h.filesz, offset: Number(h.offset) }))
      .sort((a, b) => (a.vaddr < b.vaddr ? -1 : a.vaddr > b.vaddr ? 1 : 0));
    const segments = withoutOverlaps(kept);
    return new CoreSegments(
      segments,
      segments.map((s) => s.vaddr),
    );
  }

  get count(): number {
    return this.segments.length;
  }

  /**
   * Where [address, address+length) lies in the file: one piece per segment it crosses, in
   * address order; undefined unless every byte of it is in the file. An empty range is empty.
   */
  pieces(address: bigint, length: number): FilePiece[] | undefined {
    if (!Number.isSafeInteger(length) || length < 0) return undefined;
    if (length === 0) return [];
    let i = this.segmentAt(address);
    if (i < 0) return undefined;
    const out: FilePiece[] = [];
    let at = address;
    let left = length;
    for (;;) {
      const s = this.segments[i];
      const here = Number(s.end - at) < left ? Number(s.end - at) : left;
      out.push({ offset: s.offset + Number(at - s.vaddr), length: here });
      left -= here;
      if (left === 0) return out;
      // The range goes on past this segment's bytes: only a segment starting right there holds the rest.
      at = s.end;
      i++;
      if (i >= this.segments.length || this.segments[i].vaddr !== at) return undefined;
    }
  }

  /** The segment whose bytes hold `address`, or -1. */
  private segmentAt(address: bigint): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    if (hi < 0 || address < starts[0]) return -1;
    // The last segment starting at or before address.
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= address) lo = mid;
      else hi = mid - 1;
    }
    return address < this.segments[lo].end ? lo : -1;
  }
}

/**
 * Sorted segments less every cluster of overlapping ones. Contiguous segments (one's end the
 * next's vaddr) do not overlap: the kernel writes adjoining mappings so, and reads may span them.
 */
function withoutOverlaps(sorted: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i + 1;
    let end = sorted[i].end;
    while (j < sorted.length && sorted[j].vaddr < end) {
      if (sorted[j].end > end) end = sorted[j].end;
      j++;
    }
    if (j === i + 1) out.push(sorted[i]);
    i = j;
  }
  return out;
}

/**
 * A core file held open read-only, serving the memory its segments hold. Reads are synchronous
 * preads: each is one system call on a file the page cache usually holds, cheaper than the
 * promise machinery an asynchronous read would add to hundreds of thousands of small string reads.
 */
export class CoreMemory {
  private fd: number | undefined;

  private constructor(
    fd: number,
    private readonly segments: CoreSegments,
  ) {
    this.fd = fd;
  }

  /**
   * Opens `corePath` read-only and reads its program headers. Throws CoreMemoryError for a file
   * that is not an ELF core, ElfFormatError for damaged headers, and the system's error for a
   * file that cannot be opened.
   */
  static async open(corePath: string): Promise<CoreMemory> {
    const fd = openSync(corePath, 'r');
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new CoreMemoryError(`${corePath} is not a regular file`);
      // The headers are read through this very descriptor's file (Linux's /proc/self/fd), so the
      // segments and the bytes come from one file even should the path be replaced meanwhile.
      const elf = await ElfFile.open(`/proc/self/fd/${fd}`);
      let headers: ProgramHeader[];
      try {
        if (elf.header.type !== ET_CORE) throw new CoreMemoryError(`${corePath} is not a core dump`);
        headers = await elf.programHeaders();
      } finally {
        await elf.close();
      }
      const segments = CoreSegments.from(headers, BigInt(st.size), elf.header.class64 ? 64 : 32);
      if (segments.count === 0) throw new CoreMemoryError(`${corePath} has no memory in the file`);
      return new CoreMemory(fd, segments);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /**
   * The `length` bytes at `address`, when the core file holds every one of them; undefined when
   * it does not (or could not read them: closed, or the file shrank), for gdb to answer instead.
   */
  read(address: bigint, length: number): Uint8Array | undefined {
    if (this.fd === undefined) return undefined;
    const pieces = this.segments.pieces(address, length);
    if (!pieces || length > bufferConstants.MAX_LENGTH) return undefined;
    const bytes = Buffer.allocUnsafe(length);
    let at = 0;
    for (const p of pieces) {
      if (!this.readAt(bytes, at, p.length, p.offset)) return undefined;
      at += p.length;
    }
    return new Uint8Array(bytes.buffer, bytes.byteOffset, length);
  }

  /**
   * Each range as read() answers it, in one allocation for the batch, ranges close together in
   * the file read by one pread: a Swiss map's two thousand table headers, then its two thousand
   * group arrays, were as many allocations and system calls. Bytes between merged ranges (at
   * most MERGE_GAP, and at most the next range's length) are read along and not handed out.
   */
  readMany(ranges: readonly { readonly address: bigint; readonly length: number }[]): (Uint8Array | undefined)[] {
    const out: (Uint8Array | undefined)[] = new Array(ranges.length).fill(undefined);
    if (this.fd === undefined) return out;
    // Ranges in one piece of the file, by file offset; the rest (several segments, or none) as read() does.
    const at: number[] = [];
    const lengths: number[] = [];
    const index: number[] = [];
    for (let i = 0; i < ranges.length; i++) {
      const r = ranges[i];
      const pieces = this.segments.pieces(r.address, r.length);
      if (!pieces) continue;
      if (pieces.length !== 1) {
        out[i] = this.read(r.address, r.length);
        continue;
      }
      at.push(pieces[0].offset);
      lengths.push(pieces[0].length);
      index.push(i);
    }
    const order = index.map((_, k) => k);
    if (!at.every((x, k) => k === 0 || at[k - 1] <= x)) order.sort((a, b) => at[a] - at[b]);
    // Runs of ranges that overlap or lie within MERGE_GAP of each other in the file.
    const runs: { from: number; end: number; first: number; last: number }[] = [];
    let total = 0;
    for (let k = 0; k < order.length; k++) {
      const j = order[k];
      const run = runs[runs.length - 1];
      // A gap no longer than the range after it: the batch never allocates over twice what it asked for.
      if (run && at[j] <= run.end + Math.min(MERGE_GAP, lengths[j])) {
        const end = Math.max(run.end, at[j] + lengths[j]);
        total += end - run.end;
        run.end = end;
        run.last = k;
      } else {
        runs.push({ from: at[j], end: at[j] + lengths[j], first: k, last: k });
        total += lengths[j];
      }
    }
    if (total > bufferConstants.MAX_LENGTH) {
      for (const i of index) out[i] = this.read(ranges[i].address, ranges[i].length);
      return out;
    }
    const buffer = Buffer.allocUnsafe(total);
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, total);
    let base = 0;
    for (const run of runs) {
      const whole = this.readAt(buffer, base, run.end - run.from, run.from);
      for (let k = run.first; k <= run.last; k++) {
        const j = order[k];
        const from = base + at[j] - run.from;
        // A short run (the file shrank): each of its ranges alone, as read() would.
        out[index[j]] = whole ? bytes.subarray(from, from + lengths[j]) : this.read(ranges[index[j]].address, lengths[j]);
      }
      base += run.end - run.from;
    }
    return out;
  }

  /**
   * `length` bytes of the file at `offset` into `buffer` at `into`; false on a short read (the
   * file shrank) or an I/O error, which is no statement about the target's memory: gdb is asked.
   */
  private readAt(buffer: Buffer, into: number, length: number, offset: number): boolean {
    const fd = this.fd;
    if (fd === undefined) return false;
    try {
      for (let done = 0; done < length; ) {
        // Linux reads at most about 2 GiB a call: a bigger piece takes several.
        const n = readSync(fd, buffer, into + done, length - done, offset + done);
        if (n === 0) return false;
        done += n;
      }
      return true;
    } catch {
      return false;
    }
  }

  /** Idempotent; later reads answer undefined. */
  close(): void {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) closeSync(fd);
  }
}
