/**
 * A Go heap in synthetic memory, as the runtime lays it out (runtime/mheap.go, mbitmap.go):
 * `mheap_.arenas[l1][l2]` → heapArena, whose `spans` table maps each page to its mspan; spans
 * with a size class, noscan bit, state, freeindex and alloc bits; from Go 1.22 malloc headers,
 * largeType and the heap bits at a span's end; type descriptors with a GC mask. Offsets are
 * Go 1.26's on amd64 (pahole of runtime.mspan and internal/abi.Type), written out here rather
 * than taken from src/.
 */
import type { HeapLayout, HeapTarget, MspanLayout } from '../../src/heap/layout.js';
import type { GoField, GoStructType, GoType } from '../../src/layout/gotype.js';
import type { SyntheticMemory } from './synthetic-memory.js';

/** runtime/sizeclasses.go class_to_size, the same from Go 1.19 to 1.26. */
export const CLASS_TO_SIZE = [
  0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280,
  1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432,
  19072, 20480, 21760, 24576, 27264, 28672, 32768,
];

export const PAGE = 8192;

const LARGE_TYPE = 152;

/** runtime.mspan of Go 1.26 on 64-bit targets. */
const MSPAN: MspanLayout = {
  size: 160,
  startAddr: { offset: 24, size: 8 },
  npages: { offset: 32, size: 8 },
  freeindex: { offset: 48, size: 2 },
  allocBits: { offset: 64, size: 8 },
  spanclass: { offset: 98, size: 1 },
  state: { offset: 99, size: 1 },
  elemsize: { offset: 104, size: 8 },
  largeType: { offset: LARGE_TYPE, size: 8 },
};

/** Where the fixed structures live. */
const MHEAP_ARENAS = 0x10_0000n;
const L2_ARRAY = 0x20_0000n;
const ARENAS_AT = 0x4000_0000n;
const MSPANS_AT = 0x5000_0000n;
const TYPES_AT = 0x6000_0000n;
const L2 = 1 << 22;
const PAGES_PER_ARENA = 8192;
/** Arena index of address 0 on amd64 ((0 + 2^47) / 64 MiB), and how many entries are placed from there. */
const L2_FIRST = 1n << 21n;
const L2_WINDOW = 16384;

export interface SpanInit {
  readonly start: bigint;
  readonly npages?: number;
  /** The size class; 0 for a large object (elemsize npages × 8 KiB). */
  readonly sizeclass: number;
  readonly noscan: boolean;
  /** mSpanInUse (1) by default. */
  readonly state?: number;
  /** Objects below it are allocated; by default all are (freeindex = the object count). */
  readonly freeindex?: number;
  readonly largeType?: bigint;
  /** Place the span's memory as one zeroed block (default); false to place objects in it one by one. */
  readonly memory?: boolean;
}

export interface HeapOptions {
  /** Go 1.22+: malloc headers, largeType, heap bits in spans (default true). */
  readonly mallocHeaders?: boolean;
  /** Go 1.26 Green Tea: inline mark bits after the heap bits (default 0). */
  readonly inlineMarkBits?: number;
  /** Size classes known (default true). */
  readonly classes?: boolean;
  /**
   * Go 1.19 (2) or 1.20-1.21 (1): the arenas' pointer bitmap, bits per word, at the start of
   * each heapArena before its spans table; no malloc headers.
   */
  readonly arenaBitmap?: 1 | 2;
}

export class SyntheticHeap {
  readonly heap: HeapLayout;
  private nextSpan = MSPANS_AT;
  private nextType = TYPES_AT;
  private readonly arenas = new Map<bigint, bigint>();
  private readonly spansOffset: number;

  constructor(
    readonly mem: SyntheticMemory,
    opts: HeapOptions = {},
  ) {
    if (mem.pointerSize !== 8 || !mem.littleEndian) throw new Error('the synthetic heap is a 64-bit little-endian one');
    const bitmap = opts.arenaBitmap;
    const mallocHeaders = bitmap ? false : (opts.mallocHeaders ?? true);
    // 1.19: 2 bits a word (2 MiB an arena); 1.20-1.21: 1 bit a word, then noMorePtrs, a bit a bitmap byte.
    const arenaWords = (PAGES_PER_ARENA * PAGE) / 8;
    this.spansOffset = bitmap === 2 ? arenaWords / 4 : bitmap === 1 ? arenaWords / 8 + arenaWords / 64 : 0;
    this.heap = {
      pointerSize: 8,
      littleEndian: true,
      arenas: MHEAP_ARENAS,
      l1: 1,
      l2: L2,
      arenaBaseOffset: 0xffff800000000000n,
      pagesPerArena: PAGES_PER_ARENA,
      spansOffset: this.spansOffset,
      ...(bitmap ? { arenaBitmap: { offset: 0, bitsPerWord: bitmap } } : {}),
      mspan: mallocHeaders ? MSPAN : { ...MSPAN, largeType: undefined },
      mallocHeaders,
      inlineMarkBits: opts.inlineMarkBits ?? 0,
      classToSize: opts.classes === false ? undefined : CLASS_TO_SIZE,
      rtype: {
        size: 48,
        sizeField: { offset: 0, size: 8 },
        ptrBytes: { offset: 8, size: 8 },
        tflag: { offset: 20, size: 1 },
        kind: { offset: 23, size: 1 },
        gcdata: { offset: 32, size: 8 },
      },
    };
    mem.alloc(MHEAP_ARENAS, 8);
    mem.ptr(MHEAP_ARENAS, L2_ARRAY);
    // The runtime maps the whole L2 array (zeros where no arena is); here the part for the
    // first 1 TiB of user addresses, each entry nil until an arena is placed.
    mem.alloc(L2_ARRAY + L2_FIRST * 8n, L2_WINDOW * 8);
  }

  /** Marks the words at `pointerOffsets` from `base` as pointers in its arena's bitmap (and, 2 bits a word, as scan). */
  arenaBits(base: bigint, pointerOffsets: readonly number[]): void {
    const bm = this.heap.arenaBitmap;
    if (!bm) throw new Error('no arena bitmap in this heap');
    for (const off of pointerOffsets) {
      const p = base + BigInt(off);
      const arena = this.arenaOf(p);
      const w = Number((p + (1n << 47n)) % BigInt(PAGES_PER_ARENA * PAGE)) / 8;
      if (bm.bitsPerWord === 1) setBit(this.mem, arena + BigInt(w >> 3), w & 7);
      else {
        setBit(this.mem, arena + BigInt(w >> 2), w & 3);
        setBit(this.mem, arena + BigInt(w >> 2), 4 + (w & 3));
      }
    }
  }

  /** The heapArena holding `p`, placed on first use. */
  private arenaOf(p: bigint): bigint {
    const ai = (p + (1n << 47n)) / BigInt(PAGES_PER_ARENA * PAGE);
    let a = this.arenas.get(ai);
    if (a === undefined) {
      a = ARENAS_AT + BigInt(this.arenas.size) * 0x100_0000n;
      this.mem.alloc(a, this.spansOffset + PAGES_PER_ARENA * 8);
      if (ai < L2_FIRST || ai >= L2_FIRST + BigInt(L2_WINDOW)) throw new Error(`0x${p.toString(16)} is beyond the synthetic heap's arenas`);
      this.mem.ptr(L2_ARRAY + ai * 8n, a);
      this.arenas.set(ai, a);
    }
    return a;
  }

  /** Places a span over [start, start + npages pages): its memory (zeroed), its mspan and its pages' spans entries. */
  span(init: SpanInit): { mspan: bigint; elemsize: number; allocBits: bigint } {
    const npages = init.npages ?? 1;
    const bytes = npages * PAGE;
    const elemsize = init.sizeclass === 0 ? bytes : CLASS_TO_SIZE[init.sizeclass];
    const objects = Math.floor(bytes / elemsize);
    if (init.memory !== false) this.mem.alloc(init.start, bytes);
    const m = this.nextSpan;
    this.nextSpan += 0x1000n;
    this.mem.alloc(m, MSPAN.size);
    const allocBits = m + 0x200n;
    this.mem.alloc(allocBits, Math.ceil(objects / 8) + 8);
    const mem = this.mem;
    mem.ptr(m + BigInt(MSPAN.startAddr.offset), init.start);
    mem.ptr(m + BigInt(MSPAN.npages.offset), npages);
    mem.u16(m + BigInt(MSPAN.freeindex.offset), init.freeindex ?? objects);
    mem.ptr(m + BigInt(MSPAN.allocBits.offset), allocBits);
    mem.u8(m + BigInt(MSPAN.spanclass.offset), (init.sizeclass << 1) | (init.noscan ? 1 : 0));
    mem.u8(m + BigInt(MSPAN.state.offset), init.state ?? 1);
    mem.ptr(m + BigInt(MSPAN.elemsize.offset), elemsize);
    if (init.largeType !== undefined) mem.ptr(m + BigInt(LARGE_TYPE), init.largeType);
    for (let i = 0; i < npages; i++) {
      const page = init.start + BigInt(i * PAGE);
      const slot = this.arenaOf(page) + BigInt(this.spansOffset) + ((page / BigInt(PAGE)) % BigInt(PAGES_PER_ARENA)) * 8n;
      mem.ptr(slot, m);
    }
    return { mspan: m, elemsize, allocBits };
  }

  /** A type descriptor (internal/abi.Type) of `size` bytes with pointers at `pointerOffsets`. */
  type(size: number, pointerOffsets: readonly number[]): bigint {
    const t = this.nextType;
    this.nextType += 0x100n;
    const mem = this.mem;
    mem.alloc(t, 48 + 64);
    const ptrBytes = pointerOffsets.length === 0 ? 0 : Math.max(...pointerOffsets) + 8;
    mem.ptr(t, size);
    mem.ptr(t + 8n, ptrBytes);
    const mask = new Uint8Array(Math.ceil(ptrBytes / 64));
    for (const o of pointerOffsets) mask[o >> 6] |= 1 << ((o >> 3) & 7);
    mem.ptr(t + 32n, t + 48n);
    if (mask.length > 0) mem.write(t + 48n, mask);
    return t;
  }

  /** Writes the heap bits of the object at `base` (a span of one page): its words at `pointerOffsets` are pointers. */
  heapBits(start: bigint, base: bigint, elemsize: number, pointerOffsets: readonly number[]): void {
    const inline = this.heap.inlineMarkBits > 0 && elemsize >= 16 ? this.heap.inlineMarkBits : 0;
    const bitmap = start + BigInt(PAGE - PAGE / 64 - inline);
    for (const off of pointerOffsets) {
      const w = Number(base - start + BigInt(off)) / 8;
      const at = bitmap + BigInt(w >> 3);
      const old = this.mem.read(at, 1)[0];
      this.mem.u8(at, old | (1 << (w & 7)));
    }
  }
}

/** Sets a bit at `at`. */
function setBit(mem: SyntheticMemory, at: bigint, bit: number): void {
  mem.u8(at, mem.read(at, 1)[0] | (1 << bit));
}

/** Pointer offsets of `n` elements of `size` bytes with pointers at `offsets`, back to back. */
export function repeated(offsets: readonly number[], size: number, n: number): number[] {
  const out: number[] = [];
  for (let e = 0; e < n; e++) for (const o of offsets) out.push(e * size + o);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The same heap as the binary's DWARF describes it (Go 1.26, amd64), for loadHeapLayout.

function struct(name: string, size: number, fields: [string, number, GoType][]): GoStructType {
  const f: GoField[] = fields.map(([n, offset, type]) => ({ name: n, offset, type }));
  return { kind: 'struct', name, size, align: 8, fields: f };
}

const u = (size: number): GoType => ({ kind: 'uint', name: `uint${size * 8}`, size, align: size });
const ptr = (elem?: GoType): GoType => ({ kind: 'pointer', name: '*', size: 8, align: 8, elem });
const mspan = struct('runtime.mspan', 160, [
  ['startAddr', 24, u(8)],
  ['npages', 32, u(8)],
  ['freeindex', 48, u(2)],
  ['allocBits', 64, ptr()],
  ['spanclass', 98, u(1)],
  ['state', 99, struct('runtime.mSpanStateBox', 1, [['s', 0, u(1)]])],
  ['elemsize', 104, u(8)],
  ['largeType', 152, ptr()],
]);
const arenaArray: GoType = { kind: 'array', name: '[4194304]*runtime.heapArena', size: 8 << 22, align: 8, elem: ptr(), length: 1 << 22 };
const mheap = struct('runtime.mheap', 93464, [['arenas', 66008, { kind: 'array', name: '[1]*[4194304]*runtime.heapArena', size: 8, align: 8, elem: ptr(arenaArray), length: 1 }]]);
const heapArena = struct('runtime.heapArena', 69648, [['spans', 0, { kind: 'array', name: '[8192]*runtime.mspan', size: 65536, align: 8, elem: ptr(mspan), length: 8192 }]]);
const abiType = struct('internal/abi.Type', 48, [
  ['Size_', 0, u(8)],
  ['PtrBytes', 8, u(8)],
  ['TFlag', 20, u(1)],
  ['Kind_', 23, u(1)],
  ['GCData', 32, ptr()],
]);

export const HEAP_DWARF = { mheap, heapArena, mspan, abiType } as const;

/** Where the size-class table is placed for heapTarget. */
const CLASSES_AT = 0x8000n;

/**
 * A HeapTarget over the synthetic heap's memory: the runtime's types as DWARF has them, mheap_
 * where its arenas field lands on the heap's, and the size-class table in memory.
 */
export function heapTarget(h: SyntheticHeap): HeapTarget {
  const mem = h.mem;
  mem.alloc(CLASSES_AT, 256);
  CLASS_TO_SIZE.forEach((v, i) => mem.u16(CLASSES_AT + BigInt(2 * i), v));
  const types: Record<string, GoType> = { 'runtime.mheap': mheap, 'runtime.heapArena': heapArena, 'runtime.mspan': mspan, 'internal/abi.Type': abiType };
  const symbols: Record<string, bigint> = { 'runtime.mheap_': h.heap.arenas - 66008n, 'internal/runtime/gc.SizeClassToSize': CLASSES_AT };
  return {
    pointerSize: 8,
    littleEndian: true,
    info: { arch: 'amd64' },
    readMany: (r) => mem.readMany(r),
    typesByName: async (names) => names.map((n) => types[n]),
    symbolAddress: async (n) => symbols[n],
  };
}
