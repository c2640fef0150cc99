/**
 * Synthetic targets for unit tests: a Memory over byte blocks placed at addresses, and DWARF
 * type tables shaped like the ones the gdb bridge returns for classic (`hash<K,V>`) and Swiss
 * (`map<K,V>`) maps, so that tests run GoTypeBuilder and mapLayout exactly as the gdb path does.
 *
 * Offsets are computed here with Go's layout rules (a field aligns to its type's alignment;
 * scalars align to min(size, pointer size), so uint64 aligns to 4 on 32-bit targets; a struct
 * ending in a zero-sized field gets one byte of padding), independently of src/.
 */
import { type DwarfField, type DwarfType, GoTypeBuilder } from '../../src/layout/dwarf.js';
import type { GoMapType, GoType } from '../../src/layout/gotype.js';
import { type ClassicLayout, type FieldRef, groupElemOffset, groupKeyOffset, mapLayout, type SwissLayout } from '../../src/layout/map-layout.js';
import type { Memory, MemRange, ReadResult } from '../../src/target/target.js';

export type Addr = bigint | number;

// ---------------------------------------------------------------------------------------------
// Memory

interface Block {
  readonly address: bigint;
  readonly bytes: Uint8Array;
}

export class SyntheticMemory implements Memory {
  private readonly blocks: Block[] = [];
  /** readMany calls and ranges asked for so far, to check that readers batch. */
  calls = 0;
  ranges = 0;

  constructor(
    readonly pointerSize: 4 | 8 = 8,
    readonly littleEndian = true,
  ) {}

  /** Places a zero-filled block of `size` bytes at `address`; returns the address. */
  alloc(address: Addr, size: number): bigint {
    const a = BigInt(address);
    const end = a + BigInt(size);
    for (const b of this.blocks) {
      if (a < b.address + BigInt(b.bytes.length) && b.address < end) {
        throw new Error(`block 0x${a.toString(16)}+${size} overlaps block 0x${b.address.toString(16)}`);
      }
    }
    this.blocks.push({ address: a, bytes: new Uint8Array(size) });
    this.blocks.sort((x, y) => (x.address < y.address ? -1 : 1));
    return a;
  }

  /** Copies bytes into placed memory (the whole write must lie in one block). */
  write(address: Addr, data: Uint8Array | readonly number[]): void {
    const a = BigInt(address);
    const b = this.blockOf(a, data.length);
    if (!b) throw new Error(`write of ${data.length} bytes at 0x${a.toString(16)} is outside placed memory`);
    b.bytes.set(data, Number(a - b.address));
  }

  uint(address: Addr, size: number, value: bigint | number): void {
    let v = BigInt.asUintN(size * 8, BigInt(value));
    const out = new Uint8Array(size);
    for (let i = 0; i < size; i++) {
      out[this.littleEndian ? i : size - 1 - i] = Number(v & 0xffn);
      v >>= 8n;
    }
    this.write(address, out);
  }

  u8(address: Addr, v: bigint | number): void {
    this.uint(address, 1, v);
  }
  u16(address: Addr, v: bigint | number): void {
    this.uint(address, 2, v);
  }
  u32(address: Addr, v: bigint | number): void {
    this.uint(address, 4, v);
  }
  u64(address: Addr, v: bigint | number): void {
    this.uint(address, 8, v);
  }
  /** A pointer-sized word (pointers, Go int/uint/uintptr). */
  ptr(address: Addr, v: bigint | number): void {
    this.uint(address, this.pointerSize, v);
  }
  f32(address: Addr, v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, this.littleEndian);
    this.write(address, b);
  }
  f64(address: Addr, v: number): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, this.littleEndian);
    this.write(address, b);
  }

  /** A Go string header {data, len} at `header`, and its bytes at `data` (both in placed memory). */
  goString(header: Addr, data: Addr, text: string | readonly number[]): void {
    const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : Uint8Array.from(text);
    this.ptr(header, data);
    this.ptr(BigInt(header) + BigInt(this.pointerSize), bytes.length);
    if (bytes.length > 0) this.write(data, bytes);
  }

  /** Synchronous read for assertions; throws outside placed memory. */
  read(address: Addr, length: number): Uint8Array {
    const r = this.readOne({ address: BigInt(address), length });
    if (!r.ok) throw new Error(r.error);
    return r.bytes;
  }

  readUint(address: Addr, size: number): bigint {
    const b = this.read(address, size);
    let v = 0n;
    for (let i = 0; i < size; i++) v = (v << 8n) | BigInt(b[this.littleEndian ? size - 1 - i : i]);
    return v;
  }

  /** A pointer-sized signed word, as a number (Go `int`). */
  readInt(address: Addr): number {
    return Number(BigInt.asIntN(this.pointerSize * 8, this.readUint(address, this.pointerSize)));
  }

  async readMany(ranges: readonly MemRange[]): Promise<ReadResult[]> {
    this.calls++;
    this.ranges += ranges.length;
    return ranges.map((r) => this.readOne(r));
  }

  /** Reads may span adjacent blocks; any byte outside placed memory fails the whole range. */
  private readOne(r: MemRange): ReadResult {
    const out = new Uint8Array(r.length);
    let at = r.address;
    const end = r.address + BigInt(r.length);
    while (at < end) {
      const b = this.blocks.find((x) => x.address <= at && at < x.address + BigInt(x.bytes.length));
      if (!b) return { ok: false, error: `Cannot access memory at address 0x${at.toString(16)}` };
      const from = Number(at - b.address);
      const n = Math.min(b.bytes.length - from, Number(end - at));
      out.set(b.bytes.subarray(from, from + n), Number(at - r.address));
      at += BigInt(n);
    }
    return { ok: true, bytes: out };
  }

  private blockOf(address: bigint, length: number): Block | undefined {
    return this.blocks.find((b) => b.address <= address && address + BigInt(length) <= b.address + BigInt(b.bytes.length));
  }
}

// ---------------------------------------------------------------------------------------------
// DWARF tables

interface Shape {
  readonly size: number;
  readonly align: number;
  /** The Go spelling, used to name composite and map types. */
  readonly goName: string;
}

type MutableDwarf = { -readonly [K in keyof DwarfType]: DwarfType[K] };

const BASIC: Record<string, { size: number | 'ptr' | 'str'; code: string; signed?: boolean }> = {
  int: { size: 'ptr', code: 'INT', signed: true },
  int8: { size: 1, code: 'INT', signed: true },
  int16: { size: 2, code: 'INT', signed: true },
  int32: { size: 4, code: 'INT', signed: true },
  int64: { size: 8, code: 'INT', signed: true },
  uint: { size: 'ptr', code: 'INT', signed: false },
  uint8: { size: 1, code: 'INT', signed: false },
  uint16: { size: 2, code: 'INT', signed: false },
  uint32: { size: 4, code: 'INT', signed: false },
  uint64: { size: 8, code: 'INT', signed: false },
  uintptr: { size: 'ptr', code: 'INT', signed: false },
  float32: { size: 4, code: 'FLT' },
  float64: { size: 8, code: 'FLT' },
  complex64: { size: 8, code: 'COMPLEX' },
  complex128: { size: 16, code: 'COMPLEX' },
  bool: { size: 1, code: 'BOOL' },
  string: { size: 'str', code: 'STRUCT' },
  'unsafe.Pointer': { size: 'ptr', code: 'PTR' },
};

/** A DWARF type table as the bridge describes it, built with Go's layout rules. */
export class DwarfTable {
  readonly types: DwarfType[] = [];
  private readonly shapes: Shape[] = [];
  private readonly memo = new Map<string, number>();
  private builder: GoTypeBuilder | undefined;

  constructor(readonly pointerSize: 4 | 8) {}

  size(id: number): number {
    return this.shapes[id].size;
  }
  align(id: number): number {
    return this.shapes[id].align;
  }
  goName(id: number): string {
    return this.shapes[id].goName;
  }

  /** Go's predeclared types (and unsafe.Pointer) as Go's DWARF has them. */
  basic(name: string): number {
    const memoKey = `basic:${name}`;
    const done = this.memo.get(memoKey);
    if (done !== undefined) return done;
    const b = BASIC[name];
    if (!b) throw new Error(`not a basic type: ${name}`);
    const ps = this.pointerSize;
    let id: number;
    if (name === 'string') {
      const u8ptr = this.ptr(this.basic('uint8'));
      id = this.declareStruct('string');
      this.defineStruct(id, [
        ['str', u8ptr],
        ['len', this.basic('int')],
      ]);
    } else if (name === 'unsafe.Pointer') {
      const voidId = this.add({ code: 'VOID', name: 'void', str: 'void', size: 1 }, { size: 1, align: 1, goName: 'void' });
      id = this.add({ code: 'PTR', name: 'unsafe.Pointer', str: 'void *', size: ps, target: voidId }, { size: ps, align: ps, goName: name });
    } else {
      const size = b.size === 'ptr' ? ps : (b.size as number);
      const unit = b.code === 'COMPLEX' ? size / 2 : size;
      const align = unit <= 1 ? 1 : Math.min(unit, ps);
      const d: Omit<DwarfType, 'id'> = b.signed === undefined ? { code: b.code, name, str: name, size } : { code: b.code, name, str: name, size, signed: b.signed };
      id = this.add(d, { size, align, goName: name });
    }
    this.memo.set(memoKey, id);
    return id;
  }

  ptr(target: number): number {
    const memoKey = `ptr:${target}`;
    const done = this.memo.get(memoKey);
    if (done !== undefined) return done;
    const ps = this.pointerSize;
    const t = this.types[target];
    const id = this.add({ code: 'PTR', name: '', str: `${t.name || t.str} *`, size: ps, target }, { size: ps, align: ps, goName: '*' + this.goName(target) });
    this.memo.set(memoKey, id);
    return id;
  }

  array(elem: number, length: number): number {
    const goName = `[${length}]${this.goName(elem)}`;
    return this.add(
      { code: 'ARRAY', name: '', str: `${this.types[elem].str} [${length}]`, size: length * this.size(elem), length, target: elem },
      { size: length * this.size(elem), align: this.align(elem), goName },
    );
  }

  /** A struct type named `name` (a Go named struct like `main.Point`, or a runtime one). */
  struct(name: string, fields: readonly (readonly [string, number])[]): number {
    const id = this.declareStruct(name);
    this.defineStruct(id, fields);
    return id;
  }

  /** Declares a struct whose fields come later, for self-referential types (`bucket<K,V>`). */
  declareStruct(name: string): number {
    return this.add({ code: 'STRUCT', name, str: name, size: 0, fields: [] }, { size: 0, align: 1, goName: name });
  }

  /** Lays out the fields in order by Go's rules and sets the struct's size. */
  defineStruct(id: number, fields: readonly (readonly [string, number])[]): void {
    let off = 0;
    let align = 1;
    const out: DwarfField[] = [];
    for (const [name, type] of fields) {
      const a = this.align(type);
      off = roundUp(off, a);
      out.push({ name, offset: off, bitsize: 0, type });
      off += this.size(type);
      align = Math.max(align, a);
    }
    if (fields.length > 0 && this.size(fields[fields.length - 1][1]) === 0 && off > 0) off++;
    const size = roundUp(off, align);
    const d = this.types[id] as MutableDwarf;
    d.fields = out;
    d.size = size;
    this.shapes[id] = { size, align, goName: this.shapes[id].goName };
    this.builder = undefined;
  }

  /** `type name target` (a typedef), e.g. `type Celsius float64`. */
  named(name: string, target: number): number {
    return this.add({ code: 'TYPEDEF', name, str: name, size: this.size(target), target }, { size: this.size(target), align: this.align(target), goName: name });
  }

  slice(elem: number): number {
    const name = `[]${this.goName(elem)}`;
    const int = this.basic('int');
    return this.struct(name, [
      ['array', this.ptr(elem)],
      ['len', int],
      ['cap', int],
    ]);
  }

  /** `interface {}`: a typedef of runtime.eface, as gdb shows it. */
  eface(): number {
    const up = this.basic('unsafe.Pointer');
    const s = this.struct('runtime.eface', [
      ['_type', up],
      ['data', up],
    ]);
    return this.named('interface {}', s);
  }

  /** A non-empty interface type: a typedef of runtime.iface. */
  iface(name: string): number {
    const up = this.basic('unsafe.Pointer');
    const s = this.struct('runtime.iface', [
      ['tab', up],
      ['data', up],
    ]);
    return this.named(name, s);
  }

  /** The map typedef `map[K]V` → `*header`. */
  mapTypedef(key: number, elem: number, header: number): number {
    const name = `map[${this.goName(key)}]${this.goName(elem)}`;
    const ps = this.pointerSize;
    return this.add({ code: 'TYPEDEF', name, str: name, size: ps, target: this.ptr(header) }, { size: ps, align: ps, goName: name });
  }

  /** The Go type GoTypeBuilder makes of a DWARF id (one builder per table state). */
  go(id: number): GoType {
    this.builder ??= new GoTypeBuilder(this.types, this.pointerSize);
    return this.builder.type(id);
  }

  private add(d: Omit<DwarfType, 'id'>, shape: Shape): number {
    const id = this.types.length;
    this.types.push({ id, ...d });
    this.shapes.push(shape);
    this.builder = undefined;
    return id;
  }
}

function roundUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

// ---------------------------------------------------------------------------------------------
// Map types

/** A key or elem type: a basic type's name, or a function adding it to the table. */
export type TypeSpec = string | ((t: DwarfTable) => number);

function specId(t: DwarfTable, s: TypeSpec): number {
  return typeof s === 'string' ? t.basic(s) : s(t);
}

/** Keys and elems over 128 bytes are stored as pointers in their slots. */
function slotOf(t: DwarfTable, id: number): number {
  return t.size(id) > 128 ? t.ptr(id) : id;
}

export interface ClassicOptions {
  /** Go 1.24/1.25 noswiss: `clearSeq uint64` between nevacuate and extra. */
  readonly clearSeq?: boolean;
}

/** `map[K]V` → `*hash<K,V>` → `*bucket<K,V>`, as cmd/link synthesises them. Returns the typedef id. */
export function classicMapDwarf(t: DwarfTable, key: number, elem: number, opts: ClassicOptions = {}): number {
  const kv = `${t.goName(key)},${t.goName(elem)}`;
  const u8 = t.basic('uint8');
  const bucket = t.declareStruct(`bucket<${kv}>`);
  t.defineStruct(bucket, [
    ['tophash', t.array(u8, 8)],
    ['keys', t.array(slotOf(t, key), 8)],
    ['values', t.array(slotOf(t, elem), 8)],
    ['overflow', t.ptr(bucket)],
  ]);
  const up = t.basic('unsafe.Pointer');
  const extra = t.struct('runtime.mapextra', [
    ['overflow', up],
    ['oldoverflow', up],
    ['nextOverflow', up],
  ]);
  const fields: [string, number][] = [
    ['count', t.basic('int')],
    ['flags', u8],
    ['B', u8],
    ['noverflow', t.basic('uint16')],
    ['hash0', t.basic('uint32')],
    ['buckets', t.ptr(bucket)],
    ['oldbuckets', t.ptr(bucket)],
    ['nevacuate', t.basic('uintptr')],
  ];
  if (opts.clearSeq) fields.push(['clearSeq', t.basic('uint64')]);
  fields.push(['extra', t.ptr(extra)]);
  const hash = t.struct(`hash<${kv}>`, fields);
  return t.mapTypedef(key, elem, hash);
}

export interface SwissOptions {
  /** Go 1.25+: `tombstonePossible bool` after writing. */
  readonly tombstonePossible?: boolean;
  /** Go 1.27 GOEXPERIMENT=mapsplitgroup: `keys [8]K; elems [8]V` instead of `slots [8]struct{key; elem}`. */
  readonly split?: boolean;
}

/** `map[K]V` → `*map<K,V>` → `**table<K,V>` → groupReference → `*noalg.map.group[K]V`. */
export function swissMapDwarf(t: DwarfTable, key: number, elem: number, opts: SwissOptions = {}): number {
  const kv = `${t.goName(key)},${t.goName(elem)}`;
  const u8 = t.basic('uint8');
  const u64 = t.basic('uint64');
  const arrays: [string, number][] = opts.split
    ? [
        ['keys', t.array(slotOf(t, key), 8)],
        ['elems', t.array(slotOf(t, elem), 8)],
      ]
    : [
        [
          'slots',
          t.array(
            t.struct(`noalg.struct { key ${t.goName(key)}; elem ${t.goName(elem)} }`, [
              ['key', slotOf(t, key)],
              ['elem', slotOf(t, elem)],
            ]),
            8,
          ),
        ],
      ];
  const group = t.struct(`noalg.map.group[${t.goName(key)}]${t.goName(elem)}`, [['ctrl', u64], ...arrays]);
  const groupRef = t.struct(`groupReference<${kv}>`, [
    ['data', t.ptr(group)],
    ['lengthMask', u64],
  ]);
  const u16 = t.basic('uint16');
  const table = t.struct(`table<${kv}>`, [
    ['used', u16],
    ['capacity', u16],
    ['growthLeft', u16],
    ['localDepth', u8],
    ['index', t.basic('int')],
    ['groups', groupRef],
  ]);
  const fields: [string, number][] = [
    ['used', u64],
    ['seed', t.basic('uintptr')],
    ['dirPtr', t.ptr(t.ptr(table))],
    ['dirLen', t.basic('int')],
    ['globalDepth', u8],
    ['globalShift', u8],
    ['writing', u8],
  ];
  if (opts.tombstonePossible) fields.push(['tombstonePossible', t.basic('bool')]);
  fields.push(['clearSeq', u64]);
  const m = t.struct(`map<${kv}>`, fields);
  return t.mapTypedef(key, elem, m);
}

export interface SyntheticMap<L> {
  readonly table: DwarfTable;
  readonly type: GoMapType;
  readonly layout: L;
}

function asMap(t: GoType): GoMapType {
  if (t.kind !== 'map') throw new Error(`${t.name} is not a map type`);
  return t;
}

/** A classic map type through GoTypeBuilder and mapLayout, as the gdb path builds it. */
export function classicMap(pointerSize: 4 | 8, key: TypeSpec, elem: TypeSpec, opts: ClassicOptions = {}): SyntheticMap<ClassicLayout> {
  const table = new DwarfTable(pointerSize);
  const type = asMap(table.go(classicMapDwarf(table, specId(table, key), specId(table, elem), opts)));
  const layout = mapLayout(type);
  if (layout.kind !== 'classic') throw new Error('expected a classic layout');
  return { table, type, layout };
}

/** A Swiss map type through GoTypeBuilder and mapLayout, as the gdb path builds it. */
export function swissMap(pointerSize: 4 | 8, key: TypeSpec, elem: TypeSpec, opts: SwissOptions = {}): SyntheticMap<SwissLayout> {
  const table = new DwarfTable(pointerSize);
  const type = asMap(table.go(swissMapDwarf(table, specId(table, key), specId(table, elem), opts)));
  const layout = mapLayout(type);
  if (layout.kind !== 'swiss') throw new Error('expected a Swiss layout');
  return { table, type, layout };
}

// ---------------------------------------------------------------------------------------------
// Writing map structures

function writeField(mem: SyntheticMemory, base: bigint, f: FieldRef | undefined, v: bigint | number | undefined): void {
  if (f === undefined || v === undefined) return;
  mem.uint(base + BigInt(f.offset), f.size, v);
}

export interface HmapInit {
  readonly count?: number;
  readonly flags?: number;
  readonly B?: number;
  readonly noverflow?: number;
  readonly hash0?: number;
  readonly buckets?: Addr;
  readonly oldbuckets?: Addr;
  readonly nevacuate?: Addr;
  readonly clearSeq?: Addr;
  readonly extra?: Addr;
}

/** Places an hmap at `address` and fills its fields. */
export function placeHmap(mem: SyntheticMemory, layout: ClassicLayout, address: Addr, init: HmapInit): bigint {
  const a = mem.alloc(address, layout.hmap.size);
  const h = layout.hmap;
  const big = (v: Addr | undefined) => (v === undefined ? undefined : BigInt(v));
  writeField(mem, a, h.count, init.count);
  writeField(mem, a, h.flags, init.flags);
  writeField(mem, a, h.B, init.B);
  writeField(mem, a, h.noverflow, init.noverflow);
  writeField(mem, a, h.hash0, init.hash0);
  writeField(mem, a, h.buckets, big(init.buckets));
  writeField(mem, a, h.oldbuckets, big(init.oldbuckets));
  writeField(mem, a, h.nevacuate, big(init.nevacuate));
  writeField(mem, a, h.clearSeq, big(init.clearSeq));
  writeField(mem, a, h.extra, big(init.extra));
  return a;
}

/** Places an array of `n` zeroed buckets at `address`. */
export function placeBuckets(mem: SyntheticMemory, layout: ClassicLayout, address: Addr, n: number): bigint {
  return mem.alloc(address, n * layout.bucket.size);
}

/** Address of bucket `i` of an array. */
export function bucketAt(layout: ClassicLayout, array: Addr, i: number): bigint {
  return BigInt(array) + BigInt(i * layout.bucket.size);
}

/** Where cell `slot` of a bucket keeps its key and elem (the slot itself, before any indirection). */
export function classicCell(layout: ClassicLayout, bucket: Addr, slot: number): { key: bigint; elem: bigint } {
  const b = BigInt(bucket);
  const bl = layout.bucket;
  return { key: b + BigInt(bl.keys.offset + slot * bl.keySlot), elem: b + BigInt(bl.values.offset + slot * bl.elemSlot) };
}

export function writeTophash(mem: SyntheticMemory, layout: ClassicLayout, bucket: Addr, tophash: readonly number[]): void {
  mem.write(BigInt(bucket) + BigInt(layout.bucket.tophash.offset), tophash);
}

export function writeOverflow(mem: SyntheticMemory, layout: ClassicLayout, bucket: Addr, next: Addr): void {
  writeField(mem, BigInt(bucket), layout.bucket.overflow, BigInt(next));
}

export interface SwissMapInit {
  readonly used?: number | bigint;
  readonly seed?: Addr;
  readonly dirPtr?: Addr;
  readonly dirLen?: number;
  readonly globalDepth?: number;
  readonly globalShift?: number;
  readonly writing?: number;
  readonly tombstonePossible?: boolean;
  readonly clearSeq?: Addr;
}

/** Places a Swiss Map header at `address`. */
export function placeSwissMap(mem: SyntheticMemory, layout: SwissLayout, address: Addr, init: SwissMapInit): bigint {
  const a = mem.alloc(address, layout.map.size);
  const m = layout.map;
  const big = (v: Addr | undefined) => (v === undefined ? undefined : BigInt(v));
  writeField(mem, a, m.used, init.used);
  writeField(mem, a, m.seed, big(init.seed));
  writeField(mem, a, m.dirPtr, big(init.dirPtr));
  writeField(mem, a, m.dirLen, init.dirLen);
  writeField(mem, a, m.globalDepth, init.globalDepth);
  writeField(mem, a, m.globalShift, init.globalShift);
  writeField(mem, a, m.writing, init.writing);
  writeField(mem, a, m.tombstonePossible, init.tombstonePossible === undefined ? undefined : init.tombstonePossible ? 1 : 0);
  writeField(mem, a, m.clearSeq, big(init.clearSeq));
  return a;
}

/** Places a directory of table pointers at `address`. */
export function placeDirectory(mem: SyntheticMemory, address: Addr, tables: readonly Addr[]): bigint {
  const ps = mem.pointerSize;
  const a = mem.alloc(address, tables.length * ps);
  tables.forEach((t, i) => mem.ptr(a + BigInt(i * ps), t));
  return a;
}

export interface TableInit {
  readonly used: number;
  readonly capacity: number;
  readonly growthLeft: number;
  readonly localDepth: number;
  readonly index: number;
  readonly data: Addr;
  readonly lengthMask: number | bigint;
}

export function placeTable(mem: SyntheticMemory, layout: SwissLayout, address: Addr, init: TableInit): bigint {
  const a = mem.alloc(address, layout.table.size);
  const t = layout.table;
  writeField(mem, a, t.used, init.used);
  writeField(mem, a, t.capacity, init.capacity);
  writeField(mem, a, t.growthLeft, init.growthLeft);
  writeField(mem, a, t.localDepth, init.localDepth);
  writeField(mem, a, t.index, init.index);
  writeField(mem, a, t.groupsData, BigInt(init.data));
  writeField(mem, a, t.groupsLengthMask, init.lengthMask);
  return a;
}

/** Places `n` groups at `address`, every control byte ctrlEmpty (0x80). */
export function placeGroups(mem: SyntheticMemory, layout: SwissLayout, address: Addr, n: number): bigint {
  const a = mem.alloc(address, n * layout.group.size);
  for (let j = 0; j < n; j++) writeCtrl(mem, layout, groupAt(layout, a, j), [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80]);
  return a;
}

export function groupAt(layout: SwissLayout, array: Addr, j: number): bigint {
  return BigInt(array) + BigInt(j * layout.group.size);
}

/**
 * Writes a control word whose byte for slot i (`(word >> 8i) & 0xff`, as the runtime reads it
 * as a native uint64) is ctrl[i].
 */
export function writeCtrl(mem: SyntheticMemory, layout: SwissLayout, group: Addr, ctrl: readonly number[]): void {
  let word = 0n;
  for (let i = 7; i >= 0; i--) word = (word << 8n) | BigInt(ctrl[i]);
  mem.u64(BigInt(group) + BigInt(layout.group.ctrl.offset), word);
}

/** Where slot `s` of a group keeps its key and elem (the slot itself, before any indirection). */
export function swissSlot(layout: SwissLayout, group: Addr, s: number): { key: bigint; elem: bigint } {
  const g = layout.group;
  return { key: BigInt(group) + BigInt(groupKeyOffset(g, s)), elem: BigInt(group) + BigInt(groupElemOffset(g, s)) };
}
