/**
 * Checks a core dump and the binary given with it before gdb opens either. gdb opens a
 * truncated core or a core from another build with only a warning, and then reads wrong or
 * missing memory; mapscope refuses both with one clear line.
 *
 * The binary's identity is its build IDs (Go's `.note.go.buildid`, and the GNU one when the
 * linker wrote it). Linux and gdb's gcore dump the first page of every mapped ELF file, where
 * both notes live, so the core carries the IDs of the binary that ran; comparing those bytes
 * catches a rebuild that keeps every address, which an entry-point check cannot.
 */
import { ElfFile, ElfFormatError, ET_CORE, ET_DYN, type ElfNote, PT_NOTE, PT_PHDR, type ProgramHeader, parseNotes, type SectionHeader, SHT_NOTE } from '../elf/elf.js';
import { CoreSegments } from '../target/core-memory.js';
import { TargetOpenError } from './errors.js';

const NT_AUXV = 6;
const NT_FILE = 0x46494c45;
const AT_PHDR = 3n;
const AT_ENTRY = 9n;
const BUILD_ID_NOTES: ReadonlyMap<string, number> = new Map([
  ['Go', 4],
  ['GNU', 3],
]);

export async function checkCoreAgainstExe(corePath: string, exePath: string): Promise<void> {
  const core = await openElf(corePath, 'not-a-core', `${corePath} is not a core dump (not an ELF file)`);
  try {
    const exe = await openElf(exePath, 'not-go', `${exePath} is not an ELF binary`);
    try {
      await check(core, corePath, exe, exePath);
    } finally {
      await exe.close();
    }
  } catch (e) {
    if (e instanceof ElfFormatError) throw new TargetOpenError('not-a-core', `cannot read core ${corePath}: ${e.message}`);
    throw e;
  } finally {
    await core.close();
  }
}

async function check(core: ElfFile, corePath: string, exe: ElfFile, exePath: string): Promise<void> {
  if (core.header.type !== ET_CORE) throw new TargetOpenError('not-a-core', `${corePath} is an ELF file but not a core dump`);
  const segments = await core.programHeaders();
  checkComplete(core, corePath, segments);
  if (core.header.machine !== exe.header.machine || core.header.class64 !== exe.header.class64) {
    throw new TargetOpenError('core-mismatch', `core ${corePath} is for another architecture than ${exePath} (ELF machine ${core.header.machine} vs ${exe.header.machine})`);
  }
  const notes = await coreNotes(core, segments);
  const aux = auxv(notes, core.header);
  const entry = aux.get(AT_ENTRY);
  const program = ntFileProgram(notes, core.header, entry);
  const ranFrom = program ? ` (its program was ${program})` : '';
  // Where the binary ran: a position-independent one at the distance between where the kernel
  // put its program headers (AT_PHDR) and where the binary says they are (PT_PHDR).
  const bias = exe.header.type === ET_DYN ? loadBias(aux, await exe.programHeaders()) : 0n;
  if (entry !== undefined && bias !== undefined && entry !== exe.header.entry + bias) {
    throw new TargetOpenError(
      'core-mismatch',
      `core ${corePath} was not produced by ${exePath}${ranFrom}: entry point 0x${entry.toString(16)}, the binary's 0x${(exe.header.entry + bias).toString(16)}`,
    );
  }
  const memory = CoreSegments.from(segments, core.size, core.header.class64 ? 64 : 32);
  for (const section of (await exe.sections()).filter(isBuildIdSection)) {
    const want = (await exe.notesAt(section.offset, section.size)).filter(isBuildId);
    const bytes = await readCoreMemory(core, memory, section.addr + (bias ?? 0n), Number(section.size));
    if (!bytes || want.length === 0) continue; // that page was not dumped: nothing to compare
    const got = parseNotes(bytes, core.header.littleEndian);
    for (const note of want) {
      const found = got.find((n) => n.name === note.name && n.type === note.type);
      if (!found || !sameBytes(found.desc, note.desc)) {
        throw new TargetOpenError(
          'core-mismatch',
          `core ${corePath} was not produced by ${exePath}${ranFrom}: ${note.name} build ID ${found ? idText(found) : 'missing'} in the core, ${idText(note)} in the binary`,
        );
      }
    }
  }
}

/** A core whose segments run past its end was cut short (a full disk, a copy interrupted). */
function checkComplete(core: ElfFile, corePath: string, segments: readonly ProgramHeader[]): void {
  let need = 0n;
  for (const s of segments) if (s.filesz > 0n && s.offset + s.filesz > need) need = s.offset + s.filesz;
  if (segments.length === 0) throw new TargetOpenError('not-a-core', `core ${corePath} has no segments`);
  if (need > core.size) {
    throw new TargetOpenError('truncated-core', `core ${corePath} is truncated: it has ${core.size} bytes, its headers describe ${need}`);
  }
}

async function coreNotes(core: ElfFile, segments: readonly ProgramHeader[]): Promise<ElfNote[]> {
  const out: ElfNote[] = [];
  for (const s of segments) if (s.type === PT_NOTE) out.push(...(await core.notesAt(s.offset, s.filesz)));
  return out;
}

function words(note: ElfNote, header: { class64: boolean; littleEndian: boolean }): bigint[] {
  const size = header.class64 ? 8 : 4;
  const v = new DataView(note.desc.buffer, note.desc.byteOffset, note.desc.byteLength);
  const out: bigint[] = [];
  for (let o = 0; o + size <= note.desc.length; o += size) out.push(size === 8 ? v.getBigUint64(o, header.littleEndian) : BigInt(v.getUint32(o, header.littleEndian)));
  return out;
}

/** The process's auxiliary vector (NT_AUXV): AT_* type → value. */
function auxv(notes: readonly ElfNote[], header: { class64: boolean; littleEndian: boolean }): Map<bigint, bigint> {
  const out = new Map<bigint, bigint>();
  const note = notes.find((n) => n.name === 'CORE' && n.type === NT_AUXV);
  if (!note) return out;
  const w = words(note, header);
  for (let i = 0; i + 1 < w.length; i += 2) if (!out.has(w[i])) out.set(w[i], w[i + 1]);
  return out;
}

function loadBias(aux: ReadonlyMap<bigint, bigint>, phdrs: readonly ProgramHeader[]): bigint | undefined {
  const atPhdr = aux.get(AT_PHDR);
  const phdr = phdrs.find((p) => p.type === PT_PHDR);
  return atPhdr !== undefined && phdr ? atPhdr - phdr.vaddr : undefined;
}

/** The file mapped at the entry point, from the core's NT_FILE note: which program ran. */
function ntFileProgram(notes: readonly ElfNote[], header: { class64: boolean; littleEndian: boolean }, entry: bigint | undefined): string | undefined {
  const note = notes.find((n) => n.name === 'CORE' && n.type === NT_FILE);
  if (!note || entry === undefined) return undefined;
  const w = words(note, header);
  const count = Number(w[0] ?? 0n);
  if (count <= 0 || 2 + count * 3 > w.length) return undefined;
  const size = header.class64 ? 8 : 4;
  const names = Buffer.from(note.desc.subarray((2 + count * 3) * size)).toString('utf8').split('\0');
  for (let i = 0; i < count; i++) {
    const [start, end] = [w[2 + i * 3], w[3 + i * 3]];
    if (entry >= start && entry < end) return names[i] || undefined;
  }
  return undefined;
}

/** Memory the core file itself holds (CoreSegments decides, as for CoreMemory); undefined for any other. */
async function readCoreMemory(core: ElfFile, memory: CoreSegments, address: bigint, length: number): Promise<Uint8Array | undefined> {
  const pieces = memory.pieces(address, length);
  if (!pieces) return undefined;
  const parts: Uint8Array[] = [];
  for (const p of pieces) {
    const bytes = await core.read(BigInt(p.offset), p.length);
    if (bytes.length !== p.length) return undefined;
    parts.push(bytes);
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

async function openElf(path: string, reason: 'not-a-core' | 'not-go', message: string): Promise<ElfFile> {
  try {
    return await ElfFile.open(path);
  } catch (e) {
    if (e instanceof ElfFormatError) throw new TargetOpenError(reason, message);
    throw new TargetOpenError('no-such-file', `cannot read ${path}: ${(e as Error).message}`);
  }
}

function isBuildIdSection(s: SectionHeader): boolean {
  return s.type === SHT_NOTE && s.addr !== 0n && (s.name === '.note.go.buildid' || s.name === '.note.gnu.build-id');
}

function isBuildId(n: ElfNote): boolean {
  return BUILD_ID_NOTES.get(n.name) === n.type;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function idText(n: ElfNote): string {
  // Go's ID is printable text (actionID/contentID...); GNU's is raw bytes shown as hex.
  return n.name === 'Go' ? Buffer.from(n.desc).toString('latin1') : Buffer.from(n.desc).toString('hex');
}
