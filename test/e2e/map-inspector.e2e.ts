/**
 * End to end, in a real VS Code: code-server 4.139 (VS Code 1.139) with mapscope's packaged
 * .vsix installed, driven by playwright-core in Debian's Chromium.
 *
 * A launch.json configuration attaches to a live mapsuite; the VARIABLES view shows its Globals
 * with a map; "Inspect Go Map" from the row's context menu opens the Map Inspector, whose grid is
 * checked cell by cell against `mapscope inspect --json` run on the same process beforehand (one
 * tracer at a time: the CLI has detached before the session attaches); the Go Maps tree lists
 * `mapscope top`'s three biggest maps and opens one in the Map Inspector; disconnecting leaves
 * the process running and untraced. Screenshots go to test-artifacts/.
 */
import { cpSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Browser, chromium, type FrameLocator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainJson, InspectJson, MapJson } from '../../extension/src/shared/contract.js';
import { stringifyJson } from '../../src/values/json.js';
import { type LiveProgram, mapscope, processStatus, startProgram, tempDir } from '../integration/harness.js';
import { ARTIFACTS, ROOT, programPath } from '../integration/paths.js';
import { presentToolchains } from '../integration/toolchains.js';
import { type CodeServer, startCodeServer } from './code-server.js';
import { CHROMIUM, CHROMIUM_ARGS, vsixPath } from './paths.js';
import {
  callStackRows,
  contextMenu,
  expandRow,
  labels,
  movePaneTop,
  openRunAndDebug,
  scrollTreeTo,
  setPaneExpanded,
  sidebar,
  variableRows,
  waitFor,
  webviewFrame,
  widenSidebar,
  workbenchMessages,
} from './workbench.js';

/** The map the user inspects: 2000 entries in a Swiss directory of tables, with tombstones (classic: emptyOne slots). */
const MAP = 'main.deleted';
/** Buckets or groups the Map Inspector draws per map at most (MAX_DRAWN in extension/src/webview/heatmap.ts). */
const MAX_DRAWN = 4096;

const SHOT = join(ARTIFACTS, 'e2e-code-server.png');
const SHOT_VARIABLES = join(ARTIFACTS, 'e2e-code-server-variables.png');
const SHOT_FAILURE = join(ARTIFACTS, 'e2e-code-server-failure.png');
const LOGS_ON_FAILURE = join(ARTIFACTS, 'e2e-code-server-logs');

/** One cell of the grid, keyed as its data attributes place it. */
function cellKey(array: string, table: number | string | null | undefined, bucket: number | string | null, chain: number | string | null | undefined, slot: number | string | null): string {
  return `${array}/${table ?? '-'}/${bucket}/${chain ?? '-'}/${slot}`;
}

/** The cells the Map Inspector must draw for `m` — one per slot, with its tophash or control byte. */
function expectedCells(m: MapJson): Map<string, number> {
  const out = new Map<string, number>();
  let left = MAX_DRAWN;
  if (m.classic) {
    const arrays: ['buckets' | 'oldbuckets', readonly ChainJson[]][] = [['buckets', m.classic.buckets]];
    if (m.classic.oldbuckets?.length) arrays.push(['oldbuckets', m.classic.oldbuckets]);
    for (const [array, chains] of arrays) {
      const n = Math.min(chains.length, left);
      left -= n;
      chains.slice(0, n).forEach((c, i) => [c, ...c.overflow].forEach((b, k) => b.tophash.forEach((byte, slot) => out.set(cellKey(array, null, i, k, slot), byte))));
    }
  } else if (m.swiss) {
    const sw = m.swiss;
    if (sw.dirLen === 0) sw.smallGroup?.ctrl.forEach((byte, slot) => out.set(cellKey('small', null, 0, null, slot), byte));
    sw.tables.forEach((t, table) => {
      const n = Math.min(t.groups.length, Math.max(0, left));
      left -= n;
      t.groups.slice(0, n).forEach((g, i) => g.ctrl.forEach((byte, slot) => out.set(cellKey('groups', table, i, null, slot), byte)));
    });
  }
  return out;
}

interface DrawnCell {
  key: string;
  byte: number;
  state: string;
  entry: number | null;
}

async function drawnCells(view: FrameLocator): Promise<DrawnCell[]> {
  interface Rect {
    getAttribute(name: string): string | null;
  }
  const raw = await view.locator('rect[data-slot]').evaluateAll((els: Rect[]) =>
    els.map((e) => ['data-array', 'data-table', 'data-bucket', 'data-chain', 'data-slot', 'data-byte', 'data-state', 'data-entry'].map((a) => e.getAttribute(a))),
  );
  return raw.map(([array, table, bucket, chain, slot, byte, state, entry]) => ({
    key: cellKey(array ?? '?', table, bucket, chain, slot),
    byte: Number(byte),
    state: state ?? '',
    entry: entry === null ? null : Number(entry),
  }));
}

/** What the last step was, for the failure message. */
let step = 'setup';
const stepTimes: [string, number][] = [];
let stepStart = Date.now();
function begin(name: string): void {
  stepTimes.push([step, Date.now() - stepStart]);
  step = name;
  stepStart = Date.now();
}

let program: LiveProgram | undefined;
let cli: InspectJson;
let topPaths: string[] = [];
let cliMap: MapJson;
let dir: string;
let server: CodeServer | undefined;
let browser: Browser | undefined;
/** Requests the browser made anywhere but the loopback code-server. */
const offHost: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  const vsix = vsixPath();
  // `npm run test:e2e` packages first; a .vsix older than the bundles it holds is a stale one.
  for (const f of ['extension.cjs', 'adapter.mjs']) {
    const built = join(ROOT, 'extension', 'dist', f);
    if (existsSync(built) && statSync(built).mtimeMs > statSync(vsix).mtimeMs + 1000) throw new Error(`${vsix} is older than ${built}: run 'npm run package'`);
  }
  const [tc] = presentToolchains();
  dir = tempDir('e2e');
  program = await startProgram(programPath(tc.id));

  // The ground truth, read before the debug session: a process has one tracer at a time.
  const r = await mapscope(['inspect', MAP, '--pid', String(program.pid), '--json'], 60_000);
  expect(r.exitCode, `mapscope inspect ${MAP} --pid ${program.pid}: ${r.stderr}`).toBe(0);
  cli = JSON.parse(r.stdout) as InspectJson;
  cliMap = cli.maps[0];
  expect(cliMap.expr).toBe(MAP);
  expect(cliMap.count).toBeGreaterThan(0);
  expect(processStatus(program.pid), 'the CLI detached').toEqual({ state: 'S', tracerPid: 0 });
  // The Go Maps tree must open with top's ranking.
  const t = await mapscope(['top', '--pid', String(program.pid), '--json', '--limit', '3'], 60_000);
  expect(t.exitCode, `mapscope top --pid ${program.pid}: ${t.stderr}`).toBe(0);
  topPaths = (JSON.parse(t.stdout) as { maps: { path: string }[] }).maps.map((m) => m.path);
  expect(topPaths).toHaveLength(3);

  const workspace = join(dir, 'workspace');
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  const launch = {
    version: '0.2.0',
    configurations: [{ type: 'mapscope-go', request: 'attach', name: 'Attach to mapsuite', processId: program.pid }],
  };
  writeFileSync(join(workspace, '.vscode', 'launch.json'), JSON.stringify(launch, null, 2));
  server = await startCodeServer({ dir, vsix, workspace });

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  await program?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function keepFailureEvidence(page: Page, e: unknown): Promise<Error> {
  await page.screenshot({ path: SHOT_FAILURE, fullPage: true }).catch(() => undefined);
  const said = await workbenchMessages(page).catch(() => [] as string[]);
  // code-server's own log and the extension host's logs (the adapter's stderr lands there).
  rmSync(LOGS_ON_FAILURE, { recursive: true, force: true });
  try {
    mkdirSync(LOGS_ON_FAILURE, { recursive: true });
    if (server) cpSync(server.logFile, join(LOGS_ON_FAILURE, 'code-server.log'));
    const logs = server && join(server.userDataDir, 'logs');
    if (logs && existsSync(logs)) cpSync(logs, join(LOGS_ON_FAILURE, 'vscode-logs'), { recursive: true });
  } catch {
    // evidence is best effort
  }
  const msg = e instanceof Error ? e.message : String(e);
  const err = new Error(
    [
      `e2e failed at step "${step}": ${msg}`,
      `screenshot: ${SHOT_FAILURE}; logs: ${LOGS_ON_FAILURE}`,
      said.length ? `VS Code notifications: ${JSON.stringify(said)}` : 'no VS Code notifications',
      pageErrors.length ? `page errors: ${JSON.stringify(pageErrors.slice(0, 5))}` : '',
      `code-server log tail:\n${server?.log(1500) ?? ''}`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
  if (e instanceof Error && e.stack) err.stack = `${err.message}\n${e.stack.split('\n').slice(1).join('\n')}`;
  return err;
}

describe('mapscope in VS Code (code-server)', () => {
  it('attaches from launch.json, shows a map in VARIABLES, inspects it in the Map Inspector, detaches', async () => {
    if (!server || !browser || !program) throw new Error('setup did not finish');
    const pid = program.pid;
    mkdirSync(ARTIFACTS, { recursive: true });
    // No evidence of an earlier run may be mistaken for this one's.
    for (const f of [SHOT, SHOT_VARIABLES, SHOT_FAILURE, LOGS_ON_FAILURE]) rmSync(f, { recursive: true, force: true });
    const context = await browser.newContext({ viewport: { width: 1680, height: 1050 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // Webview resources have https://*.vscode-cdn.net addresses that VS Code's service worker
    // answers from the server; anything else off the loopback would be real traffic.
    const local = (url: string) => {
      const u = new URL(url);
      return !/^(https?|wss?):$/.test(u.protocol) || u.hostname === '127.0.0.1';
    };
    context.on('response', (r) => {
      if (!local(r.url()) && !r.fromServiceWorker()) offHost.push(r.url());
    });
    context.on('requestfailed', (r) => {
      if (!local(r.url())) offHost.push(`${r.url()} (${r.failure()?.errorText ?? 'failed'})`);
    });
    const t0 = Date.now();
    try {
      begin('load the workbench');
      await page.goto(`${server.url}/?folder=${encodeURIComponent(join(dir, 'workspace'))}`, { timeout: 60_000 });
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await page.locator('.part.activitybar').waitFor({ timeout: 30_000 });

      begin('open Run and Debug with the launch.json configuration');
      await openRunAndDebug(page);
      // Room for the Map Inspector: a wide side bar, no Watch or Breakpoints, no panel.
      await widenSidebar(page, 900);
      await setPaneExpanded(page, 'Watch', false);
      await setPaneExpanded(page, 'Breakpoints', false);
      // The configuration box offers the one in launch.json.
      const configBox = sidebar(page).locator('.start-debug-action-item [aria-label^="Debug Launch Configurations"]');
      await waitFor('"Attach to mapsuite" in the configuration box', 30_000, async () => ((await configBox.getAttribute('aria-label', { timeout: 2000 }))?.includes('Attach to mapsuite') ? true : undefined));

      begin('start debugging');
      const start = sidebar(page).locator('.start-debug-action-item [aria-label^="Start Debugging"]');
      await start.click();
      const threads = await waitFor('the CALL STACK to list the threads of the attached process', 60_000, async () => {
        const l = (await labels(callStackRows(page))).filter((x) => x.startsWith('Thread '));
        return l.length ? l : undefined;
      });
      expect(threads.join('\n')).toMatch(new RegExp(`\\b${pid}\\b`));
      expect(processStatus(pid).tracerPid, 'gdb traces the process during the session').toBeGreaterThan(0);

      begin('select a stack frame so VARIABLES shows its scopes');
      const scopes = variableRows(page).filter({ has: page.locator('.scope') });
      const scopeGlobals = variableRows(page).and(page.locator('[aria-label="Scope Globals"]')).first();
      try {
        // VS Code focuses the top frame by itself when it has a source and is not "subtle".
        await scopeGlobals.waitFor({ timeout: 5000 });
      } catch {
        // Otherwise, as a user: open the first thread and click its first frame.
        await waitFor('a stack frame to click', 30_000, async () => {
          const thread = callStackRows(page).and(page.locator('[aria-label^="Thread "]')).first();
          await expandRow(thread);
          const frames = callStackRows(page).and(page.locator('[aria-label^="Stack Frame "]:not([aria-label^="Stack Frame ??"])'));
          if (!(await frames.count())) {
            const more = callStackRows(page).and(page.locator('[aria-label^="Show "][aria-label*="More Stack Frames"]')).first();
            if (await more.count()) await more.click();
            return undefined;
          }
          await frames.first().click();
          await scopeGlobals.waitFor({ timeout: 10_000 });
          return true;
        });
      }
      expect(await labels(scopes)).toEqual(expect.arrayContaining(['Scope Globals']));

      begin('expand Globals');
      // Room for VARIABLES and the Map Inspector: Call Stack, Watch and Breakpoints folded.
      for (const pane of ['Call Stack', 'Watch', 'Breakpoints']) await setPaneExpanded(page, pane, false);
      await expandRow(scopeGlobals);
      await waitFor('the Globals of package main', 60_000, async () => ((await variableRows(page).and(page.locator('[aria-label^="main."]')).count()) > 0 ? true : undefined));

      begin(`find ${MAP} in VARIABLES and open it`);
      const tree = page.locator('.debug-variables .monaco-list');
      const row = variableRows(page).and(page.locator(`[aria-label^="${MAP}, value "]`)).first();
      await scrollTreeTo(page, tree, row, `${MAP}'s row`);
      const rowLabel = (await row.getAttribute('aria-label')) ?? '';
      // The row is the map, with its Go type and length as the CLI read them.
      expect(rowLabel).toContain(`value ${cliMap.type}`);
      expect(rowLabel).toMatch(new RegExp(`len[=:] ?${cliMap.count}\\b`));
      // Its children: the map's [internals] and its entries, paged by VS Code ([0..99], ...).
      await expandRow(row);
      const internals = await scrollTreeTo(page, tree, variableRows(page).and(page.locator('[aria-level="3"][aria-label^="[internals], value "]')), `${MAP}'s [internals]`);
      expect(await internals.getAttribute('aria-label')).toMatch(new RegExp(`^\\[internals\\], value ${cliMap.implementation}: (used|count) ${cliMap.count}\\b`));
      await scrollTreeTo(page, tree, variableRows(page).and(page.locator('[aria-level="3"][aria-label^="[0..99]"]')), `${MAP}'s first page of entries`);
      await scrollTreeTo(page, tree, row, `${MAP}'s row`);
      await page.mouse.move(5, 5);
      await page.locator('.pane:has(> .debug-variables)').screenshot({ path: SHOT_VARIABLES });

      begin('right-click the map: Inspect Go Map');
      await contextMenu(page, row, 'Inspect Go Map');

      begin('the Map Inspector draws the map');
      const view = await webviewFrame(page, 'main#maps', 30_000);
      const section = view.locator(`section.map[data-expr="${MAP}"]`);
      await section.waitFor({ timeout: 60_000 });
      await waitFor('the grid to be drawn', 30_000, async () => ((await view.locator('body.loading').count()) === 0 && (await section.locator('rect[data-slot]').count()) > 0 ? true : undefined));
      // Most of the side bar for the Map Inspector, VARIABLES above it keeping the map's row.
      if ((await row.getAttribute('aria-expanded')) === 'true') await row.locator('.monaco-tl-twistie').click();
      await movePaneTop(page, 'Map Inspector', 330);
      await scrollTreeTo(page, tree, row, `${MAP}'s row`);
      await sleep(500); // a redraw for the final width, if the view was still settling

      begin('check the Map Inspector against mapscope inspect --json');
      // Title and summary: the map, its type and implementation, its header address and count.
      await expect.poll(() => section.locator('h2 .expr').innerText()).toBe(MAP);
      expect(await section.locator('h2 .type').innerText()).toBe(cliMap.type);
      expect(await section.getAttribute('data-implementation')).toBe(cliMap.implementation);
      const summary = await section.locator('.summary').innerText();
      expect(summary).toContain(`header @${cliMap.address}`);
      expect(Number(/([\d,]+) entries/.exec(summary)?.[1].replace(/,/g, ''))).toBe(cliMap.count);
      // The header table: the map's struct with its fields as the CLI read them.
      const header = section.locator('table', { has: view.locator('caption', { hasText: /^Header \((hmap|Map)\)$/ }) });
      const field = async (name: string) => (await header.locator('tr', { has: view.locator(`th:text-is("${name}")`) }).locator('td').innerText()).replace(/,/g, '');
      if (cliMap.swiss) {
        expect(await field('used')).toBe(String(cliMap.swiss.used));
        expect(await field('dirLen')).toBe(String(cliMap.swiss.dirLen));
        expect(await field('seed')).toBe(String(cliMap.swiss.seed));
      } else if (cliMap.classic) {
        expect(await field('B')).toMatch(new RegExp(`^${cliMap.classic.B} `));
        expect(await field('hash0')).toBe(String(cliMap.classic.hash0));
      }

      // The grid: one cell per slot, 8 per bucket or group, with the very bytes the CLI read.
      const expected = expectedCells(cliMap);
      const cells = await drawnCells(view);
      expect(expected.size % 8).toBe(0);
      expect(cells.length, `cells drawn = 8 × ${expected.size / 8} buckets/groups`).toBe(expected.size);
      expect(new Set(cells.map((c) => c.key)).size).toBe(cells.length);
      const mismatched = cells.filter((c) => expected.get(c.key) !== c.byte).slice(0, 5);
      expect(mismatched, 'cells whose byte differs from the CLI').toEqual([]);
      // Every entry has its slot, and the tombstones this map is made of are drawn as such.
      const live = cells.filter((c) => c.state === 'full' || c.state === 'live');
      expect(live.length).toBe(cliMap.count);
      expect(cells.filter((c) => c.state === 'deleted' || c.state === 'emptyOne').length).toBeGreaterThan(0);

      // Hover a slot: its key and value, those of the CLI's entry with that index.
      const withEntry = live.filter((c) => c.entry !== null);
      expect(withEntry.length).toBe(cliMap.count);
      // The first one drawn, near the top of the view, so that the title shows with the hover.
      const probe = withEntry[0];
      const entry = cliMap.entries?.[probe.entry ?? -1];
      expect(entry, `the CLI has entry #${probe.entry}`).toBeDefined();
      const tip = view.locator('#slot-tip');
      await waitFor('the slot hover', 15_000, async () => {
        await section.locator(`rect[data-entry="${probe.entry}"]`).hover();
        return (await tip.isVisible()) ? true : undefined;
      });
      const tipText = await tip.innerText();
      expect(tipText).toContain(`key: ${stringifyJson(entry!.key)}`);
      expect(tipText).toContain(`value: ${stringifyJson(entry!.value)}`);

      begin('screenshot');
      // The workbench with the map's row in VARIABLES and the Map Inspector showing a slot's hover.
      await page.screenshot({ path: SHOT });
      await page.mouse.move(5, 5);

      begin('the Go Maps tree ranks the biggest maps, and opens one in the Map Inspector');
      await setPaneExpanded(page, 'Go Maps', true);
      await movePaneTop(page, 'Go Maps', 200);
      const goMaps = sidebar(page).locator('.pane', { has: page.locator('.pane-header h3.title', { hasText: /^Go Maps$/i }) }).locator('.monaco-list-row');
      // Rows are labelled "PATH TYPE len=N SIZE" (label and description); their DOM order is the list's.
      const pathOf = (label: string) => label.split(/[\s,]/)[0];
      const biggest = await waitFor("top's maps in the Go Maps tree", 60_000, async () => {
        const rows = await labels(goMaps);
        const start = rows.findIndex((l) => l.startsWith('Largest maps'));
        const maps = rows.slice(start + 1, start + 4).map(pathOf);
        return start >= 0 && maps.length === 3 ? maps : undefined;
      });
      expect(biggest).toEqual(topPaths);
      await goMaps.nth((await labels(goMaps)).findIndex((l) => pathOf(l) === topPaths[1])).click();
      await waitFor(`the Map Inspector to show ${topPaths[1]}`, 30_000, async () => ((await view.locator(`section.map[data-expr="${topPaths[1]}"]`).count()) > 0 ? true : undefined));
      await setPaneExpanded(page, 'Go Maps', false);
      const shown = view.locator(`section.map[data-expr="${topPaths[1]}"]`);
      const drawn = await shown.locator('rect[data-slot]').count();
      expect(drawn).toBeGreaterThan(0);


      begin('disconnect');
      // Once: a second stop while the first is under way could end the adapter before gdb detaches.
      const disconnect = page.locator('.debug-toolbar .action-label[aria-label^="Disconnect"]');
      if (await disconnect.isVisible()) await disconnect.click();
      else await page.keyboard.press('Shift+F5');
      await waitFor('the debug session to end and gdb to detach', 30_000, async () =>
        processStatus(pid).tracerPid === 0 && (await view.locator('body.stale').count()) > 0 && !(await disconnect.isVisible()) ? true : undefined,
      );
      // The view keeps its last reading, marked stale; the process runs on, untraced.
      expect(await shown.locator('rect[data-slot]').count()).toBe(drawn);
      await sleep(500);
      const st = processStatus(pid);
      expect(st.tracerPid, 'no tracer after disconnect').toBe(0);
      expect(['S', 'R'], `process state after disconnect: ${st.state}`).toContain(st.state);
      expect(offHost, `the browser only talked to the loopback code-server, not ${JSON.stringify(offHost)}`).toEqual([]);
      begin('done');
    } catch (e) {
      throw await keepFailureEvidence(page, e);
    } finally {
      console.log(`[e2e] ${stepTimes.map(([s, ms]) => `${s}: ${(ms / 1000).toFixed(1)} s`).join(' | ')} | total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      await context.close().catch(() => undefined);
    }
  });
});
