/**
 * The GC metadata the runtime itself uses for a map's buckets or groups, read from the target:
 * the map type's descriptor, its `bucket` / `Group` field to the bucket or group type, and that
 * type's `PtrBytes` and `GCData` mask.
 *
 * The descriptor is found by a binary search of `moduledata.typelinks` (offsets of every unnamed
 * composite type, sorted by name) for `map[K]V`, up to Go 1.26, when one map type alone is
 * spelled so; else where the binary's DWARF says (`DW_AT_go_runtime_type` of the map type's
 * entry: an offset from `moduledata.types`, elf/dwarf-types.ts), which every release from 1.19
 * to 1.27 writes and which names the type exactly. Go 1.27 dropped typelinks; its runtime walks
 * every descriptor from `types` to `types + typedesclen` instead, stepping by each one's size, which
 * depends on its kind, its methods and its fields (abi.Type.DescriptorSize): a reader that
 * walked so would have to know every kind's descriptor layout of every release, and one size
 * wrong loses the rest of the walk. The DWARF attribute needs none of that.
 */
import { type GoStructType, hasShapeName } from '../layout/gotype.js';
import { hex, readInt, readUint } from '../target/bytes.js';
import type { CachedMemory } from '../target/cache.js';
import type { MemRange, Target } from '../target/target.js';
import { fetchRanges } from '../target/fetch.js';
import { type DynamicType, Kind, type ModuleTypes, type RuntimeTypeInfo } from '../values/rtype.js';

const tflagGCMaskOnDemand = 1 << 4;
const MAX_TYPELINKS = 1 << 22;
/**
 * A bucket or group holds 8 keys and 8 elems of at most 128 bytes each (bigger ones are stored
 * indirectly), so its type is about 2 KiB at most; a descriptor claiming more is corrupt, and
 * its PtrBytes must not size the read of its GC mask (a damaged word asked for 30 GB).
 */
const MAX_BUCKET_TYPE_BYTES = 1 << 16;

export interface RuntimeGc {
  ptrBytes: number;
  bitmap: string;
  descriptor: string;
}

/** Resolves a dynamic type, fetching its descriptor and name as needed. */
async function typeAt(mem: CachedMemory, rtypes: RuntimeTypeInfo, address: bigint): Promise<DynamicType | undefined> {
  for (let round = 0; round < 4; round++) {
    const misses: MemRange[] = [];
    const t = rtypes.read(mem, address, misses);
    if (t === 'unreadable') return undefined;
    if (t) return t;
    await fetchRanges(mem, misses);
  }
  return undefined;
}

async function readWords(mem: CachedMemory, address: bigint, length: number): Promise<Uint8Array | undefined> {
  const [r] = await mem.readMany([{ address, length }]);
  return r.ok ? r.bytes : undefined;
}

function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Binary search of one module's typelinks for the types named `name` of kind `kind`: the first,
 * and how many there are (types of different packages can print alike: `map[string]v1.Pod`).
 */
async function findInModule(
  mem: CachedMemory,
  rtypes: RuntimeTypeInfo,
  m: ModuleTypes,
  name: string,
  kind: number,
): Promise<{ address: bigint; alike: number } | undefined> {
  const count = m.typelinks?.count ?? 0;
  if (!m.typelinks || count <= 0 || count > MAX_TYPELINKS) return undefined;
  const links = await readWords(mem, m.typelinks.address, count * 4);
  if (!links) return undefined;
  const at = (i: number) => m.types + readInt(links, i * 4, 4, mem);
  let lo = 0;
  let hi = count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = await typeAt(mem, rtypes, at(mid));
    if (!t) return undefined;
    const c = compareNames(t.name, name);
    if (c === 0) {
      // Equal names are neighbours: the run around mid.
      const found: bigint[] = [];
      for (let i = mid; i >= 0; i--) {
        const x = await typeAt(mem, rtypes, at(i));
        if (!x || x.name !== name) break;
        if (x.kind === kind) found.unshift(x.address);
      }
      for (let i = mid + 1; i < count; i++) {
        const x = await typeAt(mem, rtypes, at(i));
        if (!x || x.name !== name) break;
        if (x.kind === kind) found.push(x.address);
      }
      return found.length > 0 ? { address: found[0], alike: found.length } : undefined;
    }
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

const WITHOUT_GC_MASK = 'the runtime GC mask of buckets and groups (analysis.gc.runtime) is not read';

/** The map type descriptor struct of this binary: its field leading to the bucket or group type. */
async function bucketField(target: Target, swiss: boolean): Promise<number | undefined> {
  const candidates = ['internal/abi.SwissMapType', 'internal/abi.OldMapType', 'internal/abi.MapType', 'runtime.maptype'];
  const types = await target.typesByName(candidates);
  const names: [string, ...string[]] = swiss ? ['Group'] : ['Bucket', 'bucket'];
  const structs = types.filter((t): t is GoStructType => t?.kind === 'struct');
  for (const t of structs) {
    const f = t.fields.find((x) => names.includes(x.name));
    if (f) return f.offset;
  }
  const [field, ...or] = names;
  target.noteRuntimeGap?.(
    structs.length > 0
      ? { struct: structs[structs.length - 1].name, field, or, without: WITHOUT_GC_MASK }
      : { struct: 'internal/abi.MapType (runtime.maptype)', without: WITHOUT_GC_MASK },
  );
  return undefined;
}

/** Where the binary's DWARF says the descriptor of the type of one of `names` is, if it is a map's. */
async function fromDwarf(target: Target, mem: CachedMemory, rtypes: RuntimeTypeInfo, names: readonly string[]): Promise<bigint | undefined> {
  // The executable's own DWARF describes the first module's types.
  const [first] = rtypes.modules;
  if (!first) return undefined;
  for (const name of names) {
    const off = await target.runtimeTypeOffset?.(name);
    if (off === undefined) continue;
    const at = first.types + BigInt(off);
    if (at >= first.etypes) continue;
    const t = await typeAt(mem, rtypes, at);
    if (t?.kind === Kind.Map) return at;
  }
  return undefined;
}

/**
 * The map type's descriptor. Up to Go 1.26, typelinks answers in a few reads when one map type
 * alone is spelled `names.runtime`; otherwise (Go 1.27, or types of two packages that print
 * alike) the DWARF says exactly which, by the type's own DWARF name then `map[K]V`. The DWARF's
 * types take a pass over the runtime's units (a quarter of a second on gopls, cold), which
 * inspect on a 1.26 binary of that size was measured to pay 115-150 ms for when it came first:
 * so it comes second where typelinks can answer.
 */
async function mapDescriptor(target: Target, mem: CachedMemory, rtypes: RuntimeTypeInfo, names: MapTypeNames): Promise<bigint | undefined> {
  if (names.descriptor !== undefined) return names.descriptor;
  let linked: { address: bigint; alike: number } | undefined;
  for (const m of rtypes.modules) {
    linked = await findInModule(mem, rtypes, m, names.runtime, Kind.Map);
    if (linked) break;
  }
  if (linked?.alike === 1) return linked.address;
  const described = await fromDwarf(target, mem, rtypes, names.dwarf);
  if (described !== undefined) return described;
  if (linked) return linked.address;
  if (!rtypes.modules.some((m) => m.typelinks)) {
    target.noteRuntimeGap?.({
      struct: 'runtime.moduledata',
      field: 'typelinks',
      without: `the runtime GC mask of a map type whose DWARF does not say where its descriptor is (DW_AT_go_runtime_type) is not read (${names.dwarf[0]})`,
    });
  }
  // A generic function's local seen without its dictionary: DWARF names only its shape, which no
  // descriptor is of (with typelinks, said here; without, the gap above says it).
  else if (hasShapeName(names.dwarf[0])) {
    target.noteWarning?.(`${names.dwarf[0]}: a generic function's map seen without its dictionary: which runtime type it is is unknown, and its runtime GC mask (analysis.gc.runtime) is not read`);
  }
  return undefined;
}

/** A map type by its DWARF names (its own, then `map[K]V`) and by the runtime's spelling of `map[K]V`. */
export interface MapTypeNames {
  readonly dwarf: readonly string[];
  readonly runtime: string;
  /** Its descriptor's address, when the program said where it is (GoMapType.descriptor): no search. */
  readonly descriptor?: bigint;
}

/** Answers by map type, per target (its RuntimeTypeInfo): a walk over 100,000 maps of one type asks once. */
const answers = new WeakMap<RuntimeTypeInfo, Map<string, Promise<RuntimeGc | null>>>();

/**
 * The runtime's GC metadata for a map type's buckets or groups. Asked while a live target is
 * stopped (its lazily built mask lives in writable memory) and remembered for the analysis
 * made once it runs again.
 */
export function runtimeBucketGc(
  target: Target,
  mem: CachedMemory,
  rtypes: RuntimeTypeInfo | undefined,
  names: MapTypeNames,
  swiss: boolean,
): Promise<RuntimeGc | null> {
  if (!rtypes) return Promise.resolve(null);
  let byName = answers.get(rtypes);
  if (!byName) answers.set(rtypes, (byName = new Map()));
  const key = `${swiss ? 's' : 'c'}:${names.descriptor ?? ''}:${names.dwarf.join('\n')}`;
  let answer = byName.get(key);
  if (!answer) {
    answer = readBucketGc(target, mem, rtypes, names, swiss).catch(() => null);
    byName.set(key, answer);
  }
  return answer;
}

async function readBucketGc(target: Target, mem: CachedMemory, rtypes: RuntimeTypeInfo, names: MapTypeNames, swiss: boolean): Promise<RuntimeGc | null> {
  const l = rtypes.layout;
  // Its absence was told when the layout was read (values/rtype.ts).
  if (!l.gcdata) return null;
  const descriptor = await mapDescriptor(target, mem, rtypes, names);
  if (descriptor === undefined) return null;
  const off = await bucketField(target, swiss);
  if (off === undefined) return null;
  const ps = mem.pointerSize;
  const ptr = await readWords(mem, descriptor + BigInt(off), ps);
  if (!ptr) return null;
  const bucketType = readUint(ptr, 0, ps, mem);
  const raw = await readWords(mem, bucketType, l.size);
  if (!raw) return null;
  const ptrBytes = Number(readUint(raw, l.ptrBytes.offset, l.ptrBytes.size, mem));
  const size = Number(readUint(raw, l.sizeField.offset, l.sizeField.size, mem));
  if (size > MAX_BUCKET_TYPE_BYTES || ptrBytes > size) return null;
  let gcdata = readUint(raw, l.gcdata.offset, l.gcdata.size, mem);
  if (Number(readUint(raw, l.tflag.offset, l.tflag.size, mem)) & tflagGCMaskOnDemand) {
    // Go 1.24+: GCData is a **byte filled in lazily; it may still be nil in a core.
    const p = await readWords(mem, gcdata, ps);
    if (!p) return null;
    gcdata = readUint(p, 0, ps, mem);
    if (gcdata === 0n) return null;
  }
  const nbytes = Math.ceil(ptrBytes / ps / 8);
  const mask = nbytes === 0 ? new Uint8Array(0) : await readWords(mem, gcdata, nbytes);
  if (!mask) return null;
  return { ptrBytes, bitmap: Buffer.from(mask).toString('hex'), descriptor: hex(bucketType) };
}
