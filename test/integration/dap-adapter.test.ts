/**
 * The debug adapter (dist/dap/main.js) driven as a separate process over stdio with
 * @vscode/debugadapter-testsupport's DebugClient, against real gdb and the mapsuite program:
 * attached live and opened on a kernel core dump, for the machine's Go (Swiss maps) and one
 * classic toolchain. Entries and internals are checked against the program's own ground truth
 * and against `mapscope inspect --json`.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, describe, expect, it } from 'vitest';
import { type InspectJson, canonical, multiset } from './compare.js';
import { type Truth, kernelCore, mapscope, processStatus, startProgram } from './harness.js';
import { ROOT, programPath } from './paths.js';
import { type Toolchain, presentToolchains } from './toolchains.js';

const ADAPTER = join(ROOT, 'dist', 'dap', 'main.js');
const BIG = 'main.strIntBig';
/** A few hundred entries, mid-grow on classic builds: paged in full and compared as a multiset. */
const PAGED = 'main.growingInts';
const FLOATS = 'main.float64Str';

type Variable = DebugProtocol.Variable;
type InspectMap = InspectJson['maps'][number] & { analysis?: Record<string, Record<string, unknown>> };

/** The machine's Go (Swiss) and one classic toolchain, as present. */
function dapToolchains(): Toolchain[] {
  const present = presentToolchains();
  const swiss = present.find((t) => t.id === 'go1.26') ?? present.find((t) => t.impl === 'swiss');
  const classic = ['go1.24-noswissmap', 'go1.23', 'go1.22', 'go1.21', 'go1.19'].map((id) => present.find((t) => t.id === id)).find(Boolean);
  // Go 1.27's split groups (keys [8]K; elems [8]V) through [internals] and the analysis too.
  const split = present.find((t) => t.id === 'go1.27-mapsplitgroup');
  return [swiss, classic, split].filter((t): t is Toolchain => t !== undefined);
}

let clients: DebugClient[] = [];

/** Ends a client's adapter: disconnect (which detaches), or, if the adapter does not answer, kill it. */
async function stopClient(dc: DebugClient): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, 10_000)));
  await Promise.race([dc.stop().catch(() => undefined), timeout]);
  clearTimeout(timer);
  killAdapter(dc);
}

/** SIGTERM to the adapter process (DebugClient's own stopAdapter, private in its types). */
function killAdapter(dc: DebugClient): void {
  (dc as unknown as { stopAdapter(): void }).stopAdapter();
}

afterEach(async () => {
  await Promise.all(clients.map(stopClient));
  clients = [];
});

async function startClient(): Promise<DebugClient> {
  const dc = new DebugClient('node', ADAPTER, 'mapscope-go', { cwd: ROOT });
  dc.defaultTimeout = 15_000;
  await dc.start();
  clients.push(dc);
  return dc;
}

/** attach or launch, then the configuration sequence; events are waited for before they can arrive. */
async function configure(dc: DebugClient, open: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const initialized = dc.waitForEvent('initialized');
  const stopped = dc.waitForEvent('stopped');
  await open();
  await initialized;
  await dc.configurationDoneRequest();
  return (await stopped) as DebugProtocol.StoppedEvent;
}

async function children(dc: DebugClient, ref: number, args: Partial<DebugProtocol.VariablesArguments> = {}): Promise<Variable[]> {
  return (await dc.variablesRequest({ variablesReference: ref, ...args })).body.variables;
}

function named(vars: Variable[], name: string): Variable {
  const v = vars.find((x) => x.name === name);
  if (!v) throw new Error(`no variable ${name} among ${vars.map((x) => x.name).join(', ')}`);
  return v;
}

async function path(dc: DebugClient, from: Variable, ...names: string[]): Promise<Variable> {
  let v = from;
  for (const n of names) v = named(await children(dc, v.variablesReference), n);
  return v;
}

/** `"key-1": 3` or `-5: 5`: both sides are JSON for scalar keys and values. */
function parseEntry(value: string): { key: unknown; value: unknown } {
  const m = /^("(?:[^"\\]|\\.)*"|[^:]+): (.*)$/.exec(value);
  if (!m) throw new Error(`not an entry line: ${value}`);
  return { key: JSON.parse(m[1]), value: JSON.parse(m[2]) };
}

function truthMap(truth: Truth, expr: string): Truth['maps'][number] {
  const m = truth.maps.find((x) => x.expr === expr);
  if (!m) throw new Error(`${expr} not in the truth`);
  return m;
}

async function inspectCli(target: string[], exprs: string[]): Promise<InspectJson> {
  const r = await mapscope(['inspect', ...exprs, ...target, '--json']);
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  return JSON.parse(r.stdout) as InspectJson;
}

/** Every check that holds for a live process and a core alike. */
function withoutStoppedMs(j: InspectJson): InspectJson {
  return { ...j, target: { ...j.target, stoppedMs: 0 } };
}

async function checkSession(dc: DebugClient, stopped: DebugProtocol.StoppedEvent, truth: Truth, cli: InspectJson): Promise<void> {
  // Threads and stacks.
  const threads = (await dc.threadsRequest()).body.threads;
  expect(threads.length).toBeGreaterThan(0);
  expect(threads.map((t) => t.id)).toContain(stopped.body.threadId);
  const stack = (await dc.stackTraceRequest({ threadId: stopped.body.threadId ?? threads[0].id })).body;
  expect(stack.stackFrames.length).toBeGreaterThan(0);
  expect(stack.totalFrames).toBeGreaterThanOrEqual(stack.stackFrames.length);
  expect(stack.stackFrames[0].name).not.toBe('');
  const scopes = (await dc.scopesRequest({ frameId: stack.stackFrames[0].id })).body.scopes;
  expect(scopes.map((s) => s.name)).toEqual(['Locals', 'Globals']);
  const globals = await children(dc, scopes[1].variablesReference);
  expect(named(globals, BIG).indexedVariables).toBe(truthMap(truth, BIG).count);

  // A big map: its count, its header address, and a page from its middle.
  const bigTruth = truthMap(truth, BIG);
  const big = (await dc.evaluateRequest({ expression: BIG, context: 'repl' })).body;
  expect(big.indexedVariables).toBe(bigTruth.count);
  expect(big.namedVariables).toBe(1);
  expect(big.memoryReference).toBe(bigTruth.address);
  expect(big.result).toContain('len=5000');
  const page = await children(dc, big.variablesReference, { filter: 'indexed', start: 100, count: 50 });
  expect(page.map((v) => v.name)).toEqual(Array.from({ length: 50 }, (_, i) => `[${100 + i}]`));
  const truthEntries = new Set(bigTruth.entries.map(canonical));
  for (const v of page) expect(truthEntries.has(canonical(parseEntry(v.value))), v.value).toBe(true);
  // The same page is the same slice of the memory order `inspect --json` lists.
  const cliBig = cli.maps.find((m) => m.expr === BIG) as InspectMap;
  expect(page.map((v) => canonical(parseEntry(v.value)))).toEqual(cliBig.entries.slice(100, 150).map(canonical));

  // A map of a few hundred entries, all pages together: exactly the program's entries.
  const pagedTruth = truthMap(truth, PAGED);
  const paged = (await dc.evaluateRequest({ expression: PAGED, context: 'watch' })).body;
  expect(paged.indexedVariables).toBe(pagedTruth.count);
  const all: unknown[] = [];
  for (let start = 0; start < (paged.indexedVariables ?? 0); start += 100) {
    const vars = await children(dc, paged.variablesReference, { filter: 'indexed', start, count: 100 });
    all.push(...vars.map((v) => parseEntry(v.value)));
  }
  expect(multiset(all)).toEqual(multiset(pagedTruth.entries));

  await checkInternals(dc, big, cliBig);

  // mapscope/inspect: the contract JSON itself, -0 keys included.
  // Each says how long its own session has kept a live target stopped: the rest is the same.
  const custom = await dc.send('mapscope/inspect', { expression: [BIG, FLOATS] });
  expect(typeof (custom.body as InspectJson).target.stoppedMs).toBe(cli.target.stoppedMs === null ? 'object' : 'number');
  expect(withoutStoppedMs(custom.body as InspectJson)).toEqual(withoutStoppedMs(cli));
  const limited = await dc.send('mapscope/inspect', { expression: BIG, limit: 3 });
  expect((limited.body as InspectJson).maps[0].entries).toEqual(cliBig.entries.slice(0, 3));

  // readMemory of the map header: its first word is the live count.
  const mem = (await dc.send('readMemory', { memoryReference: big.memoryReference, count: 8 })).body as DebugProtocol.ReadMemoryResponse['body'];
  expect(mem?.address).toBe(bigTruth.address);
  expect(mem?.unreadableBytes ?? 0).toBe(0);
  expect(Buffer.from(mem?.data ?? '', 'base64').readBigUInt64LE(0)).toBe(BigInt(bigTruth.count));
  const nothing = (await dc.send('readMemory', { memoryReference: '0x0', count: 16 })).body as DebugProtocol.ReadMemoryResponse['body'];
  expect(nothing?.unreadableBytes).toBe(16);

  // A struct global shows its fields, Go-style; its map field pages like any map.
  const cfg = (await dc.evaluateRequest({ expression: 'main.cfg', context: 'hover' })).body;
  expect(cfg.result).toBe('main.Config{Name: "cfg", byName: map[string]int len=3}');
  const fields = await children(dc, cfg.variablesReference);
  expect(named(fields, 'Name').value).toBe('"cfg"');
  const byName = named(fields, 'byName');
  expect(byName.indexedVariables).toBe(3);
  const entries = await children(dc, byName.variablesReference, { filter: 'indexed', start: 0, count: 3 });
  expect(multiset(entries.map((v) => parseEntry(v.value)))).toEqual(multiset(truthMap(truth, 'main.cfg.byName').entries));
  // A pointer to a struct reads as Go writes it and expands to the pointee's fields.
  const srv = (await dc.evaluateRequest({ expression: 'main.srv', context: 'repl' })).body;
  expect(srv.result).toMatch(/^&main\.Server\{Addr: ":8080", cache: map\[string\]\*main\.Point len=2\}$/);
  expect((await children(dc, srv.variablesReference)).map((v) => v.name)).toEqual(['Addr', 'cache']);

  await expect(dc.evaluateRequest({ expression: 'main.noSuchVariable', context: 'repl' })).rejects.toThrow(/No symbol/);
  await expect(dc.continueRequest({ threadId: threads[0].id })).rejects.toThrow(/cannot continue/);
  await expect(dc.nextRequest({ threadId: threads[0].id })).rejects.toThrow(/cannot step over/);
}

/** `[internals]` agrees with `inspect --json` for the same map: header, buckets or tables, bytes, analysis. */
async function checkInternals(dc: DebugClient, big: DebugProtocol.EvaluateResponse['body'], cliBig: InspectMap): Promise<void> {
  const [internals] = await children(dc, big.variablesReference, { filter: 'named' });
  expect(internals.name).toBe('[internals]');
  const parts = await children(dc, internals.variablesReference);
  const header = await children(dc, named(parts, 'header').variablesReference);
  if (cliBig.implementation === 'classic') {
    const c = cliBig.classic as { B: number; count?: number; buckets: { tophash: number[]; overflow: unknown[] }[] };
    expect(Number(named(header, 'B').value)).toBe(c.B);
    expect(Number(named(header, 'count').value)).toBe(cliBig.count);
    const buckets = named(parts, 'buckets');
    expect(buckets.indexedVariables).toBe(c.buckets.length);
    const [b0] = await children(dc, buckets.variablesReference, { filter: 'indexed', start: 0, count: 1 });
    const tophash = await children(dc, (await path(dc, b0, 'tophash')).variablesReference, { filter: 'indexed', start: 0, count: 8 });
    expect(tophash.map((v) => Number(v.value))).toEqual(c.buckets[0].tophash);
    const last = c.buckets.length - 1;
    const [bl] = await children(dc, buckets.variablesReference, { filter: 'indexed', start: last, count: 1 });
    expect(bl.name).toBe(`[${last}]`);
  } else {
    const s = cliBig.swiss as { dirLen: number; used: number; tables: { groups: { ctrl: number[] }[] }[] };
    expect(Number(named(header, 'dirLen').value)).toBe(s.dirLen);
    expect(Number(named(header, 'used').value)).toBe(s.used);
    const tables = named(parts, 'tables');
    expect(tables.indexedVariables).toBe(s.tables.length);
    const [t0] = await children(dc, tables.variablesReference, { filter: 'indexed', start: 0, count: 1 });
    const groups = await path(dc, t0, 'groups');
    expect(groups.indexedVariables).toBe(s.tables[0].groups.length);
    const [g0] = await children(dc, groups.variablesReference, { filter: 'indexed', start: 0, count: 1 });
    const ctrl = await children(dc, (await path(dc, g0, 'ctrl')).variablesReference, { filter: 'indexed', start: 0, count: 8 });
    expect(ctrl.map((v) => Number(v.value))).toEqual(s.tables[0].groups[0].ctrl);
    // The group's arrangement, as the CLI's analysis gives it (split on Go 1.27 mapsplitgroup).
    const g = (cliBig.analysis ?? {}).gc.group as { arrangement: string; keysOff: number; keyStride: number; elemsOff: number; elemStride: number };
    expect(named(parts, 'groupLayout').value).toMatch(new RegExp(`^${g.arrangement}: .*key i at ${g.keysOff} \\+ ${g.keyStride}·i, elem i at ${g.elemsOff} \\+ ${g.elemStride}·i$`));
  }
  const analysis = named(parts, 'analysis');
  const a = cliBig.analysis ?? {};
  const occupancy = await children(dc, (await path(dc, analysis, 'occupancy')).variablesReference);
  expect(JSON.parse(named(occupancy, 'slots').value)).toBe(a.occupancy.slots);
  expect(JSON.parse(named(occupancy, 'loadFactor').value)).toBe(a.occupancy.loadFactor);
  const memory = await children(dc, (await path(dc, analysis, 'memory')).variablesReference);
  for (const f of ['total', 'payload', 'stringData', 'controlBytes']) expect(JSON.parse(named(memory, f).value), f).toBe(a.memory[f]);
  const gc = await children(dc, (await path(dc, analysis, 'gc')).variablesReference);
  expect(JSON.parse(named(gc, 'bitmap').value)).toBe(a.gc.bitmap);
  expect(JSON.parse(named(gc, 'scanBytes').value)).toBe(a.gc.scanBytes);
  const findings = await path(dc, analysis, 'findings');
  expect(findings.indexedVariables ?? 0).toBe((cliBig.analysis?.findings as unknown as unknown[]).length);
}

describe('debug adapter: initialize', () => {
  it('advertises what it does and no run control', async () => {
    const dc = await startClient();
    const caps = (await dc.initializeRequest()).body ?? {};
    expect(caps.supportsConfigurationDoneRequest).toBe(true);
    expect(caps.supportsReadMemoryRequest).toBe(true);
    expect(caps.supportsEvaluateForHovers).toBe(true);
    for (const k of ['supportsStepBack', 'supportsRestartRequest', 'supportsSetVariable', 'supportsTerminateRequest', 'supportsSteppingGranularity'] as const) {
      expect(caps[k], k).toBeFalsy();
    }
  });

  it('refuses a bad attach and a launch without a core, with a one-line reason', async () => {
    const dc = await startClient();
    await dc.initializeRequest();
    await expect(dc.attachRequest({ processId: 'not-a-pid' } as DebugProtocol.AttachRequestArguments)).rejects.toThrow(/processId/);
    await expect(dc.launchRequest({ program: '/bin/true' } as DebugProtocol.LaunchRequestArguments)).rejects.toThrow(/coreFilePath/);
    await expect(dc.attachRequest({ processId: 999_999_999 } as DebugProtocol.AttachRequestArguments)).rejects.toThrow(/^no process with pid 999999999$/);
  });
});

describe.each(dapToolchains().map((tc) => [tc.id, tc] as const))('debug adapter, %s', (_id, tc) => {
  const exe = programPath(tc.id);

  it('live attach (pid as a string): threads, stacks, paged entries, internals, inspect; disconnect leaves it running', { timeout: 30_000 }, async () => {
    const prog = await startProgram(exe);
    try {
      // Only one tracer at a time: the CLI reads the reference first, then the adapter attaches.
      const cli = await inspectCli(['--pid', String(prog.pid)], [BIG, FLOATS]);
      const dc = await startClient();
      await dc.initializeRequest();
      const stopped = await configure(dc, () => dc.attachRequest({ processId: String(prog.pid) } as DebugProtocol.AttachRequestArguments));
      expect(stopped.body.reason).toBe('pause');
      expect(processStatus(prog.pid).tracerPid).not.toBe(0);
      await checkSession(dc, stopped, prog.truth, cli);
      await dc.disconnectRequest({});
      const st = processStatus(prog.pid);
      expect(st.tracerPid).toBe(0);
      expect(['S', 'R']).toContain(st.state);
      await new Promise((r) => setTimeout(r, 200));
      expect(['S', 'R']).toContain(processStatus(prog.pid).state);
    } finally {
      await prog.stop();
    }
  });

  it('an adapter ended by SIGTERM while attached still detaches: the process runs on', { timeout: 30_000 }, async () => {
    const prog = await startProgram(exe);
    try {
      const dc = await startClient();
      await dc.initializeRequest();
      await configure(dc, () => dc.attachRequest({ processId: prog.pid } as DebugProtocol.AttachRequestArguments));
      expect(processStatus(prog.pid).tracerPid).not.toBe(0);
      killAdapter(dc);
      clients = clients.filter((c) => c !== dc);
      let st = processStatus(prog.pid);
      for (let i = 0; i < 100 && st.tracerPid !== 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        st = processStatus(prog.pid);
      }
      expect(st.tracerPid).toBe(0);
      expect(['S', 'R']).toContain(st.state);
    } finally {
      await prog.stop();
    }
  });

  it('core launch (coreFilePath + program): the same views, no run control', { timeout: 30_000 }, async () => {
    const crashed = await kernelCore(exe);
    try {
      const cli = await inspectCli(['--core', crashed.core, '--exe', exe], [BIG, FLOATS]);
      const dc = await startClient();
      await dc.initializeRequest();
      const stopped = await configure(dc, () => dc.launchRequest({ coreFilePath: crashed.core, program: exe } as DebugProtocol.LaunchRequestArguments));
      expect(stopped.body.reason).toBe('exception');
      expect(stopped.body.text).toBe('core dump: SIGABRT');
      await checkSession(dc, stopped, crashed.truth, cli);
      // The panicking goroutine's thread ends in main.main; its locals are there to read.
      const frames = (await dc.stackTraceRequest({ threadId: stopped.body.threadId ?? 1 })).body.stackFrames;
      const mainFrame = frames.find((f) => f.name === 'main.main');
      expect(mainFrame?.source?.name).toBe('main.go');
      const [locals] = (await dc.scopesRequest({ frameId: mainFrame?.id ?? 0 })).body.scopes;
      expect((await children(dc, locals.variablesReference)).map((v) => v.name)).toContain('truthPath');
      // mapscope/inspect in a frame (as the extension asks, with the selected frame) reads the same map.
      const inFrame = await dc.send('mapscope/inspect', { expression: BIG, frameId: mainFrame?.id });
      expect((inFrame.body as InspectJson).maps).toEqual([cli.maps[0]]);
      await expect(dc.stepInRequest({ threadId: stopped.body.threadId ?? 1 })).rejects.toThrow(/core dump/);
      await expect(dc.pauseRequest({ threadId: stopped.body.threadId ?? 1 })).rejects.toThrow(/core dump/);
    } finally {
      rmSync(crashed.dir, { recursive: true, force: true });
    }
  });
});
