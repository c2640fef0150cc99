/** The first entries of a map in memory order, each with the slot it was found in. */
import type { RenderedEntry } from '../../values/entries.js';
import { stringifyJson } from '../../values/json.js';
import { html, type Markup } from './escape.js';
import { clip, int } from './format.js';
import { where } from './hover.js';
import type { SlotEntries } from './slot-entries.js';

/** Rows in the page; the JSON has them all. */
export const MAX_ENTRY_ROWS = 200;
const MAX_CHARS = 300;

export function entriesTable(entries: readonly RenderedEntry[], count: number, slots: SlotEntries): Markup {
  if (count === 0) return html`<p class="note">No entries.</p>`;
  const shown = entries.slice(0, MAX_ENTRY_ROWS);
  const rows = shown.map((e, i) => {
    const at = slots.slotOf(i);
    return html`<tr><td class="num">${i}</td><td class="where">${at ? where(at) : ''}</td><td><code>${clip(stringifyJson(e.key), MAX_CHARS)}</code></td><td><code>${clip(stringifyJson(e.value), MAX_CHARS)}</code></td></tr>`;
  });
  const note = shown.length < count ? html`<p class="note">First ${int(shown.length)} of ${int(count)} entries${entries.length < count ? ` (${int(entries.length)} rendered, see --limit)` : ''}; --json has every rendered entry.</p>` : '';
  return html`<table class="entries"><thead><tr><th>#</th><th>slot</th><th>key</th><th>value</th></tr></thead><tbody>${rows}</tbody></table>${note}`;
}
