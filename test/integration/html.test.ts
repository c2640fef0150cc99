/**
 * The HTML report (`inspect --html FILE`) opened in headless Chromium: one heatmap cell per slot,
 * each with the state and raw byte the JSON has at that position; hovers that hold the entries;
 * strings from the target shown as text, never as markup; no request beyond the page itself.
 * Saves a full-page screenshot and the page under test-artifacts/ for a person to look at.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MapInspection } from '../../src/inspect/inspect.js';
import { decodeClassic } from '../../src/maps/classic/decode.js';
import { CSP, htmlReport } from '../../src/report/html/report.js';
import { CachedMemory } from '../../src/target/cache.js';
import type { TargetInfo } from '../../src/target/target.js';
import { renderEntries } from '../../src/values/entries.js';
import { stringifyJson } from '../../src/values/json.js';
import { classicCell, classicMap, placeBuckets, placeHmap, SyntheticMemory, writeOverflow, writeTophash } from '../unit/synthetic-memory.js';
import type { InspectJson } from './compare.js';
import { kernelCore, mapscope, tempDir } from './harness.js';
import { ARTIFACTS, programPath } from './paths.js';
import { presentToolchains, type Toolchain } from './toolchains.js';

/** Shapes worth seeing: a grow in progress, tombstones, a long chain, a small map, strings with markup in them. */
const WANTED = ['main.growing', 'main.deleted', 'main.longChain', 'main.smallIntInt', 'main.strInt', 'main.swissDir', 'main.strStr', 'main.emptyMap', 'main.nilMap'];

/** The machine's toolchain (Swiss) and one classic one. */
function toolchains(): Toolchain[] {
  const present = presentToolchains();
  const classic = present.find((tc) => tc.id === 'go1.23') ?? present.find((tc) => tc.impl === 'classic');
  return [present[0], ...(classic && classic !== present[0] ? [classic] : [])];
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

interface Opened {
  readonly page: Page;
  readonly requests: string[];
  readonly dialogs: string[];
  readonly url: string;
}

async function open(file: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const url = pathToFileURL(file).href;
  await page.goto(url, { waitUntil: 'load' });
  return { page, requests, dialogs, url };
}

// ---- what the heatmap must show, from the JSON ----

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

interface ClassicJson {
  buckets: ChainJson[];
  oldbuckets: ChainJson[] | null;
}

interface SwissJson {
  smallGroup: { ctrl: number[] } | null;
  tables: { groups: { ctrl: number[] }[] }[];
}

/** Named here independently of src/: runtime/map.go's tophash marks, internal/runtime/maps' ctrl bytes. */
function tophashState(b: number): string {
  return ['emptyRest', 'emptyOne', 'evacuatedX', 'evacuatedY', 'evacuatedEmpty'][b] ?? 'live';
}

function ctrlState(b: number): string {
  if (b === 0x80) return 'empty';
  if (b === 0xfe) return 'deleted';
  return b < 0x80 ? 'full' : 'invalid';
}

function expectedCells(m: InspectJson['maps'][number]): CellAttrs[] {
  const out: CellAttrs[] = [];
  const cells = (bytes: number[], at: Omit<CellAttrs, 'slot' | 'state' | 'byte'>, state: (b: number) => string) =>
    bytes.forEach((b, slot) => out.push({ ...at, slot: String(slot), state: state(b), byte: String(b) }));
  if (m.classic) {
    const c = m.classic as unknown as ClassicJson;
    const arr = (array: string, chains: ChainJson[]) =>
      chains.forEach((ch, i) =>
        [ch, ...ch.overflow].forEach((b, k) => cells(b.tophash, { array, table: null, bucket: String(i), chain: String(k) }, tophashState)),
      );
    arr('buckets', c.buckets);
    if (c.oldbuckets) arr('oldbuckets', c.oldbuckets);
  }
  if (m.swiss) {
    const s = m.swiss as unknown as SwissJson;
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

/** The "key: …" lines of the hovers of live/full cells. */
async function hoverKeys(page: Page, index: number): Promise<string[]> {
  const titles = await page
    .locator(`section.map[data-index="${index}"] rect[data-state="live"] > title, section.map[data-index="${index}"] rect[data-state="full"] > title`)
    .allTextContents();
  return titles.flatMap((t) => t.split('\n').filter((l) => l.startsWith('key: ')));
}

function expectNoNetwork(o: Opened): void {
  expect(o.requests.length).toBeGreaterThan(0);
  for (const u of o.requests) expect(u, 'a request other than the page itself').toBe(o.url);
}

describe.each(toolchains().map((tc) => [tc.id, tc] as const))('HTML report, %s', (id, tc) => {
  const exe = programPath(tc.id);

  it('kernel core: one cell per slot with the JSON bytes, entries in the hovers, no network; screenshot', async () => {
    const crashed = await kernelCore(exe);
    try {
      const present = new Set(crashed.truth.maps.map((m) => m.expr));
      const exprs = WANTED.filter((e) => present.has(e));
      const file = join(crashed.dir, 'report.html');
      const r = await mapscope(['inspect', ...exprs, '--core', crashed.core, '--exe', exe, '--json', '--html', file]);
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      const out = JSON.parse(r.stdout) as InspectJson;
      const o = await open(file);
      try {
        const { page } = o;
        expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(CSP);
        expect(await page.locator('script').count()).toBe(0);
        expect(await page.locator('section.map[data-index]').count()).toBe(exprs.length);

        for (const [i, m] of out.maps.entries()) {
          expect(m.error, m.expr).toBeUndefined();
          expect(await page.locator(`section.map[data-index="${i}"]`).getAttribute('data-expr')).toBe(m.expr);
          const want = expectedCells(m);
          const got = await drawnCells(page, i);
          // Count first, for a readable failure: 8 × (buckets + overflow [+ old array]) or 8 × groups.
          expect(got.length, `${m.expr}: cells`).toBe(want.length);
          expect(got, `${m.expr}: cell attributes`).toEqual(want);
          // Every entry sits in exactly one live/full cell's hover (keys over the hover's clip length aside).
          const keys = await hoverKeys(page, i);
          const expected = m.entries.map((e) => `key: ${stringifyJson(e.key)}`);
          expect(keys.length, `${m.expr}: live cells with a key`).toBe(m.entries.length);
          expect(
            keys.filter((k) => !k.includes('… (')).sort(),
            `${m.expr}: hover keys`,
          ).toEqual(expected.filter((k) => k.length <= 'key: '.length + 160).sort());
        }

        // Some cells are present at all, in both implementations' vocabularies.
        const states = new Set(await page.locator('rect[data-slot]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))));
        expect(states.has(tc.impl === 'classic' ? 'live' : 'full')).toBe(true);
        if (tc.impl === 'classic') {
          expect(await page.locator('rect[data-array="oldbuckets"]').count(), 'main.growing: old array drawn').toBeGreaterThan(0);
          expect(await page.locator('rect[data-chain="12"]').count(), 'main.longChain: chain drawn').toBeGreaterThan(0);
        } else {
          expect(states.has('deleted'), 'main.deleted: tombstones drawn').toBe(true);
        }

        // main.strStr holds "html <>&" → "<b>&amp;</b>": text in the page, not markup.
        const strStr = out.maps.findIndex((m) => m.expr === 'main.strStr');
        if (strStr >= 0) {
          const table = page.locator(`section.map[data-index="${strStr}"] table.entries`);
          expect(await table.locator('b').count()).toBe(0);
          const cells = await table.locator('td code').allTextContents();
          expect(cells).toContain('"html <>&"');
          expect(cells).toContain('"<b>&amp;</b>"');
        }

        expectNoNetwork(o);
        expect(o.dialogs).toEqual([]);
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, `html-report-${id}.png`), fullPage: true });
        copyFileSync(file, join(ARTIFACTS, `html-report-${id}.html`));
      } finally {
        await o.page.close();
      }

      // Without --json, the text report still goes to stdout and the page to the file.
      const file2 = join(crashed.dir, 'text.html');
      const t = await mapscope(['inspect', 'main.strInt', '--core', crashed.core, '--exe', exe, '--html', file2]);
      expect(t.exitCode).toBe(0);
      expect(t.stdout).toMatch(/^core dump of /);
      expect(t.stdout).toContain('main.strInt');
      expect(readFileSync(file2, 'utf8')).toContain('data-slot="7"');
    } finally {
      rmSync(crashed.dir, { recursive: true, force: true });
    }
  });
});

// ---- hostile strings, without gdb ----

const INFO: TargetInfo = { kind: 'core', pid: null, exe: '/tmp/<b>app</b>', goVersion: 'go1.23.4', arch: 'amd64', pointerSize: 8, littleEndian: true };
const SCRIPT_KEY = '<script>alert(1)</script>';
const AMP_KEY = 'fish & chips "quoted" \'single\'';
const IMG_VALUE = '<img src="http://example.invalid/x.png">';

/** A classic map[string]string, one bucket and one overflow bucket, whose strings are markup. */
async function hostileInspection(): Promise<MapInspection> {
  const { type, layout } = classicMap(8, 'string', 'string');
  const mem = new SyntheticMemory(8);
  const b0 = placeBuckets(mem, layout, 0x2000, 1);
  const ovf = placeBuckets(mem, layout, 0x3000, 1);
  writeOverflow(mem, layout, b0, ovf);
  writeTophash(mem, layout, b0, [0x11, 1, 0x22, 1, 1, 1, 1, 1]);
  writeTophash(mem, layout, ovf, [0x33, 0, 0, 0, 0, 0, 0, 0]);
  // String data, 64 bytes apart (every string here is shorter).
  mem.alloc(0x9000, 512);
  const put = (cell: { key: bigint; elem: bigint }, at: number, k: string, v: string) => {
    mem.goString(cell.key, 0x9000 + at, k);
    mem.goString(cell.elem, 0x9000 + at + 64, v);
  };
  put(classicCell(layout, b0, 0), 0, SCRIPT_KEY, IMG_VALUE);
  put(classicCell(layout, b0, 2), 128, AMP_KEY, '</title><script>alert(2)</script>');
  put(classicCell(layout, ovf, 0), 256, '&amp;', '<!--');
  placeHmap(mem, layout, 0x1000, { count: 3, B: 0, noverflow: 1, hash0: 7, buckets: b0 });
  const cache = new CachedMemory(mem);
  const snapshot = await decodeClassic(cache, layout, 0x1000n);
  const env = { mem: cache, rtypes: undefined, typesByName: new Map(), swissHeaders: false };
  const noTypes = { typesByName: async (names: readonly string[]) => names.map(() => undefined) };
  const entries = await renderEntries(snapshot.entries, layout.key, layout.elem, env, noTypes);
  return { expr: `main.m["${IMG_VALUE}"]`, type, layout, snapshot, entries };
}

describe('HTML report of hostile strings', () => {
  it('renders keys, values, names as text: no script runs, no element is injected, nothing is fetched', async () => {
    const dir = tempDir('html');
    try {
      const file = join(dir, 'hostile.html');
      const page = htmlReport(INFO, [await hostileInspection()]);
      expect(page).not.toContain('<script');
      expect(page).not.toContain('<img');
      writeFileSync(file, page);
      const o = await open(file);
      try {
        const p = o.page;
        expect(await p.locator('script, img, header.page b, table.entries b').count()).toBe(0);
        expect(await p.locator('section.map[data-index="0"]').getAttribute('data-expr')).toBe(`main.m["${IMG_VALUE}"]`);
        expect(await p.locator('section.map h2 code.expr').textContent()).toBe(`main.m["${IMG_VALUE}"]`);
        expect(await p.locator('header.page p').textContent()).toContain('/tmp/<b>app</b>');
        const cells = await p.locator('table.entries td code').allTextContents();
        expect(cells).toEqual([JSON.stringify(SCRIPT_KEY), JSON.stringify(IMG_VALUE), JSON.stringify(AMP_KEY), '"</title><script>alert(2)</script>"', '"&amp;"', '"<!--"']);
        // 2 buckets × 8 cells; hovers carry the keys of the live ones.
        expect(await p.locator('rect[data-slot]').count()).toBe(16);
        const first = p.locator('rect[data-bucket="0"][data-chain="0"][data-slot="0"]');
        expect(await first.getAttribute('data-state')).toBe('live');
        expect(await first.getAttribute('data-byte')).toBe('17');
        expect(await first.locator('title').textContent()).toContain(`key: ${JSON.stringify(SCRIPT_KEY)}`);
        const ovfCell = p.locator('rect[data-bucket="0"][data-chain="1"][data-slot="0"] > title');
        expect(await ovfCell.textContent()).toContain('key: "&amp;"');
        expect(await p.locator('rect[data-state="emptyOne"]').count()).toBe(6);
        expectNoNetwork(o);
        expect(o.dialogs).toEqual([]);
      } finally {
        await o.page.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
