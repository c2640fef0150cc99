/**
 * Is this ELF file a Go program? Go's linker writes a `.go.buildinfo` section (the module and
 * toolchain versions `go version` reads) and a `.note.go.buildid` note; either one says Go.
 * Binaries without section headers are recognised by the Go build-ID note in a PT_NOTE segment.
 * Only headers are read — a few KiB of a binary that may be hundreds of MiB.
 */

/** Reads up to `length` bytes at `offset` (fewer at the end of the file). */
export type ReadAt = (offset: number, length: number) => Promise<Uint8Array>;

export type GoElfVerdict =
  | { readonly go: true; readonly by: '.go.buildinfo' | '.note.go.buildid' | 'Go build ID note' }
  | { readonly go: false; readonly why: string };

const SHT_NOTE = 7;
const PT_NOTE = 4;
/** The Go build ID note: name "Go\0\0", type 4 (cmd/link ELF_NOTE_GOBUILDID_TAG). */
const GO_NOTE_TYPE = 4;
/** Header tables beyond these sizes are not what a linker writes: stop rather than read megabytes. */
const MAX_SECTIONS = 4096;
const MAX_SHSTRTAB = 1 << 20;
const MAX_NOTES = 1 << 16;

interface Elf {
  readonly is64: boolean;
  readonly le: boolean;
  u16(b: Uint8Array, at: number): number;
  u32(b: Uint8Array, at: number): number;
  /** An address-sized field, as a number (offsets of a real file fit). */
  word(b: Uint8Array, at: number): number;
}

function elf(ident: Uint8Array): Elf | string {
  if (ident.length < 16 || ident[0] !== 0x7f || ident[1] !== 0x45 || ident[2] !== 0x4c || ident[3] !== 0x46) return 'not an ELF file';
  const cls = ident[4];
  const data = ident[5];
  if (cls !== 1 && cls !== 2) return `unknown ELF class ${cls}`;
  if (data !== 1 && data !== 2) return `unknown ELF byte order ${data}`;
  const le = data === 1;
  const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u16 = (b: Uint8Array, at: number) => view(b).getUint16(at, le);
  const u32 = (b: Uint8Array, at: number) => view(b).getUint32(at, le);
  const word = (b: Uint8Array, at: number) => (cls === 2 ? Number(view(b).getBigUint64(at, le)) : u32(b, at));
  return { is64: cls === 2, le, u16, u32, word };
}

function cstring(b: Uint8Array, at: number): string {
  let end = at;
  while (end < b.length && b[end] !== 0) end++;
  return String.fromCharCode(...b.subarray(at, Math.min(end, at + 64)));
}

async function readExactly(read: ReadAt, offset: number, length: number): Promise<Uint8Array | undefined> {
  const b = await read(offset, length);
  return b.length === length ? b : undefined;
}

/** Section names, by the section header table and its string table. */
async function sectionNames(read: ReadAt, e: Elf, hdr: Uint8Array): Promise<{ names: string[]; noteSections: [number, number][] } | undefined> {
  const shoff = e.word(hdr, e.is64 ? 0x28 : 0x20);
  const shentsize = e.u16(hdr, e.is64 ? 0x3a : 0x2e);
  const shnum = e.u16(hdr, e.is64 ? 0x3c : 0x30);
  const shstrndx = e.u16(hdr, e.is64 ? 0x3e : 0x32);
  if (shoff === 0 || shnum === 0 || shnum > MAX_SECTIONS || shstrndx >= shnum || shentsize < (e.is64 ? 64 : 40)) return undefined;
  const table = await readExactly(read, shoff, shnum * shentsize);
  if (!table) return undefined;
  const field = (i: number, off64: number, off32: number, wide: boolean) =>
    wide ? e.word(table, i * shentsize + (e.is64 ? off64 : off32)) : e.u32(table, i * shentsize + (e.is64 ? off64 : off32));
  const strOff = field(shstrndx, 0x18, 0x10, true);
  const strSize = Math.min(field(shstrndx, 0x20, 0x14, true), MAX_SHSTRTAB);
  const strtab = await read(strOff, strSize);
  const names: string[] = [];
  const noteSections: [number, number][] = [];
  for (let i = 0; i < shnum; i++) {
    const nameOff = e.u32(table, i * shentsize);
    names.push(nameOff < strtab.length ? cstring(strtab, nameOff) : '');
    if (field(i, 0x04, 0x04, false) === SHT_NOTE) noteSections.push([field(i, 0x18, 0x10, true), field(i, 0x20, 0x14, true)]);
  }
  return { names, noteSections };
}

/** True when a note area holds the Go build ID note. */
function hasGoNote(e: Elf, notes: Uint8Array): boolean {
  let at = 0;
  while (at + 12 <= notes.length) {
    const namesz = e.u32(notes, at);
    const descsz = e.u32(notes, at + 4);
    const type = e.u32(notes, at + 8);
    const name = notes.subarray(at + 12, at + 12 + namesz);
    if (type === GO_NOTE_TYPE && namesz === 4 && name[0] === 0x47 && name[1] === 0x6f && name[2] === 0 && name[3] === 0) return true;
    const next = at + 12 + ((namesz + 3) & ~3) + ((descsz + 3) & ~3);
    if (next <= at) return false;
    at = next;
  }
  return false;
}

async function programNotes(read: ReadAt, e: Elf, hdr: Uint8Array): Promise<[number, number][]> {
  const phoff = e.word(hdr, e.is64 ? 0x20 : 0x1c);
  const phentsize = e.u16(hdr, e.is64 ? 0x36 : 0x2a);
  const phnum = e.u16(hdr, e.is64 ? 0x38 : 0x2c);
  if (phoff === 0 || phnum === 0 || phnum > MAX_SECTIONS || phentsize < (e.is64 ? 56 : 32)) return [];
  const table = await readExactly(read, phoff, phnum * phentsize);
  if (!table) return [];
  const out: [number, number][] = [];
  for (let i = 0; i < phnum; i++) {
    const at = i * phentsize;
    if (e.u32(table, at) !== PT_NOTE) continue;
    out.push(e.is64 ? [e.word(table, at + 0x08), e.word(table, at + 0x20)] : [e.u32(table, at + 0x04), e.u32(table, at + 0x10)]);
  }
  return out;
}

export async function goElfVerdict(read: ReadAt): Promise<GoElfVerdict> {
  const hdr = await read(0, 64);
  const e = elf(hdr);
  if (typeof e === 'string') return { go: false, why: e };
  if (hdr.length < (e.is64 ? 64 : 52)) return { go: false, why: 'truncated ELF header' };
  const sections = await sectionNames(read, e, hdr);
  if (sections) {
    if (sections.names.includes('.go.buildinfo')) return { go: true, by: '.go.buildinfo' };
    if (sections.names.includes('.note.go.buildid')) return { go: true, by: '.note.go.buildid' };
  }
  // No telling section names (or none at all): look for the note itself.
  const areas = [...(sections?.noteSections ?? []), ...(await programNotes(read, e, hdr))];
  for (const [off, size] of areas) {
    if (size <= 0 || size > MAX_NOTES) continue;
    if (hasGoNote(e, await read(off, size))) return { go: true, by: 'Go build ID note' };
  }
  return { go: false, why: 'an ELF file without Go build information' };
}
