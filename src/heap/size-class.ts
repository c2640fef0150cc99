/**
 * What the allocator makes of a request, as runtime/malloc.go mallocgc and runtime/msize.go
 * roundupsize do: a tiny block, a small object of the smallest size class that holds it (with
 * room for a malloc header from Go 1.22), or a large object of whole pages.
 */
import { type HeapLayout, MALLOC_HEADER_SIZE, MAX_SMALL_SIZE, MAX_TINY_SIZE, PAGE_SIZE } from './layout.js';
import { minSizeForMallocHeader } from './objects.js';

export interface Allocation {
  /** Bytes asked of mallocgc. */
  readonly request: number;
  readonly noscan: boolean;
  /** A noscan request under 16 bytes shares a 16-byte block with others: it need not start one. */
  readonly tiny: boolean;
  /** Bytes of malloc header before the data (Go 1.22+, small objects with pointers over the minimum). */
  readonly header: number;
  /** 0 for a large object (a span of its own). */
  readonly sizeclass: number;
  /** The object's size: the class's, or whole pages. */
  readonly elemsize: number;
}

/** Largest request that still gets a size class: a header must fit below MAX_SMALL_SIZE (Go 1.22+). */
function smallLimit(heap: HeapLayout): number {
  return MAX_SMALL_SIZE - (heap.mallocHeaders ? MALLOC_HEADER_SIZE : 0);
}

function headerFor(heap: HeapLayout, request: number, noscan: boolean): number {
  return heap.mallocHeaders && !noscan && request > minSizeForMallocHeader(heap.pointerSize) ? MALLOC_HEADER_SIZE : 0;
}

/** The smallest size class of at least `size` bytes (size ≤ MAX_SMALL_SIZE). */
export function sizeToClass(classes: readonly number[], size: number): number {
  let lo = 1;
  let hi = classes.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (classes[mid] >= size) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The allocation mallocgc makes for `request` bytes; undefined without the size-class table. */
export function allocationFor(heap: HeapLayout, request: number, noscan: boolean): Allocation | undefined {
  const classes = heap.classToSize;
  if (!classes || request <= 0) return undefined;
  if (request > smallLimit(heap)) {
    const pages = Math.ceil(request / PAGE_SIZE);
    return { request, noscan, tiny: false, header: 0, sizeclass: 0, elemsize: pages * PAGE_SIZE };
  }
  if (noscan && request < MAX_TINY_SIZE) {
    const c = sizeToClass(classes, MAX_TINY_SIZE);
    return { request, noscan, tiny: true, header: 0, sizeclass: c, elemsize: classes[c] };
  }
  const header = headerFor(heap, request, noscan);
  const c = sizeToClass(classes, request + header);
  return { request, noscan, tiny: false, header, sizeclass: c, elemsize: classes[c] };
}

/** runtime roundupsize: what a request of `size` bytes really gets, less any malloc header. */
export function roundupsize(heap: HeapLayout, size: number, noscan: boolean): number | undefined {
  const classes = heap.classToSize;
  if (!classes) return undefined;
  if (size > smallLimit(heap)) return Math.ceil(size / PAGE_SIZE) * PAGE_SIZE;
  const header = headerFor(heap, size, noscan);
  return classes[sizeToClass(classes, size + header)] - header;
}

/**
 * Bytes runtime makeBucketArray asks for 2^b buckets: from b = 4, 2^(b-4) overflow buckets
 * more, and as many again as fit the rounding up of the whole to its size class or pages.
 */
export function bucketArrayRequest(heap: HeapLayout, bucketSize: number, b: number, noscan: boolean): number | undefined {
  let n = 2 ** b;
  if (b >= 4) {
    n += 2 ** (b - 4);
    const sz = bucketSize * n;
    const up = roundupsize(heap, sz, noscan);
    if (up === undefined) return undefined;
    if (up !== sz) n = Math.floor(up / bucketSize);
  }
  return n * bucketSize;
}
