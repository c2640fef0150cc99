/**
 * `mapscope goroutines` and `inspect --goroutine G --frame F` against gorolocals' ground truth:
 * every goroutine holding a map in a local or parameter is listed with its state and the frame
 * of the function that holds it, and the map read from that frame is exactly the program's own
 * (address, count, entries, and type: a generic function's maps are named as instantiated, from
 * its dictionary, or by their shapes where it keeps none). Live (the process left running and
 * untraced) and from the kernel's core, where one goroutine crashed and another was spinning, on
 * a Swiss and a classic toolchain; and from the kernel's core of a Go 1.19 build, whose crashed
 * goroutine gdb reaches only through the registers its signal interrupted.
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram } from './build.js';
import { type InspectJson, multiset } from './compare.js';
import { qemuCore, qemuMissing } from './cross.js';
import {
  GOROLOCALS_ARM64_TOOLCHAIN,
  GOROLOCALS_CORE_ONLY,
  GOROLOCALS_SRC,
  type GoroutineTruth,
  type GorolocalsTruth,
  gorolocalsArm64Path,
  gorolocalsPath,
  gorolocalsToolchains,
} from './gorolocals.js';
import { kernelCore, mapscope, processStatus, startProgram } from './harness.js';

interface OutFrame {
  index: number;
  function: string;
  file: string;
  line: number;
  pc: string;
  sp: string;
  inlined?: boolean;
}

interface OutGoroutine {
  id: number;
  status: string;
  waitReason?: string;
  thread?: number;
  frames: OutFrame[];
  createdBy?: { function: string };
}

interface GoroutinesJson {
  schema: string;
  target: { kind: string; pid: number | null; goVersion: string };
  goroutines: OutGoroutine[];
}

async function listGoroutines(target: readonly string[]): Promise<GoroutinesJson> {
  const r = await mapscope(['goroutines', ...target, '--json']);
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  return JSON.parse(r.stdout) as GoroutinesJson;
}

/** The goroutine's state as Go's traceback named it: a wait reason, "syscall" or "running". */
function expectState(g: OutGoroutine, t: GoroutineTruth): void {
  const what = `goroutine ${t.goid} (${t.function})`;
  if (t.status === 'running') {
    // The spinner may just have been preempted (by sysmon, or by the crash stopping the world).
    const allowed = t.function === 'main.busyHolder' ? ['running', 'runnable'] : ['running'];
    expect(allowed, `${what}: status ${g.status}`).toContain(g.status);
    if (g.status === 'running') expect(g.thread, `${what}: thread`).toBeGreaterThan(0);
  } else if (t.status === 'syscall') {
    expect(g.status, `${what}: status`).toBe('syscall');
    expect(g.thread, `${what}: thread`).toBeGreaterThan(0);
  } else {
    expect(g.status, `${what}: status`).toBe('waiting');
    expect(g.waitReason, `${what}: wait reason`).toBe(t.status);
  }
}

/**
 * Whether a frame is of the truth's function. runtime.FuncForPC elides a generic function's type
 * arguments (`main.setHolder[...]`); the frame is the shape instance DWARF names
 * (`main.setHolder[go.shape.string,go.shape.int]`).
 */
function sameFunction(frame: string, truth: string): boolean {
  if (!truth.endsWith('[...]')) return frame === truth;
  const generic = truth.slice(0, -'[...]'.length);
  return frame.startsWith(`${generic}[go.shape.`) && frame.endsWith(']');
}

/** The generic holders are there: named from the dictionary twice, by their shapes once. */
function expectGenericHolders(truth: GorolocalsTruth): void {
  const generic = truth.goroutines.filter((g) => g.function.endsWith('[...]'));
  expect(generic.map((g) => `${g.function}${g.shapes ? ' (shapes)' : ''}`).sort()).toEqual([
    'main.setHolder[...]',
    'main.setHolder[...]',
    'main.shapeHolder[...] (shapes)',
  ]);
  expect(generic.flatMap((g) => g.locals.map((l) => l.type)).sort()).toEqual([
    'map[main.pairKey]string',
    'map[main.pairKey]struct {}',
    'map[string]int',
    'map[string]int',
    'map[string]struct {}',
  ]);
}

/** Checks the listing against the truth; returns, per truth goroutine, the frame of its function. */
function expectListed(out: GoroutinesJson, truth: GorolocalsTruth, kind: 'live' | 'core'): Map<number, number> {
  expect(out.schema).toBe('mapscope/goroutines@1');
  expect(out.target.kind).toBe(kind);
  expect(out.target.goVersion).toBe(truth.goVersion);
  const frames = new Map<number, number>();
  for (const t of truth.goroutines) {
    const listed = out.goroutines.filter((g) => g.id === t.goid);
    expect(listed, `goroutine ${t.goid} listed once`).toHaveLength(1);
    const g = listed[0];
    expectState(g, t);
    const frame = g.frames.find((f) => sameFunction(f.function, t.function));
    expect(frame, `goroutine ${t.goid}: a frame of ${t.function} in ${g.frames.map((f) => f.function).join(', ')}`).toBeDefined();
    expect(g.createdBy?.function).toBe('main.startHolders');
    frames.set(t.goid, frame?.index ?? -1);
  }
  return frames;
}

/** The crashed goroutine's own frames, from where it panicked out to where it started. */
function expectCrashedFrames(listing: GoroutinesJson, truth: GorolocalsTruth): void {
  const crasher = truth.goroutines.find((g) => g.function === 'main.crashHolder');
  if (!crasher) throw new Error('truth has no crashHolder');
  const frames = listing.goroutines.find((g) => g.id === crasher.goid)?.frames.map((f) => f.function) ?? [];
  const at = frames.indexOf('main.crashHolder');
  expect(frames.slice(at - 1, at + 1), frames.join(', ')).toEqual(['main.explode', 'main.crashHolder']);
  expect(frames.at(-1), frames.join(', ')).toBe('runtime.goexit');
}

/** Each goroutine's locals, read from the frame the listing named, equal the truth. */
async function expectLocalsRead(target: readonly string[], truth: GorolocalsTruth, frames: Map<number, number>, live: boolean): Promise<void> {
  for (const t of truth.goroutines) {
    const exprs = t.locals.map((l) => l.expr);
    // A running goroutine's frames move between two attaches (the scheduler may have preempted
    // it into runtime.asyncPreempt meanwhile): its frame number from the listing no longer holds,
    // and it is found by the default, the innermost frame with such a local. Parked ones stay put.
    const where = live && t.status === 'running' ? [] : ['--frame', String(frames.get(t.goid))];
    const r = await mapscope(['inspect', ...exprs, ...target, '--goroutine', String(t.goid), ...where, '--json']);
    const what = `goroutine ${t.goid} (${t.function})`;
    expect(r.exitCode, `${what}: ${r.stderr}${r.stdout.slice(0, 2000)}`).toBe(0);
    const out = JSON.parse(r.stdout) as InspectJson;
    expect(out.maps.map((m) => m.expr)).toEqual(exprs);
    out.maps.forEach((m, i) => {
      const l = t.locals[i];
      expect(m.error, `${what} ${l.expr}: error`).toBeUndefined();
      if (t.shapes) {
        // No dictionary to name it by: laid out as the shape's underlying type, named as the shape.
        expect(m.type, `${what} ${l.expr}: type`).toMatch(/^map\[go\.shape\./);
        expect(m.keyType, `${what} ${l.expr}: key type`).toMatch(/^go\.shape\./);
      } else {
        expect(m.type, `${what} ${l.expr}: type`).toBe(l.type);
      }
      expect(m.address, `${what} ${l.expr}: address`).toBe(l.address);
      expect(m.count, `${what} ${l.expr}: count`).toBe(l.count);
      expect(multiset(m.entries), `${what} ${l.expr}: entries`).toEqual(multiset(l.entries));
    });
  }
}

/** Runs `body` against a live gorolocals, stopped after. */
async function withLive(exe: string, body: (pid: number, truth: GorolocalsTruth) => Promise<void>): Promise<void> {
  const prog = await startProgram(exe);
  try {
    await body(prog.pid, prog.truth as unknown as GorolocalsTruth);
  } finally {
    await prog.stop();
  }
}

// Each test has a process or core of its own, so they run side by side: most of a mapscope run
// is spent starting node and gdb, not reading.
describe.each(gorolocalsToolchains().map((tc) => [tc.id, tc] as const))('goroutine locals, %s', (_id, tc) => {
  const exe = gorolocalsPath(tc.id);

  // Go 1.19 adds only the crashed goroutine's signal frame, which only a core has.
  if (!GOROLOCALS_CORE_ONLY.includes(tc.id)) {
    it.concurrent('live: lists every goroutine with its state and frames, reads each local map exactly, leaves the process running', async () => {
      await withLive(exe, async (pid, truth) => {
        expectGenericHolders(truth);
        const target = ['--pid', String(pid)];
        const frames = expectListed(await listGoroutines(target), truth, 'live');
        await expectLocalsRead(target, truth, frames, true);
        // The text form reads like Go's traceback headers, with frame numbers.
        const r = await mapscope(['goroutines', ...target]);
        expect(r.exitCode).toBe(0);
        for (const t of truth.goroutines.filter((g) => g.status !== 'running' && g.status !== 'syscall')) {
          expect(r.stdout).toContain(`goroutine ${t.goid} [${t.status}]:`);
        }
        expect(r.stdout).toMatch(/ #\d+ main\.recvHolder at \S+holders\.go:\d+\n/);
        // Read-only attach, then detach: the program runs on, traced by nobody.
        const st = processStatus(pid);
        expect(st.tracerPid).toBe(0);
        expect(['R', 'S']).toContain(st.state);
      });
    });
  }

  it.concurrent('kernel core (GOTRACEBACK=crash): lists and reads every goroutine, the crashed one too', async () => {
    const crashed = await kernelCore(exe);
    try {
      const truth = crashed.truth as unknown as GorolocalsTruth;
      expectGenericHolders(truth);
      const target = ['--core', crashed.core, '--exe', exe];
      const listing = await listGoroutines(target);
      const frames = expectListed(listing, truth, 'core');
      expectCrashedFrames(listing, truth);
      await expectLocalsRead(target, truth, frames, false);
    } finally {
      rmSync(crashed.dir, { recursive: true, force: true });
    }
  });
});

// arm64, from a qemu-user core: the crashed goroutine (through its signal context, as on Go 1.19
// amd64) and the generic holders (the dictionary in the first spill slot, past the saved LR).
// The other holders add nothing arm64-specific.
describe('goroutine locals, arm64 (qemu-user core)', () => {
  const tc = gorolocalsToolchains().find((t) => t.id === GOROLOCALS_ARM64_TOOLCHAIN);
  const missing = qemuMissing('arm64') ?? (tc ? undefined : `${GOROLOCALS_ARM64_TOOLCHAIN} is not installed`);
  if (missing) console.warn(`[mapscope tests] skipping gorolocals on arm64: ${missing}`);

  it.skipIf(missing !== undefined)(
    `${GOROLOCALS_ARM64_TOOLCHAIN}: lists and reads the crashed goroutine and the generic holders`,
    async () => {
      if (!tc) throw new Error('no toolchain');
      const exe = gorolocalsArm64Path(tc.id);
      // Built here, not in the global setup, which builds for this machine only; cached by source hash.
      await buildProgram(GOROLOCALS_SRC, tc, exe, { GOARCH: 'arm64' });
      const crashed = await qemuCore(exe, 'arm64');
      try {
        const all = crashed.truth as unknown as GorolocalsTruth;
        expect(all.goarch).toBe('arm64');
        expectGenericHolders(all);
        const truth = { ...all, goroutines: all.goroutines.filter((g) => g.function === 'main.crashHolder' || g.function.endsWith('[...]')) };
        const target = ['--core', crashed.core, '--exe', exe];
        const listing = await listGoroutines(target);
        const frames = expectListed(listing, truth, 'core');
        expectCrashedFrames(listing, truth);
        await expectLocalsRead(target, truth, frames, false);
      } finally {
        rmSync(crashed.dir, { recursive: true, force: true });
      }
    },
    300_000,
  );
});

describe('goroutine locals: wrong goroutines, frames and locals', () => {
  const [tc] = gorolocalsToolchains();
  it.concurrent(`a per-map error for each, a one-line usage error for bad options (${tc.id})`, async () => {
    await withLive(gorolocalsPath(tc.id), async (pid, truth) => {
      const target = ['--pid', String(pid)];
      const recv = truth.goroutines.find((g) => g.function === 'main.recvHolder');
      if (!recv) throw new Error('truth has no recvHolder');
      const f = String(expectListed(await listGoroutines(target), truth, 'live').get(recv.goid));
      const g = String(recv.goid);
      const cases: [string[], RegExp][] = [
        [['--goroutine', '999999', 'm'], /^no goroutine 999999 \(it does not exist, or it has exited\)$/],
        [['--goroutine', g, '--frame', '300', 'm'], new RegExp(`^goroutine ${g} has \\d+ frames \\(0-\\d+\\), not frame 300$`)],
        [['--goroutine', g, '--frame', f, 'nosuch'], new RegExp(`^no local or parameter nosuch in frame ${f} \\(main\\.recvHolder\\) of goroutine ${g} \\(it has m\\)$`)],
        [['--goroutine', g, 'nosuch'], new RegExp(`^no frame of goroutine ${g} has a local or parameter nosuch$`)],
      ];
      for (const [args, message] of cases) {
        const r = await mapscope(['inspect', ...target, ...args, '--json']);
        expect(r.exitCode, args.join(' ')).toBe(1);
        const out = JSON.parse(r.stdout) as InspectJson;
        expect(out.maps[0].error).toMatch(message);
      }
      for (const args of [['inspect', 'm', '--goroutine', 'x'], ['inspect', 'm', '--frame', '2'], ['goroutines', 'extra']]) {
        const r = await mapscope([...args, ...target]);
        expect(r.exitCode, args.join(' ')).toBe(2);
        expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      }
      expect(processStatus(pid).tracerPid).toBe(0);
    });
  });
});
