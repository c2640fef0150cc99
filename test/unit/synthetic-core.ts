/**
 * Small ELF core files written from a description, in either class and byte order: program
 * headers as given (in the order given), each PT_LOAD's file bytes random and laid out one after
 * another, so a test knows the byte at every file offset. Headers may lie: an offset or size is
 * written as given, for the hostile cases.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { PT_LOAD } from '../../src/elf/elf.js';

export interface SegmentSpec {
  readonly vaddr: bigint;
  readonly filesz: bigint;
  /** Defaults to filesz. */
  readonly memsz?: bigint;
  /** Defaults to PT_LOAD. */
  readonly type?: number;
  /** Where its bytes are said to be; by default where the writer put them. */
  readonly offset?: bigint;
}

export interface CoreSpec {
  readonly class64: boolean;
  readonly littleEndian: boolean;
  readonly segments: readonly SegmentSpec[];
  /** ELF e_type; ET_CORE (4) by default. */
  readonly type?: number;
  /** Overrides e_phnum (to claim more headers than there are). */
  readonly phnum?: number;
}

export interface WrittenCore {
  /** The whole file. */
  readonly file: Buffer;
  /** Each segment's offset as written in its header. */
  readonly offsets: readonly bigint[];
}

const ET_CORE = 4;

export function writeCore(path: string, spec: CoreSpec): WrittenCore {
  const { class64, littleEndian: le } = spec;
  const ehsize = class64 ? 64 : 52;
  const phentsize = class64 ? 56 : 32;
  let at = ehsize + phentsize * spec.segments.length;
  const data: Buffer[] = [];
  const offsets = spec.segments.map((s) => {
    // Only real file bytes are laid out: a lying header keeps its lie and adds nothing.
    const size = s.offset === undefined ? Number(s.filesz) : 0;
    const here = BigInt(at);
    data.push(randomBytes(size));
    at += size;
    return s.offset ?? here;
  });
  const head = Buffer.alloc(ehsize);
  head.set([0x7f, 0x45, 0x4c, 0x46, class64 ? 2 : 1, le ? 1 : 2, 1], 0);
  const u16 = (v: number, o: number) => (le ? head.writeUInt16LE(v, o) : head.writeUInt16BE(v, o));
  const u32 = (v: number, o: number) => (le ? head.writeUInt32LE(v, o) : head.writeUInt32BE(v, o));
  u16(spec.type ?? ET_CORE, 16);
  u16(class64 ? 62 : 3, 18);
  u32(1, 20);
  if (class64) {
    (le ? head.writeBigUInt64LE(BigInt(ehsize), 32) : head.writeBigUInt64BE(BigInt(ehsize), 32));
    u16(ehsize, 52);
    u16(phentsize, 54);
    u16(spec.phnum ?? spec.segments.length, 56);
  } else {
    u32(ehsize, 28);
    u16(ehsize, 40);
    u16(phentsize, 42);
    u16(spec.phnum ?? spec.segments.length, 44);
  }
  const phdrs = spec.segments.map((s, i) => programHeader(s, offsets[i], class64, le));
  const file = Buffer.concat([head, ...phdrs, ...data]);
  writeFileSync(path, file);
  return { file, offsets };
}

function programHeader(s: SegmentSpec, offset: bigint, class64: boolean, le: boolean): Buffer {
  const b = Buffer.alloc(class64 ? 56 : 32);
  const u32 = (v: number | bigint, o: number) => (le ? b.writeUInt32LE(Number(v), o) : b.writeUInt32BE(Number(v), o));
  const u64 = (v: bigint, o: number) => (le ? b.writeBigUInt64LE(v, o) : b.writeBigUInt64BE(v, o));
  const memsz = s.memsz ?? s.filesz;
  if (class64) {
    u32(s.type ?? PT_LOAD, 0);
    u32(6, 4);
    u64(offset, 8);
    u64(s.vaddr, 16);
    u64(s.filesz, 32);
    u64(memsz, 40);
    u64(0x1000n, 48);
  } else {
    u32(s.type ?? PT_LOAD, 0);
    u32(offset, 4);
    u32(s.vaddr, 8);
    u32(s.filesz, 16);
    u32(memsz, 20);
    u32(6, 24);
    u32(0x1000, 28);
  }
  return b;
}

/**
 * The reference model: the bytes of [address, address+length) when a file-backed PT_LOAD part
 * holds every one of them, found byte by byte with no search structure; else undefined.
 */
export function referenceRead(spec: CoreSpec, written: WrittenCore, address: bigint, length: number): Uint8Array | undefined {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const a = address + BigInt(i);
    const holders = spec.segments
      .map((s, j) => ({ s, offset: written.offsets[j] }))
      .filter(({ s }) => (s.type ?? PT_LOAD) === PT_LOAD && s.vaddr <= a && a < s.vaddr + s.filesz);
    if (holders.length !== 1) return undefined;
    const { s, offset } = holders[0];
    const at = offset + (a - s.vaddr);
    if (at >= BigInt(written.file.length)) return undefined;
    out[i] = written.file[Number(at)];
  }
  return out;
}
