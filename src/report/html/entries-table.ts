/** The first entries of a map in memory order, each with the slot it was found in. */
import type { JsonItems } from '../../values/json.js';
import type { MapCells } from './cells.js';
import { entryTexts } from './entry-source.js';
import { html, type Markup } from './escape.js';
import { clip, int } from './format.js';
import { where } from './hover.js';
import { slotAt } from './slot-entries.js';

/** Rows in the page; the JSON has them all, and the slots' hovers each theirs. */
export const MAX_ENTRY_ROWS = 200;
const MAX_CHARS = 300;

export function entriesTable(items: JsonItems, count: number, cells: MapCells): Markup {
  if (count === 0) return html`<p class="note">No entries.</p>`;
  const shown = Math.min(items.length, MAX_ENTRY_ROWS);
  const rows: Markup[] = [];
  for (let i = 0; i < shown; i++) {
    const c = cells.cellOfEntry?.[i];
    const at = c === undefined ? undefined : slotAt(cells, c);
    const e = entryTexts(items, i);
    rows.push(html`<tr><td class="num">${i}</td><td class="where">${at ? where(at) : ''}</td><td><code>${clip(e.key, MAX_CHARS)}</code></td><td><code>${clip(e.value, MAX_CHARS)}</code></td></tr>`);
  }
  const note =
    shown < count
      ? html`<p class="note">First ${int(shown)} of ${int(count)} entries${items.length < count ? ` (${int(items.length)} rendered, see --limit)` : ''}; find any other with the slots' Find box; --json has every rendered entry.</p>`
      : '';
  return html`<table class="entries"><thead><tr><th>#</th><th>slot</th><th>key</th><th>value</th></tr></thead><tbody>${rows}</tbody></table>${note}`;
}
