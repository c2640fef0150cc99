/**
 * A map's slots: a legend, then the arrays — classic: the current buckets (each a row of 8 cells
 * with its overflow chain to the right) and, during a grow, the old buckets apart; Swiss: the
 * small group, or every table's groups. Drawing stops after MAX_DRAWN buckets or groups so a map
 * of millions of entries still gives a usable view; what is left out is said.
 */
import { int } from '../../../src/report/html/format.js';
import { CLASSIC_STATES, classicState, type SlotState, SWISS_STATES, swissState } from '../../../src/report/html/states.js';
import type { ChainJson, GroupJson, MapJson, SwissJson, ClassicJson } from '../shared/contract.js';
import { h } from './dom.js';
import { type Block, type Cell, gridSvg } from './grid.js';
import type { ArrayName, SlotEntries, SlotRef } from './slots.js';

/** Buckets or groups drawn per map. */
export const MAX_DRAWN = 4096;

export interface HeatContext {
  readonly slots: SlotEntries;
  /** Pixels available for a grid. */
  readonly width: number;
  /** Every drawn cell's data, for the hover. */
  readonly cells: WeakMap<Element, Cell>;
  /** Drawn rects of live slots by entry index, to light a slot up from the entries table. */
  readonly byEntry: Map<number, Element>;
}

interface Budget {
  left: number;
}

function cell(ctx: HeatContext, ref: SlotRef, byte: number, state: SlotState, home: string): Cell {
  const entry = state === 'live' || state === 'full' ? ctx.slots.entryAt(ref) : undefined;
  return { ref, byte, state, home, ...(entry !== undefined ? { entry } : {}) };
}

function chainBlock(ctx: HeatContext, array: 'buckets' | 'oldbuckets', i: number, c: ChainJson): Block {
  return {
    label: String(i),
    boxes: [c, ...c.overflow].map((b, k) => ({
      overflow: k > 0,
      cells: b.tophash.map((byte, slot) => cell(ctx, { array, bucket: i, chain: k, slot }, byte, classicState(byte), b.address)),
    })),
  };
}

function groupBlock(ctx: HeatContext, g: GroupJson, at: { array: ArrayName; table?: number; bucket: number }): Block {
  return {
    label: String(at.bucket),
    boxes: [{ overflow: false, cells: g.ctrl.map((byte, slot) => cell(ctx, { ...at, slot }, byte, swissState(byte), g.address ?? '')) }],
  };
}

function figure(ctx: HeatContext, attrs: Record<string, string | number>, caption: string, blocks: readonly Block[], skipped: number, what: string): HTMLElement {
  const svg = gridSvg(blocks, caption, ctx.width, ctx.cells);
  svg.querySelectorAll('rect[data-entry]').forEach((r) => ctx.byEntry.set(Number(r.getAttribute('data-entry')), r));
  return h(
    'figure',
    { class: 'array', ...attrs },
    h('figcaption', {}, caption),
    h('div', { class: 'scroll' }, svg),
    skipped > 0 ? h('p', { class: 'note' }, `${int(skipped)} more ${what} not drawn.`) : null,
  );
}

function classicFigures(ctx: HeatContext, c: ClassicJson, budget: Budget): HTMLElement[] {
  if (c.buckets.length === 0) return [h('p', { class: 'note' }, 'No bucket array allocated yet (buckets is nil).')];
  const arrays: ['buckets' | 'oldbuckets', readonly ChainJson[]][] = [['buckets', c.buckets]];
  if (c.oldbuckets && c.oldbuckets.length > 0) arrays.push(['oldbuckets', c.oldbuckets]);
  return arrays.map(([array, chains]) => {
    const n = Math.min(chains.length, budget.left);
    budget.left -= n;
    const ovf = chains.reduce((k, ch) => k + ch.overflow.length, 0);
    const caption =
      array === 'buckets'
        ? `buckets: ${int(chains.length)} (2^${c.B}) @${chains[0].address}, ${int(ovf)} overflow`
        : `oldbuckets: ${(c.flags & 8) !== 0 ? 'same-size' : 'doubling'} grow in progress, ${int(chains.length)} old buckets @${chains[0].address}, ${int(ovf)} overflow, nevacuate ${c.nevacuate}`;
    const blocks = chains.slice(0, n).map((ch, i) => chainBlock(ctx, array, i, ch));
    return figure(ctx, { 'data-array': array }, caption, blocks, chains.length - n, 'buckets (with their chains)');
  });
}

function swissFigures(ctx: HeatContext, sw: SwissJson, budget: Budget): HTMLElement[] {
  if (sw.dirLen === 0) {
    if (!sw.smallGroup) return [h('p', { class: 'note' }, 'Small map with no group allocated yet (dirPtr is nil).')];
    budget.left -= 1;
    const caption = `small map (dirLen 0): one group @${sw.smallGroup.address ?? '?'}`;
    return [figure(ctx, { 'data-array': 'small' }, caption, [groupBlock(ctx, sw.smallGroup, { array: 'small', bucket: 0 })], 0, '')];
  }
  const out: HTMLElement[] = [h('p', { class: 'note' }, `Directory of ${int(sw.dirLen)} entries (globalDepth ${sw.globalDepth}) → ${int(sw.tables.length)} distinct tables.`)];
  let notDrawn = 0;
  sw.tables.forEach((t, table) => {
    if (budget.left <= 0) {
      notDrawn++;
      return;
    }
    const n = Math.min(t.groups.length, budget.left);
    budget.left -= n;
    const caption = `table ${table} @${t.address}: index ${t.index}, localDepth ${t.localDepth}, ${int(t.groups.length)} groups, used ${int(t.used)} of ${int(t.capacity)}, growthLeft ${int(t.growthLeft)}`;
    const blocks = t.groups.slice(0, n).map((g, bucket) => groupBlock(ctx, g, { array: 'groups', table, bucket }));
    out.push(figure(ctx, { 'data-array': 'groups', 'data-table': table }, caption, blocks, t.groups.length - n, 'groups of this table'));
  });
  if (notDrawn > 0) out.push(h('p', { class: 'note' }, `${int(notDrawn)} more tables not drawn.`));
  return out;
}

/** Control bytes no runtime writes (high bit set, neither empty nor deleted): corruption. */
function invalidCtrl(sw: SwissJson | null | undefined): number {
  if (!sw) return 0;
  const groups = [...(sw.smallGroup ? [sw.smallGroup] : []), ...sw.tables.flatMap((t) => t.groups)];
  return groups.reduce((n, g) => n + g.ctrl.filter((c) => swissState(c) === 'invalid').length, 0);
}

function legend(m: MapJson): HTMLElement {
  const styles = m.classic ? CLASSIC_STATES : SWISS_STATES;
  const counts = { ...(m.analysis?.occupancy.slotStates ?? {}) } as Record<string, number | undefined>;
  const old = (m.analysis?.occupancy.oldSlotStates ?? undefined) as Record<string, number | undefined> | undefined;
  if (!m.classic) counts.invalid = invalidCtrl(m.swiss);
  const items = styles
    .filter((st) => st.state !== 'invalid' || (counts.invalid ?? 0) > 0)
    .map((st) => {
      const n = counts[st.state];
      const o = old?.[st.state];
      return h(
        'li',
        { title: st.meaning, 'data-state': st.state },
        h('span', { class: `swatch sw-${st.state}` }),
        h('strong', {}, st.state),
        n === undefined ? null : ` ${int(n)}${o ? ` (+${int(o)} old)` : ''}`,
      );
    });
  return h('ul', { class: 'legend' }, items);
}

export function heatmap(ctx: HeatContext, m: MapJson): HTMLElement {
  const budget = { left: MAX_DRAWN };
  const figures = m.classic ? classicFigures(ctx, m.classic, budget) : m.swiss ? swissFigures(ctx, m.swiss, budget) : [];
  const hint = m.classic
    ? 'One cell per slot, coloured by its tophash. Dashed frames are overflow buckets, chained left to right. Hover a slot for its byte, key and value.'
    : 'One cell per slot, coloured by its control byte. Hover a slot for its byte, key and value.';
  return h('section', { class: 'heat' }, h('h3', {}, 'Slots'), h('p', { class: 'hint' }, hint), legend(m), figures);
}
