/**
 * The debug adapter as the extension ships it: extension/dist/adapter.mjs (src/dap bundled with
 * every dependency) and gdb-scripts/mapscope.py, copied into a folder with no node_modules
 * anywhere above it, as they sit in an installed .vsix, and started the way the extension starts
 * it (process.execPath with ELECTRON_RUN_AS_NODE=1). On a kernel core of mapsuite: a map global
 * carries the `map[…]` type that the "Inspect Go Map" menu's when clause matches, the command's
 * choice of expression for it is accepted by `mapscope/inspect`, and the answer is exactly
 * `mapscope inspect --json`'s — the JSON the Map Inspector draws.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, describe, expect, it } from 'vitest';
import manifest from '../../extension/package.json' with { type: 'json' };
import { isMapType, variableTarget } from '../../extension/src/variable-target.js';
import type { InspectJson } from './compare.js';
import { kernelCore, mapscope, tempDir } from './harness.js';
import { ROOT, programPath } from './paths.js';
import { presentToolchains } from './toolchains.js';

const EXT = join(ROOT, 'extension');

let clients: DebugClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.stop().catch(() => undefined)));
  clients = [];
});

/** The installed layout: <ext>/dist/adapter.mjs and <ext>/gdb-scripts/*.py (the bridge), nothing else. */
function install(dir: string): string {
  const adapter = join(EXT, 'dist', 'adapter.mjs');
  if (!existsSync(adapter)) throw new Error(`${adapter} is missing: run 'npm run build' first`);
  mkdirSync(join(dir, 'dist'), { recursive: true });
  mkdirSync(join(dir, 'gdb-scripts'), { recursive: true });
  copyFileSync(adapter, join(dir, 'dist', 'adapter.mjs'));
  // The build copies the bridge, mapscope.py and the files it imports; a stale copy would ship an old bridge.
  for (const f of readdirSync(join(ROOT, 'gdb-scripts')).filter((n) => n.endsWith('.py'))) {
    const bridge = join(EXT, 'gdb-scripts', f);
    expect(readFileSync(bridge, 'utf8'), f).toBe(readFileSync(join(ROOT, 'gdb-scripts', f), 'utf8'));
    copyFileSync(bridge, join(dir, 'gdb-scripts', f));
  }
  return join(dir, 'dist', 'adapter.mjs');
}

describe('the bundled debug adapter', () => {
  it('is declared by the manifest and runs from an installed layout on VS Code\'s own runtime', { timeout: 120_000 }, async () => {
    expect(manifest.contributes.debuggers.map((d) => d.type)).toEqual(['mapscope-go']);
    const [machine] = presentToolchains();
    const exe = programPath(machine.id);
    const crashed = await kernelCore(exe);
    const dir = tempDir('vsix');
    try {
      const adapter = install(dir);
      const dc = new DebugClient(process.execPath, adapter, 'mapscope-go', { cwd: dir, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
      dc.defaultTimeout = 30_000;
      await dc.start();
      clients.push(dc);
      await dc.initializeRequest();
      // Listen first: the event may come in the same read as the launch response.
      const initialized = dc.waitForEvent('initialized');
      await dc.launchRequest({ coreFilePath: crashed.core, program: exe } as DebugProtocol.LaunchRequestArguments);
      await initialized;
      const stoppedEvent = dc.waitForEvent('stopped');
      await dc.configurationDoneRequest();
      const stopped = (await stoppedEvent) as DebugProtocol.StoppedEvent;
      const [frame] = (await dc.stackTraceRequest({ threadId: stopped.body.threadId ?? 1 })).body.stackFrames;
      const scopes = (await dc.scopesRequest({ frameId: frame.id })).body.scopes;
      const globals = scopes.find((s) => s.name === 'Globals');
      expect(globals, 'a Globals scope').toBeDefined();
      const vars = (await dc.variablesRequest({ variablesReference: globals?.variablesReference ?? 0 })).body.variables;

      // The row VS Code would offer "Inspect Go Map" on (when: variableType =~ /^map\[/).
      const strStr = vars.find((v) => v.name === 'main.strStr');
      expect(strStr?.type).toBe('map[string]string');
      expect(new RegExp('^map\\[').test(strStr?.type ?? '')).toBe(true);
      expect(isMapType(strStr?.type)).toBe(true);
      const target = variableTarget({ sessionId: 's1', container: globals, variable: strStr as DebugProtocol.Variable });
      expect(target).toEqual({ kind: 'map', expression: 'main.strStr', sessionId: 's1' });

      // A row that is not a map is refused by the command with a reason.
      const notMap = vars.find((v) => v.type !== undefined && !/^map\[/.test(v.type) && v.variablesReference === 0);
      if (notMap) expect(variableTarget({ variable: notMap }).kind).toBe('notMap');

      // What the Map Inspector receives is the contract JSON, as the CLI writes it.
      const exprs = ['main.strStr', 'main.smallIntInt', 'main.nilMap'].filter((e) => crashed.truth.maps.some((m) => m.expr === e));
      const answer = await dc.send('mapscope/inspect', { expression: exprs, frameId: frame.id, limit: 5000 });
      const cli = await mapscope(['inspect', ...exprs, '--core', crashed.core, '--exe', exe, '--json', '--limit', '5000']);
      expect(cli.exitCode).toBe(0);
      expect(answer.body).toEqual(JSON.parse(cli.stdout) as InspectJson);
      expect((answer.body as InspectJson).schema).toBe('mapscope/inspect@1');

      await dc.disconnectRequest({});
    } finally {
      rmSync(crashed.dir, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
