/**
 * What mapscope says of a target it may not read right: a Go newer than the newest tested
 * (src/target/go-releases.ts), and a runtime struct without a field mapscope reads
 * (src/target/runtime-gaps.ts), each in words naming the release, the struct, the field and what
 * is shown without it. And the readers that route a missing field there instead of a silent
 * null: the descriptor layout and module list (values/rtype.ts), and the runtime GC mask of a
 * map's groups (analyze/gc-runtime.ts), found through DW_AT_go_runtime_type without typelinks.
 */
import { describe, expect, it } from 'vitest';
import { type MapTypeNames, runtimeBucketGc } from '../../src/analyze/gc-runtime.js';
import type { GoField, GoMapType, GoStructType, GoType } from '../../src/layout/gotype.js';
import { CachedMemory } from '../../src/target/cache.js';
import { TESTED_GO_RELEASES, goRelease, testedReleasesText, untestedGoWarning } from '../../src/target/go-releases.js';
import { type RuntimeGap, runtimeGapWarning } from '../../src/target/runtime-gaps.js';
import type { MemRange, ReadResult, Target, TargetInfo } from '../../src/target/target.js';
import { Kind, RuntimeTypeInfo, type RtypeLayout, loadRuntimeTypeInfo, rtypeLayout } from '../../src/values/rtype.js';
import { SyntheticMemory } from './synthetic-memory.js';
import { TOOLCHAINS } from '../integration/toolchains.js';

const u64: GoType = { kind: 'uint', name: 'uint64', size: 8, align: 8 };
const u8: GoType = { kind: 'uint', name: 'uint8', size: 1, align: 1 };
const u32: GoType = { kind: 'uint', name: 'uint32', size: 4, align: 4 };
const ptr: GoType = { kind: 'pointer', name: '*uint8', size: 8, align: 8, elem: u8 };

function struct(name: string, size: number, fields: readonly [string, number, GoType][]): GoStructType {
  return { kind: 'struct', name, size, align: 8, fields: fields.map(([n, offset, type]): GoField => ({ name: n, offset, type })) };
}

/** internal/abi.Type of Go 1.21+ on 64-bit (go-map-layouts.md §5.1), less the fields in `drop`. */
function abiType(...drop: string[]): GoStructType {
  const all: [string, number, GoType][] = [
    ['Size_', 0, u64],
    ['PtrBytes', 8, u64],
    ['Hash', 16, u32],
    ['TFlag', 20, u8],
    ['Kind_', 23, u8],
    ['GCData', 32, ptr],
    ['Str', 40, u32],
  ];
  return struct('internal/abi.Type', 48, all.filter(([n]) => !drop.includes(n)));
}

/** runtime.moduledata as Go 1.27 has it (no typelinks), less the fields in `drop`. */
function moduledata(...drop: string[]): GoStructType {
  const all: [string, number, GoType][] = [
    ['types', 0, u64],
    ['typedesclen', 8, u64],
    ['etypes', 16, u64],
    ['next', 24, ptr],
  ];
  return struct('runtime.moduledata', 32, all.filter(([n]) => !drop.includes(n)));
}

const ITAB = struct('internal/abi.ITab', 32, [
  ['Inter', 0, ptr],
  ['Type', 8, ptr],
  ['Hash', 16, u32],
  ['Fun', 24, u64],
]);

const MAPTYPE = struct('internal/abi.MapType', 120, [
  ['Type', 0, abiType()],
  ['Key', 48, ptr],
  ['Elem', 56, ptr],
  ['Group', 64, ptr],
]);

const TYPES = 0x400000n;
const MODULEDATA = 0x500000n;

/** A target over synthetic memory, with the types, symbols and DWARF offsets a test gives it; it keeps the warnings. */
class FakeTarget implements Target {
  readonly pointerSize = 8;
  readonly littleEndian = true;
  readonly gaps: RuntimeGap[] = [];
  constructor(
    readonly mem: SyntheticMemory,
    private readonly types: Record<string, GoType>,
    private readonly offsets: Record<string, number> = {},
    readonly goVersion = 'go1.28.0',
  ) {}
  get info(): TargetInfo {
    return { kind: 'core', pid: null, exe: '/x', goVersion: this.goVersion, arch: 'amd64', pointerSize: 8, littleEndian: true, warnings: this.warnings };
  }
  get warnings(): string[] {
    return [...new Set(this.gaps.map((g) => runtimeGapWarning(this.goVersion, g)))];
  }
  readMany(ranges: readonly MemRange[]): Promise<ReadResult[]> {
    return this.mem.readMany(ranges);
  }
  async typesByName(names: readonly string[]): Promise<(GoType | undefined)[]> {
    return names.map((n) => this.types[n]);
  }
  async symbolAddress(name: string): Promise<bigint | undefined> {
    return name === 'runtime.firstmoduledata' ? MODULEDATA : undefined;
  }
  evalMap(): Promise<{ header: bigint; type: GoMapType }> {
    throw new Error('not in these tests');
  }
  noteRuntimeGap(gap: RuntimeGap): void {
    this.gaps.push(gap);
  }
  /** DWARF names looked up, in order. */
  readonly asked: string[] = [];
  async runtimeTypeOffset(dwarfName: string): Promise<number | undefined> {
    this.asked.push(dwarfName);
    return this.offsets[dwarfName];
  }
}

function layoutOf(t: GoStructType): RtypeLayout {
  const l = rtypeLayout(t);
  if (!l) throw new Error(`${t.name}: no layout`);
  return l;
}

describe('a Go newer than the newest tested', () => {
  const newest = TESTED_GO_RELEASES[TESTED_GO_RELEASES.length - 1].release;

  it('is told once in words naming its version and the newest tested', () => {
    expect(untestedGoWarning('go1.28.0')).toBe(
      `the target was built by go1.28.0, newer than the newest Go mapscope is tested with (${newest}): what is shown relies on runtime structs that release may have changed`,
    );
    for (const v of ['go1.28rc1', 'devel go1.28-4f1c2a Tue Jan 5 2027', 'go2.0.1', 'go1.99.1']) {
      expect(untestedGoWarning(v), v).toContain(v.trim());
      expect(untestedGoWarning(v), v).toContain(`(${newest})`);
    }
  });

  it('is not told of a tested release, any patch release of one, an older one, or an unreadable version', () => {
    for (const v of ['go1.27.3', 'go1.27.0', 'go1.24.4 X:noswissmap', 'go1.19.13', 'go1.20.5', 'go1.27.3 X:mapsplitgroup', '', 'unknown']) {
      expect(untestedGoWarning(v), v).toBeUndefined();
    }
    expect(goRelease('devel go1.28-abc')).toEqual({ major: 1, minor: 28 });
  });

  it('--version names every tested release, with the experiments tested', () => {
    expect(testedReleasesText()).toBe('1.19, 1.21, 1.22, 1.23, 1.24 (also GOEXPERIMENT=noswissmap), 1.26, 1.27 (also GOEXPERIMENT=mapsplitgroup)');
  });

  it('says what the integration suite builds its programs with: its toolchains, no more, no fewer', () => {
    const built = (t: { id: string; env: Readonly<Record<string, string>> }) => `${/^go(\d+\.\d+)/.exec(t.id)?.[1]}${t.env.GOEXPERIMENT ? ` ${t.env.GOEXPERIMENT}` : ''}`;
    const said = TESTED_GO_RELEASES.flatMap((r) => [r.release, ...(r.experiments ?? []).map((e) => `${r.release} ${e}`)]);
    expect([...new Set(TOOLCHAINS.map(built))].sort()).toEqual([...said].sort());
  });
});

describe('a runtime struct without a field mapscope reads', () => {
  it('says which release, struct and field, and what is shown without it', () => {
    expect(runtimeGapWarning('go1.28.0', { struct: 'runtime.moduledata', field: 'types', without: 'interface keys and values are shown without their dynamic types' })).toBe(
      "go1.28.0's runtime.moduledata has no field types: interface keys and values are shown without their dynamic types",
    );
    expect(runtimeGapWarning('go1.28.0 X:foo', { struct: 'internal/abi.Type', field: 'Str', or: ['str'], without: 'w' })).toBe("go1.28.0's internal/abi.Type has no field Str or str: w");
    expect(runtimeGapWarning('', { struct: 'runtime.mspan', without: 'w' })).toBe('this Go release has no runtime.mspan in its DWARF: w');
  });

  it('the descriptor without Str: no layout, and the warning says interfaces lose their dynamic types', () => {
    const t = new FakeTarget(new SyntheticMemory(), {});
    expect(rtypeLayout(abiType('Str'), t)).toBeUndefined();
    expect(t.warnings).toEqual([
      "go1.28.0's internal/abi.Type has no field Str or str: interface keys and values are shown without their dynamic types, and the runtime GC mask of buckets and groups (analysis.gc.runtime) is not read",
    ]);
  });

  it('the descriptor without GCData: interfaces still named, only the GC mask is lost', () => {
    const t = new FakeTarget(new SyntheticMemory(), {});
    const l = rtypeLayout(abiType('GCData'), t);
    expect(l).toMatchObject({ size: 48, str: { offset: 40, size: 4 } });
    expect(l?.gcdata).toBeUndefined();
    expect(t.warnings).toEqual(["go1.28.0's internal/abi.Type has no field GCData or gcdata: the runtime GC mask of buckets and groups (analysis.gc.runtime) is not read"]);
  });

  it('the module list of Go 1.27 (no typelinks) is read without a warning; without types, it is not read and says so', async () => {
    const mem = new SyntheticMemory();
    mem.alloc(MODULEDATA, 32);
    mem.u64(MODULEDATA, TYPES);
    mem.u64(MODULEDATA + 16n, TYPES + 0x1000n);
    const ok = new FakeTarget(mem, { 'internal/abi.Type': abiType(), 'runtime.moduledata': moduledata(), 'internal/abi.ITab': ITAB });
    const info = await loadRuntimeTypeInfo(ok);
    expect(info?.modules).toEqual([{ types: TYPES, etypes: TYPES + 0x1000n }]);
    expect(info?.itabType).toBe(8);
    expect(ok.warnings).toEqual([]);
    const lost = new FakeTarget(mem, { 'internal/abi.Type': abiType(), 'runtime.moduledata': moduledata('types') });
    expect(await loadRuntimeTypeInfo(lost)).toBeUndefined();
    expect(lost.warnings).toEqual([
      "go1.28.0's runtime.moduledata has no field types: interface keys and values are shown without their dynamic types, and the runtime GC mask of buckets and groups (analysis.gc.runtime) is not read",
    ]);
    // An itab without Type: any still named, non-empty interfaces not, and said.
    const itabless = struct('internal/abi.ITab', 32, [['Inter', 0, ptr], ['Typ', 8, ptr]]);
    const noItab = new FakeTarget(mem, { 'internal/abi.Type': abiType(), 'runtime.moduledata': moduledata(), 'internal/abi.ITab': itabless });
    const partly = await loadRuntimeTypeInfo(noItab);
    expect(partly?.modules).toHaveLength(1);
    expect(partly?.itabType).toBeUndefined();
    expect(noItab.warnings).toEqual(["go1.28.0's internal/abi.ITab has no field Type or _type: non-empty interface keys and values (not any) are shown without their dynamic types"]);
    // No itab struct in the DWARF at all: read as every release lays it out, and said.
    const bare = new FakeTarget(mem, { 'internal/abi.Type': abiType(), 'runtime.moduledata': moduledata() });
    expect((await loadRuntimeTypeInfo(bare))?.itabType).toBe(8);
    expect(bare.warnings).toEqual([
      "go1.28.0 has no internal/abi.ITab (runtime.itab) in its DWARF: non-empty interfaces' dynamic types are read at their itab's second word, where Go 1.19 to 1.27 keep them",
    ]);
    const none = new FakeTarget(mem, { 'internal/abi.Type': abiType() });
    expect(await loadRuntimeTypeInfo(none)).toBeUndefined();
    expect(none.warnings[0]).toMatch(/^go1\.28\.0 has no runtime\.moduledata in its DWARF: interface keys/);
  });
});

describe('the runtime GC mask of a map type, without typelinks', () => {
  const RTYPE = layoutOf(abiType());
  const MAP_OFF = 0x200;
  const GROUP_OFF = 0x300;
  const NAMES: MapTypeNames = { dwarf: ['main.Routes', 'map[string]*main.T'], runtime: 'map[string]*main.T' };

  /** The types section: the map type descriptor (named main.Routes) and its group type, with a 2-byte GC mask. */
  function image(): SyntheticMemory {
    const mem = new SyntheticMemory();
    mem.alloc(TYPES, 0x1000);
    const name = (at: bigint, n: string) => mem.write(at, [0, n.length, ...new TextEncoder().encode(n)]);
    const map = TYPES + BigInt(MAP_OFF);
    mem.u64(map, 8);
    mem.u8(map + 23n, Kind.Map);
    mem.u32(map + 40n, 0x800);
    name(TYPES + 0x800n, 'main.Routes');
    const group = TYPES + BigInt(GROUP_OFF);
    mem.u64(map + 64n, group);
    mem.u64(group, 200);
    mem.u64(group + 8n, 200);
    mem.u8(group + 23n, Kind.Struct);
    mem.u64(group + 32n, TYPES + 0x900n);
    mem.write(TYPES + 0x900n, [0xda, 0xb6, 0x6d, 0x01]);
    mem.u32(group + 40n, 0x880);
    name(TYPES + 0x880n, 'map.group[string]*main.T');
    return mem;
  }

  it('is found where the DWARF says the map type descriptor is', async () => {
    const mem = image();
    const t = new FakeTarget(mem, { 'internal/abi.MapType': MAPTYPE }, { 'main.Routes': MAP_OFF }, 'go1.27.3');
    const rtypes = new RuntimeTypeInfo(RTYPE, [{ types: TYPES, etypes: TYPES + 0x1000n }]);
    const gc = await runtimeBucketGc(t, new CachedMemory(t), rtypes, NAMES, true);
    expect(gc).toEqual({ ptrBytes: 200, bitmap: 'dab66d01', descriptor: `0x${(TYPES + BigInt(GROUP_OFF)).toString(16)}` });
    expect(t.warnings).toEqual([]);
  });

  it('an offset that does not lead to a map descriptor is not trusted', async () => {
    const mem = image();
    const t = new FakeTarget(mem, { 'internal/abi.MapType': MAPTYPE }, { 'main.Routes': GROUP_OFF }, 'go1.27.3');
    const rtypes = new RuntimeTypeInfo(RTYPE, [{ types: TYPES, etypes: TYPES + 0x1000n }]);
    expect(await runtimeBucketGc(t, new CachedMemory(t), rtypes, NAMES, true)).toBeNull();
  });

  it('without the DWARF offset and without typelinks: null, and the warning names moduledata.typelinks', async () => {
    const mem = image();
    const t = new FakeTarget(mem, { 'internal/abi.MapType': MAPTYPE }, {}, 'go1.27.3');
    const rtypes = new RuntimeTypeInfo(RTYPE, [{ types: TYPES, etypes: TYPES + 0x1000n }]);
    expect(await runtimeBucketGc(t, new CachedMemory(t), rtypes, NAMES, true)).toBeNull();
    expect(t.warnings).toEqual([
      "go1.27.3's runtime.moduledata has no field typelinks: the runtime GC mask of a map type whose DWARF does not say where its descriptor is (DW_AT_go_runtime_type) is not read (main.Routes)",
    ]);
  });

  it('a map type descriptor without Group: null, and the warning names the struct and the field', async () => {
    const mem = image();
    const noGroup = struct('internal/abi.MapType', 120, [['Type', 0, abiType()], ['Key', 48, ptr], ['Elem', 56, ptr], ['Groups', 64, ptr]]);
    const t = new FakeTarget(mem, { 'internal/abi.MapType': noGroup }, { 'main.Routes': MAP_OFF });
    const rtypes = new RuntimeTypeInfo(RTYPE, [{ types: TYPES, etypes: TYPES + 0x1000n }]);
    expect(await runtimeBucketGc(t, new CachedMemory(t), rtypes, NAMES, true)).toBeNull();
    expect(t.warnings).toEqual(["go1.28.0's internal/abi.MapType has no field Group: the runtime GC mask of buckets and groups (analysis.gc.runtime) is not read"]);
  });

  /**
   * Go 1.26's way, typelinks: two map types the runtime spells alike (map[string]v1.Pod of two
   * packages), at 0x200 and 0x400, each with its own group type and mask; `alone` leaves out the second.
   */
  function linked(alone: boolean): { mem: SyntheticMemory; rtypes: RuntimeTypeInfo } {
    const mem = new SyntheticMemory();
    mem.alloc(TYPES, 0x1000);
    const LINKS = 0x600000n;
    mem.alloc(LINKS, 8);
    mem.write(TYPES + 0x800n, [0, 17, ...new TextEncoder().encode('map[string]v1.Pod')]);
    [0x200, 0x400].forEach((off, i) => {
      const map = TYPES + BigInt(off);
      mem.u64(map, 8);
      mem.u8(map + 23n, Kind.Map);
      mem.u32(map + 40n, 0x800);
      const group = map + 0x100n;
      mem.u64(map + 64n, group);
      mem.u64(group, 200);
      mem.u64(group + 8n, 8);
      mem.u64(group + 32n, TYPES + 0x900n + BigInt(i));
      mem.write(TYPES + 0x900n + BigInt(i), [i + 1]);
      mem.u32(LINKS + BigInt(4 * i), off);
    });
    return { mem, rtypes: new RuntimeTypeInfo(RTYPE, [{ types: TYPES, etypes: TYPES + 0x1000n, typelinks: { address: LINKS, count: alone ? 1 : 2 } }]) };
  }
  const POD: MapTypeNames = { dwarf: ['map[string]k8s.io/api/apps/v1.Pod'], runtime: 'map[string]v1.Pod' };

  it('up to Go 1.26, typelinks answers when one map type alone is spelled so: the DWARF is not read', async () => {
    const { mem, rtypes } = linked(true);
    const t = new FakeTarget(mem, { 'internal/abi.MapType': MAPTYPE }, { 'map[string]k8s.io/api/apps/v1.Pod': 0x400 }, 'go1.26.8');
    expect(await runtimeBucketGc(t, new CachedMemory(t), rtypes, POD, true)).toMatchObject({ bitmap: '01' });
    expect(t.asked).toEqual([]);
  });

  it('two map types spelled alike in typelinks: the DWARF says which', async () => {
    const { mem, rtypes } = linked(false);
    const t = new FakeTarget(mem, { 'internal/abi.MapType': MAPTYPE }, { 'map[string]k8s.io/api/apps/v1.Pod': 0x400 }, 'go1.26.8');
    expect(await runtimeBucketGc(t, new CachedMemory(t), rtypes, POD, true)).toMatchObject({ bitmap: '02', descriptor: `0x${(TYPES + 0x500n).toString(16)}` });
    expect(t.asked).toEqual(['map[string]k8s.io/api/apps/v1.Pod']);
    expect(t.warnings).toEqual([]);
  });
});
