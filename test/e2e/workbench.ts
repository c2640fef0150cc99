/**
 * Driving VS Code's workbench as a user does, by its accessible names: the Run and Debug view,
 * the CALL STACK and VARIABLES trees, context menus, the debug toolbar, and webview views
 * (an `iframe.webview` holding the extension's page in `iframe#active-frame`).
 *
 * The callbacks passed to evaluate* run in the page; the root tsconfig has no DOM library, so
 * they type what they touch themselves.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FrameLocator, Locator, Page } from 'playwright-core';

/** An element as the page callbacks see it. */
interface El {
  getAttribute(name: string): string | null;
  textContent: string | null;
}

/** Polls `probe` until it returns a value other than undefined, or throws `what` with the last error. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const why = last instanceof Error ? `: ${last.message.split('\n')[0]}` : '';
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${why}`);
    }
    await sleep(intervalMs);
  }
}

export async function labels(rows: Locator): Promise<string[]> {
  return rows.evaluateAll((els: El[]) => els.map((e) => e.getAttribute('aria-label') ?? ''));
}

export const sidebar = (page: Page) => page.locator('.part.sidebar');
/** Rows of a tree, without the copies its sticky scroll pins at the top. */
export const callStackRows = (page: Page) => page.locator('.debug-call-stack .monaco-list-row:not(.monaco-tree-sticky-row)');
export const variableRows = (page: Page) => page.locator('.debug-variables .monaco-list-row:not(.monaco-tree-sticky-row)');

/** Opens Run and Debug: its keyboard shortcut, or else its icon in the activity bar. */
export async function openRunAndDebug(page: Page): Promise<void> {
  const title = sidebar(page).locator('.composite.title .title-label');
  const isOpen = async () => (await sidebar(page).isVisible()) && /run and debug/i.test(await title.innerText({ timeout: 1000 }).catch(() => ''));
  const settle = async (ms: number) => {
    for (const end = Date.now() + ms; Date.now() < end; await sleep(200)) if (await isOpen()) return true;
    return false;
  };
  if (await isOpen()) return;
  await page.keyboard.press('Control+Shift+D');
  if (await settle(10_000)) return;
  const icon = page.locator('.part.activitybar .action-item:not(.checked) .action-label[aria-label^="Run and Debug"]').first();
  if (await icon.count()) await icon.click();
  if (await settle(10_000)) return;
  throw new Error(`Run and Debug did not open (side bar title: ${JSON.stringify(await title.innerText({ timeout: 1000 }).catch(() => '?'))})`);
}

/** Makes the side bar `width` pixels wide by dragging its sash, as a user would. */
export async function widenSidebar(page: Page, width: number): Promise<void> {
  const box = await sidebar(page).boundingBox();
  const sash = await page.locator('.monaco-sash.primary-sidebar-sash').boundingBox();
  if (!box || !sash || box.width >= width) return;
  const y = sash.y + sash.height / 2;
  await page.mouse.move(sash.x + sash.width / 2, y);
  await page.mouse.down();
  await page.mouse.move(sash.x + 40, y, { steps: 4 });
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
}

/** Collapses (or expands) the side bar pane with this title: Watch, Breakpoints, Call Stack... */
export async function setPaneExpanded(page: Page, title: string, expanded: boolean): Promise<void> {
  const header = sidebar(page).locator('.pane-header', { has: page.locator('h3.title', { hasText: new RegExp(`^${title}$`, 'i') }) }).first();
  if (!(await header.count())) return;
  if (((await header.getAttribute('aria-expanded')) === 'true') !== expanded) await header.click();
}

/** Moves the top edge of the side bar pane titled `title` to `y` by dragging the sash above it (best effort). */
export async function movePaneTop(page: Page, title: string, y: number): Promise<void> {
  const header = await sidebar(page).locator('.pane-header', { has: page.locator('h3.title', { hasText: new RegExp(`^${title}$`, 'i') }) }).first().boundingBox();
  if (!header) return;
  const sashes = await sidebar(page)
    .locator('.monaco-sash.horizontal')
    .evaluateAll((els: { getBoundingClientRect(): { x: number; y: number; width: number; height: number } }[]) => els.map((e) => e.getBoundingClientRect()));
  const sash = sashes.find((r) => Math.abs(r.y + r.height / 2 - header.y) <= 4 && r.width > 0);
  if (!sash) return;
  const x = sash.x + sash.width / 2;
  await page.mouse.move(x, sash.y + sash.height / 2);
  await page.mouse.down();
  await page.mouse.move(x, sash.y - 20, { steps: 3 });
  await page.mouse.move(x, y, { steps: 8 });
  await page.mouse.up();
}

/** Expands a tree row if it is collapsed, by its twistie. */
export async function expandRow(row: Locator): Promise<void> {
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
}

/**
 * Scrolls a virtualised tree (only the rows in sight exist in the DOM) until `row` is rendered —
 * downwards first, then upwards — and into view.
 */
export async function scrollTreeTo(page: Page, tree: Locator, row: Locator, what: string): Promise<Locator> {
  for (const dy of [88, -88]) {
    for (let i = 0; i < 75; i++) {
      if (await row.count()) {
        await row.first().scrollIntoViewIfNeeded();
        return row.first();
      }
      await tree.hover();
      await page.mouse.wheel(0, dy);
      await sleep(80);
    }
  }
  throw new Error(`${what} is not in the tree; rows seen last: ${JSON.stringify(await labels(tree.locator('.monaco-list-row:not(.monaco-tree-sticky-row)')))}`);
}

/**
 * Right-clicks `row` and chooses `item` from its context menu. A menu that has just opened
 * ignores the mouse for a moment (so the right-click's own release picks nothing): the click waits
 * a little, and is checked to have closed the menu; if not, the item is chosen with the keyboard.
 */
export async function contextMenu(page: Page, row: Locator, item: string): Promise<void> {
  const menu = page.locator('.context-view .monaco-menu');
  const entry = menu.getByRole('menuitem', { name: item, exact: false }).first();
  let offered: string[] = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    await row.click({ button: 'right' });
    try {
      await entry.waitFor({ state: 'visible', timeout: 5000 });
    } catch {
      offered = await menu
        .locator('.action-menu-item')
        .evaluateAll((els: El[]) => els.map((e) => (e.getAttribute('aria-label') || e.textContent || '').trim()))
        .catch(() => []);
      await page.keyboard.press('Escape');
      await sleep(300);
      continue;
    }
    await sleep(400);
    await entry.click();
    if (await entry.waitFor({ state: 'hidden', timeout: 2000 }).then(() => true, () => false)) return;
    await entry.focus();
    await page.keyboard.press('Enter');
    if (await entry.waitFor({ state: 'hidden', timeout: 2000 }).then(() => true, () => false)) return;
    await page.keyboard.press('Escape');
  }
  throw new Error(`could not choose "${item}" from the context menu; it offered ${JSON.stringify(offered)}`);
}

/** The inner frame of the webview whose page matches `selector`, e.g. the Map Inspector's main#maps. */
export async function webviewFrame(page: Page, selector: string, timeoutMs: number): Promise<FrameLocator> {
  return waitFor(`a webview with ${selector}`, timeoutMs, async () => {
    const outer = page.locator('iframe.webview');
    const n = await outer.count();
    for (let i = 0; i < n; i++) {
      const inner = outer.nth(i).contentFrame().locator('iframe#active-frame').contentFrame();
      if (await inner.locator(selector).count()) return outer.nth(i).contentFrame().frameLocator('iframe#active-frame');
    }
    return undefined;
  });
}

/** Notification toasts and the status bar: what VS Code said, for a failure message. */
export async function workbenchMessages(page: Page): Promise<string[]> {
  const toasts = await page
    .locator('.notifications-toasts .notification-list-item, .notifications-center .notification-list-item')
    .evaluateAll((els: El[]) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''))
    .catch(() => [] as string[]);
  return toasts.filter(Boolean);
}
