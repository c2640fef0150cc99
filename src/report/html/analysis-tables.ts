/** The memory, GC and cache-line figures of docs/analysis.md as tables, and the findings. */
import { lineUsesOf } from '../../analyze/line-uses.js';
import type { CacheLineFigures, Finding, GcFigures, MemoryFigures } from '../../analyze/types.js';
import { html, type Markup, type Part } from './escape.js';
import { bytes, int, pct } from './format.js';

function kv(caption: string, rows: readonly (readonly [string, Part])[]): Markup {
  return html`<table class="kv"><caption>${caption}</caption><tbody>${rows.map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}</tbody></table>`;
}

export function memoryTable(m: MemoryFigures): Markup {
  const parts: [string, number][] = [
    ['header', m.header],
    ['buckets', m.buckets],
    ['overflow buckets', m.overflowBuckets],
    ['old buckets', m.oldBuckets],
    ['directory', m.directory],
    ['tables', m.tables],
    ['groups', m.groups],
    ['indirect keys', m.indirectKeys],
    ['indirect elems', m.indirectElems],
    ['string data', m.stringData],
  ];
  const rows = parts
    .filter(([, n]) => n > 0)
    .map(([name, n]) => {
      const share = m.total > 0 ? n / m.total : 0;
      return html`<tr><th>${name}</th><td class="num">${int(n)}</td><td class="num">${bytes(n)}</td><td class="share"><span class="meter"><span style="width:${(100 * share).toFixed(1)}%"></span></span>${pct(share)}</td></tr>`;
    });
  const ratio = m.overheadRatio === null ? '—' : `${m.overheadRatio.toFixed(2)}×`;
  return html`<table class="memory"><caption>Memory (bytes)</caption><thead><tr><th>part</th><th>bytes</th><th></th><th>share of total</th></tr></thead><tbody>${rows}</tbody>
<tfoot><tr><th>total</th><td class="num">${int(m.total)}</td><td class="num">${bytes(m.total)}</td><td></td></tr>
<tr><th>payload (count × (key + elem))</th><td class="num">${int(m.payload)}</td><td class="num">${bytes(m.payload)}</td><td></td></tr>
<tr><th>overhead ratio (total / payload)</th><td class="num" colspan="2">${ratio}</td><td></td></tr>
<tr><th>tophash / ctrl bytes</th><td class="num">${int(m.controlBytes)}</td><td class="num">${bytes(m.controlBytes)}</td><td></td></tr></tfoot></table>`;
}

/** The words of one bucket/group, pointer words filled: the GC's view of the object. */
function pointerMap(g: GcFigures, pointerSize: number, what: string): Markup {
  const words = Math.ceil(g.size / pointerSize);
  if (words === 0 || words > 2048) return html``;
  const ptr = new Set(g.pointerWords);
  const perRow = 64;
  const cells = Array.from({ length: words }, (_, w) => {
    const x = (w % perRow) * 8;
    const y = Math.floor(w / perRow) * 8;
    return html`<rect x="${x}" y="${y}" width="7" height="7" class="${ptr.has(w) ? 'pw' : 'sw'}"><title>word ${w} (offset ${w * pointerSize}): ${ptr.has(w) ? 'pointer' : 'scalar'}</title></rect>`;
  });
  const h = Math.ceil(words / perRow) * 8;
  const w = Math.min(words, perRow) * 8;
  return html`<div class="pmap"><svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="pointer words">${cells}</svg><small>words of one ${what}: pointer ■ / scalar □</small></div>`;
}

export function gcTable(g: GcFigures, pointerSize: number, what: 'bucket' | 'group'): Markup {
  const words = g.pointerWords.length > 48 ? `${g.pointerWords.slice(0, 48).join(', ')}, … (${g.pointerWords.length} in all)` : g.pointerWords.join(', ') || 'none';
  const runtime = g.runtime ? `ptrBytes ${g.runtime.ptrBytes}, bitmap ${g.runtime.bitmap || '(empty)'} (descriptor ${g.runtime.descriptor})` : 'descriptor not found';
  const matches = g.matches === null ? html`<span class="badge dim">unknown</span>` : g.matches ? html`<span class="badge ok">matches</span>` : html`<span class="badge bad">differs</span>`;
  return html`${kv('Garbage collector', [
    ['type', html`<code>${g.type}</code>`],
    ['size', `${int(g.size)} bytes`],
    ['pointer prefix (ptrBytes)', `${int(g.ptrBytes)} bytes${g.ptrBytes === 0 ? ' — noscan' : ''}`],
    ['pointer words', words],
    ['bitmap', html`<code>${g.bitmap || '(empty)'}</code>`],
    ['runtime type descriptor', runtime],
    ['DWARF vs runtime', matches],
    ['bytes the GC scans', `${int(g.scanBytes)} (${bytes(g.scanBytes)})`],
  ])}${pointerMap(g, pointerSize, what)}`;
}

/**
 * Blocks listed, lines they span and lines holding live data. From the list's columns when the
 * analysis kept them: a block's figures depend only on its pattern (offset in its first line and
 * live slots), so one block of each pattern stands for all, and the quarter million objects of a
 * million-entry map's list are never made.
 */
function lineTotals(c: CacheLineFigures): { blocks: number; lines: number; live: number } {
  const uses = lineUsesOf(c);
  if (!uses) {
    const list = c.buckets ?? c.groups ?? [];
    return { blocks: list.length, lines: list.reduce((n, l) => n + l.lines, 0), live: list.reduce((n, l) => n + l.liveLines.length, 0) };
  }
  const { pattern, length } = uses.columns();
  const seen = new Map<number, { first: number; n: number }>();
  for (let i = 0; i < length; i++) {
    const p = seen.get(pattern[i]);
    if (p) p.n++;
    else seen.set(pattern[i], { first: i, n: 1 });
  }
  let lines = 0;
  let live = 0;
  for (const { first, n } of seen.values()) {
    const u = uses.at(first);
    lines += n * u.lines;
    live += n * u.liveLines.length;
  }
  return { blocks: length, lines, live };
}

export function cacheTable(c: CacheLineFigures, kind: 'bucket' | 'group'): Markup {
  const { blocks, lines, live } = lineTotals(c);
  return kv(`Cache lines (${c.lineSize}-byte)`, [
    [`${kind}s listed`, int(blocks)],
    ['lines spanned', int(lines)],
    ['lines holding live data', `${int(live)} (${pct(c.liveLineFraction)})`],
    ['lines a hit touches (average)', c.lookupLines.toFixed(2)],
    ['useful bytes of those lines', pct(c.lookupUtilization)],
  ]);
}

export function findingsList(findings: readonly Finding[]): Markup {
  if (findings.length === 0) return html`<p class="ok">No findings: nothing unusual about this map.</p>`;
  const items = findings.map((f) => {
    const nums = Object.entries(f)
      .filter(([k]) => k !== 'kind' && k !== 'message')
      .map(([k, v]) => html`<span class="num-chip"><b>${k}</b> ${typeof v === 'number' ? int(v) : String(v)}</span>`);
    return html`<li class="finding" data-kind="${f.kind}"><span class="kind">${f.kind}</span> ${f.message}<div>${nums}</div></li>`;
  });
  return html`<ul class="findings">${items}</ul>`;
}
