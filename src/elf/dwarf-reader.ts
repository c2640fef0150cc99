/**
 * The DWARF format as mapscope reads it from a binary's file: the debug sections (uncompressed),
 * compilation units, abbreviations and attribute forms. What is read of the entries is each
 * reader's own (dwarf-globals.ts, dwarf-types.ts).
 *
 * Binaries can come from anywhere: every read is bounds-checked, sizes are capped, and anything
 * unexpected throws DwarfFormatError, on which the caller asks gdb instead.
 */
import { promisify } from 'node:util';
import { inflate } from 'node:zlib';
import { ElfFile, SHF_COMPRESSED, SHT_NOBITS, type SectionHeader } from './elf.js';

/** DWARF this reader does not follow: damaged, or of a shape it does not know. */
export class DwarfFormatError extends Error {
  override readonly name = 'DwarfFormatError';
}

/** How long a pass over the DWARF holds the event loop before letting gdb's answers in: it runs beside gdb's start-up. */
export const SLICE_MS = 8;

/** No real binary's debug section comes near this; a header claiming more is damage. */
export const MAX_SECTION_BYTES = 1 << 30;

export interface Abbrev {
  readonly tag: number;
  readonly children: boolean;
  /** Attribute names and forms, in order; implicit constants need no bytes. */
  readonly attrs: readonly number[];
  readonly forms: readonly number[];
}

export interface Unit {
  readonly offset: number;
  readonly end: number;
  readonly version: number;
  readonly addrSize: number;
  readonly offsetSize: number;
  readonly dies: number;
  readonly abbrevs: ReadonlyMap<number, Abbrev>;
}

/** The debug sections the reader looks at, uncompressed. */
export interface DwarfSections {
  readonly info: Uint8Array;
  readonly abbrev: Uint8Array;
  readonly addr?: Uint8Array;
  readonly str?: Uint8Array;
  readonly lineStr?: Uint8Array;
}

/** The debug sections of the binary at `path`, uncompressed; DwarfFormatError if it has no DWARF. */
export async function dwarfSections(path: string): Promise<{ sections: DwarfSections; littleEndian: boolean }> {
  const elf = await ElfFile.open(path);
  let sections: DwarfSections;
  try {
    const headers = await elf.sections();
    const get = (name: string) => section(elf, headers, name);
    const [info, abbrev, addr, str, lineStr] = await Promise.all([get('info'), get('abbrev'), get('addr'), get('str'), get('line_str')]);
    if (!info || !abbrev) throw new DwarfFormatError(`${path} has no DWARF`);
    sections = { info, abbrev, addr, str, lineStr };
  } finally {
    await elf.close();
  }
  return { sections, littleEndian: elf.header.littleEndian };
}

/** The bytes of `.debug_NAME`, or of `.zdebug_NAME`, uncompressed. */
async function section(elf: ElfFile, headers: readonly SectionHeader[], name: string): Promise<Uint8Array | undefined> {
  const h = headers.find((s) => s.name === `.debug_${name}`) ?? headers.find((s) => s.name === `.zdebug_${name}`);
  if (!h || h.type === SHT_NOBITS) return undefined;
  if (h.size > BigInt(MAX_SECTION_BYTES)) throw new DwarfFormatError(`${h.name} is too large`);
  const raw = await elf.read(h.offset, Number(h.size));
  if (raw.length !== Number(h.size)) throw new DwarfFormatError(`${h.name} lies beyond the end of the file`);
  const le = elf.header.littleEndian;
  if ((h.flags & BigInt(SHF_COMPRESSED)) !== 0n) {
    // Elf_Chdr: ch_type, then the uncompressed size (32-bit: type, size, align; 64-bit: type, reserved, size, align).
    const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const headerSize = elf.header.class64 ? 24 : 12;
    if (raw.length < headerSize) throw new DwarfFormatError(`${h.name} is cut short`);
    const type = v.getUint32(0, le);
    const size = elf.header.class64 ? v.getBigUint64(8, le) : BigInt(v.getUint32(4, le));
    if (type !== 1) throw new DwarfFormatError(`${h.name} is compressed with a method other than zlib (${type})`);
    return unzip(raw.subarray(headerSize), size, h.name);
  }
  if (h.name.startsWith('.zdebug_')) {
    // "ZLIB" and the uncompressed size as a big-endian 64-bit number.
    if (raw.length < 12 || Buffer.from(raw.subarray(0, 4)).toString('latin1') !== 'ZLIB') throw new DwarfFormatError(`${h.name} has no ZLIB header`);
    return unzip(raw.subarray(12), new DataView(raw.buffer, raw.byteOffset + 4, 8).getBigUint64(0, false), h.name);
  }
  return raw;
}

const inflateAsync = promisify(inflate);

async function unzip(data: Uint8Array, size: bigint, name: string): Promise<Uint8Array> {
  if (size > BigInt(MAX_SECTION_BYTES)) throw new DwarfFormatError(`${name} claims ${size} bytes uncompressed`);
  let out: Buffer;
  try {
    out = await inflateAsync(data, { maxOutputLength: Math.max(1, Number(size)) });
  } catch (e) {
    throw new DwarfFormatError(`cannot uncompress ${name}: ${(e as Error).message}`);
  }
  if (out.length !== Number(size)) throw new DwarfFormatError(`${name} uncompresses to ${out.length} bytes, not ${size}`);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** Reads little- or big-endian values from one section, refusing to step outside it. */
export class Reader {
  private readonly view: DataView;
  pos = 0;

  constructor(
    readonly bytes: Uint8Array,
    private readonly le: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  need(n: number): void {
    if (n < 0 || this.pos + n > this.bytes.length) throw new DwarfFormatError('read past the end of a DWARF section');
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++];
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, this.le);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, this.le);
    this.pos += 4;
    return v;
  }

  u64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, this.le);
    this.pos += 8;
    return v;
  }

  /** An 8-byte value as a number without making a BigInt (one per type entry adds up); NaN past 2^53. */
  u64Number(): number {
    this.need(8);
    const a = this.view.getUint32(this.pos, this.le);
    const b = this.view.getUint32(this.pos + 4, this.le);
    this.pos += 8;
    const hi = this.le ? b : a;
    const lo = this.le ? a : b;
    return hi < 0x200000 ? hi * 2 ** 32 + lo : NaN;
  }

  /** An unsigned value of `size` bytes (1, 2, 3, 4 or 8). */
  uint(size: number): bigint {
    if (size === 8) return this.u64();
    if (size === 4) return BigInt(this.u32());
    if (size === 2) return BigInt(this.u16());
    if (size === 1) return BigInt(this.u8());
    if (size === 3) {
      const [a, b, c] = [this.u8(), this.u8(), this.u8()];
      return BigInt(this.le ? a | (b << 8) | (c << 16) : (a << 16) | (b << 8) | c);
    }
    throw new DwarfFormatError(`no ${size}-byte values in DWARF`);
  }

  /** An offset or index that must fit a JavaScript number. */
  small(size: number): number {
    const v = this.uint(size);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new DwarfFormatError('absurd DWARF offset');
    return Number(v);
  }

  uleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) break;
      scale *= 128;
      if (scale > 2 ** 56) throw new DwarfFormatError('absurd LEB128 value');
    }
    return result;
  }

  /** Skips a LEB128 value of any length. */
  skipLeb(): void {
    while ((this.u8() & 0x80) !== 0);
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  bytesOf(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  cstring(): string {
    const end = this.bytes.indexOf(0, this.pos);
    if (end < 0) throw new DwarfFormatError('unterminated DWARF string');
    const s = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.pos, end - this.pos).toString('utf8');
    this.pos = end + 1;
    return s;
  }
}

function parseAbbrevs(section: Uint8Array, offset: number, le: boolean): Map<number, Abbrev> {
  const r = new Reader(section, le);
  r.pos = offset;
  r.need(0);
  const out = new Map<number, Abbrev>();
  for (;;) {
    const code = r.uleb();
    if (code === 0) break;
    const tag = r.uleb();
    const children = r.u8() !== 0;
    const attrs: number[] = [];
    const forms: number[] = [];
    for (;;) {
      const at = r.uleb();
      const form = r.uleb();
      if (at === 0 && form === 0) break;
      if (form === 0x21) r.skipLeb(); // DW_FORM_implicit_const: the value lives here, not in the DIE
      attrs.push(at);
      forms.push(form);
    }
    out.set(code, { tag, children, attrs, forms });
  }
  return out;
}

export function unitsOf(s: DwarfSections, le: boolean): Unit[] {
  const r = new Reader(s.info, le);
  const abbrevCache = new Map<number, Map<number, Abbrev>>();
  const units: Unit[] = [];
  while (r.pos < s.info.length) {
    const offset = r.pos;
    let length = r.u32();
    let offsetSize = 4;
    if (length === 0xffffffff) {
      const l = r.u64();
      if (l > BigInt(MAX_SECTION_BYTES)) throw new DwarfFormatError('absurd unit length');
      length = Number(l);
      offsetSize = 8;
    } else if (length >= 0xfffffff0) throw new DwarfFormatError('reserved unit length');
    const end = r.pos + length;
    if (end > s.info.length) throw new DwarfFormatError('a unit runs past the end of .debug_info');
    const version = r.u16();
    let unitType = 1;
    let addrSize: number;
    let abbrevOffset: number;
    if (version >= 5) {
      if (version > 5) throw new DwarfFormatError(`DWARF version ${version}`);
      unitType = r.u8();
      addrSize = r.u8();
      abbrevOffset = r.small(offsetSize);
      // Skeleton and split units carry an ID, type units a signature and an offset.
      if (unitType === 4 || unitType === 5) r.skip(8);
      else if (unitType === 2 || unitType === 6) r.skip(8 + offsetSize);
    } else if (version >= 2) {
      abbrevOffset = r.small(offsetSize);
      addrSize = r.u8();
    } else throw new DwarfFormatError(`DWARF version ${version}`);
    if (addrSize !== 4 && addrSize !== 8) throw new DwarfFormatError(`${addrSize}-byte addresses`);
    if (abbrevOffset >= s.abbrev.length) throw new DwarfFormatError('abbreviations past the end of .debug_abbrev');
    let abbrevs = abbrevCache.get(abbrevOffset);
    if (!abbrevs) {
      abbrevs = parseAbbrevs(s.abbrev, abbrevOffset, le);
      abbrevCache.set(abbrevOffset, abbrevs);
    }
    // Only full and partial compilation units hold program variables.
    if (unitType === 1 || unitType === 3) units.push({ offset, end, version, addrSize, offsetSize, dies: r.pos, abbrevs });
    r.pos = end;
  }
  return units;
}

/** Steps over one attribute value. */
export function skipForm(r: Reader, form: number, u: Unit): void {
  switch (form) {
    case 0x01: // addr
      return r.skip(u.addrSize);
    case 0x0b: // data1
    case 0x0c: // flag
    case 0x11: // ref1
    case 0x25: // strx1
    case 0x29: // addrx1
      return r.skip(1);
    case 0x05: // data2
    case 0x12: // ref2
    case 0x26: // strx2
    case 0x2a: // addrx2
      return r.skip(2);
    case 0x27: // strx3
    case 0x2b: // addrx3
      return r.skip(3);
    case 0x06: // data4
    case 0x13: // ref4
    case 0x1c: // ref_sup4
    case 0x28: // strx4
    case 0x2c: // addrx4
      return r.skip(4);
    case 0x07: // data8
    case 0x14: // ref8
    case 0x20: // ref_sig8
    case 0x24: // ref_sup8
      return r.skip(8);
    case 0x1e: // data16
      return r.skip(16);
    case 0x0e: // strp
    case 0x17: // sec_offset
    case 0x1d: // strp_sup
    case 0x1f: // line_strp
    case 0x1f20: // GNU_ref_alt
    case 0x1f21: // GNU_strp_alt
      return r.skip(u.offsetSize);
    case 0x10: // ref_addr: address-sized in DWARF 2
      return r.skip(u.version <= 2 ? u.addrSize : u.offsetSize);
    case 0x08: // string
      r.pos = r.bytes.indexOf(0, r.pos) + 1;
      if (r.pos === 0) throw new DwarfFormatError('unterminated DWARF string');
      return;
    case 0x0a: // block1
      return r.skip(r.u8());
    case 0x03: // block2
      return r.skip(r.u16());
    case 0x04: // block4
      return r.skip(r.u32());
    case 0x09: // block
    case 0x18: // exprloc
      return r.skip(r.uleb());
    case 0x0d: // sdata
    case 0x0f: // udata
    case 0x15: // ref_udata
    case 0x1a: // strx
    case 0x1b: // addrx
    case 0x22: // loclistx
    case 0x23: // rnglistx
    case 0x1f01: // GNU_addr_index
    case 0x1f02: // GNU_str_index
      return r.skipLeb();
    case 0x16: // indirect
      return skipForm(r, r.uleb(), u);
    case 0x19: // flag_present
    case 0x21: // implicit_const
      return;
    default:
      throw new DwarfFormatError(`unknown DWARF form 0x${form.toString(16)}`);
  }
}

export function readName(r: Reader, form: number, u: Unit, s: DwarfSections): string {
  if (form === 0x08) return r.cstring();
  if (form === 0x0e || form === 0x1f) {
    const table = form === 0x0e ? s.str : s.lineStr;
    const at = r.small(u.offsetSize);
    if (!table || at >= table.length) throw new DwarfFormatError('a name points outside the string table');
    const t = new Reader(table, true);
    t.pos = at;
    return t.cstring();
  }
  throw new DwarfFormatError(`names in DWARF form 0x${form.toString(16)}`);
}

/** The .debug_info offset a type reference points to; undefined for references outside this file. */
export function readRef(r: Reader, form: number, u: Unit): number | undefined {
  switch (form) {
    case 0x10:
      return r.small(u.version <= 2 ? u.addrSize : u.offsetSize);
    case 0x11:
      return u.offset + r.small(1);
    case 0x12:
      return u.offset + r.small(2);
    case 0x13:
      return u.offset + r.small(4);
    case 0x14:
      return u.offset + r.small(8);
    case 0x15:
      return u.offset + r.uleb();
    default:
      skipForm(r, form, u);
      return undefined;
  }
}

export function readBlock(r: Reader, form: number, u: Unit): Uint8Array | undefined {
  switch (form) {
    case 0x0a:
      return r.bytesOf(r.u8());
    case 0x03:
      return r.bytesOf(r.u16());
    case 0x04:
      return r.bytesOf(r.u32());
    case 0x09:
    case 0x18:
      return r.bytesOf(r.uleb());
    default:
      // A location list (sec_offset, loclistx): not a fixed address.
      skipForm(r, form, u);
      return undefined;
  }
}

/**
 * An unsigned constant or address (DW_FORM_addr, data1-8, udata) as a number, NaN past 2^53;
 * undefined for any other form, which is skipped.
 */
export function readUnsigned(r: Reader, form: number, u: Unit): number | undefined {
  switch (form) {
    case 0x01: // addr
      return u.addrSize === 8 ? r.u64Number() : r.u32();
    case 0x0b: // data1
      return r.u8();
    case 0x05: // data2
      return r.u16();
    case 0x06: // data4
      return r.u32();
    case 0x07: // data8
      return r.u64Number();
    case 0x0f: // udata
      return r.uleb();
    default:
      skipForm(r, form, u);
      return undefined;
  }
}
