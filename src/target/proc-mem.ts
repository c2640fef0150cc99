/**
 * A live process's memory read by mapscope itself, through /proc/PID/mem, while gdb holds it
 * stopped: the same bytes gdb's own reads return (gdb reads that file too), without the round
 * trip through gdb's Python and the memory channel, which copied a few hundred megabytes a second
 * where a pread copies gigabytes. Every byte a stopped target gives up this way shortens its stop.
 *
 * Opening the file needs the permission attaching does (the same user, or CAP_SYS_PTRACE; Yama's
 * ptrace_scope 1 allows only a tracer's ancestors): where it is refused, gdb reads as before. The
 * file is opened read-only; nothing is ever written to it.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { MemRange, ReadResult } from './target.js';

/** Above this a position is not a Node file offset (2^53), and no user-space address is. */
const MAX_POSITION = 2 ** 53;

export class ProcMemory {
  private constructor(private fd: number | undefined) {}

  /** The process's memory file, or undefined when it may not be opened (gdb reads instead). */
  static open(pid: number): ProcMemory | undefined {
    try {
      return new ProcMemory(openSync(`/proc/${pid}/mem`, 'r'));
    } catch {
      return undefined;
    }
  }

  /** Each range read whole, or why not (an unmapped page: EIO). */
  readMany(ranges: readonly MemRange[]): ReadResult[] {
    return ranges.map((r): ReadResult => {
      const bytes = new Uint8Array(Math.max(0, r.length));
      const error = this.readInto(r, bytes, 0);
      return error === undefined ? { ok: true, bytes } : { ok: false, error };
    });
  }

  /**
   * Reads a range into `dest` at `offset` (a process copy's own block: no buffer of its own, and
   * no second copy); undefined when read whole, else why not.
   */
  readInto(r: MemRange, dest: Uint8Array, offset: number): string | undefined {
    const fd = this.fd;
    if (fd === undefined) return 'the process memory file is closed';
    const at = Number(r.address);
    if (r.length < 0 || at + r.length > MAX_POSITION) return 'outside the address space';
    let done = 0;
    try {
      while (done < r.length) {
        const n = readSync(fd, dest, offset + done, r.length - done, at + done);
        if (n <= 0) return 'Cannot access memory';
        done += n;
      }
    } catch (e) {
      return `Cannot access memory at address 0x${(at + done).toString(16)} (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
    }
    return undefined;
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
