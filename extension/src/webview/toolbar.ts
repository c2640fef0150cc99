/** The bar on top: the expression to inspect, refresh, and what the view is showing and from where. */
import type { TargetJson } from '../shared/contract.js';
import type { ViewState, WebviewMessage } from '../shared/messages.js';
import { h, replaceChildren } from './dom.js';

export interface Toolbar {
  readonly element: HTMLElement;
  update(state: ViewState): void;
}

function targetLine(t: TargetJson): string {
  const where = t.kind === 'live' ? `live process ${t.pid ?? '?'}` : t.kind === 'core' ? 'core dump' : String(t.kind);
  return `${where} of ${t.exe} · ${t.goVersion || 'unknown Go version'} ${t.arch}, ${t.pointerSize * 8}-bit`;
}

function statusText(st: ViewState): string {
  switch (st.status) {
    case 'idle':
      return st.message ?? 'Nothing inspected yet: right-click a map in VARIABLES and choose "Inspect Go Map", or type a map expression above.';
    case 'loading':
      return `Reading ${st.expression ?? ''}…`;
    case 'error':
      return st.message ?? 'The map could not be read.';
    case 'ready': {
      const parts = [st.session ? `session ${st.session}` : '', st.frameId !== undefined ? `frame ${st.frameId}` : ''].filter(Boolean);
      return parts.length ? `From ${parts.join(', ')}.` : '';
    }
  }
}

export function toolbar(post: (m: WebviewMessage) => void): Toolbar {
  const input = h('input', {
    id: 'expr',
    type: 'text',
    spellcheck: 'false',
    placeholder: 'main.routes, (*main.srv).cache, 0xc000012345:map[string]int',
    'aria-label': 'Go map expression',
  });
  const form = h('form', { class: 'ask' }, input, h('button', { type: 'submit', title: 'Inspect this map' }, 'Inspect'));
  const refresh = h('button', { type: 'button', class: 'secondary', title: 'Read the map again' }, 'Refresh');
  form.append(refresh);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const expression = input.value.trim();
    if (expression) post({ type: 'inspect', expression });
  });
  refresh.addEventListener('click', () => post({ type: 'refresh' }));
  const status = h('p', { id: 'status', role: 'status' });
  const target = h('p', { id: 'target' });
  const element = h('header', { class: 'bar' }, form, status, target);
  return {
    element,
    update(st) {
      // Never overwrite what the user is typing.
      if (document.activeElement !== input && st.expression !== undefined) input.value = st.expression;
      status.className = `status-${st.status}${st.stale ? ' stale' : ''}`;
      const text = statusText(st);
      replaceChildren(status, text, st.stale && st.status !== 'error' && st.message ? ` ${st.message}` : null);
      replaceChildren(target, st.json ? targetLine(st.json.target) : '');
      refresh.disabled = st.expression === undefined;
    },
  };
}
