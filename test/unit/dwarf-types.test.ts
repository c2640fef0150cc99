/**
 * The top-level types read from DWARF (src/elf/dwarf-types.ts): each name and its
 * DW_AT_go_runtime_type, the offset of the type's runtime descriptor from moduledata.types. On
 * hand-made DWARF (the forms Go uses and others, either byte order, 4- and 8-byte addresses), and
 * on real Go binaries, where the offset is checked against the linker's own work: at
 * `runtime.types` + offset the file holds a map type descriptor that names itself as the DWARF does.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { globalsFromDwarf } from '../../src/elf/dwarf-globals.js';
import { dwarfRuntimeTypes, dwarfTypeNames } from '../../src/elf/dwarf-index.js';
import { DwarfFormatError, type DwarfSections, dwarfSections } from '../../src/elf/dwarf-reader.js';
import { DwarfTypes, typesFromDwarf } from '../../src/elf/dwarf-types.js';
import { ElfFile } from '../../src/elf/elf.js';
import { elfSymbolValues } from '../../src/elf/symtab.js';
import { programPath } from '../integration/paths.js';

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
};
const cstr = (s: string): number[] => [...Buffer.from(s, 'utf8'), 0];

const DW_FORM_addr = 0x01;
const DW_FORM_data4 = 0x06;
const DW_FORM_string = 0x08;
const AT_name = 0x03;
const AT_runtime_type = 0x2904;

/** Abbreviations: 1 unit, 2 typedef with an address-form runtime type, 3 typedef without, 4 base type with a data4 one, 5 variable. */
const ABBREV = new Uint8Array([
  ...[1, 0x11, 1, ...uleb(AT_name), DW_FORM_string, 0, 0],
  ...[2, 0x16, 0, ...uleb(AT_name), DW_FORM_string, ...uleb(AT_runtime_type), DW_FORM_addr, 0, 0],
  ...[3, 0x16, 0, ...uleb(AT_name), DW_FORM_string, 0, 0],
  ...[4, 0x24, 0, ...uleb(AT_runtime_type), DW_FORM_data4, ...uleb(AT_name), DW_FORM_string, 0, 0],
  ...[5, 0x34, 0, ...uleb(AT_name), DW_FORM_string, 0, 0],
  0,
]);

type Die = { code: 2; name: string; at: bigint } | { code: 3 | 5; name: string } | { code: 4; name: string; at: number };

/** A DWARF 4 compilation unit of `dies` at the top level, named `unit`. */
function unit(name: string, dies: readonly Die[], addrSize: 4 | 8, le: boolean): number[] {
  const body: number[] = [1, ...cstr(name)];
  const word = (v: bigint, size: number): number[] => {
    const b: number[] = [];
    for (let i = 0; i < size; i++) b.push(Number((v >> BigInt(8 * i)) & 0xffn));
    return le ? b : b.reverse();
  };
  for (const d of dies) {
    body.push(d.code);
    if (d.code === 2) body.push(...cstr(d.name), ...word(d.at, addrSize));
    else if (d.code === 4) body.push(...word(BigInt(d.at), 4), ...cstr(d.name));
    else body.push(...cstr(d.name));
  }
  body.push(0);
  // version 4, abbreviations at 0, the address size
  const rest = [...word(4n, 2), ...word(0n, 4), addrSize, ...body];
  return [...word(BigInt(rest.length), 4), ...rest];
}

function sections(addrSize: 4 | 8, le: boolean): DwarfSections {
  const runtime = unit(
    'runtime',
    [
      { code: 2, name: 'map[string]int', at: 0x1234n },
      { code: 2, name: 'main.unreached', at: 0n },
      { code: 3, name: 'main.NoDescriptor' },
      { code: 4, name: 'int', at: 0x40 },
      { code: 5, name: 'runtime.buildVersion' },
      // Named twice: the first descriptor is kept.
      { code: 2, name: 'map[string]int', at: 0x9999n },
    ],
    addrSize,
    le,
  );
  const main = unit('main', [{ code: 2, name: 'main.Elsewhere', at: 0x77n }, { code: 5, name: 'main.v' }], addrSize, le);
  return { info: new Uint8Array([...runtime, ...main]), abbrev: ABBREV };
}

describe('DW_AT_go_runtime_type on hand-made DWARF', () => {
  it.each([
    [8, true],
    [8, false],
    [4, true],
    [4, false],
  ] as const)('%i-byte addresses, little-endian %s: offsets by name from the runtime units; 0 or no attribute is no descriptor', async (addrSize, le) => {
    const s = sections(addrSize, le);
    const t = await typesFromDwarf(s, le);
    expect(t).toBeDefined();
    expect(Object.fromEntries(t?.runtimeTypes ?? [])).toEqual({ 'map[string]int': 0x1234, int: 0x40 });
    expect([...(t?.names ?? [])].sort()).toEqual(['int', 'main.NoDescriptor', 'main.unreached', 'map[string]int']);
    // The pass over every unit (list, top) gathers the same, and the other units' types too.
    const all = new DwarfTypes();
    const globals = await globalsFromDwarf(s, le, all);
    expect(globals.map((g) => g.name)).toEqual(['runtime.buildVersion', 'main.v']);
    expect(Object.fromEntries(all.runtimeTypes)).toEqual({ 'map[string]int': 0x1234, int: 0x40, 'main.Elsewhere': 0x77 });
  });

  it('an offset past 2^53 is no descriptor; no runtime unit means no answer (every unit is read instead)', async () => {
    const le = true;
    const huge = { info: new Uint8Array(unit('runtime', [{ code: 2, name: 'map[int]int', at: 1n << 60n }], 8, le)), abbrev: ABBREV };
    expect((await typesFromDwarf(huge, le))?.runtimeTypes.size).toBe(0);
    const none = { info: new Uint8Array(unit('main', [{ code: 2, name: 'main.T', at: 8n }], 8, le)), abbrev: ABBREV };
    expect(await typesFromDwarf(none, le)).toBeUndefined();
  });

  it('damage: DwarfFormatError or an answer, never another error', async () => {
    const s = sections(8, true);
    let seed = 7;
    const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (let i = 0; i < 200; i++) {
      const info = new Uint8Array(s.info);
      for (let j = 0; j < 3; j++) info[Math.floor(rand() * info.length)] = Math.floor(rand() * 256);
      try {
        await typesFromDwarf({ ...s, info }, true);
      } catch (e) {
        expect(e).toBeInstanceOf(DwarfFormatError);
      }
    }
  });
});

const BINARIES = [
  'go1.19',
  'go1.24',
  'go1.24-noswissmap',
  'go1.26',
  'go1.27',
  ['go1.26', 'mapsuite-386'],
  ['go1.26', 'mapsuite-arm64'],
  ['go1.26', 'mapsuite-s390x'],
  ['go1.26', 'mapsuite-pie'],
]
  .map((b) => (typeof b === 'string' ? programPath(b) : programPath(b[0], b[1])))
  .filter((p) => existsSync(p) || (console.warn(`[mapscope tests] dwarf-types: ${p} is not built (the integration suite's global setup builds it)`), false));

/** Bytes at a link-time address, from the section that holds it. */
async function bytesAt(elf: ElfFile, address: bigint, length: number): Promise<Uint8Array> {
  const s = (await elf.sections()).find((x) => x.addr !== 0n && address >= x.addr && address + BigInt(length) <= x.addr + x.size);
  if (!s) throw new Error(`no section holds 0x${address.toString(16)}`);
  return elf.read(s.offset + (address - s.addr), length);
}

/**
 * The kind and name of the descriptor at `address`, read as the runtime lays it out (abi.Type:
 * kind byte at 2 words + 7, tflag at 2 words + 4, the NameOff Str at 4 words + 8; a name is a
 * flags byte, a uvarint length and the bytes, a leading '*' dropped under tflagExtraStar).
 */
async function descriptor(elf: ElfFile, types: bigint, address: bigint): Promise<{ kind: number; name: string }> {
  const ps = elf.header.class64 ? 8 : 4;
  const le = elf.header.littleEndian;
  const raw = await bytesAt(elf, address, 4 * ps + 16);
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const kind = raw[2 * ps + 7] & 0x1f;
  const tflag = raw[2 * ps + 4];
  const nameOff = v.getInt32(4 * ps + 8, le);
  const head = await bytesAt(elf, types + BigInt(nameOff), 4);
  let len = 0;
  let i = 1;
  for (let shift = 0; i < head.length; i++, shift += 7) {
    len |= (head[i] & 0x7f) << shift;
    if ((head[i] & 0x80) === 0) break;
  }
  const name = Buffer.from(await bytesAt(elf, types + BigInt(nameOff + i + 1), len)).toString('utf8');
  return { kind, name: tflag & 2 ? name.slice(1) : name };
}

describe('DW_AT_go_runtime_type on real binaries', () => {
  it.each(BINARIES.map((b) => [b.split('/test/.build/')[1] ?? b, b]))('%s: the DWARF points at the map type descriptors the linker wrote', async (_label, path) => {
    const offsets = await dwarfRuntimeTypes(path);
    const [types] = await elfSymbolValues(path, ['runtime.types']);
    expect(types).toBeDefined();
    const elf = await ElfFile.open(path);
    try {
      for (const [dwarfName, runtimeName] of [
        ['map[string]int', 'map[string]int'],
        ['main.Routes', 'main.Routes'],
        ['map[string]*main.Point', 'map[string]*main.Point'],
      ]) {
        const off = offsets.get(dwarfName);
        expect(off, dwarfName).toBeGreaterThan(0);
        expect(await descriptor(elf, types as bigint, (types as bigint) + BigInt(off as number)), dwarfName).toEqual({ kind: 21, name: runtimeName });
      }
    } finally {
      await elf.close();
    }
    // The runtime's units alone give what the pass over every unit gives.
    const { sections: s, littleEndian } = await dwarfSections(path);
    const all = new DwarfTypes();
    await globalsFromDwarf(s, littleEndian, all);
    const some = await typesFromDwarf(s, littleEndian);
    expect(some?.names).toEqual(all.names);
    expect(some?.runtimeTypes).toEqual(all.runtimeTypes);
    expect(await dwarfTypeNames(path)).toEqual(all.names);
  });
});
