/** The occupancy of a map as charts: slot states, overflow chain lengths (classic), tables (Swiss). */
import type { MapAnalysis, Occupancy, TableOccupancy } from '../../analyze/types.js';
import { html, type Markup } from './escape.js';
import { int, pct } from './format.js';
import { type Bar, hbars, histogram, stacks } from './charts.js';

/** More tables than this are summarised rather than drawn one bar each. */
const MAX_TABLE_BARS = 256;

function stateBars(states: object): Bar[] {
  return Object.entries(states as Record<string, number>).map(([state, value]) => ({ label: state, value, cls: `st-${state}` }));
}

function chainHistogram(o: NonNullable<Occupancy['overflow']>): Markup {
  const present = Object.keys(o.histogram).map(Number).sort((a, b) => a - b);
  const lengths = o.maxChain <= 40 ? Array.from({ length: o.maxChain + 1 }, (_, i) => i) : present;
  const bars = lengths.map((len) => ({ label: String(len), value: o.histogram[String(len)] ?? 0, cls: len >= 4 ? 'bar warn' : 'bar' }));
  return histogram(bars, `Overflow chain lengths: buckets of the current array by overflow buckets behind them (${int(o.buckets)} overflow buckets, longest chain ${o.maxChain})`, 'overflow buckets in the chain');
}

function tableStacks(tables: readonly TableOccupancy[]): Markup {
  const shown = tables.slice(0, MAX_TABLE_BARS);
  const rows = shown.map((t, i) => ({
    label: `table ${i}`,
    title: `table ${i} @${t.address}: used ${t.used} of ${t.capacity}, tombstones ${t.tombstones}, growthLeft ${t.growthLeft}`,
    total: t.capacity,
    parts: [
      { value: t.used, cls: 'st-full' },
      { value: t.tombstones, cls: 'st-deleted' },
    ],
    note: `${int(t.used)}/${int(t.capacity)} (${pct(t.loadFactor)}) · ${int(t.tombstones)} tombstones · growthLeft ${int(t.growthLeft)}`,
  }));
  const more = tables.length > shown.length ? html`<p class="note">${int(tables.length - shown.length)} more tables not drawn.</p>` : '';
  return html`${stacks(rows, 'Tables: load factor (full slots) and tombstones (deleted), each bar one table’s capacity', { at: 7 / 8, label: 'max load 7/8' })}${more}`;
}

export function occupancyCharts(a: MapAnalysis): Markup {
  const o = a.occupancy;
  const parts: Markup[] = [];
  const where = o.overflow ? 'the current array (buckets + overflow)' : 'all groups';
  parts.push(hbars(stateBars(o.slotStates), `Slot states over ${where}: ${int(o.slots)} slots, load factor ${o.loadFactor.toFixed(3)}`));
  if (o.oldSlotStates) parts.push(hbars(stateBars(o.oldSlotStates), 'Slot states over the old array (grow in progress)'));
  if (o.overflow && o.slots > 0) parts.push(chainHistogram(o.overflow));
  if (o.tables && o.tables.length > 0) parts.push(tableStacks(o.tables));
  if (o.grow) {
    parts.push(
      stacks(
        [
          {
            label: 'old buckets',
            title: `nevacuate ${o.grow.nevacuate}; ${o.grow.evacuated} of ${o.grow.oldBuckets} old buckets evacuated`,
            total: o.grow.oldBuckets,
            parts: [{ value: o.grow.evacuated, cls: 'st-evacuatedY' }],
            note: `${int(o.grow.evacuated)} of ${int(o.grow.oldBuckets)} evacuated · nevacuate ${o.grow.nevacuate}${o.grow.sameSize ? ' · same size' : ''}`,
          },
        ],
        'Grow progress',
      ),
    );
  }
  return html`<section class="occupancy"><h3>Occupancy</h3><div class="charts">${parts}</div></section>`;
}
