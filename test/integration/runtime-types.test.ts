/**
 * Runtime type descriptors without moduledata.typelinks, which Go 1.27 dropped: on live mapsuite
 * programs of Go 1.19 (typelinks), 1.26 and 1.27, interface keys and values are named by their
 * dynamic types as the program names them, and every map's runtime GC mask (analysis.gc.runtime),
 * found through typelinks up to 1.26 and the DWARF's DW_AT_go_runtime_type on 1.27, is the one
 * the program reads of itself (mapsuite's analysis_gc.go). A tested release gets no target
 * warning; a binary that says it was built by a Go newer than the newest tested gets exactly one,
 * on stderr and in target.warnings; one whose DWARF says a runtime struct lacks a field mapscope
 * reads (as the next release may move one) gets a warning naming the release, the struct, the
 * field and what is shown without it.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElfFile } from '../../src/elf/elf.js';
import { TESTED_GO_RELEASES } from '../../src/target/go-releases.js';
import { buildProgram } from './build.js';
import { type InspectJson, multiset } from './compare.js';
import { type LiveProgram, mapscope, startProgram, type TruthMap } from './harness.js';
import { MAPSUITE_SRC, programPath } from './paths.js';
import { available, TOOLCHAINS, type Toolchain } from './toolchains.js';

const IDS = ['go1.19', 'go1.26', 'go1.27'];

/** The toolchains of IDS this machine has; each one absent is named, with why. */
function toolchains(): Toolchain[] {
  return IDS.flatMap((id) => {
    const tc = TOOLCHAINS.find((t) => t.id === id);
    if (!tc) console.warn(`[mapscope tests] runtime types: ${id} is not among the suite's toolchains (test/integration/toolchains.ts)`);
    else if (!available(tc)) console.warn(`[mapscope tests] runtime types: skipping ${id}: ${tc.go} is not installed`);
    return tc && available(tc) ? [tc] : [];
  });
}

type GcRuntime = { ptrBytes: number; bitmap: string; descriptor: string } | null | undefined;

function gcRuntime(m: { analysis?: unknown }): GcRuntime {
  return (m.analysis as { gc?: { runtime?: GcRuntime } } | null | undefined)?.gc?.runtime;
}

const INTERFACE_MAPS = ['main.ifaceKey', 'main.anyVal'];

describe.each(toolchains().map((tc) => [tc.id, tc] as const))('runtime types, live, %s', (_id, tc) => {
  let prog: LiveProgram;
  let out: InspectJson;
  let stderr: string;

  beforeAll(async () => {
    prog = await startProgram(programPath(tc.id));
    const r = await mapscope(['inspect', ...prog.truth.maps.map((m) => m.expr), '--pid', String(prog.pid), '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    out = JSON.parse(r.stdout) as InspectJson;
    stderr = r.stderr;
  });
  afterAll(async () => {
    await prog?.stop();
  });

  it('names the dynamic types of interface keys and values as the program does', () => {
    for (const expr of INTERFACE_MAPS) {
      const got = out.maps.find((m) => m.expr === expr);
      const want = prog.truth.maps.find((m) => m.expr === expr);
      expect(got?.error, expr).toBeUndefined();
      expect(JSON.stringify(got?.entries), expr).not.toContain('"error"');
      expect(multiset(got?.entries ?? []), expr).toEqual(multiset(want?.entries ?? []));
      expect(want?.entries.length, expr).toBeGreaterThan(3);
    }
  });

  it("finds every map's runtime GC mask: the one the program reads of its own bucket or group type", () => {
    let found = 0;
    for (const [i, m] of out.maps.entries()) {
      const t = prog.truth.maps[i] as TruthMap & { analysis?: unknown };
      expect(m.expr).toBe(t.expr);
      // A nil map has no buckets or groups to analyse.
      if (t.nil) continue;
      const want = gcRuntime(t);
      expect(want, `${m.expr}: the program's own mask`).toBeTruthy();
      expect(gcRuntime(m as { analysis?: unknown }), `${m.expr} (${prog.truth.goVersion})`).toEqual(want);
      found++;
    }
    expect(found).toBeGreaterThan(40);
    expect(gcRuntime(out.maps.find((m) => m.expr === 'main.strPtr') as { analysis?: unknown })).toBeTruthy();
  });

  it('warns of nothing about the target: its release is tested', () => {
    expect((out.target as { warnings?: unknown }).warnings).toEqual([]);
    const lines = stderr.split('\n').filter((l) => l.startsWith('mapscope: warning:'));
    // mapsuite's midWrite map is caught mid-write on purpose; nothing else is said.
    expect(lines.filter((l) => !l.includes('caught mid-write'))).toEqual([]);
  });
});

describe('a Go newer than the newest tested', () => {
  const machine = TOOLCHAINS.find((t) => t.id === 'go1.26');
  const binary = programPath('go1.26', 'mapsuite-go1.99');
  let prog: LiveProgram | undefined;

  beforeAll(async () => {
    if (!machine || !available(machine)) throw new Error('the machine Go (go1.26) is needed to build mapsuite with a later version stamped in');
    // runtime.buildVersion is a string variable the linker may set: the binary says go1.99.1.
    await buildProgram(MAPSUITE_SRC, machine, binary, {}, ['-ldflags=-X=runtime.buildVersion=go1.99.1']);
    prog = await startProgram(binary);
  });
  afterAll(async () => {
    await prog?.stop();
  });

  it('gets exactly one warning, naming its version and the newest tested, on stderr and in target.warnings', async () => {
    if (!prog) throw new Error('not started');
    expect(prog.truth.goVersion).toBe('go1.99.1');
    const r = await mapscope(['inspect', 'main.anyVal', 'main.strInt', '--pid', String(prog.pid), '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const newest = TESTED_GO_RELEASES[TESTED_GO_RELEASES.length - 1].release;
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^mapscope: warning: /);
    expect(lines[0]).toContain('go1.99.1');
    expect(lines[0]).toContain(`(${newest})`);
    const target = (JSON.parse(r.stdout) as InspectJson).target as { warnings?: string[] };
    expect(target.warnings).toEqual([lines[0].slice('mapscope: warning: '.length)]);
  });
});

/**
 * The binary at `from` with fields of runtime structs renamed in its (uncompressed) DWARF, the
 * last letter made X: to mapscope, a runtime that moved them. Struct members are entries whose
 * name is inline, an abbreviation code before it and NUL after it.
 */
async function renameFields(from: string, to: string, fields: readonly string[]): Promise<void> {
  const elf = await ElfFile.open(from);
  const info = (await elf.sections()).find((s) => s.name === '.debug_info');
  await elf.close();
  if (!info) throw new Error(`${from} has no uncompressed .debug_info`);
  const bytes = readFileSync(from);
  const [lo, hi] = [Number(info.offset), Number(info.offset + info.size)];
  for (const f of fields) {
    const name = Buffer.from(`${f}\0`, 'latin1');
    let renamed = 0;
    for (let at = bytes.indexOf(name, lo); at >= 0 && at < hi; at = bytes.indexOf(name, at + 1)) {
      if (/[\w.]/.test(String.fromCharCode(bytes[at - 1]))) continue;
      bytes[at + f.length - 1] = 'X'.charCodeAt(0);
      renamed++;
    }
    if (renamed === 0) throw new Error(`no field ${f} in the DWARF of ${from}`);
  }
  writeFileSync(to, bytes);
  chmodSync(to, 0o755);
}

describe('a runtime that moved a field mapscope reads', () => {
  const machine = TOOLCHAINS.find((t) => t.id === 'go1.26');
  const plain = programPath('go1.26', 'mapsuite-dwarf-plain');
  const moved = programPath('go1.26', 'mapsuite-moved');
  let prog: LiveProgram | undefined;

  beforeAll(async () => {
    if (!machine || !available(machine)) throw new Error('the machine Go (go1.26) is needed to build mapsuite with uncompressed DWARF');
    await buildProgram(MAPSUITE_SRC, machine, plain, {}, ['-ldflags=-compressdwarf=false']);
    // moduledata.etypes (what names interface values' dynamic types), g.waitreason (goroutines' wait reasons).
    await renameFields(plain, moved, ['etypes', 'waitreason']);
    prog = await startProgram(moved);
  });
  afterAll(async () => {
    await prog?.stop();
  });

  it('inspect: one warning naming the release, struct and field, and interfaces shown without their dynamic types', async () => {
    if (!prog) throw new Error('not started');
    const r = await mapscope(['inspect', 'main.anyVal', 'main.strInt', '--pid', String(prog.pid), '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const want = `${prog.truth.goVersion}'s runtime.moduledata has no field etypes: interface keys and values are shown without their dynamic types, and the runtime GC mask of buckets and groups (analysis.gc.runtime) is not read`;
    expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual([`mapscope: warning: ${want}`]);
    const out = JSON.parse(r.stdout) as InspectJson;
    expect((out.target as { warnings?: string[] }).warnings).toEqual([want]);
    // What the warning says is missing is missing, and nothing else: the maps are read.
    expect(JSON.stringify(out.maps[0].entries)).toContain('no runtime type information');
    expect(out.maps.map((m) => m.count)).toEqual([prog.truth.maps.find((m) => m.expr === 'main.anyVal')?.count, prog.truth.maps.find((m) => m.expr === 'main.strInt')?.count]);
  });

  it('goroutines: listed, with one warning that wait reasons are left out', async () => {
    if (!prog) throw new Error('not started');
    const r = await mapscope(['goroutines', '--pid', String(prog.pid), '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const want = `${prog.truth.goVersion}'s runtime.g has no field waitreason: waiting goroutines are listed without their wait reasons`;
    expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual([`mapscope: warning: ${want}`]);
    const out = JSON.parse(r.stdout) as { target: { warnings: string[] }; goroutines: { status: string; waitReason?: string }[] };
    expect(out.target.warnings).toEqual([want]);
    expect(out.goroutines.length).toBeGreaterThan(0);
    expect(out.goroutines.some((g) => g.waitReason !== undefined)).toBe(false);
  });

  it('goroutines of a runtime.g without atomicstatus: a one-line error naming it, not an empty list', async () => {
    const noStatus = programPath('go1.26', 'mapsuite-moved-status');
    await renameFields(plain, noStatus, ['atomicstatus']);
    const p = await startProgram(noStatus);
    try {
      const r = await mapscope(['goroutines', '--pid', String(p.pid), '--json']);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim()).toBe(`mapscope: cannot list goroutines: ${p.truth.goVersion}'s runtime.g has no field atomicstatus: goroutines cannot be listed`);
    } finally {
      await p.stop();
    }
  });
});

describe('mapscope --version', () => {
  it('names every Go release it is tested with, experiments included', async () => {
    const r = await mapscope(['--version']);
    expect(r.exitCode).toBe(0);
    const [first, tested] = r.stdout.trim().split('\n');
    expect(first).toBe('mapscope 0.1.0');
    for (const t of TESTED_GO_RELEASES) {
      expect(tested).toContain(t.release);
      for (const e of t.experiments ?? []) expect(tested).toContain(`GOEXPERIMENT=${e}`);
    }
  });
});
