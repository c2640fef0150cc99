/**
 * The grid: blocks (a bucket with its overflow chain, or a group) of 8-cell boxes, laid out in as
 * many columns as the view is wide, a chain running to the right with arrows between its buckets
 * and wrapping onto continuation lines. One <rect> per slot carries the slot's position, state,
 * raw byte and entry index as data attributes; the fill comes from the stylesheet by data-state.
 */
import type { SlotState } from '../../../src/report/html/states.js';
import { s } from './dom.js';
import type { SlotRef } from './slots.js';

export interface Cell {
  readonly ref: SlotRef;
  readonly byte: number;
  readonly state: SlotState;
  /** The entry's index when the slot holds one and the walk could be trusted. */
  readonly entry?: number;
  /** Address of the bucket or group the slot is in. */
  readonly home: string;
}

export interface Box {
  /** Overflow buckets are framed differently from the bucket they hang off. */
  readonly overflow: boolean;
  readonly cells: readonly Cell[];
}

export interface Block {
  readonly label: string;
  readonly boxes: readonly Box[];
}

const CELL = 11;
const PITCH = 12;
const BOX = 8 * PITCH - 1;
const LINK = 14;
const ROW = 17;
const COL_GAP = 14;

function cellRect(c: Cell, x: number, y: number, cells: WeakMap<Element, Cell>): SVGRectElement {
  const r = c.ref;
  const rect = s('rect', {
    x,
    y,
    width: CELL,
    height: CELL,
    rx: 1.5,
    'data-array': r.array,
    'data-table': r.table,
    'data-bucket': r.bucket,
    'data-chain': r.chain,
    'data-slot': r.slot,
    'data-state': c.state,
    'data-byte': c.byte,
    'data-entry': c.entry,
  });
  cells.set(rect, c);
  return rect;
}

function arrow(x1: number, x2: number, y: number): SVGPathElement {
  return s('path', { class: 'link', d: `M${x1} ${y}H${x2}l-3 -3m3 3l-3 3` });
}

/** An SVG of the blocks, `width` pixels wide at most; the number of rect[data-slot] equals the cells given. */
export function gridSvg(blocks: readonly Block[], caption: string, width: number, cells: WeakMap<Element, Cell>): SVGSVGElement {
  const labelW = 8 + 6.5 * Math.max(1, ...blocks.map((b) => b.label.length));
  const perLine = Math.max(1, Math.floor((width - labelW + LINK) / (BOX + LINK)));
  const widest = Math.max(1, ...blocks.map((b) => b.boxes.length));
  const boxesPerLine = Math.min(widest, perLine);
  const colW = labelW + boxesPerLine * BOX + (boxesPerLine - 1) * LINK + COL_GAP;
  const cols = Math.max(1, Math.floor((width + COL_GAP) / colW));
  const lines = (b: Block) => Math.max(1, Math.ceil(b.boxes.length / boxesPerLine));

  const svg = s('svg', { class: 'grid', role: 'img', 'aria-label': caption });
  let y = 2;
  for (let first = 0; first < blocks.length; first += cols) {
    const row = blocks.slice(first, first + cols);
    row.forEach((b, col) => {
      const x = col * colW;
      const g = s('g', { class: 'block' }, s('text', { x: x + labelW - 5, y: y + 9, class: 'idx' }, b.label));
      b.boxes.forEach((box, k) => {
        const line = Math.floor(k / boxesPerLine);
        const pos = k % boxesPerLine;
        const bx = x + labelW + pos * (BOX + LINK);
        const by = y + line * ROW;
        if (k > 0) g.appendChild(pos > 0 ? arrow(bx - LINK + 2, bx - 2, by + CELL / 2) : arrow(x + labelW - 12, bx - 2, by + CELL / 2));
        g.appendChild(s('rect', { class: box.overflow ? 'box ovf' : 'box', x: bx - 2, y: by - 2, width: BOX + 4, height: CELL + 4, rx: 3 }));
        box.cells.forEach((c, i) => g.appendChild(cellRect(c, bx + i * PITCH, by, cells)));
      });
      svg.appendChild(g);
    });
    y += Math.max(...row.map(lines)) * ROW;
  }
  const w = Math.min(blocks.length, cols) * colW - COL_GAP + 4;
  svg.setAttribute('width', String(w));
  svg.setAttribute('height', String(y + 1));
  svg.setAttribute('viewBox', `-2 0 ${w} ${y + 1}`);
  return svg;
}
