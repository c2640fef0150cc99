/**
 * Address → the heap object holding it, and what the allocator recorded of it: its size class,
 * whether it is noscan, whether it is allocated (runtime/mbitmap.go isFree: below freeindex, or
 * its allocBits bit set), and from Go 1.22 the type it was allocated as — the malloc header, a
 * word before the object's data holding its `*abi.Type`, for objects with pointers over
 * minSizeForMallocHeader, or the span's largeType for a large object. Two batched reads after
 * the span lookups: the alloc bits and header words, then the type descriptors.
 */
import { readUint, readUintN } from '../target/bytes.js';
import type { Memory, MemRange } from '../target/target.js';
import { type HeapLayout, PAGE_SIZE, SPAN_DEAD, SPAN_IN_USE, SPAN_MANUAL } from './layout.js';
import { findSpans, type Span } from './spans.js';

/** A type descriptor as far as this check reads it. */
export interface AllocatedType {
  readonly address: bigint;
  readonly size: number;
  readonly ptrBytes: number;
  /** Its GC mask, one bit per word of its first ptrBytes (undefined where built on demand, Go 1.24+, or unreadable). */
  readonly mask?: Uint8Array;
}

/**
 * abi.TFlagGCMaskOnDemand (Go 1.24+): GCData points at a pointer to a mask built when first
 * needed. The same bit was TFlagUnrolledBitmap in 1.22-1.23 and unused before: skipping the
 * mask where it is set only ever gives up a comparison.
 */
const tflagGCMaskOnDemand = 1 << 4;
/** kindGCProg (up to Go 1.25): GCData is a GC program, not a mask. */
const kindGCProg = 1 << 6;

export interface HeapObject {
  readonly span: Span;
  /** Where the object starts (its malloc header, if it has one). */
  readonly base: bigint;
  /** The address asked about, as an offset from base. */
  readonly offset: number;
  /** False when the allocator counts the slot free; undefined when its bits could not be read. */
  readonly allocated: boolean | undefined;
  /** Go 1.22+: the element type recorded by the malloc header or largeType, when there is one. */
  readonly type?: AllocatedType;
  /**
   * The object's pointer words as the allocation recorded them, one byte per word (1: a
   * pointer): the span's heap bits (Go 1.22+, objects with pointers of at most
   * minSizeForMallocHeader) or the arena's bitmap (Go 1.19-1.21, objects with pointers), for
   * at most MAX_BITMAP_WORDS words from the object's start.
   */
  readonly pointerWords?: Uint8Array;
  /**
   * `exact`: every word given is as written, zeros past the data included (Go 1.20+). `prefix`:
   * only the words up to the allocation's last pointer are (Go 1.19 leaves the rest stale).
   */
  readonly pointerBits?: 'exact' | 'prefix';
}

/** Words of an object whose pointer bits are read: enough for a few elements of any bucket or group. */
export const MAX_BITMAP_WORDS = 4096;

export type ObjectLookup =
  | { readonly found: true; readonly object: HeapObject }
  /** `heap`: the address is heap memory the allocator does not hold as a live object (freed). */
  | { readonly found: false; readonly heap: boolean; readonly reason: string };

/** runtime minSizeForMallocHeader: pointer size × bits per pointer word (512 on 64-bit, 128 on 32-bit). */
export function minSizeForMallocHeader(ptrSize: number): number {
  return ptrSize * 8 * ptrSize;
}

/** Whether objects of this span start with a malloc header (Go 1.22+, small objects with pointers over the minimum). */
export function spanHasHeaders(heap: HeapLayout, span: Span): boolean {
  return heap.mallocHeaders && !span.noscan && span.sizeclass !== 0 && span.elemsize > minSizeForMallocHeader(heap.pointerSize);
}

/**
 * Whether the object's pointer words are in its span's heap bits (runtime/mbitmap.go
 * heapBitsInSpan, Go 1.22+). Not for the 8-byte class on 64-bit targets: its bits are set once
 * for the whole span, not per allocation.
 */
export function spanHasHeapBits(heap: HeapLayout, span: Span): boolean {
  return heap.mallocHeaders && !span.noscan && span.sizeclass !== 0 && span.elemsize <= minSizeForMallocHeader(heap.pointerSize) && !(heap.pointerSize === 8 && span.elemsize === 8);
}

/**
 * Where the span's heap bits are (runtime spanHeapBitsRange): one bit per word of the span at its
 * very end, before the inline mark bits of Go 1.26's Green Tea GC (spans of objects of 16 bytes
 * or more). As uintptr words: word w's bit is bit w % ptrBits of the w / ptrBits-th uintptr.
 */
function heapBitsRange(heap: HeapLayout, span: Span): bigint {
  const spanBytes = span.npages * PAGE_SIZE;
  const size = spanBytes / heap.pointerSize / 8;
  const inline = heap.inlineMarkBits > 0 && span.elemsize >= 16 ? heap.inlineMarkBits : 0;
  return span.startAddr + BigInt(spanBytes - size - inline);
}

/** The heap-bits words holding the object's bits: where to read, and how to take its bits out. */
function heapBitsOf(heap: HeapLayout, span: Span, base: bigint): { range: MemRange; bits: number; skip: number } {
  const ps = heap.pointerSize;
  const ptrBits = ps * 8;
  const o = Number(base - span.startAddr) / ps;
  const bits = span.elemsize / ps;
  const first = Math.floor(o / ptrBits);
  const last = Math.floor((o + bits - 1) / ptrBits);
  return { range: { address: heapBitsRange(heap, span) + BigInt(first * ps), length: (last - first + 1) * ps }, bits, skip: o - first * ptrBits };
}

function takeBits(heap: HeapLayout, bytes: Uint8Array, skip: number, bits: number): Uint8Array {
  const ps = heap.pointerSize;
  const ptrBits = ps * 8;
  const out = new Uint8Array(bits);
  for (let k = 0; k < bits; k++) {
    const at = skip + k;
    const w = readUint(bytes, Math.floor(at / ptrBits) * ps, ps, heap);
    out[k] = Number((w >> BigInt(at % ptrBits)) & 1n);
  }
  return out;
}

/**
 * The arena bitmap's bits for the object (Go 1.19-1.21): where to read, and how to take them out.
 * Undefined when the words asked for leave the object's arena (a large object may).
 */
function arenaBitsOf(heap: HeapLayout, arena: bigint, span: Span, base: bigint): { range: MemRange; take: (bytes: Uint8Array) => Uint8Array } | undefined {
  const bm = heap.arenaBitmap;
  if (!bm || heap.mallocHeaders || span.noscan) return undefined;
  const ps = heap.pointerSize;
  const arenaBytes = BigInt(heap.pagesPerArena * PAGE_SIZE);
  const mask = (1n << BigInt(ps * 8)) - 1n;
  const wi = Number(((base - heap.arenaBaseOffset) & mask) % arenaBytes) / ps;
  const words = Math.min(span.elemsize / ps, MAX_BITMAP_WORDS);
  if (wi + words > heap.pagesPerArena * (PAGE_SIZE / ps)) return undefined;
  if (bm.bitsPerWord === 1) {
    const ptrBits = ps * 8;
    const first = Math.floor(wi / ptrBits);
    const last = Math.floor((wi + words - 1) / ptrBits);
    const range = { address: arena + BigInt(bm.offset + first * ps), length: (last - first + 1) * ps };
    return { range, take: (bytes) => takeBits(heap, bytes, wi - first * ptrBits, words) };
  }
  // Four words a byte: pointer bits in the low nibble.
  const first = Math.floor(wi / 4);
  const last = Math.floor((wi + words - 1) / 4);
  const range = { address: arena + BigInt(bm.offset + first), length: last - first + 1 };
  return {
    range,
    take: (bytes) => {
      const out = new Uint8Array(words);
      for (let k = 0; k < words; k++) out[k] = (bytes[Math.floor((wi + k) / 4) - first] >> ((wi + k) % 4)) & 1;
      return out;
    },
  };
}

/** A descriptor claiming more than this is damage, not a bucket or group type (about 2 KiB at most). */
const MAX_TYPE_SIZE = 1 << 20;

export async function findObjects(mem: Memory, heap: HeapLayout, addresses: readonly bigint[]): Promise<ObjectLookup[]> {
  const spans = await findSpans(mem, heap, addresses);
  const out: ObjectLookup[] = new Array(addresses.length);
  const placed: { i: number; span: Span; arena: bigint; base: bigint; index: number }[] = [];
  spans.forEach((s, i) => {
    if (!s.found) {
      out[i] = s;
      return;
    }
    const span = s.span;
    if (span.state !== SPAN_IN_USE) {
      out[i] =
        span.state === SPAN_MANUAL
          ? { found: false, heap: false, reason: 'in a span the runtime manages by hand (a goroutine stack)' }
          : span.state === SPAN_DEAD
            ? { found: false, heap: true, reason: 'in a span that is no longer in use (freed memory)' }
            : { found: false, heap: false, reason: `in a span of unknown state ${span.state}` };
      return;
    }
    const spanBytes = span.npages * PAGE_SIZE;
    if (span.elemsize <= 0 || span.elemsize > spanBytes) {
      out[i] = { found: false, heap: false, reason: `its span claims ${span.elemsize}-byte objects in ${spanBytes} bytes` };
      return;
    }
    const within = Number(addresses[i] - span.startAddr);
    const index = Math.floor(within / span.elemsize);
    if ((index + 1) * span.elemsize > spanBytes) {
      out[i] = { found: false, heap: true, reason: 'in the tail of its span, past the last object' };
      return;
    }
    placed.push({ i, span, arena: s.arena, base: span.startAddr + BigInt(index * span.elemsize), index });
  });

  // Pointer bits, alloc bits of objects at or past freeindex, and malloc header words.
  const ps = heap.pointerSize;
  const reads: MemRange[] = [];
  const bitAt: number[] = [];
  const headerAt: number[] = [];
  const pointerBitsAt: number[] = [];
  const pointerBits = placed.map((o) => {
    if (spanHasHeapBits(heap, o.span)) {
      const hb = heapBitsOf(heap, o.span, o.base);
      return { range: hb.range, take: (bytes: Uint8Array) => takeBits(heap, bytes, hb.skip, hb.bits), exact: true };
    }
    const ab = arenaBitsOf(heap, o.arena, o.span, o.base);
    return ab ? { ...ab, exact: heap.arenaBitmap?.bitsPerWord === 1 } : undefined;
  });
  placed.forEach((o, k) => {
    bitAt[k] = -1;
    headerAt[k] = -1;
    pointerBitsAt[k] = -1;
    const pb = pointerBits[k];
    if (pb) {
      pointerBitsAt[k] = reads.length;
      reads.push(pb.range);
    }
    if (o.index >= o.span.freeindex && o.span.allocBits !== 0n) {
      bitAt[k] = reads.length;
      reads.push({ address: o.span.allocBits + BigInt(o.index >> 3), length: 1 });
    }
    if (spanHasHeaders(heap, o.span)) {
      headerAt[k] = reads.length;
      reads.push({ address: o.base, length: ps });
    }
  });
  const got = reads.length > 0 ? await mem.readMany(reads) : [];
  const typeAddr: bigint[] = placed.map((o, k) => {
    if (o.span.sizeclass === 0) return heap.mallocHeaders && !o.span.noscan ? o.span.largeType : 0n;
    const r = headerAt[k] >= 0 ? got[headerAt[k]] : undefined;
    return r?.ok ? readUint(r.bytes, 0, ps, heap) : 0n;
  });

  // The recorded types.
  const rt = heap.rtype;
  const distinct = rt ? [...new Set(typeAddr.filter((a) => a !== 0n))] : [];
  const descs = distinct.length > 0 && rt ? await mem.readMany(distinct.map((address) => ({ address, length: rt.size }))) : [];
  const types = new Map<bigint, AllocatedType>();
  const maskReads: MemRange[] = [];
  const maskOf: bigint[] = [];
  distinct.forEach((address, j) => {
    const r = descs[j];
    if (!rt || !r.ok) return;
    const size = readUintN(r.bytes, rt.sizeField.offset, rt.sizeField.size, heap);
    const ptrBytes = readUintN(r.bytes, rt.ptrBytes.offset, rt.ptrBytes.size, heap);
    if (size <= 0 || size > MAX_TYPE_SIZE || ptrBytes > size) return;
    types.set(address, { address, size, ptrBytes });
    const onDemand = rt.tflag ? (readUintN(r.bytes, rt.tflag.offset, rt.tflag.size, heap) & tflagGCMaskOnDemand) !== 0 : true;
    const program = rt.kind ? (readUintN(r.bytes, rt.kind.offset, rt.kind.size, heap) & kindGCProg) !== 0 : true;
    const gcdata = rt.gcdata ? readUint(r.bytes, rt.gcdata.offset, rt.gcdata.size, heap) : 0n;
    if (ptrBytes > 0 && gcdata !== 0n && !onDemand && !program) {
      maskReads.push({ address: gcdata, length: Math.ceil(ptrBytes / ps / 8) });
      maskOf.push(address);
    }
  });
  const masks = maskReads.length > 0 ? await mem.readMany(maskReads) : [];
  masks.forEach((r, j) => {
    const t = types.get(maskOf[j]);
    if (t && r.ok) types.set(t.address, { ...t, mask: r.bytes });
  });

  placed.forEach((o, k) => {
    let allocated: boolean | undefined = true;
    if (bitAt[k] >= 0) {
      const r = got[bitAt[k]];
      allocated = r.ok ? (r.bytes[0] & (1 << (o.index & 7))) !== 0 : undefined;
    }
    const type = types.get(typeAddr[k]);
    const pb = pointerBits[k];
    const pr = pointerBitsAt[k] >= 0 ? got[pointerBitsAt[k]] : undefined;
    const pointerWords = pb && pr?.ok ? pb.take(pr.bytes) : undefined;
    out[o.i] = {
      found: true,
      object: {
        span: o.span,
        base: o.base,
        offset: Number(addresses[o.i] - o.base),
        allocated,
        ...(type ? { type } : {}),
        ...(pointerWords && pb ? { pointerWords, pointerBits: pb.exact ? ('exact' as const) : ('prefix' as const) } : {}),
      },
    };
  });
  return out;
}
