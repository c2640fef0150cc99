/** The first entries in memory order, each with its slot; hovering a row lights up its slot. */
import { int } from '../../../src/report/html/format.js';
import type { MapJson } from '../shared/contract.js';
import { h } from './dom.js';
import type { SlotEntries } from './slots.js';
import { valueText, where } from './text.js';

/** Rows in the view; the rest are in the JSON. */
export const MAX_ENTRY_ROWS = 200;
/** Open by default when this short, so a small map shows everything at once. */
const OPEN_ROWS = 16;

export function entriesSection(m: MapJson, slots: SlotEntries, byEntry: ReadonlyMap<number, Element>): HTMLElement {
  const entries = m.entries ?? [];
  const count = m.count ?? entries.length;
  const shown = entries.slice(0, MAX_ENTRY_ROWS);
  const rows = shown.map((e, i) => {
    const at = slots.slotOf(i);
    const tr = h('tr', { 'data-entry': i }, h('td', { class: 'num' }, String(i)), h('td', { class: 'where' }, at ? where(at) : ''), h('td', {}, h('code', {}, valueText(e.key))), h('td', {}, h('code', {}, valueText(e.value))));
    const cell = byEntry.get(i);
    if (cell) {
      tr.addEventListener('pointerenter', () => cell.classList.add('hl'));
      tr.addEventListener('pointerleave', () => cell.classList.remove('hl'));
    }
    return tr;
  });
  const note =
    shown.length < count
      ? h('p', { class: 'note' }, `First ${int(shown.length)} of ${int(count)} entries${entries.length < count ? ` (${int(entries.length)} read: see the mapscope.inspector.entryLimit setting)` : ''}.`)
      : null;
  const details = h(
    'details',
    { class: 'entries', open: count <= OPEN_ROWS },
    h('summary', {}, `Entries (${int(count)}, in memory order)`),
    count === 0
      ? h('p', { class: 'note' }, 'No entries.')
      : h('table', { class: 'entries' }, h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'slot'), h('th', {}, 'key'), h('th', {}, 'value'))), h('tbody', {}, rows)),
    note,
  );
  return details;
}
