/** Small SVG bar charts: every bar labelled with its number, so a tiny bar still reads exactly. */
import { html, type Markup } from './escape.js';
import { int, pct } from './format.js';

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** CSS class giving the fill (e.g. a slot state's `st-live`). */
  readonly cls?: string;
}

const LABEL_W = 130;
const BAR_W = 420;
const BAR_H = 14;
const GAP = 4;

/** Horizontal bars with count and share of the total. */
export function hbars(bars: readonly Bar[], caption: string): Markup {
  const total = bars.reduce((n, b) => n + b.value, 0);
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rows = bars.map((b, i) => {
    const y = i * (BAR_H + GAP);
    const w = b.value > 0 ? Math.max(1.5, (b.value / max) * BAR_W) : 0;
    const share = total > 0 ? ` (${pct(b.value / total)})` : '';
    return html`<g><title>${b.label}: ${int(b.value)}${share}</title><text x="${LABEL_W - 6}" y="${y + 11}" class="blabel">${b.label}</text><rect x="${LABEL_W}" y="${y}" width="${w}" height="${BAR_H}" class="${b.cls ?? 'bar'}"/><text x="${LABEL_W + w + 5}" y="${y + 11}" class="bval">${int(b.value)}${share}</text></g>`;
  });
  const h = bars.length * (BAR_H + GAP);
  const width = LABEL_W + BAR_W + 130;
  return html`<figure class="chart"><figcaption>${caption}</figcaption><svg width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" role="img" aria-label="${caption}">${rows}</svg></figure>`;
}

/** Vertical bars for a histogram over small integers (e.g. overflow chain lengths). */
export function histogram(bars: readonly Bar[], caption: string, xTitle: string): Markup {
  const colW = Math.max(18, Math.min(44, Math.floor(560 / Math.max(1, bars.length))));
  const plotH = 110;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const cols = bars.map((b, i) => {
    const x = 4 + i * colW;
    const h = b.value > 0 ? Math.max(2, (b.value / max) * plotH) : 0;
    const top = 16 + plotH - h;
    return html`<g><title>${xTitle} ${b.label}: ${int(b.value)}</title><rect x="${x + 2}" y="${top}" width="${colW - 4}" height="${h}" class="${b.cls ?? 'bar'}"/><text x="${x + colW / 2}" y="${top - 3}" class="hval">${int(b.value)}</text><text x="${x + colW / 2}" y="${16 + plotH + 13}" class="hlabel">${b.label}</text></g>`;
  });
  // Wide enough for the axis title even under a single bar.
  const width = Math.max(8 + bars.length * colW, 240);
  const h = 16 + plotH + 30;
  return html`<figure class="chart"><figcaption>${caption}</figcaption><svg width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" role="img" aria-label="${caption}"><path class="axis" d="M2 ${16 + plotH + 0.5}H${width - 2}"/>${cols}<text x="${width / 2}" y="${h - 2}" class="hlabel">${xTitle}</text></svg></figure>`;
}

export interface Stack {
  readonly label: string;
  readonly title: string;
  readonly parts: readonly { readonly value: number; readonly cls: string }[];
  readonly total: number;
  readonly note: string;
}

/** One 100%-wide bar per row split into parts, with an optional marker (e.g. the 7/8 max load). */
export function stacks(rows: readonly Stack[], caption: string, marker?: { at: number; label: string }): Markup {
  const w = 360;
  const body = rows.map((r, i) => {
    const y = 14 + i * (BAR_H + GAP);
    let x = LABEL_W;
    const parts = r.parts.map((p) => {
      const pw = r.total > 0 ? (p.value / r.total) * w : 0;
      const out = pw > 0 ? html`<rect x="${x}" y="${y}" width="${pw}" height="${BAR_H}" class="${p.cls}"/>` : '';
      x += pw;
      return out;
    });
    return html`<g><title>${r.title}</title><text x="${LABEL_W - 6}" y="${y + 11}" class="blabel">${r.label}</text><rect x="${LABEL_W}" y="${y}" width="${w}" height="${BAR_H}" class="track"/>${parts}<text x="${LABEL_W + w + 6}" y="${y + 11}" class="bval">${r.note}</text></g>`;
  });
  const h = 14 + rows.length * (BAR_H + GAP);
  const m = marker
    ? html`<path class="marker" d="M${LABEL_W + marker.at * w} 10V${h}"/><text x="${LABEL_W + marker.at * w}" y="8" class="mlabel">${marker.label}</text>`
    : '';
  const width = LABEL_W + w + 380;
  return html`<figure class="chart"><figcaption>${caption}</figcaption><svg width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" role="img" aria-label="${caption}">${body}${m}</svg></figure>`;
}
