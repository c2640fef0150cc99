/** The analysis section of the text report: the figures of docs/analysis.md in a few lines. */
import type { MapAnalysis, TableOccupancy } from '../analyze/types.js';
import { plural } from './plural.js';

/** Tables listed one line each up to this many; beyond it, a distribution and the worst few. */
const TABLE_LINES = 4;

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function bytes(n: number): string {
  if (n < 10 * 1024) return `${n} B`;
  if (n < 10 * 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function analysisText(a: MapAnalysis): string[] {
  const o = a.occupancy;
  const m = a.memory;
  const g = a.gc;
  const c = a.cacheLines;
  const states = Object.entries(o.slotStates)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const out = ['  analysis:'];
  out.push(`    occupancy: ${plural(o.slots, 'slot')}, load factor ${o.loadFactor.toFixed(3)}; ${states}${o.tombstones !== null ? `; tombstones ${o.tombstones}` : ''}`);
  if (o.overflow) {
    const hist = Object.entries(o.overflow.histogram)
      .map(([len, n]) => `${len}:${n}`)
      .join(' ');
    out.push(`    overflow: ${plural(o.overflow.buckets, 'bucket')} (old ${o.overflow.oldBuckets}); chain lengths ${hist}; longest ${o.overflow.maxChain}`);
  }
  if (o.grow) out.push(`    grow: nevacuate ${o.grow.nevacuate} of ${plural(o.grow.oldBuckets, 'old bucket')}, ${o.grow.evacuated} evacuated${o.grow.sameSize ? ' (same size)' : ''}`);
  out.push(...tablesText(o.tables ?? []));
  const parts = (
    [
      ['header', m.header],
      ['buckets', m.buckets],
      ['overflow', m.overflowBuckets],
      ['old buckets', m.oldBuckets],
      ['directory', m.directory],
      ['tables', m.tables],
      ['groups', m.groups],
      ['indirect keys', m.indirectKeys],
      ['indirect elems', m.indirectElems],
      ['string data', m.stringData],
    ] as const
  )
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${bytes(n)}`)
    .join(', ');
  out.push(
    `    memory: ${bytes(m.total)} (${parts}) for ${bytes(m.payload)} of keys and elems${m.overheadRatio !== null ? `, ${m.overheadRatio.toFixed(2)}× payload` : ''}; tophash/ctrl bytes ${bytes(m.controlBytes)}`,
  );
  const runtime = g.runtime ? `runtime mask ${g.runtime.bitmap || '(none)'} ${g.matches ? 'matches' : 'DIFFERS'}` : 'runtime descriptor not found';
  out.push(`    gc: ${g.type} ${g.size} B, pointer prefix ${g.ptrBytes} B (${plural(g.pointerWords.length, 'pointer word')}), mask ${g.bitmap || '(none: noscan)'}; ${runtime}; the GC scans ${bytes(g.scanBytes)}`);
  out.push(`    cache lines: ${pct(c.liveLineFraction)} of lines hold live data; a hit touches ${c.lookupLines.toFixed(2)} lines, ${pct(c.lookupUtilization)} of their bytes useful`);
  if (a.findings.length === 0) out.push('    findings: none');
  for (const f of a.findings) out.push(`    finding ${f.kind}: ${f.message}`);
  return out;
}

function tableLine(t: TableOccupancy): string {
  return `    table ${t.address}: used ${t.used}/${t.capacity} (${pct(t.loadFactor)}), tombstones ${t.tombstones}, growthLeft ${t.growthLeft}`;
}

/**
 * Per-table occupancy: a line per table for a few; for many (a map of 200,000 entries has
 * hundreds), their distribution in one line and the worst few, those with the most tombstones
 * (each one a probe that cannot stop there), then the fullest.
 */
function tablesText(tables: readonly TableOccupancy[]): string[] {
  if (tables.length <= TABLE_LINES) return tables.map(tableLine);
  const loads = tables.map((t) => t.loadFactor).sort((a, b) => a - b);
  const tombstones = tables.reduce((n, t) => n + t.tombstones, 0);
  const withTombstones = tables.filter((t) => t.tombstones > 0).length;
  const full = tables.filter((t) => t.growthLeft === 0).length;
  const worst = [...tables].sort((a, b) => b.tombstones - a.tombstones || b.loadFactor - a.loadFactor).slice(0, 3);
  return [
    `    tables: ${tables.length}, load factor min ${pct(loads[0])}, median ${pct(loads[loads.length >> 1])}, max ${pct(loads[loads.length - 1])}; ` +
      `${plural(tombstones, 'tombstone')} in ${plural(withTombstones, 'table')}; ${plural(full, 'table')} with growthLeft 0`,
    `    worst ${worst.length} (most tombstones, then fullest):`,
    ...worst.map((t) => `  ${tableLine(t)}`),
  ];
}
