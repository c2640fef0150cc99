/** The Swiss heatmap: the small map's one group, or every group of every table, table by table. */
import type { SwissGroup, SwissSnapshot, SwissTable } from '../../maps/snapshot.js';
import { hex } from '../../target/bytes.js';
import { html, type Markup } from './escape.js';
import { int } from './format.js';
import { type Block, type Budget, heatmapSvg } from './heatmap-grid.js';
import { cellHover, type HoverContext } from './hover.js';
import { swissState } from './states.js';

function groupBlock(ctx: HoverContext, g: SwissGroup, at: { array: 'groups' | 'small'; table?: number; bucket: number }): Block {
  return {
    label: String(at.bucket),
    title: `${at.array === 'small' ? 'small group' : `table ${at.table} · group ${at.bucket}`} @${hex(g.address)}`,
    boxes: [
      {
        overflow: false,
        cells: g.ctrl.map((byte, slot) => {
          const ref = { ...at, slot };
          const state = swissState(byte);
          return { ref, byte, state, hover: cellHover(ctx, ref, state, byte, 'ctrl') };
        }),
      },
    ],
  };
}

function tableFigure(ctx: HoverContext, t: SwissTable, table: number, tombstones: number | undefined, budget: Budget): Markup {
  const n = Math.min(t.groups.length, budget.left);
  budget.left -= n;
  const blocks = t.groups.slice(0, n).map((g, bucket) => groupBlock(ctx, g, { array: 'groups', table, bucket }));
  const caption =
    `table ${table} @${hex(t.address)} — directory index ${t.index}, localDepth ${t.localDepth}, ` +
    `${int(t.groups.length)} groups (capacity ${int(t.capacity)}), used ${int(t.used)}, growthLeft ${int(t.growthLeft)}` +
    (tombstones !== undefined ? `, tombstones ${int(tombstones)}` : '');
  const skipped = t.groups.length - n;
  return html`<figure class="array" data-array="groups" data-table="${table}"><figcaption>${caption}</figcaption>
<div class="scroll">${heatmapSvg(blocks, caption)}</div>${skipped > 0 ? html`<p class="note">${int(skipped)} more groups of this table not drawn.</p>` : ''}</figure>`;
}

export function swissHeatmap(ctx: HoverContext, s: SwissSnapshot, tombstones: readonly number[] | undefined, budget: Budget): Markup {
  if (s.dirLen === 0) {
    if (!s.smallGroup) return html`<p class="note">Small map with no group allocated yet (dirPtr is nil).</p>`;
    const caption = `small map (dirLen 0): one group @${hex(s.smallGroup.address)}`;
    budget.left -= 1;
    return html`<figure class="array" data-array="small"><figcaption>${caption}</figcaption>
<div class="scroll">${heatmapSvg([groupBlock(ctx, s.smallGroup, { array: 'small', bucket: 0 })], caption)}</div></figure>`;
  }
  const figures: Markup[] = [];
  let notDrawn = 0;
  s.tables.forEach((t, i) => {
    if (budget.left > 0) figures.push(tableFigure(ctx, t, i, tombstones?.[i], budget));
    else notDrawn++;
  });
  const dir = html`<p class="note">Directory of ${int(s.dirLen)} entries (globalDepth ${s.globalDepth}) → ${int(s.tables.length)} distinct tables.</p>`;
  const more = notDrawn > 0 ? html`<p class="note">${int(notDrawn)} more tables not drawn.</p>` : '';
  return html`${dir}${figures}${more}`;
}
