/**
 * The classic heatmap: the current bucket array, one row of 8 cells per bucket with its overflow
 * chain to the right, then — while a grow is in progress — the old array, captioned apart.
 */
import { sameSizeGrow } from '../../maps/classic/tophash.js';
import type { ClassicBucketChain, ClassicSnapshot } from '../../maps/snapshot.js';
import { hex } from '../../target/bytes.js';
import { html, type Markup } from './escape.js';
import { int } from './format.js';
import { type Block, type Budget, heatmapSvg } from './heatmap-grid.js';
import { cellHover, type HoverContext } from './hover.js';
import { classicState } from './states.js';

function chainBlock(ctx: HoverContext, array: 'buckets' | 'oldbuckets', i: number, c: ClassicBucketChain): Block {
  const chain = [c, ...c.overflow];
  const title = `${array === 'oldbuckets' ? 'old bucket' : 'bucket'} ${i} @${hex(c.address)}` + c.overflow.map((o, k) => `\n → overflow ${k + 1} @${hex(o.address)}`).join('');
  return {
    label: String(i),
    title,
    boxes: chain.map((b, k) => ({
      overflow: k > 0,
      cells: b.tophash.map((byte, slot) => {
        const ref = { array, bucket: i, chain: k, slot } as const;
        const state = classicState(byte);
        return { ref, byte, state, hover: cellHover(ctx, ref, state, byte, 'tophash') };
      }),
    })),
  };
}

function arrayFigure(ctx: HoverContext, array: 'buckets' | 'oldbuckets', chains: readonly ClassicBucketChain[], caption: string, budget: Budget): Markup {
  const n = Math.min(chains.length, budget.left);
  budget.left -= n;
  const blocks = chains.slice(0, n).map((c, i) => chainBlock(ctx, array, i, c));
  const skipped = chains.length - n;
  return html`<figure class="array" data-array="${array}"><figcaption>${caption}</figcaption>
<div class="scroll">${heatmapSvg(blocks, caption)}</div>${
    skipped > 0 ? html`<p class="note">${int(skipped)} more buckets (with their overflow chains) not drawn.</p>` : ''
  }</figure>`;
}

export function classicHeatmap(ctx: HoverContext, s: ClassicSnapshot, budget: Budget): Markup {
  if (s.buckets.length === 0) return html`<p class="note">No bucket array allocated yet (buckets is nil).</p>`;
  const ovf = s.buckets.reduce((n, c) => n + c.overflow.length, 0);
  const cur = `buckets — ${int(s.buckets.length)} buckets (2^${s.B}) @${hex(s.buckets[0].address)}, ${int(ovf)} overflow buckets`;
  const parts = [arrayFigure(ctx, 'buckets', s.buckets, cur, budget)];
  if (s.oldbuckets && s.oldbuckets.length > 0) {
    const old = s.oldbuckets;
    const oldOvf = old.reduce((n, c) => n + c.overflow.length, 0);
    const kind = s.flags & sameSizeGrow ? 'same-size grow' : 'doubling grow';
    const caption = `oldbuckets — ${kind} in progress: ${int(old.length)} old buckets @${hex(old[0].address)}, ${int(oldOvf)} overflow; nevacuate ${s.nevacuate}`;
    parts.push(arrayFigure(ctx, 'oldbuckets', old, caption, budget));
  }
  return html`${parts}`;
}
