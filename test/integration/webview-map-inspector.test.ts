/**
 * The Map Inspector webview in headless Chromium, drawing real data: the inspect contract JSON of
 * a kernel core dump of mapsuite (what the adapter's `mapscope/inspect` request returns — the
 * same engine and writer as `mapscope inspect --json`), posted to the very page the extension
 * serves (extension/src/inspector-html.ts with the built media/inspector.js, same CSP), with a
 * stand-in for VS Code's `acquireVsCodeApi`. Checks one cell per slot with the JSON's states and
 * bytes, entries in the hovers, target strings shown as text (an injected `<script>` key among
 * them), no request beyond the page's own files; keeps screenshots under test-artifacts/.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy, inspectorHtml } from '../../extension/src/inspector-html.js';
import type { ViewState } from '../../extension/src/shared/messages.js';
import { stringifyJson } from '../../src/values/json.js';
import type { InspectJson } from './compare.js';
import { kernelCore, mapscope, tempDir } from './harness.js';
import { ARTIFACTS, ROOT, programPath } from './paths.js';
import { presentToolchains, type Toolchain } from './toolchains.js';

const MEDIA = join(ROOT, 'extension', 'media');

/**
 * The browser globals the callbacks run in the page touch, typed here because the root tsconfig
 * has no DOM library. Each callback casts `globalThis` itself: it is serialised into the page,
 * so it cannot call a helper from this file.
 */
interface PageGlobals {
  __posted: { type: string; expression?: string }[];
  __violations: string[];
  __pwned?: string;
  acquireVsCodeApi: () => unknown;
  postMessage(message: unknown, targetOrigin: string): void;
  document: {
    addEventListener(type: 'securitypolicyviolation', listener: (e: { violatedDirective: string; blockedURI: string }) => void): void;
    body: { dataset: Record<string, string | undefined>; classList: { add(c: string): void; contains(c: string): boolean } };
    documentElement: { style: { setProperty(name: string, value: string): void } };
  };
}
const NONCE = 'test-nonce-4f1c9a';

/** Shapes worth seeing: a grow in progress, tombstones, a long chain, a small map, a directory, markup in strings, nil. */
const WANTED = ['main.growing', 'main.deleted', 'main.longChain', 'main.smallIntInt', 'main.strStr', 'main.swissDir', 'main.nilMap'];

/** Injected as a key and value of main.strStr: if any of it were parsed as markup, a flag would be set. */
const SCRIPT_KEY = '<script>window.__pwned = "script"</script>';
const IMG_VALUE = '<img src="x" onerror="window.__pwned = \'img\'"><b>bold</b>';

/** The machine's toolchain (Swiss) and one classic one. */
function toolchains(): Toolchain[] {
  const present = presentToolchains();
  const classic = present.find((tc) => tc.id === 'go1.23') ?? present.find((tc) => tc.impl === 'classic');
  return [present[0], ...(classic && classic !== present[0] ? [classic] : [])].filter((t): t is Toolchain => t !== undefined);
}

let browser: Browser;

beforeAll(async () => {
  // The system's Chromium, never a downloaded one; nothing that phones home.
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
});

// ---- the page, as VS Code would serve it ----

/** file: stands in for the webview's resource origin (webview.cspSource). */
function writePage(dir: string): string {
  const file = join(dir, 'map-inspector.html');
  writeFileSync(
    file,
    inspectorHtml({
      cspSource: 'file:',
      nonce: NONCE,
      scriptUri: pathToFileURL(join(MEDIA, 'inspector.js')).href,
      styleUri: pathToFileURL(join(MEDIA, 'inspector.css')).href,
    }),
  );
  return file;
}

interface View {
  readonly page: Page;
  readonly requests: string[];
  readonly dialogs: string[];
  readonly errors: string[];
  send(state: ViewState): Promise<void>;
  posted(): Promise<{ type: string; expression?: string }[]>;
}

async function openView(file: string, viewport: { width: number; height: number }): Promise<View> {
  const page = await browser.newPage({ viewport });
  const requests: string[] = [];
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  // Defined before any page script runs, as VS Code does in a real webview.
  await page.addInitScript(() => {
    const w = globalThis as unknown as PageGlobals;
    w.__posted = [];
    w.__violations = [];
    w.document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    let acquired = false;
    w.acquireVsCodeApi = () => {
      if (acquired) throw new Error('acquireVsCodeApi called twice');
      acquired = true;
      return { postMessage: (m: { type: string }) => w.__posted.push(m), getState: () => undefined, setState: () => undefined };
    };
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const posted = () => page.evaluate(() => (globalThis as unknown as PageGlobals).__posted);
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__posted.some((m) => m.type === 'ready'));
  return {
    page,
    requests,
    dialogs,
    errors,
    async send(state) {
      await page.evaluate((s) => (globalThis as unknown as PageGlobals).postMessage({ type: 'state', state: s }, '*'), state as unknown as Record<string, unknown>);
      await page.waitForFunction((seq) => (globalThis as unknown as PageGlobals).document.body.dataset.seq === String(seq), state.seq);
    },
    posted,
  };
}

// ---- what the grid must show, from the JSON ----

interface CellAttrs {
  array: string | null;
  table: string | null;
  bucket: string | null;
  chain: string | null;
  slot: string | null;
  state: string | null;
  byte: string | null;
}

interface ChainJson {
  tophash: number[];
  overflow: { tophash: number[] }[];
}

type MapOut = InspectJson['maps'][number];

/** Named here independently of src/: runtime/map.go's tophash marks, internal/runtime/maps' ctrl bytes. */
function tophashState(b: number): string {
  return ['emptyRest', 'emptyOne', 'evacuatedX', 'evacuatedY', 'evacuatedEmpty'][b] ?? 'live';
}

function ctrlState(b: number): string {
  if (b === 0x80) return 'empty';
  if (b === 0xfe) return 'deleted';
  return b < 0x80 ? 'full' : 'invalid';
}

function expectedCells(m: MapOut): CellAttrs[] {
  const out: CellAttrs[] = [];
  const cells = (bytes: number[], at: Omit<CellAttrs, 'slot' | 'state' | 'byte'>, state: (b: number) => string) =>
    bytes.forEach((b, slot) => out.push({ ...at, slot: String(slot), state: state(b), byte: String(b) }));
  if (m.classic) {
    const c = m.classic as unknown as { buckets: ChainJson[]; oldbuckets: ChainJson[] | null };
    const arr = (array: string, chains: ChainJson[]) =>
      chains.forEach((ch, i) => [ch, ...ch.overflow].forEach((b, k) => cells(b.tophash, { array, table: null, bucket: String(i), chain: String(k) }, tophashState)));
    arr('buckets', c.buckets);
    if (c.oldbuckets) arr('oldbuckets', c.oldbuckets);
  }
  if (m.swiss) {
    const s = m.swiss as unknown as { smallGroup: { ctrl: number[] } | null; tables: { groups: { ctrl: number[] }[] }[] };
    if (s.smallGroup) cells(s.smallGroup.ctrl, { array: 'small', table: null, bucket: '0', chain: null }, ctrlState);
    s.tables.forEach((t, ti) => t.groups.forEach((g, j) => cells(g.ctrl, { array: 'groups', table: String(ti), bucket: String(j), chain: null }, ctrlState)));
  }
  return out;
}

async function drawnCells(page: Page, index: number): Promise<CellAttrs[]> {
  return page.locator(`section.map[data-index="${index}"] rect[data-slot]`).evaluateAll((els) =>
    els.map((e) => ({
      array: e.getAttribute('data-array'),
      table: e.getAttribute('data-table'),
      bucket: e.getAttribute('data-bucket'),
      chain: e.getAttribute('data-chain'),
      slot: e.getAttribute('data-slot'),
      state: e.getAttribute('data-state'),
      byte: e.getAttribute('data-byte'),
    })),
  );
}

/** The hover of one cell, as the page shows it (the pointer really moves there). */
async function hoverText(page: Page, selector: string): Promise<string> {
  const cell = page.locator(selector).first();
  await cell.scrollIntoViewIfNeeded();
  await cell.hover({ force: true });
  const tip = page.locator('#slot-tip');
  await tip.waitFor({ state: 'visible' });
  return (await tip.locator('.tip-line').allTextContents()).join('\n');
}

/**
 * main.strStr with one entry replaced by hostile text; never its "html <>&" entry, which the test
 * also looks for (memory order depends on the hash seed, so that entry may come first).
 */
function withHostileEntry(out: InspectJson): { json: InspectJson; index: number; entry: number } {
  const json = structuredClone(out);
  const index = json.maps.findIndex((m) => m.expr === 'main.strStr');
  const entry = index >= 0 ? json.maps[index].entries.findIndex((e) => e.key !== 'html <>&') : -1;
  if (entry >= 0) json.maps[index].entries[entry] = { key: SCRIPT_KEY, value: IMG_VALUE };
  return { json, index, entry };
}

function stateOf(json: InspectJson, seq: number, extra: Partial<ViewState> = {}): ViewState {
  return { status: 'ready', seq, expression: json.maps.map((m) => m.expr).join(' '), session: 'core (test)', frameId: 1000, json: json as unknown as ViewState['json'], ...extra };
}

describe.each(toolchains().map((tc) => [tc.id, tc] as const))('Map Inspector webview, %s', (id, tc) => {
  const exe = programPath(tc.id);

  it('draws a kernel core: one cell per slot with the JSON bytes, entries in the hovers, target text as text, no network; screenshots', async () => {
    const crashed = await kernelCore(exe);
    const dir = tempDir('webview');
    try {
      const present = new Set(crashed.truth.maps.map((m) => m.expr));
      const exprs = WANTED.filter((e) => present.has(e));
      const r = await mapscope(['inspect', ...exprs, '--core', crashed.core, '--exe', exe, '--json']);
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      const { json, index: hostile, entry: hostileEntry } = withHostileEntry(JSON.parse(r.stdout) as InspectJson);
      expect(hostile).toBeGreaterThanOrEqual(0);
      expect(hostileEntry).toBeGreaterThanOrEqual(0);

      const file = writePage(dir);
      const view = await openView(file, { width: 1280, height: 900 });
      const { page } = view;
      try {
        expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(contentSecurityPolicy({ cspSource: 'file:', nonce: NONCE }));
        await view.send(stateOf(json, 1));
        expect(await page.locator('section.map[data-index]').count()).toBe(exprs.length);

        for (const [i, m] of json.maps.entries()) {
          expect(m.error, m.expr).toBeUndefined();
          expect(await page.locator(`section.map[data-index="${i}"]`).getAttribute('data-expr')).toBe(m.expr);
          const want = expectedCells(m);
          const got = await drawnCells(page, i);
          expect(got.length, `${m.expr}: cells`).toBe(want.length);
          expect(got, `${m.expr}: cell attributes`).toEqual(want);
          // Every entry claims exactly one live/full cell, and only such cells claim one.
          const claimed = await page.locator(`section.map[data-index="${i}"] rect[data-entry]`).evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-entry')), e.getAttribute('data-state')] as const));
          expect(claimed.map(([n]) => n).sort((a, b) => a - b), `${m.expr}: entries placed`).toEqual(m.entries.map((_, n) => n));
          expect(claimed.every(([, st]) => st === 'live' || st === 'full'), `${m.expr}: only live cells hold entries`).toBe(true);
        }

        // Hovers: a few entries of each non-empty map, found by their cell, show their key and value.
        for (const [i, m] of json.maps.entries()) {
          if (m.entries.length === 0) continue;
          for (const n of new Set([0, Math.floor(m.entries.length / 2), m.entries.length - 1])) {
            const text = await hoverText(page, `section.map[data-index="${i}"] rect[data-entry="${n}"]`);
            expect(text, `${m.expr} entry ${n}`).toContain(`key: ${stringifyJson(m.entries[n].key)}`);
            expect(text, `${m.expr} entry ${n}`).toContain(`value: ${stringifyJson(m.entries[n].value)}`);
          }
        }
        // An empty slot says what it is.
        const emptyState = tc.impl === 'classic' ? 'emptyRest' : 'empty';
        expect(await hoverText(page, `rect[data-state="${emptyState}"]`)).toMatch(new RegExp(`^.*slot \\d+\\n${emptyState} · ${tc.impl === 'classic' ? 'tophash' : 'ctrl'} 0x`));

        // Both implementations' shapes are there.
        const states = new Set(await page.locator('rect[data-slot]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))));
        if (tc.impl === 'classic') {
          expect(states.has('live')).toBe(true);
          expect(await page.locator('rect[data-array="oldbuckets"]').count(), 'main.growing: old array drawn').toBeGreaterThan(0);
          expect(await page.locator('rect[data-chain="12"]').count(), 'main.longChain: chain drawn').toBeGreaterThan(0);
        } else {
          expect(states.has('full')).toBe(true);
          expect(states.has('deleted'), 'main.deleted: tombstones drawn').toBe(true);
          expect(await page.locator('rect[data-array="small"]').count(), 'main.smallIntInt: small group').toBe(8);
        }
        // Header, layout and analysis alongside; the nil map says so.
        const first = page.locator('section.map[data-index="0"]');
        expect(await first.locator('aside.panels table caption').allTextContents()).toEqual(
          expect.arrayContaining([expect.stringMatching(/^Header/), expect.stringMatching(/^Layout of one (bucket|group)$/), 'Occupancy', 'Memory', 'Garbage collector', 'Cache lines (64-byte)']),
        );
        const nil = json.maps.findIndex((m) => m.expr === 'main.nilMap');
        if (nil >= 0) expect(await page.locator(`section.map[data-index="${nil}"] .note`).textContent()).toContain('nil map');

        // Target strings are text: the injected key and value, main.strStr's own "html <>&" → "<b>&amp;</b>".
        const s = page.locator(`section.map[data-index="${hostile}"]`);
        const hostileHover = await hoverText(page, `section.map[data-index="${hostile}"] rect[data-entry="${hostileEntry}"]`);
        expect(hostileHover).toContain(`key: ${JSON.stringify(SCRIPT_KEY)}`);
        expect(hostileHover).toContain(`value: ${JSON.stringify(IMG_VALUE)}`);
        const codes = await s.locator('table.entries td code').allTextContents();
        expect(codes).toContain(JSON.stringify(SCRIPT_KEY));
        expect(codes).toContain(JSON.stringify(IMG_VALUE));
        expect(codes).toContain('"html <>&"');
        expect(codes).toContain('"<b>&amp;</b>"');
        expect(await page.locator('#maps script, #maps img, #maps b, .tip b, .tip img').count()).toBe(0);
        expect(await page.locator('script').count(), 'only the page\'s own script').toBe(1);
        expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned)).toBeUndefined();

        // Asking the host: the typed expression is posted, nothing else happens in the page.
        await page.locator('#expr').fill('main.routes');
        await page.locator('form.ask button[type="submit"]').click();
        await page.locator('form.ask button.secondary').click();
        expect((await view.posted()).map((m) => m.type)).toEqual(['ready', 'inspect', 'refresh']);
        expect((await view.posted())[1].expression).toBe('main.routes');

        mkdirSync(ARTIFACTS, { recursive: true });
        await page.mouse.move(0, 0);
        await hoverText(page, `section.map[data-index="${hostile}"] rect[data-entry="0"]`);
        await page.screenshot({ path: join(ARTIFACTS, `map-inspector-${id}.png`), fullPage: true });

        // Only the page and its two files were loaded: no request leaves, no policy was violated.
        const own = new Set([pathToFileURL(file).href, pathToFileURL(join(MEDIA, 'inspector.js')).href, pathToFileURL(join(MEDIA, 'inspector.css')).href]);
        expect(view.requests.filter((u) => !own.has(u))).toEqual([]);
        expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__violations)).toEqual([]);
        expect(view.dialogs).toEqual([]);
        expect(view.errors).toEqual([]);
      } finally {
        await page.close();
      }

      // As narrow as the Run and Debug side bar, in a dark theme: the grid wraps, the panels go below.
      const narrow = await openView(file, { width: 380, height: 1000 });
      try {
        await narrow.page.evaluate(() => {
          const { document } = globalThis as unknown as PageGlobals;
          document.body.classList.add('vscode-dark');
          const st = document.documentElement.style; // where VS Code puts its theme variables
          st.setProperty('--vscode-sideBar-background', '#252526');
          st.setProperty('--vscode-foreground', '#cccccc');
          st.setProperty('--vscode-descriptionForeground', '#9d9d9d');
          st.setProperty('--vscode-panel-border', '#3c3c3c');
          st.setProperty('--vscode-editorWidget-background', '#2d2d30');
          st.setProperty('--vscode-editorWidget-border', '#555555');
          st.setProperty('--vscode-input-background', '#3c3c3c');
          st.setProperty('--vscode-input-foreground', '#cccccc');
          st.setProperty('--vscode-button-background', '#0e639c');
          st.setProperty('--vscode-button-secondaryBackground', '#3a3d41');
          st.setProperty('--vscode-button-secondaryForeground', '#cccccc');
          st.setProperty('--vscode-inputValidation-warningBackground', '#352a05');
        });
        const one = { ...json, maps: json.maps.filter((m) => m.expr === 'main.growing' || m.expr === 'main.smallIntInt') };
        await narrow.send(stateOf(one, 7, { expression: 'main.growing' }));
        const grids = await narrow.page.locator('svg.grid').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
        expect(Math.max(...grids), 'grids fit the side bar').toBeLessThanOrEqual(380);
        expect(await narrow.page.locator('.cols.wide').count()).toBe(0);
        const wantCells = one.maps.reduce((n, m) => n + expectedCells(m).length, 0);
        expect(await narrow.page.locator('rect[data-slot]').count()).toBe(wantCells);
        await narrow.page.screenshot({ path: join(ARTIFACTS, `map-inspector-${id}-sidebar-dark.png`), fullPage: true });
        expect(narrow.errors).toEqual([]);
      } finally {
        await narrow.page.close();
      }
    } finally {
      rmSync(crashed.dir, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Map Inspector webview, states without a map', () => {
  it('says what to do when idle, shows errors as text, keeps a stale picture under an error', async () => {
    const dir = tempDir('webview-states');
    try {
      const view = await openView(writePage(dir), { width: 600, height: 400 });
      const { page } = view;
      try {
        expect(await page.locator('#status').textContent()).toContain('Inspect Go Map');
        expect(await page.locator('section.map').count()).toBe(0);
        await view.send({ status: 'error', seq: 0, expression: 'main.<b>x</b>', message: 'no symbol "<b>x</b>" in current context' });
        expect(await page.locator('#status').textContent()).toBe('no symbol "<b>x</b>" in current context');
        expect(await page.locator('#status b').count()).toBe(0);
        expect(await page.locator('#expr').inputValue()).toBe('main.<b>x</b>');
        // A result, then an error about the next reading: the result stays, marked stale.
        const json = {
          schema: 'mapscope/inspect@1',
          target: { kind: 'live', pid: 42, exe: '/srv/<i>app</i>', goVersion: 'go1.26.8', arch: 'amd64', pointerSize: 8 },
          maps: [{ expr: 'main.m', address: '0xc000010000', type: 'map[string]int', keyType: 'string', valueType: 'int', implementation: 'swiss', count: 1, entries: [{ key: '</title>', value: 1 }], swiss: { used: 1, seed: '1', dirLen: 0, globalDepth: 0, smallGroup: { address: '0xc000020000', ctrl: [0x12, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80] }, tables: [] }, analysis: null }],
        };
        await view.send({ status: 'ready', seq: 1, expression: 'main.m', json: json as unknown as ViewState['json'] });
        expect(await page.locator('#target').textContent()).toContain('live process 42 of /srv/<i>app</i>');
        expect(await page.locator('rect[data-slot]').count()).toBe(8);
        expect(await page.locator('rect[data-entry="0"]').getAttribute('data-slot')).toBe('0');
        await view.send({ status: 'error', seq: 1, expression: 'main.m', message: 'gdb exited', json: json as unknown as ViewState['json'], stale: true });
        expect(await page.locator('rect[data-slot]').count()).toBe(8);
        expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.body.classList.contains('stale'))).toBe(true);
        expect(await page.locator('#maps i').count()).toBe(0);
        // Messages that are not the host's shape are ignored.
        await page.evaluate(() => (globalThis as unknown as PageGlobals).postMessage({ type: 'state', state: { status: 'ready', seq: 'x' } }, '*'));
        await page.evaluate(() => (globalThis as unknown as PageGlobals).postMessage('<script>alert(1)</script>', '*'));
        expect(await page.locator('rect[data-slot]').count()).toBe(8);
        expect(view.errors).toEqual([]);
        expect(view.dialogs).toEqual([]);
      } finally {
        await page.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
