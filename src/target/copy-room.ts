/**
 * Room for a live process's copy (target/copy.ts), made before the target is stopped, and a
 * second reader for it.
 *
 * A fresh typed array's pages are given to it by the system only when first written, one fault
 * and one zeroed page at a time: made during the copy, they halve its pace (0.5-0.6 against
 * 0.9-1.3 GB/s from /proc/PID/mem on the 2-core test machine), and that time is all stop. So the
 * blocks are made beforehand, beside gdb's start-up, by a worker thread: the event loop stays
 * free for gdb's answers.
 *
 * The same worker then reads half of the copy while this thread reads the other half: a stopped
 * target and an idle gdb leave both cores to the copy, and the kernel's copy out of the target
 * scales with them (178 MB in 100 ms with two readers, 190 ms with one). The blocks are
 * SharedArrayBuffers for that: both threads write into them, and the decoders read them as any
 * other bytes.
 *
 * What the process has touched is looked at while it runs, so it may have moved on by the stop:
 * a region found again with the same start and no longer is given its block; any other is given
 * a fresh one, as without this room. The worker only reads, and only what it is given while the
 * target is stopped.
 */
import { Worker } from 'node:worker_threads';
import { writablePages } from './process-pages.js';
import type { BytePlace, MemRange } from './target.js';

/** The most the look at a running process's pages may take (a few ms for a few hundred megabytes). */
const FIND_PAGES_MS = 250;

/** A piece of a block for the helper to fill: block index, offset in it, length, address. */
type Job = readonly [number, number, number, number];

/**
 * The helper, as source: a worker needs a file or a string, and a string needs no second entry
 * in every bundle this module ends up in. It opens the process's memory file read-only, writes one
 * byte in each page it is told the process uses (the system gives the page then), and reads the
 * pieces it is sent.
 */
const HELPER = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, readSync } = require('node:fs');
const { pid, blocks, touch } = workerData;
let fd;
try { fd = openSync('/proc/' + pid + '/mem', 'r'); } catch { fd = undefined; }
const views = blocks.map((b) => new Uint8Array(b));
if (fd !== undefined) for (const [k, from, length] of touch) for (let at = from; at < from + length; at += 4096) views[k][at] = 0;
parentPort.postMessage({ ready: fd !== undefined });
parentPort.on('message', (jobs) => {
  parentPort.postMessage({ read: jobs.map(([k, offset, length, address]) => {
    try {
      for (let done = 0; done < length; ) {
        const n = readSync(fd, views[k], offset + done, length - done, address + done);
        if (n <= 0) return false;
        done += n;
      }
      return true;
    } catch { return false; }
  }) });
});
`;

export class CopyRoom {
  private readonly taken = new Set<number>();

  private constructor(
    private regions: readonly MemRange[],
    private blocks: readonly Uint8Array[],
    private helper: Worker | undefined,
  ) {}

  /**
   * Blocks for a running process's writable regions, their touched pages already given, and the
   * helper that gave them; undefined when /proc will not say, the process is bigger than
   * `maxBytes` (it will not be copied), or the helper could not start.
   */
  static async make(pid: number, maxBytes: number): Promise<CopyRoom | undefined> {
    // Looked at while gdb starts, off the stop; a process whose pages take longer to find than
    // gdb takes to start gets no room rather than a later attach.
    const pages = writablePages(pid, maxBytes, performance.now() + FIND_PAGES_MS);
    if (!pages || pages === 'late' || pages.bytes > maxBytes) return undefined;
    const shared = pages.regions.map((r) => new SharedArrayBuffer(r.length));
    const touch: [number, number, number][] = [];
    let k = 0;
    for (const run of pages.runs) {
      while (pages.regions[k].address + BigInt(pages.regions[k].length) <= run.address) k++;
      touch.push([k, Number(run.address - pages.regions[k].address), run.length]);
    }
    const helper = new Worker(HELPER, { eval: true, workerData: { pid, blocks: shared, touch } });
    // A helper still alive must not keep the command from ending.
    helper.unref();
    const ready = await new Promise<boolean>((resolve) => {
      helper.once('message', (m: { ready?: boolean }) => resolve(m.ready === true));
      helper.once('error', () => resolve(false));
      helper.once('exit', () => resolve(false));
    });
    if (!ready) {
      void helper.terminate();
      return undefined;
    }
    return new CopyRoom(pages.regions, shared.map((b) => new Uint8Array(b)), helper);
  }

  /** The block made for a region if it is still there, else undefined; each block is handed out once. */
  take(region: MemRange): Uint8Array | undefined {
    const k = this.regions.findIndex((r) => r.address === region.address);
    if (k < 0 || this.taken.has(k) || this.blocks[k].length < region.length) return undefined;
    this.taken.add(k);
    return this.blocks[k].subarray(0, region.length);
  }

  /** True while the helper is there to read half of the copy. */
  get helping(): boolean {
    return this.helper !== undefined;
  }

  /** True if `bytes` is a view of one of this room's blocks. */
  holds(bytes: Uint8Array): boolean {
    return this.blocks.some((b) => b.buffer === bytes.buffer);
  }

  /**
   * Has the helper read these ranges into their places, which are views of this room's blocks
   * (holds()); all false when the helper is gone. Only ever asked while the target is stopped,
   * and awaited before it is let go.
   */
  read(ranges: readonly MemRange[], into: readonly BytePlace[]): Promise<boolean[]> {
    const helper = this.helper;
    if (!helper || ranges.length === 0) return Promise.resolve(ranges.map(() => false));
    const jobs = ranges.map((r, i): Job => {
      const bytes = into[i].bytes;
      return [this.blocks.findIndex((b) => b.buffer === bytes.buffer), bytes.byteOffset + into[i].offset, r.length, Number(r.address)];
    });
    return new Promise((resolve) => {
      const gone = (): void => resolve(ranges.map(() => false));
      helper.once('error', gone);
      helper.once('message', (m: { read?: boolean[] }) => {
        helper.off('error', gone);
        resolve(m.read ?? ranges.map(() => false));
      });
      helper.postMessage(jobs);
    });
  }

  /**
   * The helper is stopped and the blocks not taken are let go (up to the whole process's size,
   * held for nothing once no copy is made); blocks taken stay with whoever took them.
   */
  close(): void {
    void this.helper?.terminate();
    this.helper = undefined;
    this.regions = [];
    this.blocks = [];
  }
}
