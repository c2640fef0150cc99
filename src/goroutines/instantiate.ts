/**
 * A map held by a local of a generic function, named as the program instantiated it.
 *
 * DWARF gives such a local a shape type (`map[go.shape.string]struct {}`): its layout is right
 * (shapes are laid out as their underlying types) but not its names. The bridge reads the
 * function's dictionary entry for the local, the runtime's descriptor of its real type
 * (gdb-scripts/mapscope_gdict.py); the names come from that descriptor and from those of its key
 * and elem (every map type descriptor, `runtime.maptype` to `abi.MapType`, starts with the type
 * itself, then Key and Elem).
 */
import { type GoMapType, hasShapeName } from '../layout/gotype.js';
import { mapLayout } from '../layout/map-layout.js';
import { readUint } from '../target/bytes.js';
import { CachedMemory } from '../target/cache.js';
import type { MemRange, Memory } from '../target/target.js';
import { type DynamicType, Kind, type RuntimeTypeInfo } from '../values/rtype.js';

export interface MapTypeNames {
  /** The map type's runtime descriptor, where the names were read. */
  readonly descriptor: bigint;
  readonly name: string;
  readonly key: string;
  readonly elem: string;
  readonly keySize: number;
  readonly elemSize: number;
}

/** Rounds of reads for one descriptor and its name (each round fetches what the last one lacked). */
const ROUNDS = 4;

async function typeAt(mem: CachedMemory, rtypes: RuntimeTypeInfo, address: bigint): Promise<DynamicType | undefined> {
  for (let round = 0; round < ROUNDS; round++) {
    const misses: MemRange[] = [];
    const t = rtypes.read(mem, address, misses);
    if (t === 'unreadable') return undefined;
    if (t) return t;
    const read = await mem.readMany(misses);
    if (read.some((r) => !r.ok)) return undefined;
  }
  return undefined;
}

/** The names of the map type whose runtime descriptor is at `address`; undefined if it is not one. */
export async function runtimeMapNames(target: Memory, rtypes: RuntimeTypeInfo, address: bigint): Promise<MapTypeNames | undefined> {
  const mem = new CachedMemory(target);
  const map = await typeAt(mem, rtypes, address);
  if (!map || map.kind !== Kind.Map) return undefined;
  const ps = target.pointerSize;
  const [words] = await mem.readMany([{ address: address + BigInt(rtypes.layout.size), length: 2 * ps }]);
  if (!words.ok) return undefined;
  const [key, elem] = await Promise.all([0, ps].map((at) => typeAt(mem, rtypes, readUint(words.bytes, at, ps, target))));
  if (!key || !elem) return undefined;
  return { descriptor: address, name: map.name, key: key.name, elem: elem.name, keySize: key.size, elemSize: elem.size };
}

/**
 * The shape-typed map named as instantiated, when the descriptor fits the layout DWARF gave (the
 * same key and elem sizes); otherwise the shape, whose names say what it is.
 */
export function instantiate(shape: GoMapType, names: MapTypeNames): GoMapType {
  if (!hasShapeName(shape.name)) return shape;
  let fits: boolean;
  try {
    const layout = mapLayout(shape);
    fits = layout.key.size === names.keySize && layout.elem.size === names.elemSize;
  } catch {
    fits = false; // the layout's own error is reported when the map is read
  }
  // Key and elem by their own descriptors: a named map type (`Set[string]`) has no map[K]V in its name.
  // The descriptor too: the analysis reads the runtime's GC mask from it, not from a search by a
  // name the binary may not hold (only the shape type is in its DWARF).
  return fits ? { ...shape, name: names.name, keyName: names.key, elemName: names.elem, descriptor: names.descriptor } : shape;
}
