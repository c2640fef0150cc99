/**
 * Reports of streamed maps (inspect/stream.ts):
 *
 * `--stats --json` (schema mapscope/stats@1): per map its header fields and analysis, with
 * totals only (no per-bucket cache-line lists), and no entries, buckets or groups.
 *
 * `--jsonl` (schema mapscope/entries@1), one JSON value per line:
 *   {"schema":"mapscope/entries@1","target":{...}}
 *   then per map: {"map":{expr, address, type, keyType, valueType, implementation, count, classic|swiss}}
 *   its entries, one {"key":K,"value":V} per line, in memory order,
 *   and {"end":{expr, entries, warnings?, analysis? (with --stats), error?}}.
 * A map that cannot be found gets only its "end" line, with the error.
 */
import type { StreamHeader, StreamedMap } from '../inspect/stream.js';
import type { TargetInfo } from '../target/target.js';
import type { JsonValue } from '../values/json.js';
import type { GoMapType } from '../layout/gotype.js';
import type { MapLayout } from '../layout/map-layout.js';
import { analysisText } from './analysis-text.js';
import { classicHeaderJson, mapIdentityJson, swissHeaderJson, targetJson } from './contract.js';

export const STATS_SCHEMA = 'mapscope/stats@1';
export const ENTRIES_SCHEMA = 'mapscope/entries@1';

/** A map's identity and header: the first part of its stats, and its "map" line. */
export function streamedMapJson(m: { expr: string; type?: GoMapType; layout?: MapLayout; header?: StreamHeader | null }): { [k: string]: JsonValue } {
  const out = mapIdentityJson(m.expr, m.type, m.layout, m.header);
  if (m.header !== undefined) {
    const h = m.header;
    out.count = h ? (h.implementation === 'classic' ? h.count : h.used) : 0;
    if (h?.implementation === 'classic') out.classic = classicHeaderJson(h);
    if (h?.implementation === 'swiss') out.swiss = swissHeaderJson(h);
  }
  return out;
}

export function statsJson(info: TargetInfo, maps: readonly StreamedMap[]): JsonValue {
  return {
    schema: STATS_SCHEMA,
    target: targetJson(info),
    maps: maps.map((m) => {
      const out = streamedMapJson(m);
      if (m.error !== undefined) out.error = m.error;
      else out.analysis = (m.analysis ?? null) as unknown as JsonValue;
      if (m.warnings.length > 0) out.warnings = [...m.warnings];
      return out;
    }),
  };
}

export function statsText(info: TargetInfo, maps: readonly StreamedMap[]): string {
  const out = [`target: ${info.kind}${info.pid !== null ? ` pid ${info.pid}` : ''} ${info.exe} (${info.goVersion}, ${info.arch})`];
  for (const m of maps) {
    const j = streamedMapJson(m);
    out.push('', `${m.expr}: ${m.type?.name ?? ''}${j.address ? ` at ${j.address as string}` : ''}${m.layout ? ` (${m.layout.kind})` : ''}`);
    if (m.error !== undefined) {
      out.push(`  error: ${m.error}`);
      continue;
    }
    out.push(`  count: ${String(j.count ?? 0)}`);
    if (m.analysis) out.push(...analysisText(m.analysis));
    else out.push('  nil map');
  }
  return out.join('\n') + '\n';
}

export function entriesHeadJson(info: TargetInfo): JsonValue {
  return { schema: ENTRIES_SCHEMA, target: targetJson(info) };
}

export function endJson(m: StreamedMap, stats: boolean): JsonValue {
  const out: { [k: string]: JsonValue } = { expr: m.expr, entries: m.streamed };
  if (m.warnings.length > 0) out.warnings = [...m.warnings];
  if (stats && m.error === undefined) out.analysis = (m.analysis ?? null) as unknown as JsonValue;
  if (m.error !== undefined) out.error = m.error;
  return { end: out };
}
