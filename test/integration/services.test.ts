/**
 * mapscope on the maps real services hold (test/programs/services, built on go-cache,
 * golang-lru/v2 and google/uuid from the Go module proxy), against the program's own ground
 * truth, on a Swiss and a classic toolchain, live and from cores (gdb's gcore and the kernel's,
 * of a binary whose name has 40 characters):
 * - inspect --json of every map: count and entries exactly, interface values by dynamic type;
 * - list: every package-level map; top: every map behind pointers, interfaces and map values
 *   (20,000 maps of headers, a 140,000-entry map), under paths inspect reads back;
 * - goroutines and inspect --goroutine: the locals of requests parked in an HTTP handler, and
 *   of a generic function (go.shape types in DWARF) with its instantiated types and real keys;
 * - exit statuses as the README's table says.
 * One live program and one kernel core per toolchain serve every test; the live program is
 * attached by one mapscope at a time.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InspectJson, multiset } from './compare.js';
import { type CliResult, mapscope } from './harness.js';
import {
  type CrashedServices,
  type LiveServices,
  type ServicesGoroutine,
  type ServicesTruth,
  SERVICES_EXE,
  crashServices,
  servicesPath,
  servicesToolchains,
  startServices,
  withoutTypeArgs,
} from './services.js';

interface ListJson {
  schema: string;
  target: { kind: string };
  maps: { expr: string; type: string; address: string | null; implementation: string; count: number; bytes: number; error?: string }[];
}

interface TopJson {
  schema: string;
  maps: { path: string; type: string; address: string; implementation: string; count: number; bytes: number }[];
  walk: { stoppedBy: null | 'depth' | 'objects' | 'time'; skipped: Record<string, number> };
  problems: { name: string; error: string }[];
}

interface GoroutinesJson {
  schema: string;
  target: { kind: string; goVersion: string };
  goroutines: { id: number; status: string; waitReason?: string; frames: { index: number; function: string }[]; createdBy?: { function: string } }[];
}

type Run = (args: readonly string[], timeoutMs?: number) => Promise<CliResult>;

/** A command that must succeed: exit 0, nothing on stderr, its JSON parsed. */
async function json<T>(run: Run, args: readonly string[], timeoutMs?: number): Promise<T> {
  const r = await run(args, timeoutMs);
  const what = `mapscope ${args.slice(0, 3).join(' ')}…`;
  expect(r.exitCode, `${what} exit status; stderr: ${r.stderr.slice(0, 2000)}`).toBe(0);
  expect(r.stderr, `${what} stderr`).toBe('');
  return JSON.parse(r.stdout) as T;
}

type OutMap = InspectJson['maps'][number];

interface WantMap {
  type: string;
  keyType: string;
  valueType: string;
  address: string | null;
  count: number;
  entries: readonly unknown[];
}

/**
 * How a map mapscope read differs from the truth (nothing when it does not): its error and
 * warnings, header, types, count, and entries as a multiset, with a few of those missing and
 * extra. Collected for every map before one assertion, so that a run names every map that differs.
 */
function mapDiffs(what: string, m: OutMap, want: WantMap, impl: string): string[] {
  if (m.error !== undefined) return [`${what}: error ${JSON.stringify(m.error)}`];
  const out: string[] = [];
  if (m.warnings !== undefined) out.push(`${what}: warnings ${JSON.stringify(m.warnings)}`);
  if (m.implementation !== impl) out.push(`${what}: implementation ${m.implementation}, want ${impl}`);
  for (const k of ['type', 'keyType', 'valueType', 'address', 'count'] as const) {
    if (m[k] !== want[k]) out.push(`${what}: ${k} ${JSON.stringify(m[k])}, want ${JSON.stringify(want[k])}`);
  }
  const got = multiset(m.entries);
  const wanted = multiset(want.entries);
  if (got.join('\n') !== wanted.join('\n')) {
    const left = new Map<string, number>();
    for (const e of wanted) left.set(e, (left.get(e) ?? 0) + 1);
    const extra: string[] = [];
    for (const e of got) {
      const n = left.get(e) ?? 0;
      if (n > 0) left.set(e, n - 1);
      else extra.push(e);
    }
    const missing = [...left].flatMap(([e, n]) => Array<string>(n).fill(e));
    out.push(`${what}: ${got.length} entries, want ${wanted.length}; ${missing.length} missing (${missing.slice(0, 2).join(', ')}), ${extra.length} not in the truth (${extra.slice(0, 2).join(', ')})`);
  }
  return out;
}

/** Every map of the truth read exactly: header, types, count, entries as a multiset. */
async function expectInspected(run: Run, target: readonly string[], truth: ServicesTruth, kind: 'live' | 'core'): Promise<void> {
  const exprs = truth.maps.map((m) => m.expr);
  const out = await json<InspectJson>(run, ['inspect', ...exprs, ...target, '--json']);
  expect(out.schema).toBe('mapscope/inspect@1');
  expect(out.target).toMatchObject({ kind, goVersion: truth.goVersion, arch: truth.goarch, pointerSize: truth.ptrSize });
  expect(out.maps.map((m) => m.expr)).toEqual(exprs);
  const diffs = out.maps.flatMap((m, i) => mapDiffs(`${m.expr} (${truth.goVersion}, ${kind})`, m, truth.maps[i], truth.impl));
  expect(diffs, 'maps read otherwise than the program sees them').toEqual([]);
}

/** Every package-level map variable of package main, nil ones too. */
function expectListed(out: ListJson, truth: ServicesTruth, kind: 'live' | 'core'): void {
  expect(out.schema).toBe('mapscope/list@1');
  expect(out.target.kind).toBe(kind);
  const main = out.maps.filter((m) => m.expr.startsWith('main.'));
  expect(main.map((m) => m.expr).sort()).toEqual(truth.globals.map((g) => g.expr).sort());
  for (const g of truth.globals) {
    const m = main.find((x) => x.expr === g.expr);
    expect(m?.error, g.expr).toBeUndefined();
    expect(m, g.expr).toMatchObject({ type: g.type, address: g.address, count: g.count, implementation: truth.impl });
    if (g.address === null) expect(m?.bytes, g.expr).toBe(0);
    else expect(m?.bytes, g.expr).toBeGreaterThan(0);
  }
}

/** Every map the truth says a walk must find, once, with its count and type; ranked by bytes. */
function expectTopFinds(out: TopJson, truth: ServicesTruth): void {
  expect(out.schema).toBe('mapscope/top@1');
  expect(out.problems).toEqual([]);
  const addresses = out.maps.map((m) => m.address);
  expect(new Set(addresses).size, 'each map once').toBe(addresses.length);
  const byAddress = new Map(out.maps.map((m) => [m.address, m]));
  const missing = truth.found.filter((f) => !byAddress.has(f.address));
  expect(missing.slice(0, 5), `${missing.length} of ${truth.found.length} maps not found`).toEqual([]);
  const wrong = truth.found
    .map((f) => ({ want: f, got: byAddress.get(f.address) }))
    .filter(({ want, got }) => got !== undefined && (got.count !== want.count || got.type !== want.type || got.implementation !== truth.impl));
  expect(wrong.slice(0, 5), `${wrong.length} maps found with another count, type or implementation`).toEqual([]);
  const bytes = out.maps.map((m) => m.bytes);
  expect(bytes).toEqual([...bytes].sort((a, b) => b - a));
  // The big map is the biggest; no bound cut the walk (it is no deeper than 6 hops).
  expect(out.maps[0]?.path).toBe('main.catalog');
  expect(out.walk.stoppedBy).toBeNull();
}

/**
 * The paths top reports, read back by inspect: the same header and count. Every path that is
 * not a raw address, and a sample of those that are (maps under UUID keys, which have no
 * literal); not the two big maps, plain globals read whole by the inspect tests, so that this
 * read stays short for the live process.
 */
async function expectPathsReadBack(run: Run, out: TopJson, target: readonly string[]): Promise<void> {
  const named = out.maps.filter((m) => !m.path.startsWith('0x') && m.count <= 10_000);
  const raw = out.maps.filter((m) => m.path.startsWith('0x')).slice(0, 20);
  const sample = [...named, ...raw];
  const back = await json<InspectJson>(run, ['inspect', ...sample.map((m) => m.path), ...target, '--json', '--limit', '0']);
  back.maps.forEach((m, i) => {
    const want = sample[i];
    expect({ path: m.expr, error: m.error, address: m.address, count: m.count }).toEqual({ path: want.path, error: undefined, address: want.address, count: want.count });
  });
}

// Generous: a loaded machine must not turn a complete walk into a cut one.
const TOP = ['top', '--json', '--max-time', '120'];
const TOP_TIMEOUT_MS = 300_000;

async function expectTop(run: Run, target: readonly string[], truth: ServicesTruth): Promise<void> {
  const out = await json<TopJson>(run, [...TOP, ...target], TOP_TIMEOUT_MS);
  expectTopFinds(out, truth);
  await expectPathsReadBack(run, out, target);
}

/** The parked goroutines listed, waiting where the truth says; per goroutine, the frame of its holder. */
function expectGoroutines(out: GoroutinesJson, truth: ServicesTruth, kind: 'live' | 'core'): Map<number, number> {
  expect(out.schema).toBe('mapscope/goroutines@1');
  expect(out.target).toMatchObject({ kind, goVersion: truth.goVersion });
  const frames = new Map<number, number>();
  for (const t of truth.goroutines) {
    const what = `goroutine ${t.goid} (${t.function})`;
    const listed = out.goroutines.filter((g) => g.id === t.goid);
    expect(listed, `${what} listed once`).toHaveLength(1);
    const g = listed[0];
    expect({ status: g.status, waitReason: g.waitReason }, what).toEqual({ status: 'waiting', waitReason: t.status });
    const frame = g.frames.find((f) => withoutTypeArgs(f.function) === withoutTypeArgs(t.function));
    expect(frame, `${what}: a frame of it in ${g.frames.map((f) => f.function).join(', ')}`).toBeDefined();
    const creator = t.function === 'main.(*api).slow' ? 'net/http.(*Server).Serve' : 'main.startGenericHolders';
    expect(g.createdBy?.function, `${what}: created by`).toBe(creator);
    frames.set(t.goid, frame?.index ?? -1);
  }
  return frames;
}

/** Each parked goroutine's local maps, read from its holder's frame, equal the truth. */
async function expectLocals(run: Run, target: readonly string[], truth: ServicesTruth, frames: Map<number, number>, which: (g: ServicesGoroutine) => boolean): Promise<void> {
  const diffs: string[] = [];
  for (const t of truth.goroutines.filter(which)) {
    const exprs = t.locals.map((l) => l.expr);
    const out = await json<InspectJson>(run, ['inspect', ...exprs, ...target, '--goroutine', String(t.goid), '--frame', String(frames.get(t.goid)), '--json']);
    expect(out.maps.map((m) => m.expr)).toEqual(exprs);
    out.maps.forEach((m, i) => diffs.push(...mapDiffs(`goroutine ${t.goid} (${t.function}) ${m.expr}`, m, t.locals[i], truth.impl)));
  }
  expect(diffs, 'local maps read otherwise than the program sees them').toEqual([]);
}

const isHandler = (g: ServicesGoroutine): boolean => g.function === 'main.(*api).slow';
const isGeneric = (g: ServicesGoroutine): boolean => !isHandler(g);

/** The live process was detached from: not stopped, not traced (looked at between two attaches). */
async function expectRunningOn(prog: LiveServices): Promise<void> {
  const st = await prog.status();
  expect(st.tracerPid).toBe(0);
  expect(['R', 'S']).toContain(st.state);
}

// Hang protection only: a live test may wait its turn behind another's mapscope run.
const LIVE_TIMEOUT_MS = 900_000;
const CORE_TIMEOUT_MS = 600_000;

describe.each(servicesToolchains().map((tc) => [tc.id, tc] as const))('services on real modules, %s', (_id, tc) => {
  const exe = servicesPath(tc.id);
  let live: LiveServices | undefined;
  let crashed: CrashedServices | undefined;

  beforeAll(async () => {
    [live, crashed] = await Promise.all([startServices(exe), crashServices(exe)]);
    expect(live.truth.impl).toBe(tc.impl);
    expect(live.truth.sizes.catalog).toBeGreaterThan(130_000);
  });

  afterAll(async () => {
    await live?.stop();
    if (crashed) rmSync(crashed.dir, { recursive: true, force: true });
  });

  const liveProgram = (): LiveServices => {
    if (!live) throw new Error('the live program did not start');
    return live;
  };
  const kernelCore = (): CrashedServices => {
    if (!crashed) throw new Error('the program wrote no kernel core');
    return crashed;
  };
  const coreTarget = (c: CrashedServices): string[] => ['--core', c.core, '--exe', exe];
  // gdb's gcore of the live program, taken once in its turn with the live tests' attaches; in
  // the live program's directory, removed with it.
  let gcoreMade: Promise<string[]> | undefined;
  const gcoreTarget = (): Promise<string[]> => {
    const prog = liveProgram();
    const core = join(prog.dir, 'gcore.core');
    gcoreMade ??= prog.gcore(core).then(() => ['--core', core, '--exe', exe]);
    return gcoreMade;
  };

  it.concurrent(
    'live: inspect --json reads every map exactly, and the process runs on, untraced',
    async () => {
      const prog = liveProgram();
      await expectInspected(prog.attach, ['--pid', String(prog.pid)], prog.truth, 'live');
      await expectRunningOn(prog);
    },
    LIVE_TIMEOUT_MS,
  );

  it.concurrent(
    'live: list names every package-level map',
    async () => {
      const prog = liveProgram();
      expectListed(await json<ListJson>(prog.attach, ['list', '--pid', String(prog.pid), '--json']), prog.truth, 'live');
      await expectRunningOn(prog);
    },
    LIVE_TIMEOUT_MS,
  );

  it.concurrent(
    'live: the requests parked in the HTTP handler, and their local maps',
    async () => {
      const prog = liveProgram();
      const target = ['--pid', String(prog.pid)];
      const frames = expectGoroutines(await json<GoroutinesJson>(prog.attach, ['goroutines', ...target, '--json']), prog.truth, 'live');
      await expectLocals(prog.attach, target, prog.truth, frames, isHandler);
      await expectRunningOn(prog);
    },
    LIVE_TIMEOUT_MS,
  );

  it.concurrent(
    'live: the generic function parked with a local map: instantiated types and real keys',
    async () => {
      const prog = liveProgram();
      const target = ['--pid', String(prog.pid)];
      const frames = expectGoroutines(await json<GoroutinesJson>(prog.attach, ['goroutines', ...target, '--json']), prog.truth, 'live');
      await expectLocals(prog.attach, target, prog.truth, frames, isGeneric);
      await expectRunningOn(prog);
    },
    LIVE_TIMEOUT_MS,
  );

  it.concurrent(
    'live: exit statuses: a bad expression fails only its own map (1); a usage error is one line (2)',
    async () => {
      const prog = liveProgram();
      const target = ['--pid', String(prog.pid)];
      const r = await prog.attach(['inspect', 'main.routes', 'main.svc', 'main.nosuch', 'main.svc.clents', ...target, '--json']);
      expect(r.exitCode, r.stderr).toBe(1);
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout) as InspectJson;
      expect(out.maps[0].error).toBeUndefined();
      expect(out.maps[0].count).toBe(prog.truth.maps.find((m) => m.expr === 'main.routes')?.count);
      expect(out.maps[1].error).toBe('main.svc is not a Go map (its type is *main.api); its map field is main.svc.clients');
      expect(out.maps[2].error).toMatch(/^no package-level variable main\.nosuch\b/);
      // Through the pointer, the field is looked up in the struct it points to.
      expect(out.maps[3].error).toMatch(/^main\.svc \(\*?main\.api\) has no field clents; did you mean clients\?$/);
      const usage = await mapscope(['inspect', 'main.routes', ...target, '--core', 'core']);
      expect(usage.exitCode).toBe(2);
      expect(usage.stderr.trimEnd().split('\n')).toHaveLength(1);
      await expectRunningOn(prog);
    },
    LIVE_TIMEOUT_MS,
  );

  it.concurrent(
    'gcore: inspect --json reads every map exactly',
    async () => {
      await expectInspected(mapscope, await gcoreTarget(), liveProgram().truth, 'core');
    },
    LIVE_TIMEOUT_MS,
  );

  it.concurrent(
    'gcore: list, and the local maps of the parked goroutines',
    async () => {
      const target = await gcoreTarget();
      const truth = liveProgram().truth;
      expectListed(await json<ListJson>(mapscope, ['list', ...target, '--json']), truth, 'core');
      const frames = expectGoroutines(await json<GoroutinesJson>(mapscope, ['goroutines', ...target, '--json']), truth, 'core');
      await expectLocals(mapscope, target, truth, frames, () => true);
    },
    LIVE_TIMEOUT_MS,
  );

  it.concurrent(
    `kernel core of ${SERVICES_EXE} (${SERVICES_EXE.length} characters): inspect --json reads every map exactly`,
    async () => {
      const c = kernelCore();
      await expectInspected(mapscope, coreTarget(c), c.truth, 'core');
    },
    CORE_TIMEOUT_MS,
  );

  it.concurrent(
    'kernel core: list names every package-level map',
    async () => {
      const c = kernelCore();
      expectListed(await json<ListJson>(mapscope, ['list', ...coreTarget(c), '--json']), c.truth, 'core');
    },
    CORE_TIMEOUT_MS,
  );

  it.concurrent(
    'kernel core: top finds every map through pointers, interfaces and map values, under paths inspect reads back',
    async () => {
      const c = kernelCore();
      await expectTop(mapscope, coreTarget(c), c.truth);
    },
    CORE_TIMEOUT_MS,
  );

  it.concurrent(
    'kernel core: the requests parked in the HTTP handler, and their local maps',
    async () => {
      const c = kernelCore();
      const frames = expectGoroutines(await json<GoroutinesJson>(mapscope, ['goroutines', ...coreTarget(c), '--json']), c.truth, 'core');
      await expectLocals(mapscope, coreTarget(c), c.truth, frames, isHandler);
    },
    CORE_TIMEOUT_MS,
  );

  it.concurrent(
    'kernel core: the generic function parked with a local map: instantiated types and real keys',
    async () => {
      const c = kernelCore();
      const frames = expectGoroutines(await json<GoroutinesJson>(mapscope, ['goroutines', ...coreTarget(c), '--json']), c.truth, 'core');
      await expectLocals(mapscope, coreTarget(c), c.truth, frames, isGeneric);
    },
    CORE_TIMEOUT_MS,
  );

  it.concurrent(
    // Last of the live tests: the others need not wait behind a long walk.
    'live: top finds every map through pointers, interfaces and map values, under paths inspect reads back',
    async () => {
      const prog = liveProgram();
      await expectTop(prog.attach, ['--pid', String(prog.pid)], prog.truth);
      await expectRunningOn(prog);
    },
    LIVE_TIMEOUT_MS,
  );
});
