/**
 * mapscope layout against pahole (dwarves 1.24), the reference for struct layouts: layoutprobe
 * built by Go 1.19 (classic maps), the machine's Go (Swiss maps) and Go 1.27 with mapsplitgroup
 * (split groups: keys [8]K; elems [8]V) for amd64, arm64 and 386;
 * every struct mapscope prints must agree with pahole on field names, offsets and sizes, struct
 * size, holes and tail padding.
 *
 * pahole's `-C` splits its argument at commas, so `hash<string,int>` cannot be asked for by
 * name; `-y` (a name prefix filter) takes it whole, and the exact name is picked from what it
 * prints.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { mapscope, tempDir } from './harness.js';
import { LAYOUT_ARCHES, LAYOUT_TOOLCHAINS, layoutProbePath, programPath } from './paths.js';
import { presentToolchains } from './toolchains.js';

interface LayoutJson {
  arch: string;
  pointerSize: number;
  structs: StructJson[];
}

interface StructJson {
  name: string;
  size: number;
  align: number;
  fields: { name: string; type: string; offset: number; size: number; align: number }[];
  holes: { offset: number; size: number }[];
  tailPadding: number;
}

interface CompareJson {
  binaries: { exe: string; arch: string; pointerSize: number }[];
  structs: { name: string; per: (StructJson | null)[] }[];
}

/** What pahole says of one struct, in the terms mapscope's JSON uses. */
interface PaholeStruct {
  name: string;
  size: number;
  fields: { name: string; offset: number; size: number }[];
  holes: { offset: number; size: number }[];
  tailPadding: number;
}

const MAP_TYPES = ['map[string]int', 'map[int8]int64', 'map[[20]int64]string', 'map[struct {}]struct {}', 'map[string]*main.T', 'map[int]main.Holey'];
const STRUCT_TYPES = ['main.Holey', 'main.ZeroMid', 'main.ZeroTail', 'main.Wide'];

const MEMBER = /^\t(.*\S)\s+([^\s;[]+)((?:\[\d+\])*);\s+\/\*\s*(\d+)\s+(\d+)\s*\*\/$/;
const HOLE = /^\t\/\* XXX (\d+) bytes? hole, try to pack \*\/$/;
const SIZE = /^\t\/\* size: (\d+), cachelines: \d+, members: (\d+) \*\/$/;
const PADDING = /^\t\/\* padding: (\d+) \*\/$/;

/** Parses pahole's structs (`struct NAME {` ... `};`, possibly `} __attribute__((__packed__));`). */
function parsePahole(text: string): PaholeStruct[] {
  const out: PaholeStruct[] = [];
  let cur: (PaholeStruct & { members: number; end: number }) | undefined;
  for (const line of text.split('\n')) {
    if (!cur) {
      const open = /^struct (.+) \{$/.exec(line);
      if (open) cur = { name: open[1], size: -1, fields: [], holes: [], tailPadding: 0, members: -1, end: 0 };
      continue;
    }
    if (line.startsWith('}')) {
      if (cur.members !== cur.fields.length) throw new Error(`pahole ${cur.name}: ${cur.members} members, ${cur.fields.length} parsed`);
      out.push({ name: cur.name, size: cur.size, fields: cur.fields, holes: cur.holes, tailPadding: cur.tailPadding });
      cur = undefined;
      continue;
    }
    let m = MEMBER.exec(line);
    if (m) {
      const f = { name: m[2], offset: Number(m[4]), size: Number(m[5]) };
      cur.fields.push(f);
      cur.end = Math.max(cur.end, f.offset + f.size);
    } else if ((m = HOLE.exec(line))) {
      // A hole follows the member it comes after: it starts where that member ends.
      cur.holes.push({ offset: cur.end, size: Number(m[1]) });
    } else if ((m = SIZE.exec(line))) {
      cur.size = Number(m[1]);
      cur.members = Number(m[2]);
    } else if ((m = PADDING.exec(line))) {
      cur.tailPadding = Number(m[1]);
    }
  }
  return out;
}

async function pahole(name: string, exe: string): Promise<PaholeStruct> {
  // stderr carries "DW_TAG_constant not handled" noise for every Go binary: not an error.
  const r = await execa('pahole', ['-y', name, exe], { reject: false, stdin: 'ignore' });
  const found = parsePahole(String(r.stdout)).filter((s) => s.name === name);
  if (found.length === 0) throw new Error(`pahole -y ${JSON.stringify(name)} ${exe} printed no such struct (exit ${r.exitCode})`);
  return found[0];
}

const builds = presentToolchains()
  .filter((tc) => (LAYOUT_TOOLCHAINS as readonly string[]).includes(tc.id))
  .flatMap((tc) => LAYOUT_ARCHES.map((arch) => [`${tc.id} ${arch}`, tc.impl, layoutProbePath(tc.id, arch), arch] as const));

describe.each(builds)('mapscope layout, %s', (label, impl, exe, arch) => {
  it('agrees with pahole on every struct it prints', async () => {
    const r = await mapscope(['layout', '--exe', exe, ...MAP_TYPES, ...STRUCT_TYPES, '--json']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as LayoutJson;
    expect(out.arch).toBe(arch);
    expect(out.pointerSize).toBe(arch === '386' ? 4 : 8);
    const names = out.structs.map((s) => s.name);
    const runtime = impl === 'classic' ? ['runtime.hmap', 'runtime.mapextra'] : ['internal/runtime/maps.Map', 'internal/runtime/maps.table', 'internal/runtime/maps.groupsReference'];
    expect(names.slice(0, runtime.length)).toEqual(runtime);
    // Every map type brings its header and bucket (classic) or its header, table, group
    // reference, group and — interleaved groups only — slot struct (Swiss).
    const split = label.startsWith('go1.27-mapsplitgroup');
    const swiss = ['map<string,int>', 'table<string,int>', 'groupReference<string,int>', 'noalg.map.group[string]int'];
    const perMap = impl === 'classic' ? ['hash<string,int>', 'bucket<string,int>'] : split ? swiss : [...swiss, 'noalg.struct { key string; elem int }'];
    for (const n of perMap) expect(names).toContain(n);
    if (split) {
      expect(names.filter((n) => n.startsWith('noalg.struct { key '))).toEqual([]);
      const group = out.structs.find((s) => s.name === 'noalg.map.group[string]int');
      expect(group?.fields.map((f) => f.name)).toEqual(['ctrl', 'keys', 'elems']);
    }
    for (const n of STRUCT_TYPES) expect(names).toContain(n);
    expect(names.length).toBeGreaterThanOrEqual(runtime.length + MAP_TYPES.length * (impl === 'classic' ? 2 : 4) + STRUCT_TYPES.length);

    await expectAgreesWithPahole(out, exe);
  });
});

/** The runtime's own structs in mapsuite as every toolchain present builds it (amd64). */
describe.each(presentToolchains().map((tc) => [tc.id, tc] as const))('mapscope layout of the runtime structs, %s', (_id, tc) => {
  it('agrees with pahole', async () => {
    const exe = programPath(tc.id);
    const r = await mapscope(['layout', '--exe', exe, '--json']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as LayoutJson;
    expect(out.structs.map((s) => s.name)).toEqual(
      tc.impl === 'classic' ? ['runtime.hmap', 'runtime.mapextra'] : ['internal/runtime/maps.Map', 'internal/runtime/maps.table', 'internal/runtime/maps.groupsReference'],
    );
    await expectAgreesWithPahole(out, exe);
  });
});

async function expectAgreesWithPahole(out: LayoutJson, exe: string): Promise<void> {
  for (const s of out.structs) {
    const p = await pahole(s.name, exe);
    const mine = {
      name: s.name,
      size: s.size,
      fields: s.fields.map((f) => ({ name: f.name, offset: f.offset, size: f.size })),
      holes: s.holes,
      tailPadding: s.tailPadding,
    };
    expect(mine, `${s.name} in ${exe}`).toEqual(p);
    // Go's alignment: never more than the pointer size, and the struct's size a multiple of it.
    expect(s.align).toBeLessThanOrEqual(out.pointerSize);
    expect(s.size % s.align).toBe(0);
  }
}

describe('mapscope layout, text and errors', () => {
  const go126 = builds.filter(([label]) => label.startsWith('go1.26'));

  it.runIf(go126.length === 3)('--compare sets the three Go 1.26 builds side by side', async () => {
    const exes = go126.map(([, , exe]) => exe);
    const r = await mapscope(['layout', '--compare', ...exes, '--json', '--', 'map[string]int']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as CompareJson;
    expect(out.binaries.map((b) => [b.arch, b.pointerSize])).toEqual(go126.map(([, , , arch]) => [arch, arch === '386' ? 4 : 8]));
    const map = out.structs.find((s) => s.name === 'internal/runtime/maps.Map');
    if (!map) throw new Error('no internal/runtime/maps.Map in the comparison');
    const sizes = map.per.map((l) => l?.size);
    const i386 = go126.findIndex(([, , , arch]) => arch === '386');
    expect(sizes.filter((_, i) => i !== i386)).toEqual([48, 48]);
    expect(sizes[i386]).toBeLessThan(48);
    // The same facts as a single-binary run.
    const single = JSON.parse((await mapscope(['layout', '--exe', exes[i386], 'map[string]int', '--json'])).stdout) as LayoutJson;
    for (const s of single.structs) expect(out.structs.find((c) => c.name === s.name)?.per[i386]).toEqual(s);

    const text = await mapscope(['layout', '--compare', ...exes, '--', 'map[string]int']);
    expect(text.exitCode).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0].trim().split(/\s+/)).toEqual(go126.map(([, , , arch]) => arch));
    expect(text.stdout).toContain('struct internal/runtime/maps.Map');
    const row = (name: string) => lines.find((l) => l.trim().startsWith(name + ' '))?.trim().split(/\s+/).slice(1);
    expect(row('dirPtr')).toEqual(go126.map(([, , , arch]) => (arch === '386' ? '12+4' : '16+8')));
    // Alignment: uint64 aligns to 4 on 386, so clearSeq follows the flag bytes with no hole there,
    // and after a 4-byte hole on the 64-bit targets.
    expect(row('clearSeq')).toEqual(go126.map(([, , , arch]) => (arch === '386' ? '24+8' : '40+8')));
    expect(row('holes')).toEqual(go126.map(([, , , arch]) => (arch === '386' ? '-' : '4@36')));
    expect(row('size')).toEqual(go126.map(([, , , arch]) => (arch === '386' ? '32' : '48')));
  });

  it.runIf(builds.length > 0)('prints pahole-style text', async () => {
    const [, , exe] = builds[0];
    const r = await mapscope(['layout', '--exe', exe, 'main.Wide']);
    expect(r.exitCode).toBe(0);
    const wide = r.stdout.slice(r.stdout.indexOf('struct main.Wide {'));
    const p = await execa('pahole', ['-y', 'main.Wide', exe], { reject: false });
    const ref = String(p.stdout);
    const block = (s: string) => s.slice(0, s.indexOf('\n};') + 3).split('\n');
    // Line for line, but for the type column: Go's `[60]uint8 A` where pahole writes C's `uint8 A[60]`.
    const norm = (l: string) => l.replace(/^\t\S.*?\s+(\w+)(\[\d+\])*;\s+\/\*/, '\t$1 /*').replace(/\s+/g, ' ');
    expect(block(wide).map(norm)).toEqual(block(ref.slice(ref.indexOf('struct main.Wide {'))).map(norm));
    expect(wide).toContain('/* --- cacheline 1 boundary (64 bytes) --- */');
    expect(wide).toContain('/* XXX 4 bytes hole, try to pack */');
  });

  it.runIf(builds.length > 0)('a TYPE not in the binary: exit 1, one line, the others printed', async () => {
    const [, , exe] = builds[0];
    const r = await mapscope(['layout', '--exe', exe, 'main.Holey', 'main.NoSuchType', '--json']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('main.NoSuchType');
    const out = JSON.parse(r.stdout) as LayoutJson;
    expect(out.structs.map((s) => s.name)).toEqual(['main.Holey']);
  });

  it('a file that is not an ELF binary, or no file: exit 2 with the reason', async () => {
    const dir = tempDir('layout');
    const notElf = join(dir, 'not-a-binary');
    writeFileSync(notElf, '#!/bin/sh\necho hello\n');
    const r = await mapscope(['layout', '--exe', notElf]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/not an ELF binary/);
    const missing = await mapscope(['layout', '--exe', join(dir, 'absent')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/cannot read/);
    const usage = await mapscope(['layout', 'map[string]int']);
    expect(usage.exitCode).toBe(2);
    expect(usage.stderr).toMatch(/--exe/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is listed in mapscope --help and has its own', async () => {
    expect((await mapscope(['--help'])).stdout).toMatch(/^ {2}layout /m);
    const h = await mapscope(['layout', '--help']);
    expect(h.exitCode).toBe(0);
    expect(h.stdout).toContain('--compare');
  });
});
