/**
 * A Go value at an address → the JSON of the inspect contract.
 *
 * Rendering is synchronous over cached memory: whatever is not cached yet (string bytes,
 * interface payloads, type descriptors) is recorded as a miss and the value is left incomplete.
 * The caller fetches all misses of all entries in a few merged reads and renders again
 * (./entries.ts), so a map of a million strings costs a handful of round trips, not a million.
 */
import { type GoType, predeclaredType } from '../layout/gotype.js';
import { hex, readInt, readUint } from '../target/bytes.js';
import type { CachedMemory } from '../target/cache.js';
import type { MemRange } from '../target/target.js';
import { floatJson } from './floats.js';
import type { JsonValue } from './json.js';
import { MAX_VALUE_BYTES, MAX_VALUE_NODES } from './limits.js';
import { type DynamicType, descriptorFault, Kind, type RuntimeTypeInfo } from './rtype.js';
import { decodeGoString } from './utf8.js';

const MAX_SAFE = 2n ** 53n;
/** Strings longer than this are cut (the contract renders values, not bulk data). */
export const MAX_STRING_BYTES = 1 << 20;
const MAX_DEPTH = 64;

export interface RenderEnv {
  readonly mem: CachedMemory;
  readonly rtypes: RuntimeTypeInfo | undefined;
  /** Go types by name, as resolved so far (null: the binary has no such DWARF type). */
  readonly typesByName: Map<string, GoType | null>;
  /** Whether map headers in this binary start with a 64-bit `used` (Swiss) or an int `count`. */
  readonly swissHeaders: boolean;
}

export class Renderer {
  misses: MemRange[] = [];
  missingTypes = new Set<string>();
  /** Nodes visited for the value being rendered (see ./limits.ts). */
  private nodes = 0;
  /** Interface payloads (type@address) being rendered, outermost first: a repeat is a cycle. */
  private readonly path = new Set<string>();

  constructor(private readonly env: RenderEnv) {}

  /** Forgets the misses of the previous value, so one renderer can serve many entries. */
  reset(): void {
    if (this.misses.length > 0) this.misses = [];
    if (this.missingTypes.size > 0) this.missingTypes = new Set();
  }

  get complete(): boolean {
    return this.misses.length === 0 && this.missingTypes.size === 0;
  }

  render(t: GoType, address: bigint, depth = 0): JsonValue {
    if (depth === 0) {
      this.nodes = 0;
      this.path.clear();
    }
    if (depth > MAX_DEPTH) return { error: 'value nested too deeply' };
    // Depth alone does not bound the work: interface payloads pointing back at their own struct
    // branch at every level. The value type may come from target memory: its size must not
    // size a read unchecked.
    if (++this.nodes > MAX_VALUE_NODES) return { error: `value at ${hex(address)} has more than ${MAX_VALUE_NODES} parts` };
    if (t.size > MAX_VALUE_BYTES) return { error: `value of ${t.size} bytes at ${hex(address)} is too large to render` };
    const mem = this.env.mem;
    if (t.size === 0) return this.zeroSized(t);
    const bytes = mem.peek(address, t.size);
    if (bytes === 'unreadable') return { error: `unreadable memory at ${hex(address)}` };
    if (!bytes) {
      this.misses.push({ address, length: t.size });
      return null;
    }
    const ps = mem.pointerSize;
    switch (t.kind) {
      case 'bool':
        return bytes[0] !== 0;
      case 'int':
        return intJson(readInt(bytes, 0, t.size, mem));
      case 'uint':
      case 'uintptr':
        return intJson(readUint(bytes, 0, t.size, mem));
      case 'float':
        return this.float(bytes, 0, t.size);
      case 'complex':
        return { real: this.float(bytes, 0, t.size / 2), imag: this.float(bytes, t.size / 2, t.size / 2) };
      case 'pointer':
      case 'unsafe.Pointer':
      case 'chan':
      case 'func':
        return pointerJson(readUint(bytes, 0, ps, mem));
      case 'map':
        return this.mapValue(readUint(bytes, 0, ps, mem));
      case 'string':
        return this.string(readUint(bytes, 0, ps, mem), readInt(bytes, ps, ps, mem));
      case 'slice':
        return {
          len: intJson(readInt(bytes, ps, ps, mem)),
          cap: intJson(readInt(bytes, 2 * ps, ps, mem)),
          data: pointerJson(readUint(bytes, 0, ps, mem)),
        };
      case 'array': {
        // Checked before the loop: past the budget every element would still cost an error object.
        if (t.length > MAX_VALUE_NODES - this.nodes) return { error: `array of ${t.length} elements at ${hex(address)} is too long to render` };
        const out: JsonValue[] = [];
        const es = t.elem.size;
        for (let i = 0; i < t.length; i++) out.push(this.render(t.elem, address + BigInt(i * es), depth + 1));
        return out;
      }
      case 'struct': {
        const out: { [k: string]: JsonValue } = {};
        for (const f of t.fields) {
          if (f.name === '_') continue;
          out[f.name] = this.render(f.type, address + BigInt(f.offset), depth + 1);
        }
        return out;
      }
      case 'eface':
      case 'iface':
        return this.iface(t.kind, address, readUint(bytes, 0, ps, mem), readUint(bytes, ps, ps, mem), depth);
    }
  }

  private zeroSized(t: GoType): JsonValue {
    if (t.kind === 'struct') {
      const out: { [k: string]: JsonValue } = {};
      for (const f of t.fields) if (f.name !== '_') out[f.name] = this.zeroSized(f.type);
      return out;
    }
    if (t.kind === 'array') {
      // `[1000000000]struct{}` is zero bytes but not zero work.
      if (t.length > MAX_VALUE_NODES - this.nodes) return { error: `array of ${t.length} zero-sized elements is too long to render` };
      this.nodes += t.length;
      return Array.from({ length: t.length }, () => this.zeroSized(t.elem));
    }
    return null;
  }

  private float(bytes: Uint8Array, offset: number, size: number): JsonValue {
    const dv = new DataView(bytes.buffer, bytes.byteOffset + offset, size);
    const le = this.env.mem.littleEndian;
    return size === 4 ? floatJson(dv.getFloat32(0, le), 32) : floatJson(dv.getFloat64(0, le), 64);
  }

  private string(data: bigint, len: bigint): JsonValue {
    if (len === 0n) return '';
    if (len < 0n) return { error: `string length ${len} is negative` };
    const n = len > BigInt(MAX_STRING_BYTES) ? MAX_STRING_BYTES : Number(len);
    const bytes = this.env.mem.peek(data, n);
    if (bytes === 'unreadable') return { error: `unreadable string data at ${hex(data)}` };
    if (!bytes) {
      this.misses.push({ address: data, length: n });
      return null;
    }
    return decodeGoString(bytes);
  }

  private mapValue(header: bigint): JsonValue {
    if (header === 0n) return null;
    // The header's first field is the live count: hmap.count (int) or Map.used (uint64).
    const size = this.env.swissHeaders ? 8 : this.env.mem.pointerSize;
    const bytes = this.env.mem.peek(header, size);
    if (bytes === 'unreadable') return { map: hex(header), len: null };
    if (!bytes) {
      this.misses.push({ address: header, length: size });
      return null;
    }
    return { map: hex(header), len: intJson(readInt(bytes, 0, size, this.env.mem)) };
  }

  private iface(kind: 'eface' | 'iface', address: bigint, word0: bigint, data: bigint, depth: number): JsonValue {
    if (word0 === 0n) return null;
    const mem = this.env.mem;
    const ps = mem.pointerSize;
    let typeAddr = word0;
    const rtypes = this.env.rtypes;
    if (kind === 'iface') {
      // itab{inter, _type, ...}: the dynamic type where the runtime's itab keeps it (values/rtype.ts).
      const at = rtypes?.itabType;
      if (at === undefined) return { type: null, value: { error: 'no runtime type information' } };
      const itab = mem.peek(word0 + BigInt(at), ps);
      if (itab === 'unreadable') return { error: `unreadable itab at ${hex(word0)}` };
      if (!itab) {
        this.misses.push({ address: word0 + BigInt(at), length: ps });
        return null;
      }
      typeAddr = readUint(itab, 0, ps, mem);
    }
    if (!rtypes) return { type: null, value: { error: 'no runtime type information' } };
    const dyn = rtypes.read(mem, typeAddr, this.misses);
    if (dyn === undefined) return null;
    if (dyn === 'unreadable') return { error: `unreadable type descriptor at ${hex(typeAddr)}` };
    const fault = descriptorFault(dyn, ps);
    if (fault !== undefined) return { error: `corrupt type descriptor at ${hex(typeAddr)}: ${fault}` };
    const vt = this.dynamicGoType(dyn);
    if (vt === undefined) return null;
    // Pointer-shaped values live in the data word itself; everything else is pointed to by it.
    const direct = dyn.size === ps && dyn.ptrBytes === ps;
    const at = direct ? address + BigInt(ps) : data;
    if (vt === null) return { type: dyn.name, value: { error: `no DWARF type for ${dyn.name}` } };
    if (!direct && data === 0n) return { type: dyn.name, value: { error: 'nil data pointer' } };
    // Interfaces are the one indirection rendered: a payload holding (through interfaces) an
    // interface to itself would recurse to MAX_DEPTH, branching at every struct with two.
    const visit = `${hex(typeAddr)}@${hex(at)}`;
    if (this.path.has(visit)) return { type: dyn.name, value: { error: `cycle: the value at ${hex(at)} contains itself` } };
    this.path.add(visit);
    const value = this.render(vt, at, depth + 1);
    this.path.delete(visit);
    return { type: dyn.name, value };
  }

  /** The Go type of a dynamic type: predeclared, from DWARF by name, or by kind as a last resort. */
  private dynamicGoType(dyn: DynamicType): GoType | null | undefined {
    const ps = this.env.mem.pointerSize;
    const pre = predeclaredType(dyn.name, ps);
    if (pre) return pre;
    const known = this.env.typesByName.get(dyn.name);
    if (known) return known;
    if (known === undefined) {
      this.missingTypes.add(dyn.name);
      return undefined;
    }
    return byKind(dyn, ps);
  }
}

/** Scalars, pointers and strings can be rendered from the descriptor's kind alone. */
export function byKind(dyn: DynamicType, ps: number): GoType | null {
  const name = dyn.name;
  const k = dyn.kind;
  const scalar = (kind: 'bool' | 'int' | 'uint' | 'uintptr' | 'float' | 'complex' | 'chan' | 'func' | 'unsafe.Pointer'): GoType => ({
    kind,
    name,
    size: dyn.size,
    align: Math.min(dyn.size, ps),
  });
  if (k === Kind.Bool) return scalar('bool');
  if (k >= Kind.Int && k <= Kind.Int64) return scalar('int');
  if (k >= Kind.Uint && k <= Kind.Uint64) return scalar('uint');
  if (k === Kind.Uintptr) return scalar('uintptr');
  if (k === Kind.Float32 || k === Kind.Float64) return scalar('float');
  if (k === Kind.Complex64 || k === Kind.Complex128) return scalar('complex');
  if (k === Kind.Chan) return scalar('chan');
  if (k === Kind.Func) return scalar('func');
  if (k === Kind.UnsafePointer) return scalar('unsafe.Pointer');
  if (k === Kind.Pointer) return { kind: 'pointer', name, size: ps, align: ps, elem: undefined };
  if (k === Kind.String) return { kind: 'string', name, size: 2 * ps, align: ps };
  return null;
}

export function intJson(v: bigint): JsonValue {
  return v <= MAX_SAFE && v >= -MAX_SAFE ? Number(v) : v.toString();
}

export function pointerJson(v: bigint): JsonValue {
  return v === 0n ? null : hex(v);
}
