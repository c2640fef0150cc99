/**
 * Interfaces written by the compiled emitters (./emit.ts), as the renderer writes them
 * (`{"type":NAME,"value":V}`, render.ts iface), byte for byte: the dynamic type from the
 * runtime's descriptor (read from the binary's file, remembered per descriptor), the payload by
 * the emitter of that type. A map of 200,000 `interface{}` values took the general renderer
 * five rounds over every entry; here each entry is gathered once per level of indirection and
 * written once.
 *
 * What the emitter cannot write exactly as the renderer would (an address past 2^53, a payload
 * type no emitter handles, a value past the depth bound, a cycle) it gives up on at gather time,
 * and that entry goes to the general renderer.
 */
import { type GoType, predeclaredType } from '../layout/gotype.js';
import { wordReader } from '../target/bytes.js';
import { MAX_SAFE_ADDRESS } from '../target/range-list.js';
import type { MemRange } from '../target/target.js';
import type { Emitter, Gather, GatherSink } from './emit.js';
import type { JsonOut } from './json-out.js';
import { MAX_VALUE_NODES } from './limits.js';
import { type RenderEnv, byKind } from './render.js';
import { descriptorFault } from './rtype.js';

/** As the renderer's MAX_DEPTH, counted in interface payloads entered. */
const MAX_PAYLOADS_DEEP = 32;

/**
 * What an interface's dynamic type leads to, once everything it needs is cached: the same for
 * every interface holding that type, so worked out once per descriptor.
 */
type Outcome =
  | { readonly kind: 'text'; readonly text: string }
  /** Not cached yet: read `range` or look up `typeName`, then ask again. */
  | { readonly kind: 'missing'; readonly range?: MemRange; readonly typeName?: string }
  /** An address or type this emitter does not write: the general renderer does. */
  | { readonly kind: 'other' }
  | {
      readonly kind: 'value';
      /** `{"type":NAME,"value":`, and the whole text when the data pointer is nil. */
      readonly prefix: string;
      readonly nilData: string;
      readonly e: Emitter;
      readonly size: number;
      /** The renderer's nodes in a payload. */
      readonly weight: number;
      /** Pointer-shaped: the payload is the data word itself. */
      readonly direct: boolean;
    };

const OTHER: Outcome = { kind: 'other' };
const NULL: Outcome = { kind: 'text', text: 'null' };
const NO_RTYPES: Outcome = { kind: 'text', text: '{"type":null,"value":{"error":"no runtime type information"}}' };

/**
 * `payloadEmitter` compiles the payload's type; `weigh` counts the renderer's nodes in a value of
 * it, for the renderer's bound on one value.
 */
export function ifaceEmitter(kind: 'eface' | 'iface', env: RenderEnv, payloadEmitter: (t: GoType) => Emitter | undefined, weigh: (t: GoType) => number): Emitter {
  const mem = env.mem;
  const ps = mem.pointerSize;
  const word = wordReader(ps, mem.littleEndian);
  const itabType = env.rtypes?.itabType;
  /** Outcomes by descriptor address, once final (not 'missing'). */
  const byType = new Map<number, Outcome>();

  /** What the interface at (b, o) holds a value of; the data word is read by the caller. */
  function outcome(b: Uint8Array, o: number): Outcome {
    const word0 = word(b, o);
    if (word0 === undefined || word0 >= MAX_SAFE_ADDRESS) return OTHER;
    if (word0 === 0) return NULL;
    let typeAddr = word0;
    if (kind === 'iface') {
      // itab{inter, _type, ...}: the dynamic type where the runtime's itab keeps it (values/rtype.ts).
      if (itabType === undefined) return NO_RTYPES;
      const itab = mem.blockAt(word0 + itabType, ps);
      if (!itab) {
        if (mem.unreadableAt(word0 + itabType, ps)) return { kind: 'text', text: `{"error":"unreadable itab at 0x${word0.toString(16)}"}` };
        return { kind: 'missing', range: { address: BigInt(word0 + itabType), length: ps } };
      }
      const t = word(itab, mem.foundAt);
      if (t === undefined || t >= MAX_SAFE_ADDRESS) return OTHER;
      typeAddr = t;
    }
    const known = byType.get(typeAddr);
    // A type waiting for its DWARF lookup waits once per round, not once per interface.
    if (known && (known.kind !== 'missing' || (known.typeName !== undefined && !env.typesByName.has(known.typeName)))) return known;
    const made = ofType(typeAddr);
    if (made.kind !== 'missing' || made.typeName !== undefined) byType.set(typeAddr, made);
    return made;
  }

  function ofType(typeAddr: number): Outcome {
    const rtypes = env.rtypes;
    if (!rtypes) return NO_RTYPES;
    const misses: MemRange[] = [];
    const dyn = rtypes.read(mem, BigInt(typeAddr), misses);
    if (dyn === undefined) return { kind: 'missing', range: misses[0] };
    if (dyn === 'unreadable') return { kind: 'text', text: `{"error":"unreadable type descriptor at 0x${typeAddr.toString(16)}"}` };
    const fault = descriptorFault(dyn, ps);
    if (fault !== undefined) return { kind: 'text', text: JSON.stringify({ error: `corrupt type descriptor at 0x${typeAddr.toString(16)}: ${fault}` }) };
    let vt: GoType | null | undefined = predeclaredType(dyn.name, ps) ?? env.typesByName.get(dyn.name);
    if (vt === undefined) return { kind: 'missing', typeName: dyn.name };
    vt ??= byKind(dyn, ps);
    const name = JSON.stringify(dyn.name);
    if (vt === null) return { kind: 'text', text: `{"type":${name},"value":${JSON.stringify({ error: `no DWARF type for ${dyn.name}` })}}` };
    const e = payloadEmitter(vt);
    if (!e) return OTHER;
    const direct = dyn.size === ps && dyn.ptrBytes === ps;
    return { kind: 'value', prefix: `{"type":${name},"value":`, nilData: `{"type":${name},"value":{"error":"nil data pointer"}}`, e, size: vt.size, weight: weigh(vt), direct };
  }

  /** The data word, as a double; undefined past 2^53 (the general renderer's). */
  function dataAt(b: Uint8Array, o: number): number | undefined {
    const d = word(b, o + ps);
    return d === undefined || d >= MAX_SAFE_ADDRESS ? undefined : d;
  }

  const gather = (b: Uint8Array, o: number, sink: GatherSink): void => {
    const r = outcome(b, o);
    switch (r.kind) {
      case 'text':
        return;
      case 'other':
        return sink.giveUp();
      case 'missing':
        if (r.range) sink.read(r.range);
        if (r.typeName !== undefined) sink.missingType(r.typeName);
        // The interface's own bytes are in hand (a slot, a payload already read): asked again as they are.
        return sink.later(() => gather(b, o, sink));
      case 'value': {
        const data = dataAt(b, o);
        if (data === undefined) return sink.giveUp();
        if (sink.depth >= MAX_PAYLOADS_DEEP || (sink.nodes += r.weight) > MAX_VALUE_NODES) return sink.giveUp();
        const g = r.e.gather;
        if (r.direct) return g && enter(g, b, o + ps, sink);
        if (data === 0 || r.size === 0) return;
        const block = mem.blockAt(data, r.size);
        if (block) return g && enter(g, block, mem.foundAt, sink);
        // An unreadable payload is written as the renderer writes it (the emitter's error).
        if (mem.unreadableAt(data, r.size)) return;
        sink.ranges.add(data, r.size);
        const size = r.size;
        return sink.later(() => {
          const read = mem.blockAt(data, size);
          if (read && g) enter(g, read, mem.foundAt, sink);
        });
      }
    }
  };

  /** Nesting through interfaces, for the cycle bound: a payload reaching itself would never end. */
  function enter(g: Gather, b: Uint8Array, o: number, sink: GatherSink): void {
    sink.depth++;
    g(b, o, sink);
    sink.depth--;
  }

  const emit = (b: Uint8Array, o: number, out: JsonOut): void => {
    const r = outcome(b, o);
    if (r.kind === 'text') return out.text(r.text);
    const data = dataAt(b, o);
    // Gathered, yet not there: what the renderer's last round leaves (an incomplete value).
    if (r.kind !== 'value' || data === undefined) return out.text('null');
    if (!r.direct && data === 0) return out.text(r.nilData);
    out.text(r.prefix);
    if (r.direct) r.e.emit(b, o + ps, out);
    else if (r.size === 0) r.e.emit(b, o, out);
    else {
      const block = mem.blockAt(data, r.size);
      if (block) r.e.emit(block, mem.foundAt, out);
      else out.text(`{"error":"unreadable memory at 0x${data.toString(16)}"}`);
    }
    out.text('}');
  };

  return { emit, gather };
}
