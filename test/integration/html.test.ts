/**
 * The HTML report (`inspect --html FILE`) opened in headless Chromium: the slots drawn by the
 * page's own script (allowed by its hash, nothing else), one cell per slot with the state and
 * raw byte the JSON has at that position, hovers that hold the entries; big maps open folded,
 * a fold draws when unfolded, and Go to / Find reach any bucket or key; strings from the target
 * shown as text, never as markup; no request beyond the page itself. Saves a screenshot and the
 * page under test-artifacts/ for a person to look at.
 *
 * The cells are read back the way a person reads them: by hovering. A sweep dispatches a
 * mousemove every few pixels over each canvas (in the page, for speed) and collects the hover
 * texts; a real mouse move checks that one of them appears under the pointer too.
 */
import { createHash } from 'node:crypto';
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
import { entryJson } from '../../src/values/entry-json.js';
import { stringifyJson } from '../../src/values/json.js';
import { bucketAt, classicCell, classicMap, placeBuckets, placeHmap, SyntheticMemory, writeOverflow, writeTophash } from '../unit/synthetic-memory.js';
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
  /** Console errors and warnings: a script the CSP refused would say so here. */
  readonly console: string[];
  readonly url: string;
}

async function open(file: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const requests: string[] = [];
  const dialogs: string[] = [];
  const console: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') console.push(m.text());
  });
  page.on('pageerror', (e) => console.push(String(e)));
  const url = pathToFileURL(file).href;
  await page.goto(url, { waitUntil: 'load' });
  return { page, requests, dialogs, console, url };
}

// ---- what the heatmap must show, from the JSON ----

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

/** A slot's position as the hover's first line names it. */
function slotName(array: string, table: number, bucket: number, chain: number, slot: number): string {
  if (array === 'groups') return `table ${table} · group ${bucket} · slot ${slot}`;
  if (array === 'small') return `small group · slot ${slot}`;
  return `${array === 'oldbuckets' ? 'old bucket' : 'bucket'} ${bucket}${chain ? ` · overflow ${chain}` : ''} · slot ${slot}`;
}

/** Every slot of the map by its name, with the state and byte the hover must give ("live · tophash 0x11 (17)"). */
function expectedCells(m: InspectJson['maps'][number]): Map<string, string> {
  const out = new Map<string, string>();
  const cells = (bytes: number[], name: (slot: number) => string, state: (b: number) => string, what: string) =>
    bytes.forEach((b, slot) => out.set(name(slot), `${state(b)} · ${what} 0x${b.toString(16).padStart(2, '0')} (${b})`));
  if (m.classic) {
    const c = m.classic as unknown as ClassicJson;
    const arr = (array: string, chains: ChainJson[]) =>
      chains.forEach((ch, i) => [ch, ...ch.overflow].forEach((b, k) => cells(b.tophash, (slot) => slotName(array, 0, i, k, slot), tophashState, 'tophash')));
    arr('buckets', c.buckets);
    if (c.oldbuckets) arr('oldbuckets', c.oldbuckets);
  }
  if (m.swiss) {
    const s = m.swiss as unknown as SwissJson;
    if (s.smallGroup) cells(s.smallGroup.ctrl, (slot) => slotName('small', 0, 0, 0, slot), ctrlState, 'ctrl');
    s.tables.forEach((t, ti) => t.groups.forEach((g, j) => cells(g.ctrl, (slot) => slotName('groups', ti, j, 0, slot), ctrlState, 'ctrl')));
  }
  return out;
}

// ---- what the page shows, by hovering ----

/** The little of the DOM the in-page functions below use (the suite compiles without the DOM library). */
interface DomNode {
  open: boolean;
  hidden: boolean;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomNode | null;
  querySelectorAll(selector: string): ArrayLike<DomNode>;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
  dispatchEvent(event: unknown): boolean;
}

interface DomGlobal {
  readonly document: DomNode;
  readonly MouseEvent: new (type: string, init: object) => unknown;
}

interface Hovered {
  /** The hover's text, its first line the slot's name. */
  readonly text: string;
  /** Which canvas of the section, and where in it (CSS pixels from its top left). */
  readonly canvas: number;
  readonly x: number;
  readonly y: number;
}

/**
 * Unfolds the rows of map `index` (all, or those given), waits for their canvases and sweeps each
 * canvas with mousemove events 10 px apart across and 7 px down: the hover text of every slot, by
 * its name.
 */
async function sweep(page: Page, index: number, rows?: readonly number[]): Promise<Map<string, Hovered>> {
  const section = `section.map[data-index="${index}"]`;
  await page.locator(`${section} details.unit`).evaluateAll((els, only) => {
    els.forEach((e, i) => {
      if (!only || only.includes(i)) (e as unknown as DomNode).open = true;
    });
  }, rows ?? null);
  await page.waitForFunction((sel) => {
    const dom = globalThis as unknown as DomGlobal;
    return Array.from(dom.document.querySelectorAll(`${sel} details.unit[open]`)).every((d) => d.querySelector('canvas') || d.getAttribute('data-cells') === '');
  }, section);
  const found = await page.locator(`${section} canvas.heatmap`).evaluateAll((els) => {
    const dom = globalThis as unknown as DomGlobal;
    const canvases = els as unknown as DomNode[];
    const tip = dom.document.querySelector('.tip') as DomNode;
    const out: { text: string; canvas: number; x: number; y: number }[] = [];
    const seen = new Set<string>();
    tip.hidden = true;
    canvases.forEach((cv, canvas) => {
      const r = cv.getBoundingClientRect();
      // A slot answers hovers over 11 px across (its cell and the gap after it) and 12 px down.
      for (let y = 1; y < r.height; y += 7) {
        for (let x = 1; x < r.width; x += 10) {
          cv.dispatchEvent(new dom.MouseEvent('mousemove', { clientX: r.left + x, clientY: r.top + y, bubbles: true }));
          const text = tip.hidden ? '' : (tip.textContent ?? '');
          const name = text.split('\n')[0];
          if (text && !seen.has(name)) {
            seen.add(name);
            out.push({ text, canvas, x, y });
          }
        }
      }
    });
    tip.hidden = true;
    return out;
  });
  return new Map(found.map((h) => [h.text.split('\n')[0], h]));
}

/** Moves the real mouse over a swept slot and gives the hover text the page shows. */
async function hoverReally(page: Page, index: number, h: Hovered): Promise<string> {
  const cv = page.locator(`section.map[data-index="${index}"] canvas.heatmap`).nth(h.canvas);
  // The slot a third of the way down the window, however tall the canvas.
  const before = await cv.boundingBox();
  if (!before) throw new Error('canvas not shown');
  await page.evaluate((dy) => (globalThis as unknown as { scrollBy(x: number, y: number): void }).scrollBy(0, dy), before.y + h.y - 300);
  const box = await cv.boundingBox();
  if (!box) throw new Error('canvas not shown');
  const tip = page.locator('.tip');
  // The scroll's own event hides a hover that is not pinned: move again until it has settled.
  await expect
    .poll(async () => {
      await page.mouse.move(box.x + h.x - 1, box.y + h.y);
      await page.mouse.move(box.x + h.x, box.y + h.y);
      return tip.isVisible();
    })
    .toBe(true);
  return (await tip.textContent()) ?? '';
}

function keyLines(swept: Map<string, Hovered>): string[] {
  return [...swept.values()].flatMap((h) => h.text.split('\n').filter((l) => l.startsWith('key: ')));
}

function expectNoNetwork(o: Opened): void {
  expect(o.requests.length).toBeGreaterThan(0);
  for (const u of o.requests) expect(u, 'a request other than the page itself').toBe(o.url);
}

/** The page's one script runs (its hash is the CSP's), and every other <script> is a data block. */
async function expectOnlyOwnScript(o: Opened): Promise<void> {
  const scripts = await o.page.locator('script').evaluateAll((els) => els.map((e) => ({ type: e.getAttribute('type'), text: e.textContent ?? '' })));
  const code = scripts.filter((s) => s.type === null);
  expect(code).toHaveLength(1);
  expect(scripts.every((s) => s.type === null || s.type === 'application/x-mapscope-entries')).toBe(true);
  const hash = createHash('sha256').update(code[0].text, 'utf8').digest('base64');
  expect(CSP).toContain(`script-src 'sha256-${hash}'`);
  expect(CSP).not.toContain('unsafe-inline\'; script');
  expect(CSP).toMatch(/^default-src 'none';/);
  expect(o.console, 'console errors (a refused script says so here)').toEqual([]);
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
        expect(await page.locator('section.map[data-index]').count()).toBe(exprs.length);
        // Small maps open unfolded, drawn by the script the CSP allowed.
        expect(await page.locator('canvas.heatmap').count()).toBeGreaterThan(0);
        await expectOnlyOwnScript(o);

        const seen = new Map<string, Map<string, Hovered>>();
        for (const [i, m] of out.maps.entries()) {
          expect(m.error, m.expr).toBeUndefined();
          expect(await page.locator(`section.map[data-index="${i}"]`).getAttribute('data-expr')).toBe(m.expr);
          const want = expectedCells(m);
          const swept = await sweep(page, i);
          seen.set(m.expr, swept);
          // Count first, for a readable failure: 8 × (buckets + overflow [+ old array]) or 8 × groups.
          expect(swept.size, `${m.expr}: cells`).toBe(want.size);
          const got = new Map([...swept].map(([name, h]) => [name, h.text.split('\n')[1]]));
          expect(got, `${m.expr}: cell states and bytes`).toEqual(want);
          // Every entry sits in exactly one live/full cell's hover (keys over the hover's clip length aside).
          const keys = keyLines(swept);
          const expected = m.entries.map((e) => `key: ${stringifyJson(e.key)}`);
          expect(keys.length, `${m.expr}: live cells with a key`).toBe(m.entries.length);
          expect(keys.filter((k) => !k.includes('… (')).sort(), `${m.expr}: hover keys`).toEqual(expected.filter((k) => k.length <= 'key: '.length + 160).sort());
          // Under the real pointer too: the first live cell.
          const live = [...swept.values()].find((h) => h.text.includes('\nkey: '));
          if (live) expect(await hoverReally(page, i, live), `${m.expr}: real hover`).toBe(live.text);
        }

        // Go to: a table/group of a Swiss map, an old bucket of a grow.
        const goTo = async (expr: string, at: string): Promise<string | null> => {
          const i = out.maps.findIndex((m) => m.expr === expr);
          if (i < 0) return null;
          const form = page.locator(`section.map[data-index="${i}"] form.jump`);
          await form.locator('input[name=goto]').fill(at);
          await form.locator('button[name=go]').click();
          return form.locator('output').textContent();
        };
        if (tc.impl === 'classic') {
          const said = await goTo('main.growing', 'old 0');
          if (said !== null) expect(said).toBe('old bucket 0');
        } else {
          const said = await goTo('main.swissDir', '1/5');
          if (said !== null) {
            expect(said).toBe('table 1 · group 5');
            expect(await goTo('main.swissDir', '999')).toBe('No table 999.');
          }
        }

        const all = [...seen.values()].flatMap((m) => [...m.values()]);
        expect(all.some((h) => /^(live|full) · /m.test(h.text))).toBe(true);
        if (tc.impl === 'classic') {
          expect([...(seen.get('main.growing')?.keys() ?? [])].some((n) => n.startsWith('old bucket ')), 'main.growing: old array drawn').toBe(true);
          expect([...(seen.get('main.longChain')?.keys() ?? [])].some((n) => n.includes(' · overflow 12 · ')), 'main.longChain: chain drawn').toBe(true);
        } else {
          expect(all.some((h) => h.text.includes('\ndeleted · ctrl 0xfe')), 'main.deleted: tombstones drawn').toBe(true);
        }

        // main.strStr holds "html <>&" → "<b>&amp;</b>": text in the page, not markup.
        const strStr = out.maps.findIndex((m) => m.expr === 'main.strStr');
        if (strStr >= 0) {
          const table = page.locator(`section.map[data-index="${strStr}"] table.entries`);
          expect(await table.locator('b').count()).toBe(0);
          const cells = await table.locator('td code').allTextContents();
          expect(cells).toContain('"html <>&"');
          expect(cells).toContain('"<b>&amp;</b>"');
          expect(keyLines(seen.get('main.strStr') ?? new Map())).toContain('key: "html <>&"');
        }

        expectNoNetwork(o);
        expect(o.dialogs).toEqual([]);
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.mouse.move(0, 0);
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
      expect(readFileSync(file2, 'utf8')).toContain('<details class="unit"');
    } finally {
      rmSync(crashed.dir, { recursive: true, force: true });
    }
  });
});

// ---- big maps open folded, without gdb ----

const BIG_B = 11;
const OVERFLOW_BUCKET = 1000;

/**
 * A classic map[int]int of 2^11 buckets (eight rows of 256), bucket i holding (i % 7) + 1 live
 * cells with keys i*8+slot and values key+1,000,000, and bucket 1000 an overflow bucket with
 * keys 20,000 on. The entries come from the compiled emitters, as the CLI's --html has them.
 */
async function bigInspection(): Promise<{ m: MapInspection; keyAt: Map<string, number> }> {
  const { type, layout } = classicMap(8, 'int', 'int');
  const mem = new SyntheticMemory(8);
  const n = 1 << BIG_B;
  const buckets = placeBuckets(mem, layout, 0x100000, n);
  const keyAt = new Map<string, number>();
  const live = (bucket: bigint, cells: number, name: (slot: number) => string, key: (slot: number) => number) => {
    writeTophash(mem, layout, bucket, Array.from({ length: 8 }, (_, s) => (s < cells ? 0x10 + s : 0)));
    for (let s = 0; s < cells; s++) {
      mem.ptr(classicCell(layout, bucket, s).key, key(s));
      mem.ptr(classicCell(layout, bucket, s).elem, key(s) + 1_000_000);
      keyAt.set(name(s), key(s));
    }
  };
  for (let i = 0; i < n; i++) live(bucketAt(layout, buckets, i), (i % 7) + 1, (s) => slotName('buckets', 0, i, 0, s), (s) => i * 8 + s);
  const ovf = placeBuckets(mem, layout, 0x900000, 1);
  writeOverflow(mem, layout, bucketAt(layout, buckets, OVERFLOW_BUCKET), ovf);
  live(ovf, 8, (s) => slotName('buckets', 0, OVERFLOW_BUCKET, 1, s), (s) => 20_000 + s);
  placeHmap(mem, layout, 0x1000, { count: keyAt.size, B: BIG_B, noverflow: 1, hash0: 7, buckets });
  const cache = new CachedMemory(mem);
  const snapshot = await decodeClassic(cache, layout, 0x1000n);
  const env = { mem: cache, rtypes: undefined, typesByName: new Map(), swissHeaders: false };
  const noTypes = { typesByName: async (names: readonly string[]) => names.map(() => undefined) };
  const items = await entryJson(snapshot.slots, 0, snapshot.slots.length, layout.key, layout.elem, env, noTypes);
  return { m: { expr: 'main.big', type, layout, snapshot, entryJson: items }, keyAt };
}

describe('HTML report of a big map', () => {
  it('opens folded with a row per range of buckets; a row unfolds to its slots; hover, Go to and Find reach any entry', async () => {
    const dir = tempDir('html');
    try {
      const { m, keyAt } = await bigInspection();
      const file = join(dir, 'big.html');
      writeFileSync(file, htmlReport(INFO, [m]));
      const o = await open(file);
      try {
        const p = o.page;
        await expectOnlyOwnScript(o);
        const rows = p.locator('section.map[data-index="0"] details.unit');
        expect(await rows.count()).toBe(8);
        // Folded: nothing drawn until asked.
        expect(await p.locator('details.unit[open]').count()).toBe(0);
        expect(await p.locator('canvas').count()).toBe(0);
        // Each row tells its range and how many of its slots are live.
        for (let r = 0; r < 8; r++) {
          let liveCells = 0;
          for (let i = r * 256; i < (r + 1) * 256; i++) liveCells += (i % 7) + 1 + (i === OVERFLOW_BUCKET ? 8 : 0);
          const text = (await rows.nth(r).locator('summary').textContent()) ?? '';
          expect(text).toContain(`buckets ${(r * 256).toLocaleString('en-US')}–${(r * 256 + 255).toLocaleString('en-US')}`);
          expect(text).toContain(`live ${liveCells.toLocaleString('en-US')} (`);
        }

        // Unfolding row 3 (buckets 768–1023, with bucket 1000's chain) draws it, and only it.
        await rows.nth(3).locator('summary').click();
        await expect.poll(() => rows.nth(3).locator('canvas').count()).toBe(1);
        expect(await p.locator('canvas').count()).toBe(1);
        const swept = await sweep(p, 0, [3]);
        const want = [...keyAt].filter(([name]) => {
          const b = Number(/bucket (\d+)/.exec(name)?.[1]);
          return b >= 768 && b < 1024;
        });
        const liveSwept = [...swept.values()].filter((h) => h.text.includes('\nkey: '));
        expect(liveSwept).toHaveLength(want.length);
        for (const [name, key] of want) {
          const h = swept.get(name);
          expect(h?.text, name).toContain(`\nkey: ${key}\nvalue: ${key + 1_000_000}\n`);
        }
        expect(swept.get(slotName('buckets', 0, OVERFLOW_BUCKET, 1, 7))?.text).toContain('overflow bucket @0x900000');
        const one = swept.get(slotName('buckets', 0, 1000, 0, 2));
        if (!one) throw new Error('bucket 1000 slot 2 not swept');
        expect(await hoverReally(p, 0, one)).toBe(one.text);

        const form = p.locator('section.map[data-index="0"] form.jump');
        // Go to a bucket of a folded row: the row unfolds.
        await form.locator('input[name=goto]').fill('1500');
        await form.locator('button[name=go]').click();
        await expect.poll(() => rows.nth(5).locator('canvas').count()).toBe(1);
        expect(await form.locator('output').textContent()).toBe('bucket 1500');
        // Find a key: its row unfolds and its hover is shown beside it.
        await form.locator('input[name=text]').fill('8003');
        await form.locator('input[name=text]').press('Enter');
        await expect.poll(() => p.locator('.tip').textContent()).toContain('bucket 1000 · slot 3\n');
        expect(await p.locator('.tip').textContent()).toContain('\nkey: 8003\nvalue: 1008003\n');
        expect(await rows.nth(3).getAttribute('open')).not.toBeNull();
        await form.locator('input[name=text]').fill('20005');
        await form.locator('button[name=next]').click();
        await expect.poll(() => p.locator('.tip').textContent()).toContain('bucket 1000 · overflow 1 · slot 5\n');
        // Fold all.
        await form.locator('button[name=fold]').click();
        expect(await p.locator('details.unit[open]').count()).toBe(0);
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

// ---- hostile strings, without gdb ----

const INFO: TargetInfo = { kind: 'core', pid: null, exe: '/tmp/<b>app</b>', goVersion: 'go1.23.4', arch: 'amd64', pointerSize: 8, littleEndian: true };
const SCRIPT_KEY = '<script>alert(1)</script>';
const AMP_KEY = 'fish & chips "quoted" \'single\'';
const IMG_VALUE = '<img src="http://example.invalid/x.png">';
const CLOSE_VALUE = '</title></script><script>alert(2)</script>';
const ESCAPE_KEY = String.raw`\u003c stays \\u003c`;
/** A classic map[string]string, one bucket and one overflow bucket, whose strings are markup. */
async function hostileInspection(): Promise<MapInspection> {
  const { type, layout } = classicMap(8, 'string', 'string');
  const mem = new SyntheticMemory(8);
  const b0 = placeBuckets(mem, layout, 0x2000, 1);
  const ovf = placeBuckets(mem, layout, 0x3000, 1);
  writeOverflow(mem, layout, b0, ovf);
  writeTophash(mem, layout, b0, [0x11, 1, 0x22, 1, 1, 1, 1, 1]);
  writeTophash(mem, layout, ovf, [0x33, 0x44, 0, 0, 0, 0, 0, 0]);
  // String data, 64 bytes apart (every string here is shorter).
  mem.alloc(0x9000, 512);
  const put = (cell: { key: bigint; elem: bigint }, at: number, k: string, v: string) => {
    mem.goString(cell.key, 0x9000 + at, k);
    mem.goString(cell.elem, 0x9000 + at + 64, v);
  };
  put(classicCell(layout, b0, 0), 0, SCRIPT_KEY, IMG_VALUE);
  put(classicCell(layout, b0, 2), 128, AMP_KEY, CLOSE_VALUE);
  put(classicCell(layout, ovf, 0), 256, '&amp;', '<!--');
  put(classicCell(layout, ovf, 1), 384, ESCAPE_KEY, '-->');
  placeHmap(mem, layout, 0x1000, { count: 4, B: 0, noverflow: 1, hash0: 7, buckets: b0 });
  const cache = new CachedMemory(mem);
  const snapshot = await decodeClassic(cache, layout, 0x1000n);
  const env = { mem: cache, rtypes: undefined, typesByName: new Map(), swissHeaders: false };
  const noTypes = { typesByName: async (names: readonly string[]) => names.map(() => undefined) };
  const entries = await renderEntries(snapshot.entries, layout.key, layout.elem, env, noTypes);
  return { expr: `main.m["${IMG_VALUE}"]`, type, layout, snapshot, entries };
}

describe('HTML report of hostile strings', () => {
  it('renders keys, values, names as text: no script runs but its own, no element is injected, nothing is fetched', async () => {
    const dir = tempDir('html');
    try {
      const file = join(dir, 'hostile.html');
      const page = htmlReport(INFO, [await hostileInspection()]);
      expect(page).not.toContain('<img');
      // The only <script> tags: the page's own script and its data blocks; no key closes a block.
      const tags = page.match(/<script[^>]*>/g) ?? [];
      expect(tags.filter((t) => t === '<script>')).toHaveLength(1);
      expect(tags.every((t) => t === '<script>' || t === '<script type="application/x-mapscope-entries">')).toBe(true);
      expect(page).not.toContain('<script>alert');
      writeFileSync(file, page);
      const o = await open(file);
      try {
        const p = o.page;
        await expectOnlyOwnScript(o);
        expect(await p.locator('img, header.page b, table.entries b, .tip *').count()).toBe(0);
        expect(await p.locator('section.map[data-index="0"]').getAttribute('data-expr')).toBe(`main.m["${IMG_VALUE}"]`);
        expect(await p.locator('section.map h2 code.expr').textContent()).toBe(`main.m["${IMG_VALUE}"]`);
        expect(await p.locator('header.page p').textContent()).toContain('/tmp/<b>app</b>');
        const cells = await p.locator('table.entries td code').allTextContents();
        expect(cells).toEqual([SCRIPT_KEY, IMG_VALUE, AMP_KEY, CLOSE_VALUE, '&amp;', '<!--', ESCAPE_KEY, '-->'].map((x) => JSON.stringify(x)));
        // 2 buckets × 8 cells; hovers carry the keys and values of the live ones, as text.
        const swept = await sweep(p, 0);
        expect(swept.size).toBe(16);
        const first = swept.get('bucket 0 · slot 0')?.text ?? '';
        expect(first.split('\n')[1]).toBe('live · tophash 0x11 (17)');
        expect(first).toContain(`key: ${JSON.stringify(SCRIPT_KEY)}\nvalue: ${JSON.stringify(IMG_VALUE)}`);
        expect(swept.get('bucket 0 · slot 2')?.text).toContain(`key: ${JSON.stringify(AMP_KEY)}\nvalue: ${JSON.stringify(CLOSE_VALUE)}`);
        expect(swept.get('bucket 0 · overflow 1 · slot 0')?.text).toContain('key: "&amp;"\nvalue: "<!--"');
        expect(swept.get('bucket 0 · overflow 1 · slot 1')?.text).toContain(`key: ${JSON.stringify(ESCAPE_KEY)}\nvalue: "-->"`);
        expect([...swept.values()].filter((h) => h.text.includes('\nemptyOne · '))).toHaveLength(6);
        // Find takes text with markup in it, as text.
        const form = p.locator('form.jump');
        await form.locator('input[name=text]').fill('</title></script>');
        await form.locator('input[name=text]').press('Enter');
        await expect.poll(() => p.locator('.tip').textContent()).toContain('bucket 0 · slot 2\n');
        expect(await p.locator('.tip *').count()).toBe(0);
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
