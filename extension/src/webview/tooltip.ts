/**
 * One floating tooltip for the whole page, fed by event delegation: a grid of 30,000 slots gets
 * three listeners, not 30,000 <title> elements. Its lines are text nodes.
 */
import { h, replaceChildren } from './dom.js';

export interface TipLine {
  readonly text: string;
  /** Key and value lines are code: monospace, wrapped anywhere. */
  readonly code?: boolean;
  readonly dim?: boolean;
}

let tip: HTMLDivElement | undefined;

function element(): HTMLDivElement {
  if (!tip) {
    tip = h('div', { class: 'tip', role: 'tooltip', id: 'slot-tip', hidden: true });
    document.body.appendChild(tip);
  }
  return tip;
}

function place(el: HTMLElement, x: number, y: number): void {
  const pad = 14;
  const w = el.offsetWidth;
  const ht = el.offsetHeight;
  const vw = document.documentElement.clientWidth;
  const vh = document.documentElement.clientHeight;
  const left = x + pad + w > vw ? Math.max(4, x - pad - w) : x + pad;
  const top = y + pad + ht > vh ? Math.max(4, y - pad - ht) : y + pad;
  el.style.left = `${left}px`;
  el.style.top = `${top}px`;
}

export function showTip(lines: readonly TipLine[], x: number, y: number): void {
  const el = element();
  replaceChildren(
    el,
    lines.map((l) => h('div', { class: `tip-line${l.code ? ' code' : ''}${l.dim ? ' dim' : ''}` }, l.text)),
  );
  el.hidden = false;
  place(el, x, y);
}

export function hideTip(): void {
  if (tip) tip.hidden = true;
}

/** Shows `describe(target)` while the pointer is over an element it describes. */
export function hoverTips(root: Element, describe: (target: Element) => readonly TipLine[] | undefined): void {
  let current: Element | undefined;
  root.addEventListener('pointermove', (ev) => {
    const e = ev as PointerEvent;
    const target = e.target instanceof Element ? e.target : undefined;
    const lines = target ? describe(target) : undefined;
    if (!lines) {
      current = undefined;
      hideTip();
      return;
    }
    if (target !== current) {
      current = target;
      showTip(lines, e.clientX, e.clientY);
    } else if (tip) {
      place(tip, e.clientX, e.clientY);
    }
  });
  root.addEventListener('pointerleave', () => {
    current = undefined;
    hideTip();
  });
}
