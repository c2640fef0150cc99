/**
 * What mapscope keeps in its cache to start gdb faster, with the real gdb: a first run learns
 * gdb's data directory and makes the light one (src/gdb/data-dir.ts), later runs start gdb with
 * it, without the Python packages gdb would import whole; the bridge's bytecode goes to the
 * cache and never beside the scripts. The maps read through a gdb so started are still exactly
 * what the program says.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { lightDataDir } from '../../src/gdb/data-dir.js';
import { GdbSession } from '../../src/gdb/session.js';
import { expectMatchesTruth, type InspectJson } from './compare.js';
import { kernelCore } from './harness.js';
import { CLI, ROOT, programPath } from './paths.js';
import { presentToolchains } from './toolchains.js';

const work = mkdtempSync(join(tmpdir(), 'mapscope-gdbstart-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** gdb's answer to a console command, or the error it gave. */
async function consoleCommand(session: GdbSession, command: string): Promise<string> {
  try {
    const r = await session.mi.send(`-interpreter-exec console ${JSON.stringify(command)}`);
    return r.streams.map((s) => s.text).join('');
  } catch (e) {
    return `error: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** The files under `dir`, recursively, by name. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => d.name);
}

describe('gdb start-up from the cache', () => {
  const [tc] = presentToolchains();
  const exe = programPath(tc.id);

  it('a first run makes the light data directory; the next gdb starts with it, the bridge from bytecode', { timeout: 120_000 }, async () => {
    const saved = process.env.MAPSCOPE_CACHE;
    const cache = join(work, 'cache-session');
    process.env.MAPSCOPE_CACHE = cache;
    try {
      expect(lightDataDir('gdb')).toBeUndefined();
      const first = await GdbSession.open({ kind: 'exe', exe });
      try {
        expect(await consoleCommand(first, 'python print(gdb.PYTHONDIR)')).not.toContain(cache);
        // gdb's own pretty-printer commands (gdb/command/pretty_printers.py) are there.
        expect(await consoleCommand(first, 'info pretty-printer')).not.toMatch(/^error/);
      } finally {
        await first.close();
      }
      const light = lightDataDir('gdb');
      expect(light).toBeDefined();
      const second = await GdbSession.open({ kind: 'exe', exe });
      try {
        expect((await consoleCommand(second, 'python print(gdb.PYTHONDIR)')).trim()).toBe(join(light ?? '?', 'python'));
        expect(await consoleCommand(second, 'info pretty-printer')).toMatch(/^error: .*[Uu]ndefined/);
        // The bridge works: it answered for the binary (the session checks it is Go with DWARF).
        expect(second.bridge.goVersionAddress).toBeDefined();
      } finally {
        await second.close();
      }
      const compiled = filesUnder(join(cache, 'pycache'));
      for (const module of ['mapscope_bridge', 'mapscope_goroutines']) {
        expect(compiled.some((f) => new RegExp(`^${module}\\.cpython-\\d+\\.pyc$`).test(f)), module).toBe(true);
      }
      expect(existsSync(join(ROOT, 'gdb-scripts', '__pycache__'))).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.MAPSCOPE_CACHE;
      else process.env.MAPSCOPE_CACHE = saved;
    }
  });

  it('maps read through a gdb started light are what the program says, as without any cache', { timeout: 180_000 }, async () => {
    const crashed = await kernelCore(exe);
    try {
      const inspect = async (cache: string) => {
        const r = await execa('node', [CLI, 'inspect', ...crashed.truth.maps.map((m) => m.expr), '--core', crashed.core, '--exe', exe, '--json'], {
          env: { MAPSCOPE_CACHE: cache },
          reject: false,
          stdin: 'ignore',
          maxBuffer: 1 << 30,
        });
        expect(r.exitCode, r.stderr).toBe(0);
        return String(r.stdout);
      };
      const cache = join(work, 'cache-cli');
      const firstRun = await inspect(cache);
      expect(existsSync(join(cache, 'gdb-data'))).toBe(true);
      const lightRun = await inspect(cache);
      expectMatchesTruth(JSON.parse(lightRun) as InspectJson, crashed.truth, 'core');
      expect(lightRun).toBe(firstRun);
      expect(await inspect('off')).toBe(lightRun);
    } finally {
      rmSync(crashed.dir, { recursive: true, force: true });
    }
  });
});
