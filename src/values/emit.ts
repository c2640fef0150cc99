/**
 * Keys and elems as JSON text straight from the bytes of their slots: the fast path for the
 * JSON outputs of big maps. A million entries rendered as objects and then serialized cost
 * seconds; compiled per type, a key or elem is a few DataView reads and one string.
 *
 * Only types whose value lies wholly in the slot, or in memory fetched beforehand (string data,
 * the count of a map held as a value), are compiled; anything else (interfaces, which need type
 * descriptors and DWARF by name; huge arrays; values over the size bound) is left to the
 * general renderer (./render.ts), whose output this must equal byte for byte.
 */
import type { GoType } from '../layout/gotype.js';
import { hex, readInt, readUint, viewOf, wordReader } from '../target/bytes.js';
import type { CachedMemory } from '../target/cache.js';
import { MAX_SAFE_ADDRESS, type RangeList } from '../target/range-list.js';
import { floatJson } from './floats.js';
import { MAX_VALUE_BYTES, MAX_VALUE_NODES } from './limits.js';
import { ifaceEmitter } from './emit-iface.js';
import { MAX_STRING_BYTES, type RenderEnv } from './render.js';
import type { MemRange } from '../target/target.js';
import type { JsonOut } from './json-out.js';
import { decodeGoString } from './utf8.js';

/** Writes the JSON of the value at `off` in `bytes`, given memory prefetched by the matching Gather. */
export type Emit = (bytes: Uint8Array, off: number, out: JsonOut) => void;
/** Tells `sink` what an Emit will peek at: string data, map headers, interfaces' descriptors and payloads. */
export type Gather = (bytes: Uint8Array, off: number, sink: GatherSink) => void;

/**
 * Where gathers put what is to be read, in rounds (./gather.ts): what a value needs is read
 * level by level (an interface's descriptor, then its payload, then the payload's strings).
 */
export interface GatherSink {
  /** Strings' bytes and map headers too (rendering), or only what leads to interfaces' payloads (the analysis). */
  readonly strings: boolean;
  /** Ranges to read this round. */
  readonly ranges: RangeList;
  read(range: MemRange): void;
  /** A Go type to look up by name this round. */
  missingType(name: string): void;
  /** Runs `visit` once this round's reads are done. */
  later(visit: () => void): void;
  /** The value cannot be written by its emitter (see emit-iface.ts): the general renderer writes it. */
  giveUp(): void;
  /** Interface payloads entered, and the renderer's nodes counted so far, for the value being gathered. */
  depth: number;
  nodes: number;
}

export interface Emitter {
  readonly emit: Emit;
  /** Absent when the value needs nothing beyond its own bytes. */
  readonly gather?: Gather;
}

/** What emitters read through: memory, and for interfaces the runtime's descriptors and DWARF types by name. */
export type EmitEnv = RenderEnv;

/** Arrays longer than this go to the general renderer, which bounds the work per value. */
const MAX_ARRAY_ELEMS = 4096;
const TWO32 = 4294967296;
/** hi words within ±2^21 make |value| < 2^53: exact as a JS number. */
const SAFE_HI = 2097152;

/** Emitters close over their memory and type tables: one cache per memory. */
const caches = new WeakMap<CachedMemory, WeakMap<GoType, Emitter | null>>();

/** An emitter for `t`, or undefined when values of `t` need the general renderer. */
export function compileEmitter(t: GoType, env: EmitEnv): Emitter | undefined {
  let cache = caches.get(env.mem);
  if (!cache) {
    cache = new WeakMap();
    caches.set(env.mem, cache);
  }
  const known = cache.get(t);
  if (known !== undefined) return known ?? undefined;
  const made = (nodes(t) <= MAX_VALUE_NODES ? compile(t, env, 0) : undefined) ?? null;
  cache.set(t, made);
  return made ?? undefined;
}

function compile(t: GoType, env: EmitEnv, depth: number): Emitter | undefined {
  if (depth > 16 || t.size > MAX_VALUE_BYTES) return undefined;
  const mem = env.mem;
  const le = mem.littleEndian;
  const ps = mem.pointerSize;
  if (t.size === 0) return zeroSized(t);
  switch (t.kind) {
    case 'bool':
      return { emit: (b, o, out) => out.text(b[o] !== 0 ? 'true' : 'false') };
    case 'int':
    case 'uint':
    case 'uintptr':
      return { emit: integer(t.size, t.kind === 'int', le) };
    case 'float':
      if (t.size !== 4 && t.size !== 8) return undefined;
      return { emit: float(t.size, le) };
    case 'complex': {
      if (t.size !== 8 && t.size !== 16) return undefined;
      const part = float(t.size / 2, le);
      const h = t.size / 2;
      return {
        emit: (b, o, out) => {
          out.text('{"real":');
          part(b, o, out);
          out.text(',"imag":');
          part(b, o + h, out);
          out.text('}');
        },
      };
    }
    case 'pointer':
    case 'unsafe.Pointer':
    case 'chan':
    case 'func':
      return { emit: (b, o, out) => out.text(pointerText(readUint(b, o, ps, mem))) };
    case 'slice':
      return {
        emit: (b, o, out) => out.text(`{"len":${intText(readInt(b, o + ps, ps, mem))},"cap":${intText(readInt(b, o + 2 * ps, ps, mem))},"data":${pointerText(readUint(b, o, ps, mem))}}`),
      };
    case 'string':
      return stringEmitter(env);
    case 'map':
      return mapEmitter(env);
    case 'array': {
      if (t.length > MAX_ARRAY_ELEMS) return undefined;
      const e = compile(t.elem, env, depth + 1);
      if (!e) return undefined;
      const n = t.length;
      const es = t.elem.size;
      const gather = e.gather;
      return {
        emit: (b, o, out) => {
          out.text('[');
          for (let i = 0; i < n; i++) {
            if (i > 0) out.text(',');
            e.emit(b, o + i * es, out);
          }
          out.text(']');
        },
        gather: gather ? (b, o, sink) => { for (let i = 0; i < n; i++) gather(b, o + i * es, sink); } : undefined,
      };
    }
    case 'struct': {
      const parts: { prefix: string; off: number; e: Emitter }[] = [];
      for (const f of t.fields) {
        if (f.name === '_') continue;
        const e = compile(f.type, env, depth + 1);
        if (!e) return undefined;
        parts.push({ prefix: (parts.length === 0 ? '{' : ',') + JSON.stringify(f.name) + ':', off: f.offset, e });
      }
      if (parts.length === 0) return { emit: (_b, _o, out) => out.text('{}') };
      const gathers = parts.filter((p) => p.e.gather);
      return {
        emit: (b, o, out) => {
          for (const p of parts) {
            out.text(p.prefix);
            p.e.emit(b, o + p.off, out);
          }
          out.text('}');
        },
        gather: gathers.length > 0 ? (b, o, sink) => { for (const p of gathers) p.e.gather?.(b, o + p.off, sink); } : undefined,
      };
    }
    case 'eface':
    case 'iface':
      return ifaceEmitter(t.kind, env, (vt) => compileEmitter(vt, env), nodes);
  }
}

/** Nodes the renderer visits for one value of `t`: past its budget it writes an error instead. */
export function nodes(t: GoType): number {
  if (t.kind === 'struct') return 1 + t.fields.reduce((n, f) => n + nodes(f.type), 0);
  if (t.kind === 'array') return 1 + t.length * nodes(t.elem);
  return 1;
}

/** Zero-sized values have no bytes: their text is fixed (as the renderer's zeroSized). */
function zeroSized(t: GoType): Emitter | undefined {
  const text = zeroText(t, { budget: MAX_ARRAY_ELEMS });
  return text === undefined ? undefined : { emit: (_b, _o, out) => out.text(text) };
}

function zeroText(t: GoType, b: { budget: number }): string | undefined {
  if (--b.budget < 0) return undefined;
  if (t.kind === 'struct') {
    const fields: string[] = [];
    for (const f of t.fields) {
      if (f.name === '_') continue;
      const v = zeroText(f.type, b);
      if (v === undefined) return undefined;
      fields.push(JSON.stringify(f.name) + ':' + v);
    }
    return '{' + fields.join(',') + '}';
  }
  if (t.kind === 'array') {
    if (t.length > b.budget) return undefined;
    const parts: string[] = [];
    for (let i = 0; i < t.length; i++) {
      const v = zeroText(t.elem, b);
      if (v === undefined) return undefined;
      parts.push(v);
    }
    return '[' + parts.join(',') + ']';
  }
  return 'null';
}

function integer(size: number, signed: boolean, le: boolean): Emit {
  if (size === 8) {
    // By hand from the bytes, the two halves written out for each byte order: a DataView lookup
    // or a helper call per half cost more than the arithmetic.
    const big = (b: Uint8Array, o: number, out: JsonOut) => {
      const v = viewOf(b);
      out.text(intText(signed ? v.getBigInt64(b.byteOffset + o, le) : v.getBigUint64(b.byteOffset + o, le)));
    };
    if (le) {
      return (b, o, out) => {
        const lo = (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 16777216;
        let hi = (b[o + 4] | (b[o + 5] << 8) | (b[o + 6] << 16)) + b[o + 7] * 16777216;
        if (signed && hi >= 2147483648) hi -= TWO32;
        if (hi < SAFE_HI && hi >= -SAFE_HI) out.int(hi * TWO32 + lo);
        else big(b, o, out);
      };
    }
    return (b, o, out) => {
      const lo = (b[o + 7] | (b[o + 6] << 8) | (b[o + 5] << 16)) + b[o + 4] * 16777216;
      let hi = (b[o + 3] | (b[o + 2] << 8) | (b[o + 1] << 16)) + b[o] * 16777216;
      if (signed && hi >= 2147483648) hi -= TWO32;
      if (hi < SAFE_HI && hi >= -SAFE_HI) out.int(hi * TWO32 + lo);
      else big(b, o, out);
    };
  }
  if (size === 4) return signed ? (b, o, out) => out.int(viewOf(b).getInt32(b.byteOffset + o, le)) : (b, o, out) => out.int(viewOf(b).getUint32(b.byteOffset + o, le));
  if (size === 2) return signed ? (b, o, out) => out.int(viewOf(b).getInt16(b.byteOffset + o, le)) : (b, o, out) => out.int(viewOf(b).getUint16(b.byteOffset + o, le));
  if (size === 1) return signed ? (b, o, out) => out.int((b[o] << 24) >> 24) : (b, o, out) => out.int(b[o]);
  const order = { littleEndian: le };
  return signed ? (b, o, out) => out.text(intText(readInt(b, o, size, order))) : (b, o, out) => out.text(intText(readUint(b, o, size, order)));
}

function float(size: 4 | 8 | number, le: boolean): Emit {
  const bits = size === 4 ? 32 : 64;
  return (b, o, out) => {
    const v = viewOf(b);
    const x = bits === 32 ? v.getFloat32(b.byteOffset + o, le) : v.getFloat64(b.byteOffset + o, le);
    const j = floatJson(x, bits);
    out.text(typeof j === 'string' ? `"${j}"` : numberText(j as number));
  };
}

function stringEmitter(env: EmitEnv): Emitter {
  const mem = env.mem;
  const ps = mem.pointerSize;
  const le = mem.littleEndian;
  const max = BigInt(MAX_STRING_BYTES);
  const word = wordReader(ps, le);
  return {
    gather: (b, o, sink) => {
      if (!sink.strings) return;
      const len = word(b, o + ps);
      const data = word(b, o);
      // Lengths past 2^53 or negative (a corrupt header) take the exact path, as do high addresses.
      if (len !== undefined && data !== undefined && len < 2 ** (8 * ps - 1) && data < MAX_SAFE_ADDRESS) {
        sink.ranges.add(data, Math.min(len, MAX_STRING_BYTES));
        return;
      }
      const l = readInt(b, o + ps, ps, mem);
      if (l > 0n) sink.ranges.addRange(readUint(b, o, ps, mem), l > max ? MAX_STRING_BYTES : Number(l));
    },
    emit: (b, o, out) => {
      const len = word(b, o + ps);
      const data = word(b, o);
      if (len !== undefined && data !== undefined && len < 2 ** (8 * ps - 1)) {
        if (len === 0) return out.text('""');
        // Where the bytes are, not a view of them: two million views were a tenth of a second.
        const n = Math.min(len, MAX_STRING_BYTES);
        const block = mem.blockAt(data, n);
        if (block) return out.goStringAt(block, mem.foundAt, n, jsonGoString);
        return out.text(`{"error":"unreadable string data at 0x${data.toString(16)}"}`);
      }
      const l = readInt(b, o + ps, ps, mem);
      if (l === 0n) return out.text('""');
      if (l < 0n) return out.text(`{"error":"string length ${l} is negative"}`);
      const addr = readUint(b, o, ps, mem);
      const bytes = mem.peek(addr, l > max ? MAX_STRING_BYTES : Number(l));
      if (bytes instanceof Uint8Array) return out.goString(bytes, jsonGoString);
      // Gathered and fetched, yet not there: the fetch failed.
      out.text(`{"error":"unreadable string data at ${hex(addr)}"}`);
    },
  };
}

function mapEmitter(env: EmitEnv): Emitter {
  const mem = env.mem;
  const ps = mem.pointerSize;
  // The header's first field is the live count: hmap.count (int) or Map.used (uint64).
  const size = env.swissHeaders ? 8 : ps;
  return {
    gather: (b, o, sink) => {
      if (!sink.strings) return;
      const h = readUint(b, o, ps, mem);
      if (h !== 0n) sink.ranges.addRange(h, size);
    },
    emit: (b, o, out) => {
      const h = readUint(b, o, ps, mem);
      if (h === 0n) return out.text('null');
      const bytes = mem.peek(h, size);
      const len = bytes instanceof Uint8Array ? intText(readInt(bytes, 0, size, mem)) : 'null';
      out.text(`{"map":"${hex(h)}","len":${len}}`);
    },
  };
}

function jsonGoString(bytes: Uint8Array): string {
  return JSON.stringify(decodeGoString(bytes));
}

function intText(v: bigint): string {
  return v <= 9007199254740992n && v >= -9007199254740992n ? String(Number(v)) : `"${v}"`;
}

function pointerText(v: bigint): string {
  return v === 0n ? 'null' : `"${hex(v)}"`;
}

/** As the JSON writer prints numbers: Go writes float -0.0 as -0. */
function numberText(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}
