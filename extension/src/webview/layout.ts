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

function wordStrip(size: number, ptrSize: number, pointerWords: readonly number[], classic: boolean, slotSize: number): SVGSVGElement | null {
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
    if (!classic && slotSize > 0 && off > 8 && (off - 8) % slotSize === 0) svg.appendChild(s('path', { class: 'slotmark', d: `M${x - 0.5} ${y + W - 1}h3` }));
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
  // classic: 8 tophash bytes, keys[8], elems[8], then the overflow pointer; Swiss: ctrl word, slots[8].
  const slot = classic ? (gc.size - 8 - ptrSize) / 8 : (gc.size - 8) / 8;
  const count = m.count ?? 0;
  const payload = m.analysis?.memory.payload ?? 0;
  const rows: [string, string][] = [
    [`${what} size`, `${int(gc.size)} bytes`],
    [classic ? 'tophash' : 'ctrl word', '8 bytes'],
    [classic ? 'key + elem slots (8 each)' : 'slot {key, elem} × 8', Number.isInteger(slot) ? `${int(slot)} bytes per slot` : `${slot.toFixed(1)} bytes per slot (with padding)`],
  ];
  if (classic) rows.push(['overflow pointer', `${ptrSize} bytes`]);
  if (count > 0 && payload > 0) rows.push(['key + elem types', `${int(payload / count)} bytes per entry`]);
  rows.push(['pointer words', gc.pointerWords.length ? `${gc.pointerWords.length} (ptrBytes ${int(gc.ptrBytes)})` : 'none: the GC never scans it (noscan)']);
  const spans = m.analysis?.cacheLines.buckets ?? m.analysis?.cacheLines.groups ?? [];
  if (spans.length > 0) rows.push(['64-byte lines spanned', `${(spans.reduce((n, l) => n + l.lines, 0) / spans.length).toFixed(2)} per ${what} on average`]);
  const strip = wordStrip(gc.size, ptrSize, gc.pointerWords, classic, Number.isInteger(slot) ? slot : 0);
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
