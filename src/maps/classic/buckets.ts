/**
 * A classic bucket array as it was read: runs of buckets back to back, each bucket's overflow
 * chain beside it. Buckets are looked at in place, by index; nothing is copied out per bucket.
 * A million-entry map has a quarter million buckets: as objects with tophash arrays they cost
 * more than reading them. The objects (ClassicBucketChain) are still made, once, for the
 * consumers that walk them (debug adapter, HTML, text report).
 */
import type { ClassicBucket, ClassicBucketChain } from '../snapshot.js';

/** One bucket by itself: an overflow bucket, read where its pointer said. */
export interface Bucket {
  readonly address: bigint;
  readonly bytes: Uint8Array;
}

/** Buckets [start, start+count) of an array, back to back in `bytes`, and the overflow buckets behind each. */
export interface BucketRun {
  readonly start: number;
  readonly count: number;
  /** Where bucket `start` is. */
  readonly address: bigint;
  readonly bytes: Uint8Array;
  /** Bucket start+j's overflow buckets, in chain order, are overflow[overflowFrom[j]] up to overflow[overflowFrom[j+1]]. */
  readonly overflowFrom: Uint32Array;
  readonly overflow: readonly Bucket[];
}

/** A BucketArray as plain data: what structured clone can carry to another thread. */
export interface BucketArrayData {
  readonly address: bigint;
  readonly length: number;
  readonly bucketSize: number;
  readonly tophashOffset: number;
  readonly runs: readonly BucketRun[];
}

export class BucketArray {
  private readonly list: BucketRun[] = [];
  private made: ClassicBucketChain[] | undefined;

  static from(d: BucketArrayData): BucketArray {
    const a = new BucketArray(d.address, d.length, d.bucketSize, d.tophashOffset);
    for (const r of d.runs) a.add(r);
    return a;
  }

  data(): BucketArrayData {
    return { address: this.address, length: this.length, bucketSize: this.bucketSize, tophashOffset: this.tophashOffset, runs: this.list };
  }

  constructor(
    /** Where bucket 0 is. */
    readonly address: bigint,
    /** Buckets in the array: 2^B, or the old array's count while growing. */
    readonly length: number,
    readonly bucketSize: number,
    readonly tophashOffset: number,
  ) {}

  /** Runs are added in order, all of one count but the last. */
  add(run: BucketRun): void {
    this.list.push(run);
    this.made = undefined;
  }

  get runs(): readonly BucketRun[] {
    return this.list;
  }

  /** The buckets read so far (all of them once the decoder is done). */
  get read(): number {
    const last = this.list[this.list.length - 1];
    return last ? last.start + last.count : 0;
  }

  /** The run holding bucket i. */
  runOf(i: number): BucketRun {
    return this.list[Math.floor(i / this.list[0].count)];
  }

  /** Bucket i and its overflow chain as objects. */
  chain(i: number): ClassicBucketChain {
    const r = this.runOf(i);
    const j = i - r.start;
    const overflow: ClassicBucket[] = [];
    for (let k = r.overflowFrom[j]; k < r.overflowFrom[j + 1]; k++) {
      const o = r.overflow[k];
      overflow.push({ address: o.address, tophash: tophashAt(o.bytes, this.tophashOffset) });
    }
    return { address: r.address + BigInt(j * this.bucketSize), tophash: tophashAt(r.bytes, j * this.bucketSize + this.tophashOffset), overflow };
  }

  /** Every chain as objects, made on first use. */
  chains(): ClassicBucketChain[] {
    if (!this.made) {
      const out: ClassicBucketChain[] = new Array(this.read);
      for (let i = 0; i < out.length; i++) out[i] = this.chain(i);
      this.made = out;
    }
    return this.made;
  }
}

/** The 8 tophash bytes at `offset`, written out: Array.from of a subarray cost more than the rest of decoding. */
export function tophashAt(b: Uint8Array, o: number): number[] {
  return [b[o], b[o + 1], b[o + 2], b[o + 3], b[o + 4], b[o + 5], b[o + 6], b[o + 7]];
}
