/**
 * Package-level variables read from DWARF (src/elf/dwarf-globals.ts), on real Go binaries of
 * several toolchains, architectures and byte orders (DWARF 4 and 5, compressed sections, PIE),
 * and on damaged DWARF: damage throws DwarfFormatError (mapscope then asks gdb), never anything
 * else, and never hangs.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { globalsFromDwarf } from '../../src/elf/dwarf-globals.js';
import { dwarfGlobals, dwarfPackageGlobals } from '../../src/elf/dwarf-index.js';
import { DwarfFormatError, type DwarfSections, dwarfSections } from '../../src/elf/dwarf-reader.js';
import { ElfFile } from '../../src/elf/elf.js';
import { elfSymbolValues } from '../../src/elf/symtab.js';
import { programPath } from '../integration/paths.js';

const BINARIES = [
  programPath('go1.19'),
  programPath('go1.24'),
  programPath('go1.26'),
  programPath('go1.26', 'mapsuite-386'),
  programPath('go1.26', 'mapsuite-arm64'),
  programPath('go1.26', 'mapsuite-s390x'),
  programPath('go1.26', 'mapsuite-pie'),
].filter((p) => existsSync(p));

/** The ELF symbol table's value for `name`: what the linker put there, to check addresses against. */
async function symbolValue(path: string, name: string): Promise<bigint | undefined> {
  const elf = await ElfFile.open(path);
  try {
    const sections = await elf.sections();
    const symtab = sections.find((s) => s.name === '.symtab');
    const strtab = sections.find((s) => s.name === '.strtab');
    if (!symtab || !strtab) return undefined;
    const syms = await elf.read(symtab.offset, Number(symtab.size));
    const strs = Buffer.from(await elf.read(strtab.offset, Number(strtab.size)));
    const le = elf.header.littleEndian;
    const v = new DataView(syms.buffer, syms.byteOffset, syms.byteLength);
    const size = elf.header.class64 ? 24 : 16;
    for (let o = 0; o + size <= syms.length; o += size) {
      const at = v.getUint32(o, le);
      if (strs.toString('latin1', at, strs.indexOf(0, at)) !== name) continue;
      return elf.header.class64 ? v.getBigUint64(o + 8, le) : BigInt(v.getUint32(o + 4, le));
    }
    return undefined;
  } finally {
    await elf.close();
  }
}

describe('dwarfPackageGlobals: one package and the runtime, from their units alone', () => {
  it.each(BINARIES.map((b) => [b.split('/test/.build/')[1] ?? b, b]))('%s: what the whole pass says of them', async (_label, path) => {
    // Read first: a whole pass begun before would answer for it.
    const main = await dwarfPackageGlobals(path, 'main');
    const whole = await dwarfGlobals(path);
    const byName = new Map(whole.map((g) => [g.name, g]));
    // The runtime's units hold a few globals of other packages too (cgo's, linknamed ones).
    for (const g of main) expect(byName.get(g.name)).toEqual(g);
    expect(main.map((g) => g.name).filter((n) => n.startsWith('main.'))).toEqual(whole.map((g) => g.name).filter((n) => n.startsWith('main.')));
    expect(main.find((g) => g.name === 'main.strInt')).toMatchObject({ typeName: 'map[string]int', pointerShaped: true });
    expect(main.some((g) => g.name === 'runtime.buildVersion')).toBe(true);
    // Nothing of another package's own units.
    expect(main.some((g) => g.name.startsWith('fmt.') || g.name.startsWith('os.'))).toBe(false);
  });
});

describe('dwarfGlobals on real binaries', () => {
  it.each(BINARIES.map((b) => [b.split('/test/.build/')[1] ?? b, b]))('%s: names, Go type names, addresses, constants', async (_label, path) => {
    const globals = await dwarfGlobals(path);
    const byName = new Map(globals.map((g) => [g.name, g]));
    expect(new Set(globals.map((g) => g.name)).size).toBe(globals.length);
    const strInt = byName.get('main.strInt');
    expect(strInt).toMatchObject({ typeName: 'map[string]int', constant: false });
    expect(strInt?.address).toBe(await symbolValue(path, 'main.strInt'));
    // A map is a pointer under its names, a named map type too; a string is a struct.
    expect(strInt?.pointerShaped).toBe(true);
    expect(byName.get('main.namedMap')).toMatchObject({ typeName: 'main.Routes', constant: false, pointerShaped: true });
    expect(byName.get('runtime.buildVersion')?.pointerShaped).toBe(false);
    expect(byName.get('runtime.buildVersion')).toMatchObject({ typeName: 'string', constant: false });
    expect(byName.get('runtime.buildVersion')?.address).toBe(await symbolValue(path, 'runtime.buildVersion'));
    // Go constants are DW_TAG_constant: listed, without storage.
    expect(byName.get('main.cacheLineSize')).toMatchObject({ constant: true, address: undefined });
    // Read once per path.
    expect(await dwarfGlobals(path)).toBe(globals);
    // The symbol table (src/elf/symtab.ts) agrees with the DWARF.
    const [a, b, c] = await elfSymbolValues(path, ['main.strInt', 'runtime.buildVersion', 'no.suchSymbol']);
    expect([a, b, c]).toEqual([strInt?.address, byName.get('runtime.buildVersion')?.address, undefined]);
  });

  it('a binary without DWARF, and a file that is not ELF: DwarfFormatError or the ELF error, no answer', async () => {
    const nodwarf = programPath('go1.26', 'mapsuite-nodwarf');
    if (existsSync(nodwarf)) await expect(dwarfGlobals(nodwarf)).rejects.toBeInstanceOf(DwarfFormatError);
    await expect(dwarfGlobals('/bin/sh')).rejects.toBeInstanceOf(DwarfFormatError);
    await expect(dwarfGlobals('/nonexistent/mapscope-binary')).rejects.toThrow();
  });
});

/** A small deterministic generator, so that a failure can be replayed. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('dwarfGlobals on damaged DWARF', () => {
  const path = BINARIES[0];

  it.runIf(path !== undefined)('flipped bytes, cut sections and garbage abbreviations: DwarfFormatError or an answer (a hang fails at the test timeout)', async () => {
    const { sections, littleEndian } = await dwarfSections(path);
    const rand = lcg(0x6d617073);
    const mutate = (b: Uint8Array, flips: number): Uint8Array => {
      const out = new Uint8Array(b);
      for (let i = 0; i < flips; i++) out[Math.floor(rand() * out.length)] = Math.floor(rand() * 256);
      return out;
    };
    const cases: DwarfSections[] = [
      { ...sections, info: sections.info.subarray(0, Math.floor(sections.info.length / 3)) },
      { ...sections, info: sections.info.subarray(0, 7) },
      { ...sections, abbrev: sections.abbrev.subarray(0, 5) },
      { ...sections, abbrev: mutate(sections.abbrev, 8) },
      { ...sections, info: new Uint8Array(64).fill(0xff) },
    ];
    // Damage near the start of units and in the middle of DIEs.
    for (let i = 0; i < 16; i++) cases.push({ ...sections, info: mutate(sections.info, 1 + Math.floor(rand() * 40)) });
    for (const c of cases) {
      try {
        const got = await globalsFromDwarf(c, littleEndian);
        expect(Array.isArray(got)).toBe(true);
      } catch (e) {
        expect(e).toBeInstanceOf(DwarfFormatError);
      }
    }
  });
});
