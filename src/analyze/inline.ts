/**
 * Facts found by walking a key or elem in place: the string bytes it refers to, and whether it
 * holds a float NaN (such a key is unequal to itself, so no lookup can ever find it).
 *
 * Like the value renderer, the walk is synchronous over cached memory and records what it
 * could not find; the caller fetches all misses of all entries at once and walks again.
 */
import { type GoType, predeclaredType } from '../layout/gotype.js';
import { readInt, readUint, wordReader } from '../target/bytes.js';
import type { CachedMemory } from '../target/cache.js';
import type { MemRange } from '../target/target.js';
import { MAX_VALUE_BYTES, MAX_VALUE_NODES } from '../values/limits.js';
import { descriptorFault, Kind, type RuntimeTypeInfo } from '../values/rtype.js';

export interface InlineFacts {
  stringBytes: number;
  nan: boolean;
}

export interface InlineEnv {
  readonly mem: CachedMemory;
  readonly rtypes: RuntimeTypeInfo | undefined;
  readonly typesByName: Map<string, GoType | null>;
}

const MAX_DEPTH = 32;

export class InlineWalker {
  misses: MemRange[] = [];
  missingTypes = new Set<string>();
  /** Nodes visited for the value being walked (see ../values/limits.ts). */
  private nodes = 0;
  /** Interface payloads (type@address) being walked: a repeat is a cycle. */
  private readonly path = new Set<string>();

  constructor(private readonly env: InlineEnv) {}

  get complete(): boolean {
    return this.misses.length === 0 && this.missingTypes.size === 0;
  }

  reset(): void {
    if (this.misses.length > 0) this.misses = [];
    if (this.missingTypes.size > 0) this.missingTypes = new Set();
  }

  /** Adds what `t` at `address` holds inline to `facts`. */
  walk(t: GoType, address: bigint, facts: InlineFacts, depth = 0): void {
    if (depth === 0) {
      this.nodes = 0;
      this.path.clear();
    }
    // As in the renderer: a type named by target memory may be huge or lead back to itself.
    if (depth > MAX_DEPTH || t.size === 0 || t.size > MAX_VALUE_BYTES || ++this.nodes > MAX_VALUE_NODES || !mayHold(t)) return;
    const mem = this.env.mem;
    const bytes = mem.peek(address, t.size);
    if (bytes === 'unreadable') return;
    if (!bytes) {
      this.misses.push({ address, length: t.size });
      return;
    }
    const ps = mem.pointerSize;
    switch (t.kind) {
      case 'string':
        facts.stringBytes += Math.max(0, Number(readInt(bytes, ps, ps, mem)));
        return;
      case 'float':
        if (isNaNAt(bytes, 0, t.size, mem.littleEndian)) facts.nan = true;
        return;
      case 'complex':
        if (isNaNAt(bytes, 0, t.size / 2, mem.littleEndian) || isNaNAt(bytes, t.size / 2, t.size / 2, mem.littleEndian)) facts.nan = true;
        return;
      case 'struct':
        for (const f of t.fields) this.walk(f.type, address + BigInt(f.offset), facts, depth + 1);
        return;
      case 'array':
        if (t.length > MAX_VALUE_NODES - this.nodes) return;
        for (let i = 0; i < t.length; i++) this.walk(t.elem, address + BigInt(i * t.elem.size), facts, depth + 1);
        return;
      case 'eface':
      case 'iface':
        this.iface(t.kind, readUint(bytes, 0, ps, mem), readUint(bytes, ps, ps, mem), facts, depth);
        return;
      default:
        return;
    }
  }

  /** An interface's payload is not inline: only its NaN-ness counts (a NaN interface key is unfindable too). */
  private iface(kind: 'eface' | 'iface', word0: bigint, data: bigint, facts: InlineFacts, depth: number): void {
    const rtypes = this.env.rtypes;
    if (word0 === 0n || !rtypes) return;
    const mem = this.env.mem;
    const ps = mem.pointerSize;
    let typeAddr = word0;
    if (kind === 'iface') {
      if (rtypes.itabType === undefined) return;
      const itab = mem.peek(word0 + BigInt(rtypes.itabType), ps);
      if (itab === 'unreadable') return;
      if (!itab) {
        this.misses.push({ address: word0 + BigInt(rtypes.itabType), length: ps });
        return;
      }
      typeAddr = readUint(itab, 0, ps, mem);
    }
    const dyn = rtypes.read(mem, typeAddr, this.misses);
    if (dyn === undefined || dyn === 'unreadable') return;
    // Its size sizes a read and a DataView below: a damaged descriptor is left alone.
    if (descriptorFault(dyn, ps) !== undefined) return;
    const direct = dyn.size === ps && dyn.ptrBytes === ps;
    if (direct) return; // pointer-shaped: no float inside
    let vt: GoType | undefined;
    if (dyn.kind === Kind.Float32 || dyn.kind === Kind.Float64) vt = { kind: 'float', name: dyn.name, size: dyn.size, align: dyn.size };
    else if (dyn.kind === Kind.Complex64 || dyn.kind === Kind.Complex128) vt = { kind: 'complex', name: dyn.name, size: dyn.size, align: dyn.size / 2 };
    else if (dyn.kind === Kind.Struct || dyn.kind === Kind.Array || dyn.kind === Kind.Interface) {
      const known = predeclaredType(dyn.name, ps) ?? this.env.typesByName.get(dyn.name);
      if (known === undefined) {
        this.missingTypes.add(dyn.name);
        return;
      }
      vt = known ?? undefined;
    }
    if (!vt || data === 0n) return;
    // As in the renderer: a payload reaching itself through interfaces is walked once.
    const visit = `${typeAddr}@${data}`;
    if (this.path.has(visit)) return;
    this.path.add(visit);
    const sub: InlineFacts = { stringBytes: 0, nan: false };
    this.walk(vt, data, sub, depth + 1);
    this.path.delete(visit);
    if (sub.nan) facts.nan = true;
  }
}

const holds = new WeakMap<GoType, boolean>();

/** Whether a type can hold a string or a float inline, or reach one through an interface. */
export function mayHold(t: GoType): boolean {
  let known = holds.get(t);
  if (known === undefined) {
    known = computeMayHold(t);
    holds.set(t, known);
  }
  return known;
}

function computeMayHold(t: GoType): boolean {
  switch (t.kind) {
    case 'string':
    case 'float':
    case 'complex':
    case 'eface':
    case 'iface':
      return true;
    case 'struct':
      return t.fields.some((f) => mayHold(f.type));
    case 'array':
      return t.length > 0 && mayHold(t.elem);
    default:
      return false;
  }
}

function isNaNAt(bytes: Uint8Array, offset: number, size: number, littleEndian: boolean): boolean {
  const dv = new DataView(bytes.buffer, bytes.byteOffset + offset, size);
  return Number.isNaN(size === 4 ? dv.getFloat32(0, littleEndian) : dv.getFloat64(0, littleEndian));
}


/** The inline facts of a value straight from its slot's bytes, for types that reach nothing through interfaces. */
export interface SlotFacts {
  stringBytes(bytes: Uint8Array, off: number): number;
  nan(bytes: Uint8Array, off: number): boolean;
}

const compiled = [new WeakMap<GoType, SlotFacts | null>(), new WeakMap<GoType, SlotFacts | null>()];

/**
 * Compiled facts for `t`, or undefined when it holds an interface (whose payload needs type
 * descriptors: InlineWalker walks those). A million entries walked node by node cost a second.
 *
 * `nanless`: for elems, whose NaN-ness counts for nothing (only a NaN key is unfindable). An
 * interface then adds nothing (its payload is not inline, and only NaN-ness was walked for), and
 * a map of 200,000 `interface{}` elems is counted from its slots instead of walked in memory.
 */
export function slotFacts(t: GoType, order: { littleEndian: boolean; pointerSize: 4 | 8 }, nanless = false): SlotFacts | undefined {
  const cache = compiled[nanless ? 1 : 0];
  let f = cache.get(t);
  if (f === undefined) {
    f = compileFacts(t, order, 0, nanless) ?? null;
    cache.set(t, f);
  }
  return f ?? undefined;
}

/** The facts of a type that holds neither strings nor floats: always nothing (callers may skip it). */
export const NONE: SlotFacts = { stringBytes: () => 0, nan: () => false };

function compileFacts(t: GoType, order: { littleEndian: boolean; pointerSize: 4 | 8 }, depth: number, nanless: boolean): SlotFacts | undefined {
  if (depth > MAX_DEPTH || t.size > MAX_VALUE_BYTES) return undefined;
  if (t.size === 0 || !mayHold(t)) return NONE;
  const ps = order.pointerSize;
  const le = order.littleEndian;
  switch (t.kind) {
    case 'string': {
      const word = wordReader(ps, le);
      return {
        // The length as a number where it is one (no BigInt per string), signed as Go's int is.
        stringBytes: (b, o) => {
          const n = word(b, o + ps);
          if (n !== undefined && n < 2 ** (8 * ps - 1)) return n;
          return Math.max(0, Number(readInt(b, o + ps, ps, order)));
        },
        nan: () => false,
      };
    }
    case 'float':
      return { stringBytes: () => 0, nan: (b, o) => isNaNAt(b, o, t.size, le) };
    case 'complex':
      return { stringBytes: () => 0, nan: (b, o) => isNaNAt(b, o, t.size / 2, le) || isNaNAt(b, o + t.size / 2, t.size / 2, le) };
    case 'struct': {
      const parts: { off: number; f: SlotFacts }[] = [];
      for (const fl of t.fields) {
        const f = compileFacts(fl.type, order, depth + 1, nanless);
        if (!f) return undefined;
        if (f !== NONE) parts.push({ off: fl.offset, f });
      }
      return {
        stringBytes: (b, o) => parts.reduce((n, p) => n + p.f.stringBytes(b, o + p.off), 0),
        nan: (b, o) => parts.some((p) => p.f.nan(b, o + p.off)),
      };
    }
    case 'array': {
      if (t.length > MAX_VALUE_NODES) return undefined;
      const f = compileFacts(t.elem, order, depth + 1, nanless);
      if (!f) return undefined;
      const es = t.elem.size;
      return {
        stringBytes: (b, o) => {
          let n = 0;
          for (let i = 0; i < t.length; i++) n += f.stringBytes(b, o + i * es);
          return n;
        },
        nan: (b, o) => {
          for (let i = 0; i < t.length; i++) if (f.nan(b, o + i * es)) return true;
          return false;
        },
      };
    }
    case 'eface':
    case 'iface':
      return nanless ? NONE : undefined;
    default:
      return undefined;
  }
}
