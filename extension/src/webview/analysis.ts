/** The analysis of docs/analysis.md beside the grid: occupancy, memory, GC, cache lines, findings. */
import type { CacheLineFigures, Finding, GcFigures, MapAnalysis, MemoryFigures, Occupancy } from '../../../src/analyze/types.js';
import { bytes, int, pct } from '../../../src/report/html/format.js';
import { type Child, h, kvTable } from './dom.js';

function meter(share: number, cls = ''): HTMLElement {
  const bar = h('span', { class: `fill ${cls}` });
  bar.style.width = `${Math.max(0, Math.min(100, 100 * share)).toFixed(1)}%`;
  return h('span', { class: 'meter' }, bar);
}

function occupancyTable(o: Occupancy): HTMLElement {
  const rows: [string, Child][] = [
    ['slots', int(o.slots)],
    ['load factor', [meter(o.loadFactor), ` ${o.loadFactor.toFixed(3)}`]],
  ];
  const states = o.slotStates as unknown as Record<string, number>;
  for (const [k, v] of Object.entries(states)) rows.push([k, [h('span', { class: `swatch sw-${k}` }), ` ${int(v)}`, o.slots > 0 ? h('span', { class: 'dim' }, ` ${pct(v / o.slots)}`) : null]]);
  if (o.oldSlotStates) {
    const old = Object.entries(o.oldSlotStates as unknown as Record<string, number>).filter(([, v]) => v > 0);
    rows.push(['old array', old.map(([k, v]) => `${k} ${int(v)}`).join(', ') || 'empty']);
  }
  if (o.overflow) {
    rows.push(['overflow buckets', `${int(o.overflow.buckets)}${o.overflow.oldBuckets ? ` (+${int(o.overflow.oldBuckets)} old)` : ''}`]);
    const hist = Object.entries(o.overflow.histogram).map(([len, n]) => `${len}: ${int(n)}`).join(', ');
    rows.push(['chain lengths', hist ? `${hist} (max ${o.overflow.maxChain})` : '—']);
  }
  if (o.tombstones !== null) rows.push(['tombstones', int(o.tombstones)]);
  if (o.tables && o.tables.length > 1) {
    rows.push(['tables', h('span', {}, o.tables.map((t, i) => h('div', {}, `${i}: ${int(t.used)}/${int(t.capacity)} (${t.loadFactor.toFixed(3)}), ${int(t.tombstones)} tombstones, growthLeft ${int(t.growthLeft)}`)))]);
  }
  if (o.grow) rows.push(['grow', `${o.grow.sameSize ? 'same-size' : 'doubling'}: ${int(o.grow.evacuated)} of ${int(o.grow.oldBuckets)} old buckets evacuated (nevacuate ${o.grow.nevacuate})`]);
  return kvTable('Occupancy', rows);
}

function memoryTable(m: MemoryFigures): HTMLElement {
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
  const rows: [string, Child][] = parts
    .filter(([, n]) => n > 0)
    .map(([name, n]) => [name, [meter(m.total > 0 ? n / m.total : 0), ` ${bytes(n)}`]]);
  rows.push(['total', h('strong', {}, `${bytes(m.total)} (${int(m.total)} B)`)]);
  rows.push(['payload', `${bytes(m.payload)}: count × (key + elem)`]);
  rows.push(['overhead', m.overheadRatio === null ? '— (no payload)' : `${m.overheadRatio.toFixed(2)}× the payload`]);
  rows.push(['tophash / ctrl bytes', bytes(m.controlBytes)]);
  return kvTable('Memory', rows);
}

function gcTable(g: GcFigures): HTMLElement {
  const match = g.matches === null ? h('span', { class: 'badge' }, 'descriptor not found') : g.matches ? h('span', { class: 'badge ok' }, 'matches the runtime') : h('span', { class: 'badge bad' }, 'DIFFERS from the runtime');
  return kvTable('Garbage collector', [
    ['type', h('code', {}, g.type)],
    ['pointer prefix', `${int(g.ptrBytes)} of ${int(g.size)} bytes${g.ptrBytes === 0 ? ' (noscan)' : ''}`],
    ['bitmap', [h('code', {}, g.bitmap || '(empty)'), ' ', match]],
    ['GC scans', bytes(g.scanBytes)],
  ]);
}

function cacheTable(c: CacheLineFigures): HTMLElement {
  return kvTable(`Cache lines (${c.lineSize}-byte)`, [
    ['lines with live data', [meter(c.liveLineFraction), ` ${pct(c.liveLineFraction)}`]],
    ['lines a hit touches', c.lookupLines.toFixed(2)],
    ['useful bytes of them', pct(c.lookupUtilization)],
  ]);
}

function findingsList(findings: readonly Finding[]): HTMLElement {
  if (findings.length === 0) return h('p', { class: 'ok findings-none' }, 'No findings: nothing unusual about this map.');
  return h(
    'ul',
    { class: 'findings' },
    findings.map((f) =>
      h(
        'li',
        { class: 'finding', 'data-kind': f.kind },
        h('strong', { class: 'kind' }, f.kind),
        ' ',
        f.message,
      ),
    ),
  );
}

export function findingsSection(a: MapAnalysis): HTMLElement {
  return h('section', { class: 'find' }, h('h3', {}, 'Findings'), findingsList(a.findings));
}

export function analysisPanels(a: MapAnalysis): HTMLElement[] {
  return [occupancyTable(a.occupancy), memoryTable(a.memory), gcTable(a.gc), cacheTable(a.cacheLines)];
}
