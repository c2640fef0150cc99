/**
 * A bucket or group drawn to scale: tophash/ctrl bytes, key and elem slots, overflow pointer and
 * padding, with a mark every 64 bytes — where cache lines would fall for an object that starts
 * on one — so the cost of a slot layout can be seen rather than computed.
 */
import { groupElemOffset, groupKeyOffset, type MapLayout } from '../../layout/map-layout.js';
import { html, type Markup } from './escape.js';

type Kind = 'ctrl' | 'key' | 'elem' | 'ptr' | 'pad';

interface Segment {
  readonly start: number;
  readonly size: number;
  readonly kind: Kind;
  readonly label: string;
  readonly title: string;
}

interface Region {
  readonly start: number;
  readonly size: number;
  readonly label: string;
}

const WIDTH = 1000;
const TOP = 14;
const HEIGHT = 22;

function pieces(l: MapLayout, pointerSize: number): { size: number; segs: Segment[]; regions: Region[] } {
  const segs: Segment[] = [];
  const regions: Region[] = [];
  const add = (start: number, size: number, kind: Kind, label: string, title: string) => size > 0 && segs.push({ start, size, kind, label, title });
  if (l.kind === 'classic') {
    const b = l.bucket;
    add(b.tophash.offset, b.tophash.size, 'ctrl', 'tophash', `tophash: offset ${b.tophash.offset}, ${b.tophash.size} bytes`);
    for (let i = 0; i < 8; i++) {
      add(b.keys.offset + i * b.keySlot, b.keySlot, 'key', `k${i}`, `keys[${i}]: offset ${b.keys.offset + i * b.keySlot}, ${b.keySlot} bytes`);
      add(b.values.offset + i * b.elemSlot, b.elemSlot, 'elem', `v${i}`, `values[${i}]: offset ${b.values.offset + i * b.elemSlot}, ${b.elemSlot} bytes`);
    }
    add(b.overflow.offset, b.overflow.size, 'ptr', 'ovf', `overflow: offset ${b.overflow.offset}, ${b.overflow.size} bytes`);
    regions.push(
      { start: b.tophash.offset, size: b.tophash.size, label: 'tophash' },
      { start: b.keys.offset, size: b.keys.size, label: 'keys' },
      { start: b.values.offset, size: b.values.size, label: 'values' },
      { start: b.overflow.offset, size: b.overflow.size, label: 'overflow' },
    );
    return { size: b.size, segs, regions };
  }
  const g = l.group;
  const keySlot = l.indirectKey ? pointerSize : l.key.size;
  const elemSlot = l.indirectElem ? pointerSize : l.elem.size;
  add(g.ctrl.offset, g.ctrl.size, 'ctrl', 'ctrl', `ctrl: offset ${g.ctrl.offset}, ${g.ctrl.size} bytes`);
  regions.push({ start: g.ctrl.offset, size: g.ctrl.size, label: 'ctrl' });
  const split = g.arrangement === 'split';
  for (let i = 0; i < 8; i++) {
    const k = groupKeyOffset(g, i);
    const e = groupElemOffset(g, i);
    add(k, keySlot, 'key', `k${i}`, `${split ? `keys[${i}]` : `slots[${i}].key`}: offset ${k}, ${keySlot} bytes`);
    add(e, elemSlot, 'elem', `v${i}`, `${split ? `elems[${i}]` : `slots[${i}].elem`}: offset ${e}, ${elemSlot} bytes`);
  }
  // Interleaved: a bracket per slot struct; split: one over the keys array and one over the elems.
  for (const a of g.arrays) {
    if (a.name === 'slots') for (let i = 0; i < 8; i++) regions.push({ start: a.offset + i * a.stride, size: a.stride, label: `slot ${i}` });
    else regions.push({ start: a.offset, size: a.size, label: a.name });
  }
  return { size: g.size, segs, regions };
}

/** Gaps between described fields are padding; filling them makes the strip add up to the size. */
function withPadding(size: number, segs: readonly Segment[]): Segment[] {
  const sorted = [...segs].sort((a, b) => a.start - b.start);
  const out: Segment[] = [];
  let at = 0;
  for (const s of sorted) {
    if (s.start > at) out.push({ start: at, size: s.start - at, kind: 'pad', label: '', title: `padding: offset ${at}, ${s.start - at} bytes` });
    out.push(s);
    at = Math.max(at, s.start + s.size);
  }
  if (size > at) out.push({ start: at, size: size - at, kind: 'pad', label: '', title: `padding: offset ${at}, ${size - at} bytes` });
  return out;
}

export function layoutStrip(l: MapLayout, pointerSize: number): Markup {
  const { size, segs, regions } = pieces(l, pointerSize);
  if (size <= 0) return html``;
  const k = WIDTH / size;
  const x = (off: number) => +(off * k).toFixed(2);
  const rects = withPadding(size, segs).map((s) => {
    const w = x(s.start + s.size) - x(s.start);
    const label = s.label && w >= 16 ? html`<text x="${x(s.start) + w / 2}" y="${TOP + 15}" class="seglabel">${s.label}</text>` : '';
    return html`<g><title>${s.title}</title><rect x="${x(s.start)}" y="${TOP}" width="${Math.max(w, 0.5)}" height="${HEIGHT}" class="seg-${s.kind}"/>${label}</g>`;
  });
  const heads = regions
    .filter((r) => r.size * k >= r.label.length * 6.5)
    .map((r) => html`<text x="${x(r.start) + 1}" y="${TOP - 4}" class="region">${r.label}</text><path class="bracket" d="M${x(r.start) + 0.5} ${TOP - 2}V${TOP}M${x(r.start) + 0.5} ${TOP - 2}H${x(r.start + r.size) - 0.5}V${TOP}"/>`);
  const ticks: Markup[] = [];
  for (let off = 64; off < size; off += 64) {
    ticks.push(html`<path class="line64" d="M${x(off)} ${TOP - 2}V${TOP + HEIGHT + 3}"/><text x="${x(off)}" y="${TOP + HEIGHT + 13}" class="tick">${off}</text>`);
  }
  const h = TOP + HEIGHT + 16;
  return html`<figure class="strip"><figcaption>${l.kind === 'classic' ? 'bucket' : 'group'} to scale (${size} bytes; dashed marks every 64 bytes)</figcaption>
<svg width="${WIDTH + 2}" height="${h}" viewBox="-1 0 ${WIDTH + 2} ${h}" role="img" aria-label="layout to scale">${rects}${heads}${ticks}<text x="${WIDTH}" y="${TOP + HEIGHT + 13}" class="tick end">${size}</text></svg></figure>`;
}
