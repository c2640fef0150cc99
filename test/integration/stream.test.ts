/**
 * inspect --jsonl and --stats through real gdb, against mapsuite's own ground truth: every map's
 * entries streamed (in chunks of one bucket array byte, so every chunk boundary, overflow chain
 * and half-evacuated grow is crossed), its statistics equal to the program's own analysis, a
 * limit honoured, a live process left running, and a progress line only on a terminal.
 */
import { rmSync } from 'node:fs';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDiff, expectStderrWarnings, multiset } from './compare.js';
import { type CrashedProgram, kernelCore, mapscope, processStatus, startProgram, type TruthMap } from './harness.js';
import { CLI, cliArgs, programPath } from './paths.js';
import { TOOLCHAINS, available } from './toolchains.js';

interface Line {
  schema?: string;
  map?: { expr: string; address: string | null; type: string; count: number; implementation: string };
  end?: { expr: string; entries: number; analysis?: unknown; error?: string; warnings?: string[] };
  key?: unknown;
  value?: unknown;
}

/** The JSON Lines split per map: its map line, entries and end line. */
function perMap(stdout: string): { head: Line; maps: { map: Line['map']; entries: unknown[]; end: Line['end'] }[] } {
  const lines = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Line);
  const head = lines.shift() as Line;
  const maps: { map: Line['map']; entries: unknown[]; end: Line['end'] }[] = [];
  for (const l of lines) {
    if (l.map) maps.push({ map: l.map, entries: [], end: undefined });
    else if (l.end) maps[maps.length - 1].end = l.end;
    else maps[maps.length - 1].entries.push({ key: l.key, value: l.value });
  }
  return { head, maps };
}

/** The truth's analysis less what --stats leaves out: per-bucket and per-group line use. */
function statsOf(t: TruthMap): unknown {
  const a = JSON.parse(JSON.stringify((t as TruthMap & { analysis?: unknown }).analysis ?? null)) as { cacheLines?: Record<string, unknown> } | null;
  if (a?.cacheLines) {
    delete a.cacheLines.buckets;
    delete a.cacheLines.groups;
  }
  return a;
}

const SMALL_CHUNKS = { MAPSCOPE_CHUNK_BYTES: '1' };

async function run(args: string[], env: Record<string, string> = {}) {
  const r = await execa('node', [CLI, ...cliArgs(args)], { reject: false, env, stdin: 'ignore', maxBuffer: 1 << 30, timeout: 180_000 });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

const chosen = TOOLCHAINS.filter((tc) => ['go1.26', 'go1.19', 'go1.24-noswissmap'].includes(tc.id));
for (const tc of chosen) if (!available(tc)) console.warn(`[mapscope tests] skipping ${tc.id} in stream.test.ts: ${tc.go} is not installed`);

describe.each(chosen.filter(available).map((tc) => [tc.id, tc] as const))('streamed, %s kernel core', (_id, tc) => {
  const exe = programPath(tc.id);
  let crashed: CrashedProgram;
  let exprs: string[];
  beforeAll(async () => {
    crashed = await kernelCore(exe);
    exprs = crashed.truth.maps.map((m) => m.expr);
  });
  afterAll(() => rmSync(crashed.dir, { recursive: true, force: true }));

  it('--jsonl: every map line, every entry and every end line, in chunks of one bucket or table', async () => {
    const r = await run(['inspect', ...exprs, '--core', crashed.core, '--exe', exe, '--jsonl'], SMALL_CHUNKS);
    expect(r.exitCode).toBe(0);
    expectStderrWarnings(r.stderr, crashed.truth);
    const { head, maps } = perMap(r.stdout);
    expect(head.schema).toBe('mapscope/entries@1');
    expect(maps.length).toBe(crashed.truth.maps.length);
    crashed.truth.maps.forEach((t, i) => {
      const m = maps[i];
      expect(m.map?.expr).toBe(t.expr);
      expect(m.map?.address).toBe(t.address);
      expect(m.map?.count, t.expr).toBe(t.count);
      expect(multiset(m.entries), t.expr).toEqual(multiset(t.entries));
      expect(m.end?.entries).toBe(t.entries.length);
      expect(m.end?.error).toBeUndefined();
    });
  });

  it('--stats --json: the analysis equals the program own, less per-block line use; no entries', async () => {
    const r = await run(['inspect', ...exprs, '--core', crashed.core, '--exe', exe, '--stats', '--json'], SMALL_CHUNKS);
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as { schema: string; maps: { expr: string; count: number; analysis: unknown; entries?: unknown }[] };
    expect(out.schema).toBe('mapscope/stats@1');
    crashed.truth.maps.forEach((t, i) => {
      const m = out.maps[i];
      expect(m.entries).toBeUndefined();
      expect(m.count).toBe(t.count);
      expect(closeDiff(m.analysis, statsOf(t), '', new Set(['message', 'type'])), `${t.expr}: analysis`).toBeUndefined();
    });
  });

  it('--jsonl --stats --limit 2: two entries a map, each a true one, and the analysis in the end line', async () => {
    const r = await run(['inspect', ...exprs, '--core', crashed.core, '--exe', exe, '--jsonl', '--stats', '--limit', '2']);
    expect(r.exitCode).toBe(0);
    const { maps } = perMap(r.stdout);
    crashed.truth.maps.forEach((t, i) => {
      const m = maps[i];
      expect(m.entries.length).toBe(Math.min(2, t.entries.length));
      const truth = new Set(multiset(t.entries));
      for (const e of multiset(m.entries)) expect(truth.has(e), `${t.expr}: ${e}`).toBe(true);
      expect(m.end?.entries).toBe(m.entries.length);
      expect(closeDiff(m.end?.analysis, statsOf(t), '', new Set(['message', 'type'])), `${t.expr}: analysis`).toBeUndefined();
    });
  });
});

describe('streamed from a live process', () => {
  const [tc] = TOOLCHAINS.filter(available);
  it(`--jsonl --pid (${tc.id}): every entry, and the process runs on untraced`, async () => {
    const prog = await startProgram(programPath(tc.id));
    try {
      const exprs = prog.truth.maps.map((m) => m.expr);
      const r = await run(['inspect', ...exprs, '--pid', String(prog.pid), '--jsonl'], SMALL_CHUNKS);
      expect(r.exitCode).toBe(0);
      const { maps } = perMap(r.stdout);
      prog.truth.maps.forEach((t, i) => expect(multiset(maps[i].entries), t.expr).toEqual(multiset(t.entries)));
      const st = processStatus(prog.pid);
      expect(st.state).not.toMatch(/^[tT]/);
      expect(st.tracerPid).toBe(0);
    } finally {
      await prog.stop();
    }
  });
});

describe('progress line', () => {
  const [tc] = TOOLCHAINS.filter(available);
  let crashed: CrashedProgram;
  beforeAll(async () => {
    crashed = await kernelCore(programPath(tc.id));
  });
  afterAll(() => rmSync(crashed.dir, { recursive: true, force: true }));

  it('is drawn on stderr when it is a terminal, and erased', async () => {
    // script(1) gives the command a terminal; stdout goes to a file inside it, stderr stays on the terminal.
    const exe = programPath(tc.id);
    const inner = `MAPSCOPE_PROGRESS_DELAY_MS=0 MAPSCOPE_CHUNK_BYTES=1 node ${CLI} inspect main.strIntBig --core ${crashed.core} --exe ${exe} --stats --json > ${crashed.dir}/out.json`;
    const r = await execa('script', ['-qec', inner, '/dev/null'], { reject: false, stdin: 'ignore', timeout: 120_000 });
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout)).toMatch(/mapscope: main\.strIntBig: \d+% [\d,]+ of [\d,]+ entries read/);
    expect(String(r.stdout).endsWith('\r\x1b[K')).toBe(true);
  });

  it('is not drawn when stderr is not a terminal', async () => {
    const r = await mapscope(['inspect', 'main.strIntBig', '--core', crashed.core, '--exe', programPath(tc.id), '--stats', '--json']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).not.toContain('entries read');
  });
});
