/**
 * The heatmap section of a map: a legend, then the arrays of slots. Drawing stops after
 * MAX_DRAWN buckets or groups so that a map of millions of entries still gives a page a browser
 * can open; what is left out is said in a note.
 */
import type { MapAnalysis } from '../../analyze/types.js';
import type { MapSnapshot } from '../../maps/snapshot.js';
import type { RenderedEntry } from '../../values/entries.js';
import { html, type Markup } from './escape.js';
import { int } from './format.js';
import { classicHeatmap } from './heatmap-classic.js';
import { swissHeatmap } from './heatmap-swiss.js';
import type { SlotEntries } from './slot-entries.js';
import { CLASSIC_STATES, SWISS_STATES } from './states.js';

/** Buckets or groups drawn per map (each with 8 cells; a classic bucket with its whole chain). */
export const MAX_DRAWN = 4096;

function legend(s: MapSnapshot, a: MapAnalysis | null | undefined): Markup {
  const styles = s.implementation === 'classic' ? CLASSIC_STATES : SWISS_STATES;
  const counts = (a?.occupancy.slotStates ?? {}) as Record<string, number | undefined>;
  const old = (a?.occupancy.oldSlotStates ?? undefined) as Record<string, number | undefined> | undefined;
  const items = styles
    .filter((st) => st.state !== 'invalid' || (counts.invalid ?? 0) > 0)
    .map((st) => {
      const n = counts[st.state];
      const o = old?.[st.state];
      const figure = n === undefined ? '' : ` ${int(n)}${o ? ` (+${int(o)} old)` : ''}`;
      return html`<li title="${st.meaning}"><span class="swatch sw-${st.state}"></span><b>${st.state}</b>${figure}<small>${st.meaning}</small></li>`;
    });
  return html`<ul class="legend">${items}</ul>`;
}

export function heatmapSection(s: MapSnapshot, slots: SlotEntries, entries: readonly RenderedEntry[], a: MapAnalysis | null | undefined): Markup {
  const ctx = { slots, entries };
  const budget = { left: MAX_DRAWN };
  const body = s.implementation === 'classic' ? classicHeatmap(ctx, s, budget) : swissHeatmap(ctx, s, a?.occupancy.tables?.map((t) => t.tombstones), budget);
  return html`<section class="heat"><h3>Slots</h3>
<p class="hint">One cell per slot. Hover a cell for its byte and, when live, its key and value.${
    s.implementation === 'classic' ? ' Dashed frames are overflow buckets, chained left to right.' : ''
  }</p>${legend(s, a)}${body}</section>`;
}
