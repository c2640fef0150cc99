/**
 * The requests behind the editor's "Go Maps" tree (mapscope/top, mapscope/list,
 * mapscope/goroutines) answer with exactly what the CLI prints for the same core, and work on a
 * live attach too (the process is left running and untraced after disconnect).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, describe, expect, it } from 'vitest';
import { kernelCore, mapscope, processStatus, startProgram } from './harness.js';
import { ROOT, programPath } from './paths.js';
import { presentToolchains, type Toolchain } from './toolchains.js';

const ADAPTER = join(ROOT, 'dist', 'dap', 'main.js');

function toolchains(): Toolchain[] {
  const present = presentToolchains();
  const swiss = present.find((t) => t.id === 'go1.26');
  const classic = ['go1.24-noswissmap', 'go1.22', 'go1.19'].map((id) => present.find((t) => t.id === id)).find(Boolean);
  return [swiss, classic].filter((t): t is Toolchain => t !== undefined);
}

let clients: DebugClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((dc) => dc.stop().catch(() => undefined)));
  clients = [];
});

async function open(args: Record<string, unknown>, how: 'attach' | 'launch'): Promise<DebugClient> {
  const dc = new DebugClient('node', ADAPTER, 'mapscope-go', { cwd: ROOT });
  dc.defaultTimeout = 60_000;
  await dc.start();
  clients.push(dc);
  const initialized = dc.waitForEvent('initialized');
  const stopped = dc.waitForEvent('stopped');
  await (how === 'attach' ? dc.attachRequest(args as DebugProtocol.AttachRequestArguments) : dc.launchRequest(args as DebugProtocol.LaunchRequestArguments));
  await initialized;
  await dc.configurationDoneRequest();
  await stopped;
  return dc;
}

/** Drops what differs between two runs of the same walk: its duration. */
function steady(v: unknown): unknown {
  const o = JSON.parse(JSON.stringify(v)) as { walk?: { elapsedMs?: number } };
  if (o.walk) delete o.walk.elapsedMs;
  return o;
}

async function cli(args: string[]): Promise<unknown> {
  const r = await mapscope(args);
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe.each(toolchains().map((tc) => [tc.id, tc] as const))('Go Maps requests, %s', (_id, tc) => {
  const exe = programPath(tc.id);

  it('on a core: top, list and goroutines equal the CLI JSON', async () => {
    const crashed = await kernelCore(exe);
    try {
      const target = ['--core', crashed.core, '--exe', exe];
      const dc = await open({ coreFilePath: crashed.core, program: exe }, 'launch');
      const top = (await dc.customRequest('mapscope/top', {})).body as { schema: string; maps: { path: string; count: number }[] };
      expect(top.schema).toBe('mapscope/top@1');
      expect(steady(top)).toEqual(steady(await cli(['top', ...target, '--json'])));
      // Every map global of the truth is among top's maps, with its count.
      for (const m of crashed.truth.maps.filter((x) => !x.nil && /^main\.\w+$/.test(x.expr))) {
        expect(top.maps.find((t) => t.path === m.expr)?.count, m.expr).toBe(m.count);
      }
      const list = (await dc.customRequest('mapscope/list', {})).body as { schema: string };
      expect(list.schema).toBe('mapscope/list@1');
      expect(list).toEqual(await cli(['list', ...target, '--json']));
      const gs = (await dc.customRequest('mapscope/goroutines', { depth: 8 })).body as { schema: string; goroutines: unknown[] };
      expect(gs.schema).toBe('mapscope/goroutines@1');
      expect(gs).toEqual(await cli(['goroutines', ...target, '--depth', '8', '--json']));
      await expect(dc.customRequest('mapscope/top', { depth: -1 })).rejects.toThrow(/"depth" must be a non-negative integer/);
    } finally {
      rmSync(crashed.dir, { recursive: true, force: true });
    }
  });

  it('live: the tree has its data, and the process runs on untraced after disconnect', async () => {
    const prog = await startProgram(exe);
    try {
      const dc = await open({ processId: String(prog.pid) }, 'attach');
      const top = (await dc.customRequest('mapscope/top', { limit: 5 })).body as { maps: { bytes: number }[] };
      expect(top.maps).toHaveLength(5);
      const sorted = [...top.maps].sort((a, b) => b.bytes - a.bytes);
      expect(top.maps).toEqual(sorted);
      const gs = (await dc.customRequest('mapscope/goroutines', {})).body as { goroutines: { frames: { function: string }[] }[] };
      expect(gs.goroutines.some((g) => g.frames.some((f) => f.function === 'main.main'))).toBe(true);
      await dc.disconnectRequest({});
      clients = clients.filter((c) => c !== dc);
      await dc.stop().catch(() => undefined);
      const st = processStatus(prog.pid);
      expect(st.tracerPid).toBe(0);
      expect(['S', 'R']).toContain(st.state);
    } finally {
      await prog.stop();
    }
  });
});
