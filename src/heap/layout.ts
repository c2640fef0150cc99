/**
 * Where the Go runtime keeps its record of the heap, as this binary lays it out: the page heap
 * `runtime.mheap_`, its two-level arena index (`arenas[L1][L2]*heapArena`), each arena's page →
 * span table (`heapArena.spans`), the span (`mspan`), the size-class table and the type
 * descriptor. Field offsets and array lengths come from DWARF, never from constants, so the
 * same code reads Go 1.19's heap and Go 1.26's. What DWARF cannot say is spelled out below,
 * with the runtime file it comes from; docs/heap-typecheck.md lists it per Go version.
 */
import type { FieldRef } from '../layout/map-layout.js';
import type { GoStructType, GoType } from '../layout/gotype.js';
import { readUintN } from '../target/bytes.js';
import { runtimeField } from '../target/runtime-gaps.js';
import type { Memory, Target } from '../target/target.js';

/** runtime/sizeclasses.go `_PageShift = 13` (internal/runtime/gc `PageShift` from Go 1.25): 8 KiB pages in every version. */
export const PAGE_SIZE = 8192;
/** runtime/sizeclasses.go `_MaxSmallSize`: objects above it get a span of their own (size class 0). */
export const MAX_SMALL_SIZE = 32768;
/** runtime/malloc.go `maxTinySize`: noscan objects below it share 16-byte blocks. */
export const MAX_TINY_SIZE = 16;
/** runtime/mbitmap.go `mallocHeaderSize` (Go 1.22+): one word-sized type pointer, 8 bytes on every target. */
export const MALLOC_HEADER_SIZE = 8;
/** runtime/mheap.go `mSpanInUse` (mSpanDead 0, mSpanInUse 1, mSpanManual 2 — stacks — in every version). */
export const SPAN_DEAD = 0;
export const SPAN_IN_USE = 1;
export const SPAN_MANUAL = 2;

/** runtime/malloc.go arenaBaseOffset: amd64 addresses are offset by 2^47 before indexing arenas. */
function arenaBaseOffset(arch: string): bigint {
  return arch === 'amd64' ? 0xffff800000000000n : 0n;
}

export interface MspanLayout {
  readonly size: number;
  readonly startAddr: FieldRef;
  readonly npages: FieldRef;
  readonly elemsize: FieldRef;
  /** spanClass: size class << 1 | noscan. */
  readonly spanclass: FieldRef;
  /** mSpanStateBox: one byte (a uint8, or atomic.Uint8 from Go 1.20) at its start. */
  readonly state: FieldRef;
  readonly freeindex: FieldRef;
  readonly allocBits: FieldRef;
  /** Go 1.22+ (allocation headers): the type of the one large object of a class-0 span. */
  readonly largeType?: FieldRef;
}

export interface HeapLayout {
  readonly pointerSize: 4 | 8;
  readonly littleEndian: boolean;
  /** Address of `mheap_.arenas`, an array of l1 pointers to arrays of l2 `*heapArena`. */
  readonly arenas: bigint;
  readonly l1: number;
  readonly l2: number;
  readonly arenaBaseOffset: bigint;
  readonly pagesPerArena: number;
  /** Offset of `spans [pagesPerArena]*mspan` in heapArena. */
  readonly spansOffset: number;
  readonly mspan: MspanLayout;
  /**
   * Go 1.22+: objects with pointers over `minSizeForMallocHeader` (pointer size × bits per
   * pointer: 512 bytes on 64-bit, 128 on 32-bit) start with a word pointing at their type, and a
   * large object's type is its span's largeType. Known by mspan having largeType.
   */
  readonly mallocHeaders: boolean;
  /**
   * Go 1.26 (Green Tea GC): bytes of `spanInlineMarkBits` kept at the end of a span of small
   * objects (16 to 512 bytes), just after its heap bits; 0 where the type is absent or empty.
   */
  readonly inlineMarkBits: number;
  /**
   * Go 1.19-1.21: the pointer bitmap every heapArena keeps for its words, written at each
   * allocation with pointers: 1 bit a word as uintptrs from 1.20 (`bitmap`, beside
   * `noMorePtrs`), 2 bits a word as bytes in 1.19 (four pointer bits in the low nibble, four
   * scan bits in the high one). Undefined from 1.22, where spans and headers say it instead.
   */
  readonly arenaBitmap?: { readonly offset: number; readonly bitsPerWord: 1 | 2 };
  /** class_to_size (SizeClassToSize from Go 1.25), up to the class of MAX_SMALL_SIZE; undefined if unreadable. */
  readonly classToSize: readonly number[] | undefined;
  /** The runtime type descriptor (`internal/abi.Type`, `runtime._type` before 1.21): its size and the fields read here. */
  readonly rtype:
    | {
        readonly size: number;
        readonly sizeField: FieldRef;
        readonly ptrBytes: FieldRef;
        readonly gcdata?: FieldRef;
        readonly tflag?: FieldRef;
        readonly kind?: FieldRef;
      }
    | undefined;
}

/** What the check needs of a target: its memory, types and symbols. */
export type HeapTarget = Pick<Target, 'pointerSize' | 'littleEndian' | 'readMany' | 'typesByName' | 'symbolAddress' | 'variables' | 'noteRuntimeGap'> & {
  readonly info: { readonly arch: string };
};

export type HeapLayoutResult = { readonly ok: true; readonly heap: HeapLayout } | { readonly ok: false; readonly reason: string };

function fieldRef(s: GoStructType, ...names: string[]): FieldRef | undefined {
  for (const n of names) {
    const f = s.fields.find((x) => x.name === n);
    if (f) return { offset: f.offset, size: f.type.size };
  }
  return undefined;
}

function isPow2(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/** The arenas field: `[L1]*[L2]*heapArena`; its two lengths. */
function arenaShape(t: GoType): { l1: number; l2: number } | undefined {
  if (t.kind !== 'array' || t.elem.kind !== 'pointer' || t.elem.elem?.kind !== 'array') return undefined;
  const l1 = t.length;
  const l2 = t.elem.elem.length;
  return isPow2(l1) && isPow2(l2) ? { l1, l2 } : undefined;
}

/** What is not done without one of the heap's structs or fields (the target's warning says which). */
const WITHOUT_HEAP = "maps given by address (0xADDR:map[K]V) are not checked against the Go heap's record of their arrays";

/** Finds the runtime's heap structures in the binary's DWARF and symbols; says why not where it cannot. */
export async function loadHeapLayout(target: HeapTarget): Promise<HeapLayoutResult> {
  const [mheapT, arenaT, mspanT, abiT, oldT, inlineT] = await target.typesByName([
    'runtime.mheap',
    'runtime.heapArena',
    'runtime.mspan',
    'internal/abi.Type',
    'runtime._type',
    'runtime.spanInlineMarkBits',
  ]);
  if (mheapT?.kind !== 'struct' || arenaT?.kind !== 'struct' || mspanT?.kind !== 'struct') {
    for (const [name, t] of [['runtime.mheap', mheapT], ['runtime.heapArena', arenaT], ['runtime.mspan', mspanT]] as const) {
      if (t?.kind !== 'struct') target.noteRuntimeGap?.({ struct: name, without: WITHOUT_HEAP });
    }
    return { ok: false, reason: 'the binary has no DWARF description of runtime.mheap, heapArena or mspan' };
  }
  const arenasField = mheapT.fields.find((f) => f.name === 'arenas');
  const shape = arenasField && arenaShape(arenasField.type);
  const spans = arenaT.fields.find((f) => f.name === 'spans');
  if (!arenasField) target.noteRuntimeGap?.({ struct: mheapT.name, field: 'arenas', without: WITHOUT_HEAP });
  if (!spans) target.noteRuntimeGap?.({ struct: arenaT.name, field: 'spans', without: WITHOUT_HEAP });
  if (!arenasField || !shape || spans?.type.kind !== 'array') return { ok: false, reason: 'runtime.mheap.arenas or heapArena.spans is not as expected' };
  const m = mspanT;
  const ref = (name: string) => runtimeField(target, m, WITHOUT_HEAP, name);
  const startAddr = ref('startAddr');
  const npages = ref('npages');
  const elemsize = ref('elemsize');
  const spanclass = ref('spanclass');
  const state = ref('state');
  const freeindex = ref('freeindex');
  const allocBits = ref('allocBits');
  if (!startAddr || !npages || !elemsize || !spanclass || !state || !freeindex || !allocBits) {
    return { ok: false, reason: 'runtime.mspan lacks one of startAddr, npages, elemsize, spanclass, state, freeindex, allocBits' };
  }
  // From the symbol table where it can be: gdb's lookup expands the whole runtime's debug info.
  const symbol = async (name: string) => (await target.variables?.symbolAddress?.(name)) ?? (await target.symbolAddress(name));
  const mheap = await symbol('runtime.mheap_');
  if (mheap === undefined) return { ok: false, reason: 'the binary has no runtime.mheap_ symbol' };
  // Go 1.22+ only: its absence says which heap this is, not that something moved.
  const largeType = fieldRef(m, 'largeType');
  const bitmap = arenaT.fields.find((f) => f.name === 'bitmap');
  const bitmapElem = bitmap?.type.kind === 'array' ? bitmap.type.elem.size : 0;
  const hasNoMorePtrs = arenaT.fields.some((f) => f.name === 'noMorePtrs');
  const arenaBitmap =
    largeType || !bitmap
      ? undefined
      : hasNoMorePtrs && bitmapElem === target.pointerSize
        ? { offset: bitmap.offset, bitsPerWord: 1 as const }
        : !hasNoMorePtrs && bitmapElem === 1
          ? { offset: bitmap.offset, bitsPerWord: 2 as const }
          : undefined;
  const descriptor = abiT?.kind === 'struct' ? abiT : oldT?.kind === 'struct' ? oldT : undefined;
  const sizeField = descriptor && fieldRef(descriptor, 'Size_', 'size');
  const ptrBytes = descriptor && fieldRef(descriptor, 'PtrBytes', 'ptrdata');
  const classes = (await symbol('runtime.class_to_size')) ?? (await symbol('internal/runtime/gc.SizeClassToSize'));
  return {
    ok: true,
    heap: {
      pointerSize: target.pointerSize,
      littleEndian: target.littleEndian,
      arenas: mheap + BigInt(arenasField.offset),
      l1: shape.l1,
      l2: shape.l2,
      arenaBaseOffset: arenaBaseOffset(target.info.arch),
      pagesPerArena: spans.type.length,
      spansOffset: spans.offset,
      mspan: { size: m.size, startAddr, npages, elemsize, spanclass, state: { offset: state.offset, size: 1 }, freeindex, allocBits, largeType },
      mallocHeaders: largeType !== undefined,
      inlineMarkBits: inlineT?.kind === 'struct' ? inlineT.size : 0,
      ...(arenaBitmap ? { arenaBitmap } : {}),
      classToSize: classes === undefined ? undefined : await readClassTable(target, classes),
      rtype:
        descriptor && sizeField && ptrBytes
          ? {
              size: descriptor.size,
              sizeField,
              ptrBytes,
              gcdata: fieldRef(descriptor, 'GCData', 'gcdata'),
              tflag: fieldRef(descriptor, 'TFlag', 'tflag'),
              kind: fieldRef(descriptor, 'Kind_', 'kind'),
            }
          : undefined,
    },
  };
}

/** Size classes past any table so far, read in one go; and as many as there have been (Go 1.16-1.26). */
const MAX_CLASSES = 128;
const KNOWN_CLASSES = 68;

/**
 * The size-class table, read from the target and trusted only if it has the shape the runtime
 * generates (mksizeclasses.go): 0, then strictly increasing multiples of 8 up to MAX_SMALL_SIZE.
 */
export async function readClassTable(mem: Memory, address: bigint): Promise<number[] | undefined> {
  // Past the table's end may lie the end of its mapping: then the 68 classes of Go 1.16-1.26 alone.
  const [wide, known] = await mem.readMany([
    { address, length: MAX_CLASSES * 2 },
    { address, length: KNOWN_CLASSES * 2 },
  ]);
  const r = wide.ok ? wide : known;
  return r.ok ? classTableFrom(r.bytes, mem) : undefined;
}

export function classTableFrom(bytes: Uint8Array, order: { littleEndian: boolean }): number[] | undefined {
  const out: number[] = [];
  for (let i = 0; i * 2 + 2 <= bytes.length; i++) {
    const v = readUintN(bytes, i * 2, 2, order);
    if (i === 0 ? v !== 0 : v <= out[i - 1] || v % 8 !== 0) return undefined;
    out.push(v);
    if (v === MAX_SMALL_SIZE) return out;
  }
  return undefined;
}
