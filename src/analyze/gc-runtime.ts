/**
 * The GC metadata the runtime itself uses for a map's buckets or groups, read from the target:
 * the map's type descriptor is found through `moduledata.typelinks` (offsets of every unnamed
 * composite type, sorted by name, so a binary search finds `map[K]V`), its `bucket` / `Group`
 * field leads to the bucket or group type, whose `PtrBytes` and `GCData` mask are read.
 */
import type { GoStructType } from '../layout/gotype.js';
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

/** Binary search of one module's typelinks for the type named `name` of kind `kind`. */
async function findInModule(mem: CachedMemory, rtypes: RuntimeTypeInfo, m: ModuleTypes, name: string, kind: number): Promise<bigint | undefined> {
  if (m.ntypelinks <= 0 || m.ntypelinks > MAX_TYPELINKS) return undefined;
  const links = await readWords(mem, m.typelinks, m.ntypelinks * 4);
  if (!links) return undefined;
  const at = (i: number) => m.types + readInt(links, i * 4, 4, mem);
  let lo = 0;
  let hi = m.ntypelinks - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = await typeAt(mem, rtypes, at(mid));
    if (!t) return undefined;
    const c = compareNames(t.name, name);
    if (c === 0) {
      // Equal names can repeat (types of different packages print alike): scan the run.
      for (let i = mid; i >= 0; i--) {
        const x = await typeAt(mem, rtypes, at(i));
        if (!x || x.name !== name) break;
        if (x.kind === kind) return x.address;
      }
      for (let i = mid + 1; i < m.ntypelinks; i++) {
        const x = await typeAt(mem, rtypes, at(i));
        if (!x || x.name !== name) break;
        if (x.kind === kind) return x.address;
      }
      return undefined;
    }
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** The map type descriptor struct of this binary: its field leading to the bucket or group type. */
async function bucketField(target: Target, swiss: boolean): Promise<number | undefined> {
  const candidates = ['internal/abi.SwissMapType', 'internal/abi.OldMapType', 'internal/abi.MapType', 'runtime.maptype'];
  const types = await target.typesByName(candidates);
  const names = swiss ? ['Group'] : ['bucket', 'Bucket'];
  for (const t of types) {
    if (t?.kind !== 'struct') continue;
    const f = (t as GoStructType).fields.find((x) => names.includes(x.name));
    if (f) return f.offset;
  }
  return undefined;
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
  mapTypeName: string,
  swiss: boolean,
): Promise<RuntimeGc | null> {
  if (!rtypes) return Promise.resolve(null);
  let byName = answers.get(rtypes);
  if (!byName) answers.set(rtypes, (byName = new Map()));
  const key = `${swiss ? 's' : 'c'}:${mapTypeName}`;
  let answer = byName.get(key);
  if (!answer) {
    answer = readBucketGc(target, mem, rtypes, mapTypeName, swiss).catch(() => null);
    byName.set(key, answer);
  }
  return answer;
}

async function readBucketGc(target: Target, mem: CachedMemory, rtypes: RuntimeTypeInfo, mapTypeName: string, swiss: boolean): Promise<RuntimeGc | null> {
  let descriptor: bigint | undefined;
  for (const m of rtypes.modules) {
    descriptor = await findInModule(mem, rtypes, m, mapTypeName, Kind.Map);
    if (descriptor !== undefined) break;
  }
  if (descriptor === undefined) return null;
  const off = await bucketField(target, swiss);
  if (off === undefined) return null;
  const ps = mem.pointerSize;
  const ptr = await readWords(mem, descriptor + BigInt(off), ps);
  if (!ptr) return null;
  const bucketType = readUint(ptr, 0, ps, mem);
  const l = rtypes.layout;
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
