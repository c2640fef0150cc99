/**
 * Reads asked for at the same moment, sent as one: many small maps decoded side by side (the
 * 100,000 one-per-request maps a service leaks) each read their header, then their groups or
 * buckets, and so on. Each decoder waits for its own answer before asking again; gathered here
 * until the event loop turns, their questions go to gdb in one request per level instead of one
 * round trip each (those round trips were most of `top`'s minutes).
 */
import type { MemRange, Memory, ReadResult } from './target.js';

interface Waiting {
  readonly ranges: readonly MemRange[];
  readonly resolve: (r: ReadResult[]) => void;
  readonly reject: (e: unknown) => void;
}

export class CoalescedMemory implements Memory {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(private readonly inner: Memory) {}

  get pointerSize(): 4 | 8 {
    return this.inner.pointerSize;
  }

  get littleEndian(): boolean {
    return this.inner.littleEndian;
  }

  get staticSpan(): readonly [number, number] | undefined {
    return this.inner.staticSpan;
  }

  readStatic(address: bigint, length: number): Uint8Array | undefined {
    return this.inner.readStatic?.(address, length);
  }

  readMany(ranges: readonly MemRange[]): Promise<ReadResult[]> {
    if (ranges.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.waiting.push({ ranges, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      // After the microtasks of this turn: every decoder woken by the last answer has asked by then.
      setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const waiting = this.waiting;
    this.waiting = [];
    this.scheduled = false;
    if (waiting.length === 1) {
      const w = waiting[0];
      return this.inner.readMany(w.ranges).then(w.resolve, w.reject);
    }
    const all: MemRange[] = [];
    for (const w of waiting) for (const r of w.ranges) all.push(r);
    try {
      const got = await this.inner.readMany(all);
      let k = 0;
      for (const w of waiting) {
        w.resolve(got.slice(k, k + w.ranges.length));
        k += w.ranges.length;
      }
    } catch (e) {
      for (const w of waiting) w.reject(e);
    }
  }
}
