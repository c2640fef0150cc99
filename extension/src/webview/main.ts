/**
 * The Map Inspector webview: draws the inspect contract JSON the extension host posts, and asks
 * the host to inspect another expression or to refresh. It never fetches anything itself.
 */
import { stateCss } from '../../../src/report/html/states.js';
import { isInspectJson } from '../shared/contract.js';
import { isHostMessage, type ViewState, type WebviewMessage } from '../shared/messages.js';
import { h, replaceChildren } from './dom.js';
import type { Cell } from './grid.js';
import { describeCell, mapSection } from './map-view.js';
import { toolbar } from './toolbar.js';
import { hideTip, hoverTips } from './tooltip.js';
import { vscodeApi } from './vscode-api.js';

const api = vscodeApi();
const post = (m: WebviewMessage) => api.postMessage(m);

// State colours, shared with the HTML report (fills by data-state, swatches by class).
document.head.appendChild(h('style', {}, stateCss()));

const bar = toolbar(post);
const maps = h('main', { id: 'maps' });
document.body.append(bar.element, maps);

let state: ViewState = { status: 'idle', seq: 0 };
let drawnSeq = -1;
let drawnWidth = 0;
let cells = new WeakMap<Element, Cell>();

function draw(): void {
  hideTip();
  cells = new WeakMap();
  drawnSeq = state.seq;
  drawnWidth = maps.clientWidth;
  const json = state.json;
  if (!json || !isInspectJson(json)) {
    replaceChildren(maps);
    return;
  }
  const css = getComputedStyle(maps);
  const width = Math.max(220, maps.clientWidth - parseFloat(css.paddingLeft) - parseFloat(css.paddingRight) - 4);
  replaceChildren(
    maps,
    json.maps.map((m, i) => mapSection(m, i, json.target, width, cells)),
  );
}

function render(next: ViewState): void {
  state = next;
  bar.update(state);
  document.body.classList.toggle('stale', state.stale === true);
  document.body.classList.toggle('loading', state.status === 'loading');
  if (state.seq !== drawnSeq) draw();
  // Tells a test (or a curious developer) which result the page shows.
  document.body.dataset.seq = String(state.seq);
}

hoverTips(maps, (target) => {
  const c = cells.get(target);
  if (!c || !state.json) return undefined;
  const index = Number(target.closest('section.map')?.getAttribute('data-index'));
  const m = state.json.maps[index];
  return m ? describeCell(m, c) : undefined;
});

window.addEventListener('message', (e: MessageEvent) => {
  if (isHostMessage(e.data)) render(e.data.state);
});

// The grid is laid out for the view's width: redraw when the view is resized noticeably.
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
new ResizeObserver(() => {
  if (Math.abs(maps.clientWidth - drawnWidth) < 24) return;
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(draw, 120);
}).observe(maps);

render(state);
post({ type: 'ready' });
