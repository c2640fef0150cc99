/**
 * Does the memory at a map header hold a map of the type the user named? The runtime's heap
 * answers for it: the header's bucket or group arrays are heap objects, and their span records
 * the size class and whether they hold pointers, and from Go 1.22 (for objects with pointers
 * over 512 bytes, or large ones) the very type they were allocated as. What the named type
 * implies is worked out as the runtime would allocate it (./size-class.ts); where the record
 * contradicts it, the map does not hold that type. Where the record cannot tell (the arrays on
 * a stack, same size class and pointer-ness, a Go version without the fields), nothing is
 * claimed: the decoder's own consistency checks are then all there is (maps/consistency.ts).
 *
 * Reads: the headers, directories and tables of every map asked (./map-arrays.ts), then the span
 * lookups of all their arrays together (./spans.ts, ./objects.ts): at most nine batched reads
 * for any number of maps.
 */
import type { MapLayout } from '../layout/map-layout.js';
import type { Memory } from '../target/target.js';
import type { HeapLayout, HeapLayoutResult } from './layout.js';
import { type MapArray, type MapArrays, type MapElement, mapArrays } from './map-arrays.js';
import { findObjects, type HeapObject, type ObjectLookup } from './objects.js';
import { type Allocation, allocationFor } from './size-class.js';

export interface MapTypeQuery {
  readonly header: bigint;
  /** The type as the user spelled it, for messages: `map[string]int`. */
  readonly typeName: string;
  readonly layout: MapLayout;
}

/** How sure a verdict of `consistent` is. */
export type Basis =
  /** The allocation's recorded type has the element's size and pointer bytes. */
  | 'allocated type'
  /** The object's size class and pointer-ness are what the type implies (other types could share them). */
  | 'size class';

export type MapTypeVerdict =
  | { readonly kind: 'contradicts'; readonly error: string; readonly signals: readonly string[] }
  | { readonly kind: 'consistent'; readonly basis: Basis; readonly signals: readonly string[] }
  | { readonly kind: 'unknown'; readonly reason: string; readonly signals: readonly string[] };

/** Turns a recorded type's address into its runtime name, for messages; optional. */
export type TypeNamer = (address: bigint) => Promise<string | undefined>;

type ArrayFinding =
  /** `cites`: the recorded type the text names, if any. */
  | { readonly kind: 'contradicts'; readonly text: string; readonly cites?: bigint }
  | { readonly kind: 'consistent'; readonly basis: Basis }
  | { readonly kind: 'unknown'; readonly reason: string };

type Contradiction = Extract<ArrayFinding, { kind: 'contradicts' }>;

function hex(a: bigint): string {
  return '0x' + a.toString(16);
}

function pointers(ptrBytes: number): string {
  return ptrBytes > 0 ? 'with pointers' : 'without pointers';
}

/** `a 144-byte noscan object (size class 11)`, as the span records it. */
function objectText(o: HeapObject): string {
  const s = o.span;
  const kind = s.noscan ? 'noscan object' : 'object with pointers';
  return s.sizeclass === 0 ? `a ${s.elemsize}-byte ${kind} (${s.npages} pages of its own)` : `a ${s.elemsize}-byte ${kind} (size class ${s.sizeclass})`;
}

/** What the named type implies for the array: `a map[string]int group is 200 bytes with pointers, a 208-byte object`. */
function expectedText(q: MapTypeQuery, el: MapElement, a: MapArray, want: Allocation | undefined): string {
  const what = `${el.size} bytes ${pointers(el.ptrBytes)}`;
  const object = want ? (want.header ? `, a ${want.elemsize}-byte object with its ${want.header}-byte type header` : `, a ${want.elemsize}-byte object`) : '';
  const request = a.request ?? a.minRequest;
  const n = Math.round(request / el.size);
  if (n === 1) return `a ${q.typeName} ${el.unit} is ${what}${object}`;
  return `${n} ${q.typeName} ${el.unit}s of ${what} take ${request} bytes${object}`;
}

function judge(q: MapTypeQuery, heap: HeapLayout, el: MapElement, a: MapArray, found: ObjectLookup, names: Map<bigint, string>): ArrayFinding {
  if (!found.found) return { kind: 'unknown', reason: `the ${a.what} at ${hex(a.address)} is ${found.reason}` };
  const o = found.object;
  const s = o.span;
  const noscan = el.ptrBytes === 0;
  const want = a.request === undefined ? undefined : allocationFor(heap, a.request, noscan);
  const at = `its ${a.what} at ${hex(a.address)}${a.table === undefined ? '' : ` (of table ${hex(a.table)})`}`;
  const contradiction = (what: string, expected = expectedText(q, el, a, want)): Contradiction => ({ kind: 'contradicts', text: `${at} ${what}; ${expected}` });
  const elementPointers = `a ${q.typeName} ${el.unit} has ${el.pointerOffsets.length === 0 ? 'no pointers' : `pointers at bytes ${listOffsets(offsetWords(el, heap.pointerSize), heap.pointerSize)}`}`;
  if (o.type) {
    const t = o.type;
    const maskDiffers = t.mask !== undefined && t.size === el.size && t.ptrBytes === el.ptrBytes && !sameMask(t.mask, el, heap.pointerSize);
    if (t.size !== el.size || t.ptrBytes !== el.ptrBytes || maskDiffers) {
      const name = names.get(t.address);
      const where = t.mask && t.ptrBytes > 0 ? ` (pointers at bytes ${listOffsets(maskWords(t.mask, t.ptrBytes / heap.pointerSize), heap.pointerSize)})` : '';
      const allocated = `was allocated as ${t.size}-byte elements ${pointers(t.ptrBytes)}${name ? ` of type ${name}` : ''}${where}`;
      // Elements of the same size, both with pointers: where the pointers are is the difference.
      const found = t.size === el.size && t.ptrBytes > 0 && el.ptrBytes > 0 ? contradiction(allocated, elementPointers) : contradiction(allocated);
      return { ...found, cites: t.address };
    }
  }
  if (s.noscan !== noscan) return contradiction(`is ${objectText(o)}`);
  if (want) {
    if (want.tiny) {
      // Packed with other tiny noscan objects into a 16-byte block: anywhere in it.
      if (s.elemsize !== want.elemsize) return contradiction(`is ${objectText(o)}`);
    } else {
      if (s.elemsize !== want.elemsize) return contradiction(`is ${objectText(o)}`);
      if (o.offset !== want.header) return contradiction(`points ${o.offset} bytes into ${objectText(o)}`);
    }
  } else {
    // No size classes: only what holds whatever they are.
    if (s.elemsize - o.offset < a.minRequest) return contradiction(`is ${objectText(o)}, ${s.elemsize - o.offset} bytes from its start`);
  }
  if (o.pointerWords && want && !want.tiny) {
    const differ = firstDifference(o.pointerWords, o.pointerBits === 'prefix', el, a.request ?? a.minRequest, heap.pointerSize);
    if (differ !== undefined) {
      const byte = differ.word * heap.pointerSize;
      return contradiction(
        `holds ${differ.pointer ? 'a pointer' : 'no pointer'} at byte ${byte} by the heap's pointer bits (pointers at bytes ${listOffsets(o.pointerWords, heap.pointerSize)})`,
        `${elementPointers}, ${differ.pointer ? 'none' : 'one'} at byte ${byte % el.size}`,
      );
    }
    return { kind: 'consistent', basis: 'allocated type' };
  }
  return { kind: 'consistent', basis: o.type ? 'allocated type' : 'size class' };
}

/**
 * The first word where the recorded pointer bits and the named type's elements (repeated over
 * `request` bytes, zero after) disagree; with `prefix`, only up to the named type's last pointer
 * word, the words an allocation of that type writes.
 */
function firstDifference(bits: Uint8Array, prefix: boolean, el: MapElement, request: number, ps: number): { word: number; pointer: boolean } | undefined {
  const want = new Uint8Array(bits.length);
  let end = 0;
  for (let e = 0; e * el.size < request; e++) {
    for (const off of el.pointerOffsets) {
      const w = (e * el.size + off) / ps;
      if (w < want.length) want[w] = 1;
      end = Math.max(end, w + 1);
    }
  }
  const upTo = prefix ? Math.min(end, bits.length) : bits.length;
  for (let w = 0; w < upTo; w++) if (bits[w] !== want[w]) return { word: w, pointer: bits[w] === 1 };
  return undefined;
}

/** The element's pointer words, one byte per word. */
function offsetWords(el: MapElement, ps: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(el.size / ps));
  for (const off of el.pointerOffsets) out[off / ps] = 1;
  return out;
}

/** A GC mask (bit w of byte w/8: word w is a pointer) as one byte per word. */
function maskWords(mask: Uint8Array, words: number): Uint8Array {
  const out = new Uint8Array(words);
  for (let w = 0; w < words; w++) out[w] = (mask[w >> 3] >> (w & 7)) & 1;
  return out;
}

/** Whether a recorded type's GC mask has exactly the element's pointer words. */
function sameMask(mask: Uint8Array, el: MapElement, ps: number): boolean {
  const words = maskWords(mask, el.ptrBytes / ps);
  const want = new Uint8Array(words.length);
  for (const off of el.pointerOffsets) want[off / ps] = 1;
  return words.every((b, w) => b === want[w]);
}

/** `8, 32, 56, …`: the first pointer offsets of the heap bits, for the message. */
function listOffsets(bits: Uint8Array, ps: number): string {
  const at: number[] = [];
  bits.forEach((b, w) => {
    if (b) at.push(w * ps);
  });
  return at.length === 0 ? 'none' : at.length > 6 ? `${at.slice(0, 6).join(', ')}, …` : at.join(', ');
}

/** Signals about the header itself: it too is a heap object (hmap or Map), freed or not a header at all. */
function headerSignals(q: MapTypeQuery, heap: HeapLayout, found: ObjectLookup): string[] {
  if (!found.found) return found.heap ? [`the header ${hex(q.header)} is ${found.reason}: the map may have been freed`] : [];
  const o = found.object;
  const size = q.layout.kind === 'classic' ? q.layout.hmap.size : q.layout.map.size;
  const want = allocationFor(heap, size, false);
  const out: string[] = [];
  if (o.allocated === false) out.push(`the header ${hex(q.header)} is in a heap slot the allocator counts free: the map may have been freed`);
  if (o.offset !== 0 || (want && o.span.elemsize !== want.elemsize)) {
    out.push(`the header ${hex(q.header)} is ${o.offset} bytes into ${objectText(o)}, where a map header is a ${size}-byte object of its own: it may not be a map header`);
  }
  return out;
}

/**
 * The verdict for each map: `contradicts` (with the error to report), `consistent` or `unknown`;
 * `signals` are warnings whatever the verdict (a freed header or array).
 */
export async function checkMapTypes(mem: Memory, heapResult: HeapLayoutResult, queries: readonly MapTypeQuery[], nameOf?: TypeNamer): Promise<MapTypeVerdict[]> {
  if (!heapResult.ok) return queries.map(() => ({ kind: 'unknown', reason: heapResult.reason, signals: [] }));
  const heap = heapResult.heap;
  const arrays = await mapArrays(mem, heap, queries);
  const addresses: bigint[] = [];
  for (const [k, m] of arrays.entries()) {
    addresses.push(queries[k].header);
    for (const a of m.arrays) addresses.push(a.address);
  }
  const objects = await findObjects(mem, heap, addresses);
  const names = new Map<bigint, string>();
  const verdicts = () => verdictsOf(heap, queries, arrays, objects, names);
  const first = verdicts();
  // Names only of the recorded types a message cites: looking one up takes reads of its own.
  const cited = new Set<bigint>();
  for (const v of first.values()) for (const t of v.kind === 'contradicts' ? v.cites : []) cited.add(t);
  if (!nameOf || cited.size === 0) return first.map(strip);
  for (const t of cited) {
    const n = await nameOf(t).catch(() => undefined);
    if (n) names.set(t, n);
  }
  return verdicts().map(strip);
}

type Judged = MapTypeVerdict & { readonly cites: readonly bigint[] };

function strip(v: Judged): MapTypeVerdict {
  const { cites: _, ...rest } = v;
  return rest;
}

function verdictsOf(heap: HeapLayout, queries: readonly MapTypeQuery[], arrays: readonly MapArrays[], objects: readonly ObjectLookup[], names: Map<bigint, string>): Judged[] {
  let at = 0;
  return arrays.map((m, k): Judged => {
    const q = queries[k];
    const signals = headerSignals(q, heap, objects[at++]);
    const findings = m.arrays.map((a) => {
      const o = objects[at++];
      if (o.found && o.object.allocated === false) signals.push(`the ${a.what} at ${hex(a.address)} is in a heap slot the allocator counts free: the map may have been freed`);
      if (!o.found && o.heap) signals.push(`the ${a.what} at ${hex(a.address)} is ${o.reason}: the map may have been freed`);
      return judge(q, heap, m.element, a, o, names);
    });
    const contra = findings.find((f) => f.kind === 'contradicts');
    if (contra?.kind === 'contradicts') {
      return { kind: 'contradicts', error: `${hex(q.header)} does not hold a ${q.typeName}: ${contra.text}`, signals, cites: contra.cites === undefined ? [] : [contra.cites] };
    }
    const ok = findings.filter((f) => f.kind === 'consistent');
    if (ok.length > 0) {
      return { kind: 'consistent', basis: ok.some((f) => f.kind === 'consistent' && f.basis === 'allocated type') ? 'allocated type' : 'size class', signals, cites: [] };
    }
    const unknown = findings.find((f) => f.kind === 'unknown');
    const reason = unknown?.kind === 'unknown' ? unknown.reason : (m.skipped ?? `the map has no ${m.element.unit} array yet`);
    return { kind: 'unknown', reason, signals, cites: [] };
  });
}
