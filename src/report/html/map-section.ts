/** One map's part of the page: summary, findings, header and layout, slots, charts, figures, entries. */
import type { MapAnalysis } from '../../analyze/types.js';
import type { MapInspection } from '../../inspect/inspect.js';
import { hex } from '../../target/bytes.js';
import type { TargetInfo } from '../../target/target.js';
import { cacheTable, findingsList, gcTable, memoryTable } from './analysis-tables.js';
import { entriesTable } from './entries-table.js';
import { html, type Markup } from './escape.js';
import { bytes, int } from './format.js';
import { headerSection } from './header-tables.js';
import { writeHeatmapSection } from './heatmap.js';
import { occupancyCharts } from './occupancy-charts.js';
import { mapCells } from './cells.js';
import { entryItems } from './entry-source.js';
import type { PageOut } from './page-out.js';

/** Entries shown expanded; longer lists start folded so the slots stay in view. */
const OPEN_ENTRIES = 40;

function card(label: string, value: string, sub = ''): Markup {
  return html`<div class="card"><div class="cv">${value}</div><div class="cl">${label}</div>${sub ? html`<div class="cs">${sub}</div>` : ''}</div>`;
}

function cards(count: number, a: MapAnalysis | null | undefined): Markup {
  const out = [card('entries', int(count))];
  if (a) {
    const o = a.occupancy;
    out.push(card('slots', int(o.slots), `load factor ${o.loadFactor.toFixed(3)}`));
    out.push(card('memory', bytes(a.memory.total), a.memory.overheadRatio === null ? 'no payload' : `${a.memory.overheadRatio.toFixed(2)}× the payload`));
    out.push(card('GC scans', bytes(a.gc.scanBytes), a.gc.matches === false ? 'pointer mask DIFFERS from runtime' : `${a.gc.pointerWords.length} pointer words per ${o.overflow ? 'bucket' : 'group'}`));
    out.push(card('lines per hit', a.cacheLines.lookupLines.toFixed(2), `${(100 * a.cacheLines.lookupUtilization).toFixed(1)}% of their bytes used`));
    out.push(card('findings', String(a.findings.length), a.findings.map((f) => f.kind).join(', ')));
  }
  return html`<div class="cards">${out}</div>`;
}

/** Writes one map's section; the slots' data go straight into the page as they are made. */
export function writeMapSection(out: PageOut, info: TargetInfo, m: MapInspection, index: number): void {
  const s = m.snapshot;
  const title = html`<h2><code class="expr">${m.expr}</code>${m.type ? html` <span class="type">${m.type.name}</span>` : ''}${
    m.layout ? html` <span class="badge impl-${m.layout.kind}">${m.layout.kind}</span>` : ''
  }</h2>${s ? html`<p class="addr">header @${hex(s.address)}</p>` : ''}`;
  const open = html`<section class="map" id="map-${index}" data-index="${index}" data-expr="${m.expr}"${m.layout ? html` data-implementation="${m.layout.kind}"` : ''}>`;
  if (m.error !== undefined) return out.markup(html`${open}${title}<p class="error">Could not be read: ${m.error}</p></section>`);
  if (!m.layout) return out.markup(html`${open}${title}</section>`);
  if (!s) return out.markup(html`${open}${title}<p class="note">nil map: nothing allocated.</p>${headerSection(m.layout, null, info.pointerSize)}</section>`);

  const a = m.analysis;
  const items = entryItems(m);
  const count = s.implementation === 'classic' ? s.count : s.used;
  const cells = mapCells(s, m.layout.kind === 'swiss' ? m.layout.group.ctrl.offset : 0);
  const warnings = s.warnings.length ? html`<ul class="warnings">${s.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : '';
  const figures = a
    ? html`<section class="figures"><h3>Memory, GC and cache lines</h3><div class="cols"><div>${memoryTable(a.memory)}</div><div>${gcTable(a.gc, info.pointerSize, s.implementation === 'classic' ? 'bucket' : 'group')}${cacheTable(a.cacheLines, s.implementation === 'classic' ? 'bucket' : 'group')}</div></div></section>`
    : '';
  out.markup(html`${open}${title}${cards(count, a)}
${a ? html`<section class="find"><h3>Findings</h3>${findingsList(a.findings)}</section>` : ''}${warnings}
${headerSection(m.layout, s, info.pointerSize)}
`);
  writeHeatmapSection(out, s, cells, items, a);
  out.markup(html`
${a ? occupancyCharts(a) : ''}
${figures}
<details class="entries"${count <= OPEN_ENTRIES ? html` open` : ''}><summary>Entries (${int(count)}, in memory order)</summary>${entriesTable(items, count, cells)}</details>
</section>`);
}
