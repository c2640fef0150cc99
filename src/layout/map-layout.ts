/**
 * The layout of one map type, read off the DWARF the Go linker synthesises for it:
 * classic `hash<K,V>` → `bucket<K,V>`, or Swiss `map<K,V>` → `table<K,V>` →
 * `groupReference<K,V>` → `noalg.map.group[K]V`.
 *
 * Offsets come from DWARF, never from constants, so a field the runtime adds (Go 1.24's
 * `hmap.clearSeq`, Go 1.25's `Map.tombstonePossible`) or a 32-bit target moves nothing by hand.
 * Which implementation a map uses is decided by the header's fields, not by the Go version:
 * Go 1.24 and 1.25 can be built either way.
 */
import type { GoField, GoMapType, GoStructType, GoType } from './gotype.js';

export class MapLayoutError extends Error {
  override readonly name = 'MapLayoutError';
}

/** Where a field lives and how wide it is. */
export interface FieldRef {
  readonly offset: number;
  readonly size: number;
}

interface SlotTypes {
  /** The map's key and elem types as Go code spells them. */
  readonly key: GoType;
  readonly elem: GoType;
  /** Keys and elems over 128 bytes are stored as pointers in their slots. */
  readonly indirectKey: boolean;
  readonly indirectElem: boolean;
}

export interface ClassicLayout extends SlotTypes {
  readonly kind: 'classic';
  readonly hmap: {
    readonly name: string;
    readonly size: number;
    readonly count: FieldRef;
    readonly flags: FieldRef;
    readonly B: FieldRef;
    readonly noverflow: FieldRef;
    readonly hash0: FieldRef;
    readonly buckets: FieldRef;
    readonly oldbuckets: FieldRef;
    readonly nevacuate: FieldRef;
    readonly clearSeq?: FieldRef;
    readonly extra: FieldRef;
  };
  readonly bucket: {
    readonly name: string;
    readonly size: number;
    readonly tophash: FieldRef;
    readonly keys: FieldRef;
    /** Bytes per key slot: the key size, or a pointer for indirect keys. */
    readonly keySlot: number;
    readonly values: FieldRef;
    readonly elemSlot: number;
    readonly overflow: FieldRef;
  };
}

export interface SwissLayout extends SlotTypes {
  readonly kind: 'swiss';
  readonly map: {
    readonly name: string;
    readonly size: number;
    readonly used: FieldRef;
    readonly seed: FieldRef;
    readonly dirPtr: FieldRef;
    readonly dirLen: FieldRef;
    readonly globalDepth: FieldRef;
    readonly globalShift: FieldRef;
    readonly writing: FieldRef;
    readonly tombstonePossible?: FieldRef;
    readonly clearSeq: FieldRef;
  };
  readonly table: {
    readonly name: string;
    readonly size: number;
    readonly used: FieldRef;
    readonly capacity: FieldRef;
    readonly growthLeft: FieldRef;
    readonly localDepth: FieldRef;
    readonly index: FieldRef;
    /** `groups.data` and `groups.lengthMask`, flattened to offsets within the table. */
    readonly groupsData: FieldRef;
    readonly groupsLengthMask: FieldRef;
  };
  readonly group: SwissGroup;
}

/**
 * How a group holds its 8 keys and elems. `interleaved`: `slots [8]struct{key K; elem V}`, every
 * Swiss build up to Go 1.26 and Go 1.27 by default. `split`: `keys [8]K; elems [8]V`, Go 1.27 with
 * GOEXPERIMENT=mapsplitgroup. Told apart by the group's field names, as Delve and runtime-gdb.py do.
 */
export type GroupArrangement = 'interleaved' | 'split';

/** One array of a group as DWARF describes it: `slots`, or `keys` and `elems`. */
export interface GroupArray extends FieldRef {
  readonly name: 'slots' | 'keys' | 'elems';
  /** Bytes from one element of the array to the next. */
  readonly stride: number;
}

export interface SwissGroup {
  readonly name: string;
  readonly size: number;
  readonly ctrl: FieldRef;
  readonly arrangement: GroupArrangement;
  readonly arrays: readonly GroupArray[];
  /**
   * Key i is at keysOff + i × keyStride and elem i at elemsOff + i × elemStride, for either
   * arrangement, as Go 1.27's abi.MapType describes a group (interleaved: both strides are the slot size).
   */
  readonly keysOff: number;
  readonly keyStride: number;
  readonly elemsOff: number;
  readonly elemStride: number;
  /** Bytes one slot's key and elem take in the group (the slot struct's size when interleaved). */
  readonly slotBytes: number;
}

/** Offset of key i within a group. */
export function groupKeyOffset(g: SwissGroup, i: number): number {
  return g.keysOff + i * g.keyStride;
}

/** Offset of elem i within a group. */
export function groupElemOffset(g: SwissGroup, i: number): number {
  return g.elemsOff + i * g.elemStride;
}

export type MapLayout = ClassicLayout | SwissLayout;

export function mapLayout(map: GoMapType): MapLayout {
  const header = map.header;
  if (!header) throw new MapLayoutError(`no DWARF description of the header of ${map.name}`);
  const has = (n: string) => header.fields.some((f) => f.name === n);
  if (has('buckets') && has('B')) return classicLayout(map, header);
  if (has('dirPtr') && has('dirLen')) return swissLayout(map, header);
  throw new MapLayoutError(`${header.name}: neither a classic hmap nor a Swiss Map`);
}

function field(s: GoStructType, name: string): GoField {
  const f = s.fields.find((x) => x.name === name);
  if (!f) throw new MapLayoutError(`${s.name} has no field ${name}`);
  return f;
}

function ref(s: GoStructType, name: string): FieldRef {
  const f = field(s, name);
  return { offset: f.offset, size: f.type.size };
}

function optionalRef(s: GoStructType, name: string): FieldRef | undefined {
  return s.fields.some((f) => f.name === name) ? ref(s, name) : undefined;
}

function structAt(t: GoType | undefined, what: string): GoStructType {
  if (t?.kind !== 'struct') throw new MapLayoutError(`${what} is not described as a struct`);
  return t;
}

function pointee(t: GoType, what: string): GoType {
  if (t.kind !== 'pointer' || !t.elem) throw new MapLayoutError(`${what} is not a described pointer`);
  return t.elem;
}

/**
 * The slot type is `K` or, for an indirect key, `*K`. `map[*Big]V` also has pointer slots, so the
 * slot type's name is compared with the key type's name from the map type itself.
 */
interface SlotType {
  readonly type: GoType;
  readonly indirect: boolean;
}

function slotType(slot: GoType, goName: string, what: string): SlotType {
  if (slot.name === goName) return { type: slot, indirect: false };
  if (slot.kind === 'pointer' && slot.elem && slot.elem.name === goName) return { type: slot.elem, indirect: true };
  // Unnamed composite types may be spelled differently by gdb and Go (e.g. `struct {...}` spacing);
  // a slot over 128 bytes cannot be direct, and a pointer slot for a non-pointer key is indirect.
  if (slot.kind === 'pointer' && slot.elem && !goName.startsWith('*') && slot.elem.size > 128) {
    return { type: slot.elem, indirect: true };
  }
  if (slot.kind !== 'pointer' || goName.startsWith('*')) return { type: slot, indirect: false };
  throw new MapLayoutError(`cannot tell whether the ${what} slot type ${slot.name} stores ${goName} directly`);
}

function classicLayout(map: GoMapType, hmap: GoStructType): ClassicLayout {
  const bucket = structAt(pointee(field(hmap, 'buckets').type, `${hmap.name}.buckets`), 'bucket');
  const keys = field(bucket, 'keys');
  const values = field(bucket, 'values');
  if (keys.type.kind !== 'array' || values.type.kind !== 'array') throw new MapLayoutError(`${bucket.name}: keys/values are not arrays`);
  const key = slotType(keys.type.elem, map.keyName, 'key');
  const elem = slotType(values.type.elem, map.elemName, 'elem');
  return {
    kind: 'classic',
    key: key.type,
    elem: elem.type,
    indirectKey: key.indirect,
    indirectElem: elem.indirect,
    hmap: {
      name: hmap.name,
      size: hmap.size,
      count: ref(hmap, 'count'),
      flags: ref(hmap, 'flags'),
      B: ref(hmap, 'B'),
      noverflow: ref(hmap, 'noverflow'),
      hash0: ref(hmap, 'hash0'),
      buckets: ref(hmap, 'buckets'),
      oldbuckets: ref(hmap, 'oldbuckets'),
      nevacuate: ref(hmap, 'nevacuate'),
      clearSeq: optionalRef(hmap, 'clearSeq'),
      extra: ref(hmap, 'extra'),
    },
    bucket: {
      name: bucket.name,
      size: bucket.size,
      tophash: ref(bucket, 'tophash'),
      keys: { offset: keys.offset, size: keys.type.size },
      keySlot: keys.type.elem.size,
      values: { offset: values.offset, size: values.type.size },
      elemSlot: values.type.elem.size,
      overflow: ref(bucket, 'overflow'),
    },
  };
}

function swissLayout(map: GoMapType, m: GoStructType): SwissLayout {
  const table = structAt(pointee(pointee(field(m, 'dirPtr').type, `${m.name}.dirPtr`), `${m.name}.*dirPtr`), 'table');
  const groupsField = field(table, 'groups');
  const groupsRef = structAt(groupsField.type, `${table.name}.groups`);
  const data = field(groupsRef, 'data');
  const lengthMask = field(groupsRef, 'lengthMask');
  const group = structAt(pointee(data.type, `${groupsRef.name}.data`), 'group');
  const g = swissGroup(group, map);
  return {
    kind: 'swiss',
    key: g.key.type,
    elem: g.elem.type,
    indirectKey: g.key.indirect,
    indirectElem: g.elem.indirect,
    map: {
      name: m.name,
      size: m.size,
      used: ref(m, 'used'),
      seed: ref(m, 'seed'),
      dirPtr: ref(m, 'dirPtr'),
      dirLen: ref(m, 'dirLen'),
      globalDepth: ref(m, 'globalDepth'),
      globalShift: ref(m, 'globalShift'),
      writing: ref(m, 'writing'),
      tombstonePossible: optionalRef(m, 'tombstonePossible'),
      clearSeq: ref(m, 'clearSeq'),
    },
    table: {
      name: table.name,
      size: table.size,
      used: ref(table, 'used'),
      capacity: ref(table, 'capacity'),
      growthLeft: ref(table, 'growthLeft'),
      localDepth: ref(table, 'localDepth'),
      index: ref(table, 'index'),
      groupsData: { offset: groupsField.offset + data.offset, size: data.type.size },
      groupsLengthMask: { offset: groupsField.offset + lengthMask.offset, size: lengthMask.type.size },
    },
    group: g.group,
  };
}

/** A group's array field: where it is, its stride, and its element type. */
function arrayField(s: GoStructType, name: GroupArray['name']): { array: GroupArray; elem: GoType } {
  const f = field(s, name);
  if (f.type.kind !== 'array') throw new MapLayoutError(`${s.name}.${name} is not an array`);
  return { array: { name, offset: f.offset, size: f.type.size, stride: f.type.elem.size }, elem: f.type.elem };
}

/** The group's arrangement and where its keys and elems are, from its field names and offsets alone. */
function swissGroup(group: GoStructType, map: GoMapType): { group: SwissGroup; key: SlotType; elem: SlotType } {
  const base = { name: group.name, size: group.size, ctrl: ref(group, 'ctrl') };
  if (group.fields.some((f) => f.name === 'slots')) {
    const slots = arrayField(group, 'slots');
    const slot = structAt(slots.elem, `${group.name} slot`);
    const keyField = field(slot, 'key');
    const elemField = field(slot, 'elem');
    return {
      group: {
        ...base,
        arrangement: 'interleaved',
        arrays: [slots.array],
        keysOff: slots.array.offset + keyField.offset,
        keyStride: slots.array.stride,
        elemsOff: slots.array.offset + elemField.offset,
        elemStride: slots.array.stride,
        slotBytes: slots.array.stride,
      },
      key: slotType(keyField.type, map.keyName, 'key'),
      elem: slotType(elemField.type, map.elemName, 'elem'),
    };
  }
  if (group.fields.some((f) => f.name === 'keys') && group.fields.some((f) => f.name === 'elems')) {
    const keys = arrayField(group, 'keys');
    const elems = arrayField(group, 'elems');
    return {
      group: {
        ...base,
        arrangement: 'split',
        arrays: [keys.array, elems.array],
        keysOff: keys.array.offset,
        keyStride: keys.array.stride,
        elemsOff: elems.array.offset,
        elemStride: elems.array.stride,
        slotBytes: keys.array.stride + elems.array.stride,
      },
      key: slotType(keys.elem, map.keyName, 'key'),
      elem: slotType(elems.elem, map.elemName, 'elem'),
    };
  }
  throw new MapLayoutError(`${group.name} has neither slots nor keys and elems: a group arrangement this mapscope does not know`);
}
