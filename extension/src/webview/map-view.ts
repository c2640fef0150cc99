/**
 * One map of the result: its title, the grid with legend and hover, and — alongside when the
 * view is wide enough, below when not — the header, layout and analysis; then the entries.
 */
import { bytes, int } from '../../../src/report/html/format.js';
import { CLASSIC_STATES, SWISS_STATES } from '../../../src/report/html/states.js';
import type { MapJson, TargetJson } from '../shared/contract.js';
import { analysisPanels, findingsSection } from './analysis.js';
import { h } from './dom.js';
import { entriesSection } from './entries.js';
import type { Cell } from './grid.js';
import { headerTable } from './header.js';
import { heatmap, type HeatContext } from './heatmap.js';
import { layoutPanel } from './layout.js';
import { slotEntries } from './slots.js';
import type { TipLine } from './tooltip.js';
import { byteText, valueText, where } from './text.js';

const MEANING = new Map([...CLASSIC_STATES, ...SWISS_STATES].map((st) => [st.state, st.meaning]));

/** Below this width the side panels go under the grid. */
const SIDE_BY_SIDE = 820;
const ASIDE_WIDTH = 340;

/** The hover of one slot: where, its byte and state, and for a live slot its key and value. */
export function describeCell(m: MapJson, c: Cell): TipLine[] {
  const lines: TipLine[] = [
    { text: where(c.ref) },
    { text: `${c.state} · ${byteText(c.byte, m.classic ? 'tophash' : 'ctrl')}` },
    { text: MEANING.get(c.state) ?? '', dim: true },
  ];
  if (c.home) lines.push({ text: `${c.ref.array === 'groups' || c.ref.array === 'small' ? 'group' : 'bucket'} @${c.home}`, dim: true });
  if (c.entry !== undefined) {
    const e = m.entries?.[c.entry];
    if (e) lines.push({ text: `key: ${valueText(e.key)}`, code: true }, { text: `value: ${valueText(e.value)}`, code: true });
    else lines.push({ text: `entry #${c.entry}: beyond the entries read (mapscope.inspector.entryLimit)`, dim: true });
  }
  return lines;
}

function title(m: MapJson): HTMLElement {
  return h(
    'h2',
    {},
    h('code', { class: 'expr' }, m.expr),
    m.type ? h('span', { class: 'type' }, m.type) : null,
    m.implementation ? h('span', { class: `badge impl-${m.implementation}` }, m.implementation) : null,
  );
}

function summary(m: MapJson): HTMLElement {
  const a = m.analysis;
  const parts: string[] = [];
  if (m.address) parts.push(`header @${m.address}`);
  parts.push(`${int(m.count ?? 0)} entries`);
  if (a) parts.push(`${int(a.occupancy.slots)} slots, load ${a.occupancy.loadFactor.toFixed(3)}`, bytes(a.memory.total));
  return h('p', { class: 'summary' }, parts.join(' · '));
}

export function mapSection(m: MapJson, index: number, target: TargetJson, width: number, cells: WeakMap<Element, Cell>): HTMLElement {
  const section = h('section', { class: 'map', 'data-index': index, 'data-expr': m.expr, 'data-implementation': m.implementation });
  section.append(title(m));
  if (m.error !== undefined) {
    section.append(h('p', { class: 'error' }, `Could not be read: ${m.error}`));
    return section;
  }
  section.append(summary(m));
  if (!m.address) {
    section.append(h('p', { class: 'note' }, 'nil map: nothing allocated.'));
    return section;
  }
  const wide = width >= SIDE_BY_SIDE;
  const gridWidth = wide ? width - ASIDE_WIDTH - 24 : width;
  const slots = slotEntries(m);
  const byEntry = new Map<number, Element>();
  const ctx: HeatContext = { slots, width: gridWidth, cells, byEntry };
  if (m.warnings?.length) section.append(h('ul', { class: 'warnings' }, m.warnings.map((w) => h('li', {}, w))));
  if (m.analysis && m.analysis.findings.length > 0) section.append(findingsSection(m.analysis));
  const main = h('div', { class: 'main' }, heatmap(ctx, m));
  if (!slots.mapped && (m.count ?? 0) > 0) main.append(h('p', { class: 'note' }, 'The slots could not be matched to the entries (the map changed while it was read?): hovers show no keys.'));
  const aside = h('aside', { class: 'panels' }, headerTable(m), layoutPanel(m, target.pointerSize), m.analysis ? analysisPanels(m.analysis) : null);
  section.append(h('div', { class: wide ? 'cols wide' : 'cols' }, main, aside));
  section.append(entriesSection(m, slots, byEntry));
  if (m.analysis && m.analysis.findings.length === 0) section.append(findingsSection(m.analysis));
  return section;
}
