/**
 * The layout of one bucket or group, from what the JSON says about it: its size (analysis.gc),
 * the 8 control bytes, the slot size that leaves, and the GC's view of its words — which hold
 * pointers — drawn word by word with the 64-byte line boundaries, so the cost of a slot layout
 * can be seen.
 */
import { int } from '../../../src/report/html/format.js';
import type { MapJson } from '../shared/contract.js';
import { h, kvTable, s } from './dom.js';

/** Words drawn at most; a bucket of huge inline keys is summarised instead. */
const MAX_WORDS = 512;

function wordStrip(size: number, ptrSize: number, pointerWords: readonly number[], classic: boolean, marks: ReadonlySet<number>): SVGSVGElement | null {
  const words = Math.ceil(size / ptrSize);
  if (words === 0 || words > MAX_WORDS) return null;
  const perRow = 32;
  const W = 9;
  const ptr = new Set(pointerWords);
  const svg = s('svg', { class: 'words', role: 'img', 'aria-label': 'words of one bucket or group' });
  for (let w = 0; w < words; w++) {
    const off = w * ptrSize;
    // The first word holds the 8 tophash / ctrl bytes (8 bytes: one word on 64-bit, two on 32-bit).
    const kind = off < 8 ? 'ctrl' : ptr.has(w) ? 'ptr' : classic && off >= size - ptrSize ? 'ovf' : 'scalar';
    const x = (w % perRow) * W;
    const y = Math.floor(w / perRow) * (W + 3);
    svg.appendChild(s('rect', { x, y, width: W - 1, height: W - 1, class: `w-${kind}`, 'data-word': w }));
    if (off > 0 && off % 64 === 0) svg.appendChild(s('path', { class: 'line64', d: `M${x - 0.5} ${y - 1}V${y + W}` }));
    if (marks.has(off)) svg.appendChild(s('path', { class: 'slotmark', d: `M${x - 0.5} ${y + W - 1}h3` }));
  }
  const rows = Math.ceil(words / perRow);
  const width = Math.min(words, perRow) * W;
  const height = rows * (W + 3);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  return svg;
}

export function layoutPanel(m: MapJson, ptrSize: number): HTMLElement | null {
  const gc = m.analysis?.gc;
  if (!gc) return null;
  const classic = m.implementation === 'classic';
  const what = classic ? 'bucket' : 'group';
  // classic: 8 tophash bytes, keys[8], elems[8], then the overflow pointer; Swiss: ctrl word, then
  // slots[8] of {key, elem} (interleaved) or keys[8] then elems[8] (split, Go 1.27 mapsplitgroup).
  const group = gc.group;
  const split = group?.arrangement === 'split';
  const slot = classic ? (gc.size - 8 - ptrSize) / 8 : split && group ? group.keyStride + group.elemStride : (gc.size - 8) / 8;
  const count = m.count ?? 0;
  const payload = m.analysis?.memory.payload ?? 0;
  const perSlot = Number.isInteger(slot) ? `${int(slot)} bytes per slot` : `${slot.toFixed(1)} bytes per slot (with padding)`;
  const rows: [string, string][] = [
    [`${what} size`, `${int(gc.size)} bytes`],
    [classic ? 'tophash' : 'ctrl word', '8 bytes'],
  ];
  if (classic) rows.push(['key + elem slots (8 each)', perSlot]);
  else if (split && group) {
    rows.push(['keys [8] (split group)', `at ${int(group.keysOff)}, ${int(group.keyStride)} bytes each`]);
    rows.push(['elems [8] (split group)', `at ${int(group.elemsOff)}, ${int(group.elemStride)} bytes each`]);
  } else rows.push(['slot {key, elem} × 8', perSlot]);
  if (classic) rows.push(['overflow pointer', `${ptrSize} bytes`]);
  if (count > 0 && payload > 0) rows.push(['key + elem types', `${int(payload / count)} bytes per entry`]);
  rows.push(['pointer words', gc.pointerWords.length ? `${gc.pointerWords.length} (ptrBytes ${int(gc.ptrBytes)})` : 'none: the GC never scans it (noscan)']);
  const spans = m.analysis?.cacheLines.buckets ?? m.analysis?.cacheLines.groups ?? [];
  if (spans.length > 0) rows.push(['64-byte lines spanned', `${(spans.reduce((n, l) => n + l.lines, 0) / spans.length).toFixed(2)} per ${what} on average`]);
  // A mark where each slot (interleaved) or each of the two arrays (split) begins.
  const marks = new Set<number>();
  if (split && group) marks.add(group.keysOff).add(group.elemsOff);
  else if (group) for (let i = 1; i < 8; i++) marks.add(group.keysOff + i * group.keyStride);
  else if (!classic && Number.isInteger(slot) && slot > 0) for (let i = 1; i < 8; i++) marks.add(8 + i * slot);
  const strip = wordStrip(gc.size, ptrSize, gc.pointerWords, classic, marks);
  return h(
    'section',
    { class: 'layout' },
    kvTable(`Layout of one ${what}`, rows),
    strip
      ? h(
          'figure',
          { class: 'words' },
          strip,
          h(
            'figcaption',
            {},
            h('span', { class: 'swatch w-ctrl' }),
            classic ? ' tophash ' : ' ctrl ',
            h('span', { class: 'swatch w-ptr' }),
            ' pointer ',
            h('span', { class: 'swatch w-scalar' }),
            ' scalar',
            classic ? [' ', h('span', { class: 'swatch w-ovf' }), ' overflow'] : null,
            ` — one square per ${ptrSize}-byte word; red marks every 64 bytes`,
          ),
        )
      : null,
  );
}
