/**
 * Dynamic types of interface values, read from the runtime's own type descriptors.
 *
 * An interface holds a pointer to an `abi.Type` (`runtime._type` before Go 1.21). Its name is a
 * NameOff into the types section of the module that holds the descriptor (`moduledata.types`);
 * the name is encoded as a flags byte, a uvarint length and the bytes (Go 1.17+). Field offsets
 * come from the DWARF description of the descriptor struct. The list of modules and each one's
 * `types`..`etypes` are all it takes; `typelinks`, which Go 1.27 dropped, is kept where it is
 * there, for finding a type by name when the DWARF does not say where its descriptor is.
 */
import type { GoStructType, GoType } from '../layout/gotype.js';
import { readInt, readUint } from '../target/bytes.js';
import type { CachedMemory } from '../target/cache.js';
import { type RuntimeGapSink, runtimeField } from '../target/runtime-gaps.js';
import type { MemRange, Target } from '../target/target.js';

const tflagExtraStar = 1 << 1;
/** Descriptors remembered per RuntimeTypeInfo: a program has thousands of types, not millions. */
const MAX_KNOWN = 1 << 16;
const kindMask = 0x1f;

export interface RtypeLayout {
  readonly size: number;
  readonly sizeField: { offset: number; size: number };
  readonly ptrBytes: { offset: number; size: number };
  readonly tflag: { offset: number; size: number };
  readonly kind: { offset: number; size: number };
  readonly str: { offset: number; size: number };
  /** Absent where the struct has no such field (the warnings say so): only the runtime GC mask needs it. */
  readonly gcdata?: { offset: number; size: number };
}

export interface ModuleTypes {
  readonly types: bigint;
  readonly etypes: bigint;
  /**
   * moduledata.typelinks (Go ≤ 1.26): where the offsets from `types` of the unnamed composite
   * types are, sorted by name, and how many; absent from Go 1.27.
   */
  readonly typelinks?: { readonly address: bigint; readonly count: number };
}

/** The descriptor's pointer size: its Size_ field is a uintptr. */
function pointerSizeOf(l: RtypeLayout): number {
  return l.sizeField.size;
}

/** What a target without one of the descriptor's fields loses (the warning's words). */
const WITHOUT_TYPES = 'interface keys and values are shown without their dynamic types, and the runtime GC mask of buckets and groups (analysis.gc.runtime) is not read';
const WITHOUT_GC_MASK = 'the runtime GC mask of buckets and groups (analysis.gc.runtime) is not read';
const WITHOUT_ITAB = 'non-empty interface keys and values (not any) are shown without their dynamic types';
const ITAB_ASSUMED = "non-empty interfaces' dynamic types are read at their itab's second word, where Go 1.19 to 1.27 keep them";

export interface DynamicType {
  readonly address: bigint;
  readonly name: string;
  readonly size: number;
  readonly ptrBytes: number;
  /** abi.Kind, without flag bits. */
  readonly kind: number;
}

/** abi.Kind values, for rendering a value whose type has no DWARF description. */
export const Kind = {
  Bool: 1,
  Int: 2,
  Int8: 3,
  Int16: 4,
  Int32: 5,
  Int64: 6,
  Uint: 7,
  Uint8: 8,
  Uint16: 9,
  Uint32: 10,
  Uint64: 11,
  Uintptr: 12,
  Float32: 13,
  Float64: 14,
  Complex64: 15,
  Complex128: 16,
  Array: 17,
  Chan: 18,
  Func: 19,
  Interface: 20,
  Map: 21,
  Pointer: 22,
  Slice: 23,
  String: 24,
  Struct: 25,
  UnsafePointer: 26,
} as const;

/** Sizes fixed by the kind alone (pointer-sized kinds are `ps`). */
function kindSize(kind: number, ps: number): number | undefined {
  switch (kind) {
    case Kind.Bool:
    case Kind.Int8:
    case Kind.Uint8:
      return 1;
    case Kind.Int16:
    case Kind.Uint16:
      return 2;
    case Kind.Int32:
    case Kind.Uint32:
    case Kind.Float32:
      return 4;
    case Kind.Int64:
    case Kind.Uint64:
    case Kind.Float64:
    case Kind.Complex64:
      return 8;
    case Kind.Complex128:
      return 16;
    case Kind.Int:
    case Kind.Uint:
    case Kind.Uintptr:
    case Kind.Chan:
    case Kind.Func:
    case Kind.Map:
    case Kind.Pointer:
    case Kind.UnsafePointer:
      return ps;
    case Kind.String:
    case Kind.Interface:
      return 2 * ps;
    case Kind.Slice:
      return 3 * ps;
    default:
      return undefined;
  }
}

/**
 * Why a descriptor read from target memory cannot be what it says, or undefined if it can.
 * Its size and kind come from memory that may be damaged, and readers size reads and
 * DataViews from them: in the fuzz tests a 7-byte float64 threw a RangeError (DataView) in the
 * analysis, and a 2^34-byte float asked for 16 GB.
 */
export function descriptorFault(dyn: DynamicType, ps: number): string | undefined {
  const fixed = kindSize(dyn.kind, ps);
  if (fixed !== undefined && dyn.size !== fixed) return `kind ${dyn.kind} with size ${dyn.size}`;
  if (dyn.ptrBytes > dyn.size) return `${dyn.ptrBytes} pointer bytes in a ${dyn.size}-byte type`;
  return undefined;
}

export class RuntimeTypeInfo {
  /**
   * Where a non-empty interface's itab holds its dynamic type (`itab._type`, `abi.ITab.Type`
   * from Go 1.22: the second word so far), or undefined where the struct has no such field (the
   * warnings say so): such interfaces are then shown without their dynamic types.
   */
  readonly itabType: number | undefined;

  constructor(
    readonly layout: RtypeLayout,
    readonly modules: readonly ModuleTypes[],
    itabType: number | 'absent' = pointerSizeOf(layout),
  ) {
    this.itabType = itabType === 'absent' ? undefined : itabType;
  }

  /**
   * Reads a dynamic type from cached memory; returns undefined and records what to fetch
   * when the descriptor or its name is not cached yet.
   */
  read(mem: CachedMemory, address: bigint, misses: MemRange[]): DynamicType | 'unreadable' | undefined {
    // Descriptors never change, and a map's values name the same few again and again.
    const known = this.known.get(address);
    if (known) return known;
    const dyn = this.readDescriptor(mem, address, misses);
    if (dyn !== undefined && dyn !== 'unreadable' && this.known.size < MAX_KNOWN) this.known.set(address, dyn);
    return dyn;
  }

  private readonly known = new Map<bigint, DynamicType>();

  private readDescriptor(mem: CachedMemory, address: bigint, misses: MemRange[]): DynamicType | 'unreadable' | undefined {
    const l = this.layout;
    const raw = mem.peek(address, l.size);
    if (raw === 'unreadable') return 'unreadable';
    if (!raw) {
      misses.push({ address, length: l.size });
      return undefined;
    }
    const u = (f: { offset: number; size: number }) => readUint(raw, f.offset, f.size, mem);
    const module = this.modules.find((m) => address >= m.types && address < m.etypes) ?? this.modules[0];
    if (!module) return 'unreadable';
    const nameOff = readInt(raw, l.str.offset, l.str.size, mem);
    const name = readName(mem, module.types + nameOff, misses);
    if (name === undefined || name === 'unreadable') return name;
    const tflag = Number(u(l.tflag));
    return {
      address,
      name: tflag & tflagExtraStar ? name.slice(1) : name,
      size: Number(u(l.sizeField)),
      ptrBytes: Number(u(l.ptrBytes)),
      kind: Number(u(l.kind)) & kindMask,
    };
  }
}

/** A runtime name: flags byte, uvarint length, bytes. */
function readName(mem: CachedMemory, address: bigint, misses: MemRange[]): string | 'unreadable' | undefined {
  // Enough for the flags and any length varint; a name at the very end of a mapping may only
  // allow the shortest header, so that is tried when the longer read failed.
  for (const headLength of [11, 3]) {
    const head = mem.peek(address, headLength);
    if (head === 'unreadable') continue;
    if (!head) {
      misses.push({ address, length: headLength });
      return undefined;
    }
    return decodeName(mem, address, head, misses);
  }
  return 'unreadable';
}

function decodeName(mem: CachedMemory, address: bigint, head: Uint8Array, misses: MemRange[]): string | 'unreadable' | undefined {
  let len = 0;
  let shift = 0;
  let i = 1;
  for (; i < head.length; i++) {
    const b = head[i];
    len |= (b & 0x7f) << shift;
    shift += 7;
    if ((b & 0x80) === 0) break;
  }
  if (i >= head.length || len > 1 << 16) return 'unreadable';
  const start = address + BigInt(i + 1);
  const bytes = mem.peek(start, len);
  if (bytes === 'unreadable') return 'unreadable';
  if (!bytes) {
    misses.push({ address: start, length: len });
    return undefined;
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
}

/**
 * The descriptor's fields mapscope reads, by their names of Go 1.21+ and before; undefined (and
 * the gap told to `sink`) when one it cannot do without is missing.
 */
export function rtypeLayout(t: GoType, sink: RuntimeGapSink = {}): RtypeLayout | undefined {
  if (t.kind !== 'struct') throw new Error(`${t.name} is not a struct`);
  const f = (...names: [string, ...string[]]) => runtimeField(sink, t, WITHOUT_TYPES, ...names);
  const [sizeField, ptrBytes, tflag, kind, str] = [f('Size_', 'size'), f('PtrBytes', 'ptrdata'), f('TFlag', 'tflag'), f('Kind_', 'kind'), f('Str', 'str')];
  if (!sizeField || !ptrBytes || !tflag || !kind || !str) return undefined;
  const gcdata = runtimeField(sink, t, WITHOUT_GC_MASK, 'GCData', 'gcdata');
  return { size: t.size, sizeField, ptrBytes, tflag, kind, str, ...(gcdata ? { gcdata } : {}) };
}

/** What the binary alone says of the runtime's type information: where it is, and how it is laid out. */
interface RuntimeTypeStatics {
  readonly layout: RtypeLayout;
  readonly moduledata: GoStructType;
  readonly types: { offset: number; size: number };
  readonly etypes: { offset: number; size: number };
  readonly next: { offset: number; size: number } | undefined;
  readonly typelinks: { offset: number } | undefined;
  readonly first: bigint;
  readonly itabType: number | 'absent';
}

const statics = new WeakMap<Target, Promise<RuntimeTypeStatics | undefined>>();

/**
 * Looks up, once per target, what the runtime's type information is from the binary alone: asked
 * before a live target is stopped (gdb's lookups and the symbol table take tens of milliseconds),
 * so that the stop only reads the module list.
 */
export function runtimeTypeStatics(target: Target): Promise<RuntimeTypeStatics | undefined> {
  let found = statics.get(target);
  if (!found) {
    const asked = findStatics(target);
    found = asked;
    statics.set(target, asked);
    // A lookup refused for the budget is asked again, once the target runs.
    asked.catch(() => statics.get(target) === asked && statics.delete(target));
  }
  return found;
}

async function findStatics(target: Target): Promise<RuntimeTypeStatics | undefined> {
  const [abiType, oldType, moduledata, abiItab, oldItab] = await target.typesByName([
    'internal/abi.Type',
    'runtime._type',
    'runtime.moduledata',
    'internal/abi.ITab',
    'runtime.itab',
  ]);
  const descriptor = abiType?.kind === 'struct' ? abiType : oldType;
  if (descriptor?.kind !== 'struct') {
    target.noteRuntimeGap?.({ struct: 'internal/abi.Type (runtime._type)', without: WITHOUT_TYPES });
    return undefined;
  }
  if (moduledata?.kind !== 'struct') {
    target.noteRuntimeGap?.({ struct: 'runtime.moduledata', without: WITHOUT_TYPES });
    return undefined;
  }
  const layout = rtypeLayout(descriptor, target);
  const types = runtimeField(target, moduledata, WITHOUT_TYPES, 'types');
  const etypes = runtimeField(target, moduledata, WITHOUT_TYPES, 'etypes');
  if (!layout || !types || !etypes) return undefined;
  // Only programs that load plugins or link shared libraries have a second module.
  const next = runtimeField(target, moduledata, 'the types of a second module (a plugin, -linkshared) are not named', 'next');
  // Go 1.27 dropped it; its absence is told only if a lookup needs it (analyze/gc-runtime.ts).
  const typelinks = moduledata.fields.find((x) => x.name === 'typelinks');
  // From the symbol table where it can be: gdb's lookup expands the whole runtime's debug info.
  const first = (await target.variables?.symbolAddress?.('runtime.firstmoduledata')) ?? (await target.symbolAddress('runtime.firstmoduledata'));
  if (first === undefined) return undefined;
  // A struct without the field is a moved layout: not guessed at. A DWARF without the struct
  // (never seen in a real binary: the runtime itself uses itabs) is read the way every release
  // from 1.19 to 1.27 lays it out, and said.
  const itab = abiItab?.kind === 'struct' ? abiItab : oldItab;
  let itabType: number | 'absent' = target.pointerSize;
  if (itab?.kind === 'struct') itabType = runtimeField(target, itab, WITHOUT_ITAB, 'Type', '_type')?.offset ?? 'absent';
  else target.noteRuntimeGap?.({ struct: 'internal/abi.ITab (runtime.itab)', without: ITAB_ASSUMED });
  return { layout, moduledata, types, etypes, next, typelinks, first, itabType };
}

/** Finds the type descriptor layout and every module's types section. */
export async function loadRuntimeTypeInfo(target: Target): Promise<RuntimeTypeInfo | undefined> {
  const found = await runtimeTypeStatics(target);
  if (!found) return undefined;
  const { layout, moduledata, types, etypes, next, typelinks, first, itabType } = found;
  const modules: ModuleTypes[] = [];
  let at: bigint = first;
  const top = 1n << BigInt(target.pointerSize * 8);
  const seen = new Set<bigint>();
  // The list is read straight from the target, without the cache's checks: a damaged `next` may
  // point past the top of the address space (gdb would be sent an impossible address) or back
  // at a module already listed.
  for (let i = 0; i < 64 && at !== 0n && at + BigInt(moduledata.size) <= top && !seen.has(at); i++) {
    seen.add(at);
    const [r] = await target.readMany([{ address: at, length: moduledata.size }]);
    if (!r.ok) break;
    const u = (f: { offset: number; size: number }) => readUint(r.bytes, f.offset, f.size, target);
    const ps = target.pointerSize;
    modules.push({
      types: u(types),
      etypes: u(etypes),
      ...(typelinks ? { typelinks: { address: u({ offset: typelinks.offset, size: ps }), count: Number(u({ offset: typelinks.offset + ps, size: ps })) } } : {}),
    });
    if (!next) break;
    at = u(next);
  }
  return new RuntimeTypeInfo(layout, modules, itabType);
}
