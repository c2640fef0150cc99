/**
 * Address → span, as the runtime's spanOf does it (runtime/mheap.go): the arena index of the
 * address picks `mheap_.arenas[l1][l2]`, a heapArena, whose `spans` table gives the mspan of the
 * address's page. Done for many addresses at once, one batched read per level: the L1 entries,
 * the L2 entries, the spans-table entries, the mspans — four reads however many addresses.
 */
import { readUint, readUintN } from '../target/bytes.js';
import type { Memory, MemRange } from '../target/target.js';
import { type HeapLayout, PAGE_SIZE } from './layout.js';

export interface Span {
  /** The mspan itself. */
  readonly address: bigint;
  readonly startAddr: bigint;
  readonly npages: number;
  readonly elemsize: number;
  /** spanclass >> 1: 0 for a span holding one large object. */
  readonly sizeclass: number;
  /** spanclass & 1: the span's objects hold no pointers. */
  readonly noscan: boolean;
  /** mSpanDead 0, mSpanInUse 1, mSpanManual 2 (stacks). */
  readonly state: number;
  readonly freeindex: number;
  readonly allocBits: bigint;
  /** Go 1.22+: the type of a large object (0 when unset or absent). */
  readonly largeType: bigint;
}

export type SpanLookup =
  /** `arena`: the heapArena holding the address's page. */
  | { readonly found: true; readonly span: Span; readonly arena: bigint }
  /** `heap`: the address lies in a heap arena, in pages no span owns (freed, or never used). */
  | { readonly found: false; readonly heap: boolean; readonly reason: string };

/** A span can be no longer than the address space a 2 GiB read limit lets a map use, and then some. */
const MAX_SPAN_PAGES = 1 << 20;

function word(bytes: Uint8Array, heap: HeapLayout): bigint {
  return readUint(bytes, 0, heap.pointerSize, heap);
}

/** Reads each distinct range once; returns a lookup by address. */
async function readDistinct(mem: Memory, ranges: Map<bigint, number>): Promise<Map<bigint, Uint8Array | undefined>> {
  const list: MemRange[] = [...ranges].map(([address, length]) => ({ address, length }));
  const out = new Map<bigint, Uint8Array | undefined>();
  if (list.length === 0) return out;
  const got = await mem.readMany(list);
  list.forEach((r, i) => {
    const g = got[i];
    out.set(r.address, g.ok ? g.bytes : undefined);
  });
  return out;
}

export async function findSpans(mem: Memory, heap: HeapLayout, addresses: readonly bigint[]): Promise<SpanLookup[]> {
  const ps = heap.pointerSize;
  const psn = BigInt(ps);
  const mask = (1n << BigInt(ps * 8)) - 1n;
  const arenaBytes = BigInt(heap.pagesPerArena * PAGE_SIZE);
  const l2 = BigInt(heap.l2);
  const out: SpanLookup[] = new Array(addresses.length);
  // Level by level: what each address needs read next, or its answer.
  const index = addresses.map((p) => {
    const ai = ((p - heap.arenaBaseOffset) & mask) / arenaBytes;
    return { p, l1: ai / l2, l2: ai % l2, inRange: ai < BigInt(heap.l1) * l2 };
  });
  index.forEach((x, i) => {
    if (!x.inRange) out[i] = { found: false, heap: false, reason: 'beyond the heap arenas' };
  });
  const pending = () => index.map((_, i) => i).filter((i) => out[i] === undefined);

  // mheap_.arenas[l1]: the L2 array (nil where no arena was ever mapped in that range).
  const l1Reads = new Map<bigint, number>();
  for (const i of pending()) l1Reads.set(heap.arenas + index[i].l1 * psn, ps);
  const l1 = await readDistinct(mem, l1Reads);
  const l2Array = new Map<number, bigint>();
  for (const i of pending()) {
    const b = l1.get(heap.arenas + index[i].l1 * psn);
    const a = b ? word(b, heap) : 0n;
    if (a === 0n) out[i] = { found: false, heap: false, reason: b ? 'not in the Go heap' : 'mheap_.arenas is unreadable' };
    else l2Array.set(i, a);
  }

  // arenas[l1][l2]: the heapArena.
  const l2Reads = new Map<bigint, number>();
  for (const i of pending()) l2Reads.set((l2Array.get(i) as bigint) + index[i].l2 * psn, ps);
  const l2s = await readDistinct(mem, l2Reads);
  const arenaOf = new Map<number, bigint>();
  for (const i of pending()) {
    const b = l2s.get((l2Array.get(i) as bigint) + index[i].l2 * psn);
    const a = b ? word(b, heap) : 0n;
    if (a === 0n) out[i] = { found: false, heap: false, reason: b ? 'not in the Go heap' : 'the heap arena index is unreadable' };
    else arenaOf.set(i, a);
  }

  // heapArena.spans[page]: the mspan (nil for pages no span owns).
  const spanSlot = (i: number) => (arenaOf.get(i) as bigint) + BigInt(heap.spansOffset) + ((index[i].p / BigInt(PAGE_SIZE)) % BigInt(heap.pagesPerArena)) * psn;
  const slotReads = new Map<bigint, number>();
  for (const i of pending()) slotReads.set(spanSlot(i), ps);
  const slots = await readDistinct(mem, slotReads);
  const spanAt = new Map<number, bigint>();
  for (const i of pending()) {
    const b = slots.get(spanSlot(i));
    const s = b ? word(b, heap) : 0n;
    if (s === 0n) out[i] = { found: false, heap: b !== undefined, reason: b ? 'in a heap arena, in pages no span owns (freed memory)' : 'the heap arena is unreadable' };
    else spanAt.set(i, s);
  }

  // The mspans.
  const spanReads = new Map<bigint, number>();
  for (const i of pending()) spanReads.set(spanAt.get(i) as bigint, heap.mspan.size);
  const spans = await readDistinct(mem, spanReads);
  for (const i of pending()) {
    const at = spanAt.get(i) as bigint;
    const b = spans.get(at);
    if (!b) {
      out[i] = { found: false, heap: false, reason: `its mspan 0x${at.toString(16)} is unreadable` };
      continue;
    }
    const span = decodeSpan(heap, at, b);
    const end = span.startAddr + BigInt(span.npages * PAGE_SIZE);
    // A stale table entry, or a damaged mspan, must not be taken for the owner of the address.
    if (span.npages < 1 || span.npages > MAX_SPAN_PAGES || index[i].p < span.startAddr || index[i].p >= end) {
      out[i] = { found: false, heap: true, reason: `its page's mspan 0x${at.toString(16)} does not cover it` };
      continue;
    }
    out[i] = { found: true, span, arena: arenaOf.get(i) as bigint };
  }
  return out;
}

export function decodeSpan(heap: HeapLayout, address: bigint, b: Uint8Array): Span {
  const m = heap.mspan;
  const n = (f: { offset: number; size: number }) => readUintN(b, f.offset, f.size, heap);
  const u = (f: { offset: number; size: number }) => readUint(b, f.offset, f.size, heap);
  const spanclass = n(m.spanclass);
  return {
    address,
    startAddr: u(m.startAddr),
    npages: n(m.npages),
    elemsize: n(m.elemsize),
    sizeclass: spanclass >> 1,
    noscan: (spanclass & 1) === 1,
    state: n(m.state),
    freeindex: n(m.freeindex),
    allocBits: u(m.allocBits),
    largeType: m.largeType ? u(m.largeType) : 0n,
  };
}
