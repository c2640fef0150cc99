/**
 * One symbol's value from an ELF file's symbol table (.symtab), without a debugger: asking gdb
 * for a global's address makes it expand the whole compilation unit that declares it (for
 * runtime.firstmoduledata, the runtime's: ~0.1 s on a small binary, more on a large one).
 */
import { ElfFile } from './elf.js';

const SHT_SYMTAB = 2;
/** Symbol tables past this size are damage, not a reason to read them in. */
const MAX_TABLE_BYTES = 1 << 28;

/** The values of `names` in the symbol table of the file at `path` (undefined where it has none, or no table). */
export async function elfSymbolValues(path: string, names: readonly string[]): Promise<(bigint | undefined)[]> {
  const elf = await ElfFile.open(path);
  try {
    const sections = await elf.sections();
    const symtab = sections.find((s) => s.type === SHT_SYMTAB);
    if (!symtab) return names.map(() => undefined);
    const strtab = sections.find((s) => s.name === '.strtab');
    if (!strtab || symtab.size > BigInt(MAX_TABLE_BYTES) || strtab.size > BigInt(MAX_TABLE_BYTES)) return names.map(() => undefined);
    const [syms, strs] = await Promise.all([elf.read(symtab.offset, Number(symtab.size)), elf.read(strtab.offset, Number(strtab.size))]);
    const strings = Buffer.from(strs.buffer, strs.byteOffset, strs.byteLength);
    const { class64, littleEndian: le } = elf.header;
    const entry = class64 ? 24 : 16;
    const v = new DataView(syms.buffer, syms.byteOffset, syms.byteLength);
    return names.map((name) => {
      // The string's offset, then the symbol that names it: a whole string, after a NUL.
      const at = strings.indexOf(Buffer.from(`\0${name}\0`, 'latin1'));
      if (at < 0) return undefined;
      const nameOffset = at + 1;
      for (let o = 0; o + entry <= syms.length; o += entry) {
        if (v.getUint32(o, le) !== nameOffset) continue;
        const shndx = v.getUint16(class64 ? o + 6 : o + 14, le);
        if (shndx === 0) return undefined; // undefined symbol
        return class64 ? v.getBigUint64(o + 8, le) : BigInt(v.getUint32(o + 4, le));
      }
      return undefined;
    });
  } finally {
    await elf.close();
  }
}
