/**
 * The slots section of a map: a legend, a box to go to a bucket, table or group or to find a key,
 * then each array of slots as folds (./slot-units.ts): the current bucket array and, while a grow
 * is in progress, the old one; or the small group; or the tables. The pictures themselves are
 * drawn by the page's script, into a canvas, when a fold opens.
 */
import type { MapAnalysis } from '../../analyze/types.js';
import { sameSizeGrow } from '../../maps/classic/tophash.js';
import type { ClassicSnapshot, MapSnapshot, SwissSnapshot } from '../../maps/snapshot.js';
import { hex } from '../../target/bytes.js';
import type { JsonItems } from '../../values/json.js';
import type { CellArray, MapCells } from './cells.js';
import { html, type Markup } from './escape.js';
import { int } from './format.js';
import type { PageOut } from './page-out.js';
import { OPEN_CELLS, type UnitRow, unitsOf, writeUnit } from './slot-units.js';
import { CLASSIC_STATES, SWISS_STATES } from './states.js';

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

function jumpForm(s: MapSnapshot): Markup {
  const at = s.implementation === 'classic' ? 'bucket (e.g. 1234, or old 12)' : s.dirLen === 0 ? 'slot of the small group' : 'table, or table/group (e.g. 3/17)';
  return html`<form class="jump" autocomplete="off"><label>Go to <input name="goto" placeholder="${at}" size="24"></label><button name="go">Go</button> <label>Find <input name="text" placeholder="text of a key or value" size="28"></label><button name="next">Find next</button> <button type="button" name="fold">Fold all</button> <output></output></form>`;
}

function arrayFigure(out: PageOut, attrs: Markup, caption: Markup, rows: readonly UnitRow[], cells: MapCells, items: JsonItems, open: boolean): void {
  out.markup(html`<figure class="array" ${attrs}><figcaption>${caption}</figcaption>${rows.length > 1 && !open ? html`<p class="note">${int(rows.length)} rows, folded: unfold one to draw its slots.</p>` : ''}<div class="units">`);
  for (const row of rows) writeUnit(out, row, cells, items, open);
  out.markup(html`</div></figure>`);
}

function bucketRows(a: CellArray, what: string): UnitRow[] {
  return unitsOf(a).map((unit) => ({ unit, label: html`${what} ${unit.to - unit.from === 1 ? unit.from : `${int(unit.from)}–${int(unit.to - 1)}`}` }));
}

function classicSlots(out: PageOut, s: ClassicSnapshot, cells: MapCells, items: JsonItems, open: boolean): void {
  const cur = cells.arrays.find((x) => x.array === 'buckets');
  if (!cur) {
    out.markup(html`<p class="note">No bucket array allocated yet (buckets is nil).</p>`);
    return;
  }
  const ovf = (cur.overflow ?? []).length;
  const caption = html`buckets — ${int(cur.count)} buckets (2^${s.B}) @${hex(cur.base)}, ${int(ovf)} overflow buckets`;
  arrayFigure(out, html`data-array="buckets"`, caption, bucketRows(cur, 'buckets'), cells, items, open);
  const old = cells.arrays.find((x) => x.array === 'oldbuckets');
  if (old) {
    const kind = s.flags & sameSizeGrow ? 'same-size grow' : 'doubling grow';
    const oldCaption = html`oldbuckets — ${kind} in progress: ${int(old.count)} old buckets @${hex(old.base)}, ${int((old.overflow ?? []).length)} overflow; nevacuate ${s.nevacuate.toString()}`;
    arrayFigure(out, html`data-array="oldbuckets"`, oldCaption, bucketRows(old, 'old buckets'), cells, items, open);
  }
}

function swissSlots(out: PageOut, s: SwissSnapshot, cells: MapCells, items: JsonItems, tombstones: readonly number[] | undefined, open: boolean): void {
  if (s.dirLen === 0) {
    const small = cells.arrays.find((x) => x.array === 'small');
    if (!small) {
      out.markup(html`<p class="note">Small map with no group allocated yet (dirPtr is nil).</p>`);
      return;
    }
    const rows = unitsOf(small).map((unit) => ({ unit, label: html`small group @${hex(small.base)}` }));
    arrayFigure(out, html`data-array="small"`, html`small map (dirLen 0): one group @${hex(small.base)}`, rows, cells, items, open);
    return;
  }
  out.markup(html`<p class="note">Directory of ${int(s.dirLen)} entries (globalDepth ${s.globalDepth}) → ${int(s.tables.length)} distinct tables.</p>`);
  const rows = cells.arrays
    .filter((x) => x.array === 'groups')
    .map((a) => {
      const i = a.table ?? 0;
      const t = s.tables[i];
      const tomb = tombstones?.[i];
      const detail =
        `@${hex(t.address)} — directory index ${t.index}, localDepth ${t.localDepth}, ${int(a.count)} groups (capacity ${int(t.capacity)}), ` +
        `used ${int(t.used)}, growthLeft ${int(t.growthLeft)}${tomb !== undefined ? `, tombstones ${int(tomb)}` : ''}`;
      return unitsOf(a).map((unit) => ({ unit, label: html`table ${i}`, detail }));
    })
    .flat();
  arrayFigure(out, html`data-array="groups"`, html`tables — ${int(s.tables.length)}, one row each`, rows, cells, items, open);
}

export function writeHeatmapSection(out: PageOut, s: MapSnapshot, cells: MapCells, items: JsonItems, a: MapAnalysis | null | undefined): void {
  out.markup(html`<section class="heat"><h3>Slots</h3>
<p class="hint">One cell per slot, coloured by its ${s.implementation === 'classic' ? 'tophash' : 'control'} byte. Each row is ${
    s.implementation === 'classic' ? 'a range of buckets' : 'a table'
  } with its occupancy; ${cells.total <= OPEN_CELLS ? 'click one to fold it' : 'unfold one to draw its slots, or go to a bucket or find a key below'}. Hover a cell for its byte and, when live, its key and value; click to keep the text.${
    s.implementation === 'classic' ? ' Dashed frames are overflow buckets, chained left to right.' : ''
  }</p><noscript><p class="note">The slot pictures are drawn by the page's own script: allow it to see them.</p></noscript>${legend(s, a)}${jumpForm(s)}`);
  const open = cells.total <= OPEN_CELLS;
  if (s.implementation === 'classic') classicSlots(out, s, cells, items, open);
  else swissSlots(out, s, cells, items, a?.occupancy.tables?.map((t) => t.tombstones), open);
  out.markup(html`</section>`);
}
