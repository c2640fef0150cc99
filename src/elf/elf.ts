/**
 * Just enough ELF to check a core against its binary before gdb sees either: the header,
 * program headers, section headers and notes, for either class and byte order. Reads only the
 * few ranges it needs, so a core of many gigabytes costs a handful of small reads.
 */
import { type FileHandle, open } from 'node:fs/promises';

export const ET_EXEC = 2;
export const ET_DYN = 3;
export const ET_CORE = 4;
export const PT_LOAD = 1;
export const PT_NOTE = 4;
export const PT_PHDR = 6;
export const PT_GNU_RELRO = 0x6474e552;
/** p_flags: the segment is writable. */
export const PF_W = 2;
export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;
/** The section's bytes are an Elf_Chdr and a compressed stream. */
export const SHF_COMPRESSED = 0x800;

export interface ElfHeader {
  readonly class64: boolean;
  readonly littleEndian: boolean;
  readonly type: number;
  readonly machine: number;
  readonly entry: bigint;
}

export interface ProgramHeader {
  readonly type: number;
  readonly offset: bigint;
  readonly vaddr: bigint;
  readonly filesz: bigint;
  readonly memsz: bigint;
  /** p_flags: PF_X 1, PF_W 2, PF_R 4. */
  readonly flags: number;
}

export interface SectionHeader {
  readonly name: string;
  readonly type: number;
  readonly flags: bigint;
  readonly addr: bigint;
  readonly offset: bigint;
  readonly size: bigint;
}

export interface ElfNote {
  readonly name: string;
  readonly type: number;
  readonly desc: Uint8Array;
}

/** Not an ELF file, or one whose headers point outside it. */
export class ElfFormatError extends Error {
  override readonly name = 'ElfFormatError';
}

/** Bounds that no real file reaches; a header claiming more is damage, not a reason to allocate. */
const MAX_HEADERS = 1 << 16;
const MAX_NOTES_BYTES = 1 << 20;

export class ElfFile {
  private constructor(
    private readonly fh: FileHandle,
    readonly size: bigint,
    readonly header: ElfHeader,
    private readonly raw: { phoff: bigint; phentsize: number; phnum: number; shoff: bigint; shentsize: number; shnum: number; shstrndx: number },
  ) {}

  static async open(path: string): Promise<ElfFile> {
    const fh = await open(path, 'r');
    try {
      const size = BigInt((await fh.stat()).size);
      const id = await readAt(fh, 0n, 64);
      if (id.length < 52 || id[0] !== 0x7f || id[1] !== 0x45 || id[2] !== 0x4c || id[3] !== 0x46) throw new ElfFormatError('not an ELF file');
      const class64 = id[4] === 2;
      const littleEndian = id[5] !== 2;
      const v = new DataView(id.buffer, id.byteOffset, id.byteLength);
      const u16 = (o: number) => v.getUint16(o, littleEndian);
      const word = (o: number) => (class64 ? v.getBigUint64(o, littleEndian) : BigInt(v.getUint32(o, littleEndian)));
      const header: ElfHeader = { class64, littleEndian, type: u16(16), machine: u16(18), entry: word(24) };
      const raw = class64
        ? { phoff: word(32), shoff: word(40), phentsize: u16(54), phnum: u16(56), shentsize: u16(58), shnum: u16(60), shstrndx: u16(62) }
        : { phoff: word(28), shoff: word(32), phentsize: u16(42), phnum: u16(44), shentsize: u16(46), shnum: u16(48), shstrndx: u16(50) };
      return new ElfFile(fh, size, header, raw);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  close(): Promise<void> {
    return this.fh.close();
  }

  async programHeaders(): Promise<ProgramHeader[]> {
    const { phoff, phentsize, phnum } = this.raw;
    if (phnum === 0) return [];
    if (phnum > MAX_HEADERS || phentsize < (this.header.class64 ? 56 : 32)) throw new ElfFormatError('absurd program header table');
    const bytes = await this.readExact(phoff, phentsize * phnum, 'program headers');
    const out: ProgramHeader[] = [];
    for (let i = 0; i < phnum; i++) {
      const v = view(bytes, i * phentsize, phentsize);
      const le = this.header.littleEndian;
      out.push(
        this.header.class64
          ? { type: v.getUint32(0, le), flags: v.getUint32(4, le), offset: v.getBigUint64(8, le), vaddr: v.getBigUint64(16, le), filesz: v.getBigUint64(32, le), memsz: v.getBigUint64(40, le) }
          : { type: v.getUint32(0, le), offset: u32n(v, 4, le), vaddr: u32n(v, 8, le), filesz: u32n(v, 16, le), memsz: u32n(v, 20, le), flags: v.getUint32(24, le) },
      );
    }
    return out;
  }

  async sections(): Promise<SectionHeader[]> {
    const { shoff, shentsize, shnum, shstrndx } = this.raw;
    if (shnum === 0) return [];
    if (shnum > MAX_HEADERS || shentsize < (this.header.class64 ? 64 : 40) || shstrndx >= shnum) throw new ElfFormatError('absurd section header table');
    const bytes = await this.readExact(shoff, shentsize * shnum, 'section headers');
    const le = this.header.littleEndian;
    const rows = Array.from({ length: shnum }, (_, i) => {
      const v = view(bytes, i * shentsize, shentsize);
      return this.header.class64
        ? { nameOff: v.getUint32(0, le), type: v.getUint32(4, le), flags: v.getBigUint64(8, le), addr: v.getBigUint64(16, le), offset: v.getBigUint64(24, le), size: v.getBigUint64(32, le) }
        : { nameOff: v.getUint32(0, le), type: v.getUint32(4, le), flags: u32n(v, 8, le), addr: u32n(v, 12, le), offset: u32n(v, 16, le), size: u32n(v, 20, le) };
    });
    const strtab = rows[shstrndx];
    const names = await this.readExact(strtab.offset, Math.min(Number(strtab.size), MAX_NOTES_BYTES), 'section names');
    return rows.map((r) => ({ name: cstring(names, r.nameOff), type: r.type, flags: r.flags, addr: r.addr, offset: r.offset, size: r.size }));
  }

  /** Notes in `size` bytes at file offset `offset` (a PT_NOTE segment or SHT_NOTE section). */
  async notesAt(offset: bigint, size: bigint): Promise<ElfNote[]> {
    if (size > BigInt(MAX_NOTES_BYTES)) throw new ElfFormatError('absurd note size');
    return parseNotes(await this.readExact(offset, Number(size), 'notes'), this.header.littleEndian);
  }

  /** Up to `length` bytes at `offset`; fewer at the end of the file. */
  read(offset: bigint, length: number): Promise<Uint8Array> {
    return readAt(this.fh, offset, length);
  }

  private async readExact(offset: bigint, length: number, what: string): Promise<Uint8Array> {
    const bytes = await readAt(this.fh, offset, length);
    if (bytes.length !== length) throw new ElfFormatError(`the ${what} lie beyond the end of the file`);
    return bytes;
  }
}

/** Notes are 4-byte aligned in both classes, as Linux and Go's linker write them. */
export function parseNotes(bytes: Uint8Array, littleEndian: boolean): ElfNote[] {
  const v = view(bytes, 0, bytes.length);
  const out: ElfNote[] = [];
  let o = 0;
  while (o + 12 <= bytes.length) {
    const namesz = v.getUint32(o, littleEndian);
    const descsz = v.getUint32(o + 4, littleEndian);
    const type = v.getUint32(o + 8, littleEndian);
    const nameStart = o + 12;
    const descStart = nameStart + align4(namesz);
    const end = descStart + align4(descsz);
    if (descStart + descsz > bytes.length || namesz > bytes.length) break;
    out.push({ name: cstring(bytes.subarray(nameStart, nameStart + namesz), 0), type, desc: bytes.subarray(descStart, descStart + descsz) });
    o = end;
  }
  return out;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function view(bytes: Uint8Array, offset: number, length: number): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset + offset, length);
}

function u32n(v: DataView, o: number, le: boolean): bigint {
  return BigInt(v.getUint32(o, le));
}

function cstring(bytes: Uint8Array, offset: number): string {
  let end = offset;
  while (end < bytes.length && bytes[end] !== 0) end++;
  return Buffer.from(bytes.subarray(offset, end)).toString('latin1');
}

async function readAt(fh: FileHandle, offset: bigint, length: number): Promise<Uint8Array> {
  if (offset > BigInt(Number.MAX_SAFE_INTEGER)) return new Uint8Array(0);
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, Number(offset));
  return new Uint8Array(buf.buffer, buf.byteOffset, bytesRead);
}
