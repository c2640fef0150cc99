/**
 * Read-only memory read from the binary's file instead of the process: what a program never
 * writes (type descriptors and their names, the itabs' types, GC masks, pclntab) is the same
 * bytes in the file as in memory, so reading it neither needs the target stopped nor a round
 * trip through gdb. Interfaces name their dynamic types through descriptors: a map of 200,000
 * interface values reads one or two per entry.
 *
 * Only what is certainly the same is served: the file bytes of PT_LOAD segments that are not
 * writable, outside PT_GNU_RELRO (relocated at load time), of a binary loaded where it was
 * linked (ET_EXEC: every Go binary but `-buildmode=pie`). Anything else answers undefined and is
 * read from the target as before. The core/binary check (src/gdb/core-check.ts) has made sure a
 * core was produced by this very binary; a live process runs its own /proc/PID/exe.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { ET_EXEC, ElfFile, PF_W, PT_GNU_RELRO, PT_LOAD } from '../elf/elf.js';

interface Segment {
  readonly start: bigint;
  readonly end: bigint;
  readonly offset: number;
}

export class ExeMemory {
  /** Past every segment, as a double: heap addresses are turned away by one comparison. */
  readonly top: number;
  readonly bottom: number;

  private constructor(
    private fd: number | undefined,
    private readonly segments: readonly Segment[],
  ) {
    this.bottom = Math.min(...segments.map((x) => Number(x.start)));
    this.top = Math.max(...segments.map((x) => Number(x.end)));
  }

  /** The binary's read-only memory, or undefined when none can be served (a PIE, an unreadable file). */
  static async open(path: string): Promise<ExeMemory | undefined> {
    let elf: ElfFile;
    try {
      elf = await ElfFile.open(path);
    } catch {
      return undefined;
    }
    try {
      if (elf.header.type !== ET_EXEC) return undefined;
      const phdrs = await elf.programHeaders();
      const relro = phdrs.filter((p) => p.type === PT_GNU_RELRO).map((p) => ({ start: p.vaddr, end: p.vaddr + p.memsz }));
      const segments: Segment[] = [];
      for (const p of phdrs) {
        if (p.type !== PT_LOAD || p.flags & PF_W || p.filesz === 0n || p.offset + p.filesz > elf.size) continue;
        const end = p.vaddr + p.filesz;
        if (relro.some((r) => r.start < end && p.vaddr < r.end)) continue;
        segments.push({ start: p.vaddr, end, offset: Number(p.offset) });
      }
      if (segments.length === 0) return undefined;
      return new ExeMemory(openSync(path, 'r'), segments);
    } catch {
      return undefined;
    } finally {
      await elf.close();
    }
  }

  /** The bytes of [address, address+length) if it lies in one read-only segment, else undefined. */
  read(address: bigint, length: number): Uint8Array | undefined {
    if (this.fd === undefined || length <= 0) return undefined;
    const at = Number(address);
    if (at >= this.top || at < this.bottom) return undefined;
    const end = address + BigInt(length);
    const s = this.segments.find((x) => x.start <= address && end <= x.end);
    if (!s) return undefined;
    const bytes = new Uint8Array(length);
    const offset = s.offset + Number(address - s.start);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, bytes, done, length - done, offset + done);
      if (n <= 0) return undefined;
      done += n;
    }
    return bytes;
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
