/**
 * The heatmap's drawing: blocks (a bucket with its overflow chain, or a group) of 8-cell boxes,
 * laid out in as many columns as fit, a chain running to the right with arrows between its
 * buckets and wrapping onto continuation lines when it is longer than a line. One <rect> per
 * slot carries the slot's position, state and raw byte as data attributes, and its hover text
 * as an SVG <title>, which browsers show without any script. The fill comes from the stylesheet
 * by data-state, which keeps each of up to 32,768 cells short.
 */
import { html, join, type Markup } from './escape.js';
import { type SlotRef } from './slot-entries.js';
import type { SlotState } from './states.js';

export interface Cell {
  readonly ref: SlotRef;
  readonly byte: number;
  readonly state: SlotState;
  readonly hover: string;
}

export interface Box {
  /** Overflow buckets are framed differently from the bucket they hang off. */
  readonly overflow: boolean;
  readonly cells: readonly Cell[];
}

/** Buckets (or groups) still to be drawn for one map; shared by all its arrays and tables. */
export interface Budget {
  left: number;
}

export interface Block {
  readonly label: string;
  readonly title: string;
  readonly boxes: readonly Box[];
}

const CELL = 10;
const PITCH = 11;
const BOX = 8 * PITCH - 1;
const LINK = 14;
const ROW = 15;
const COL_GAP = 16;
/** Matches the content width of the page, so the picture needs no horizontal scrolling. */
const WIDTH = 1020;

function cellRect(c: Cell, x: number, y: number): Markup {
  const r = c.ref;
  return html`<rect x="${x}" y="${y}" width="${CELL}" height="${CELL}" data-array="${r.array}"${
    r.table !== undefined ? html` data-table="${r.table}"` : ''
  } data-bucket="${r.bucket}"${r.chain !== undefined ? html` data-chain="${r.chain}"` : ''} data-slot="${r.slot}" data-state="${c.state}" data-byte="${c.byte}"><title>${c.hover}</title></rect>`;
}

function arrow(x1: number, x2: number, y: number): Markup {
  return html`<path class="link" d="M${x1} ${y}H${x2}l-3 -3m3 3l-3 3"/>`;
}

/** An SVG of the blocks; the number of <rect data-slot> equals the number of cells given. */
export function heatmapSvg(blocks: readonly Block[], caption: string): Markup {
  if (blocks.length === 0) return html``;
  const labelW = 10 + 6 * Math.max(...blocks.map((b) => b.label.length));
  const perLine = Math.max(1, Math.floor((WIDTH - labelW + LINK) / (BOX + LINK)));
  const widest = Math.max(...blocks.map((b) => b.boxes.length));
  const boxesPerLine = Math.min(widest, perLine);
  const colW = labelW + boxesPerLine * BOX + (boxesPerLine - 1) * LINK + COL_GAP;
  const cols = Math.max(1, Math.floor((WIDTH + COL_GAP) / colW));
  const lines = (b: Block) => Math.max(1, Math.ceil(b.boxes.length / boxesPerLine));

  const parts: Markup[] = [];
  let y = 2;
  for (let first = 0; first < blocks.length; first += cols) {
    const row = blocks.slice(first, first + cols);
    row.forEach((b, col) => {
      const x = col * colW;
      const inner: Markup[] = [html`<text x="${x + labelW - 5}" y="${y + 9}" class="idx">${b.label}</text>`];
      b.boxes.forEach((box, k) => {
        const line = Math.floor(k / boxesPerLine);
        const pos = k % boxesPerLine;
        const bx = x + labelW + pos * (BOX + LINK);
        const by = y + line * ROW;
        if (k > 0) inner.push(pos > 0 ? arrow(bx - LINK + 2, bx - 2, by + CELL / 2) : arrow(x + labelW - 12, bx - 2, by + CELL / 2));
        inner.push(html`<rect class="box${box.overflow ? ' ovf' : ''}" x="${bx - 1.5}" y="${by - 1.5}" width="${BOX + 3}" height="${CELL + 3}" rx="2"/>`);
        box.cells.forEach((c, s) => inner.push(cellRect(c, bx + s * PITCH, by)));
      });
      parts.push(html`<g><title>${b.title}</title>${inner}</g>`);
    });
    y += Math.max(...row.map(lines)) * ROW;
  }
  const width = Math.min(blocks.length, cols) * colW - COL_GAP + 2;
  const height = y + 1;
  return html`<svg class="heatmap" role="img" aria-label="${caption}" width="${width}" height="${height}" viewBox="-1 0 ${width} ${height}">${join(parts)}</svg>`;
}
