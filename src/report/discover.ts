/**
 * Output of `mapscope list` and `mapscope top`: the JSON contracts (mapscope/list@1,
 * mapscope/top@1; fields are only ever added) and ranked text tables.
 */
import type { ListResult } from '../discover/list.js';
import type { MapFigures } from '../discover/measure.js';
import type { TopResult } from '../discover/top.js';
import type { WalkBounds } from '../discover/walk.js';
import { hex } from '../target/bytes.js';
import type { TargetInfo } from '../target/target.js';
import { type JsonItems, type JsonValue, writeJsonBytesTo } from '../values/json.js';
import { Ascii, type JsonOut } from '../values/json-out.js';
import { targetJson } from './contract.js';
import { plural } from './plural.js';

export const LIST_SCHEMA = 'mapscope/list@1';
export const TOP_SCHEMA = 'mapscope/top@1';

/** The target block, as the inspect contract writes it. */
function figuresJson(f: MapFigures): { [k: string]: JsonValue } {
  const out: { [k: string]: JsonValue } = { implementation: f.implementation, count: f.count, bytes: f.bytes };
  if (f.warnings.length > 0) out.warnings = [...f.warnings];
  if (f.error !== undefined) out.error = f.error;
  return out;
}

export function listJson(info: TargetInfo, r: ListResult): JsonValue {
  return {
    schema: LIST_SCHEMA,
    target: targetJson(info),
    maps: r.maps.map((m) => ({
      expr: m.name,
      type: m.type.name,
      address: m.header === 0n ? null : hex(m.header),
      variable: hex(m.variable),
      ...figuresJson(m.figures),
    })),
    problems: r.problems.map((p) => ({ name: p.name, error: p.error })),
  };
}

/** The top contract; its maps are written one a line, straight from the results (topRows). */
export function topJson(info: TargetInfo, r: TopResult, bounds: WalkBounds, limit: number | undefined): { [key: string]: JsonValue | JsonItems } {
  const w = r.walk;
  const shown = limit === undefined ? r.maps : r.maps.slice(0, limit);
  return {
    schema: TOP_SCHEMA,
    target: targetJson(info),
    maps: topRows(shown),
    total: r.maps.length,
    walk: {
      roots: w.roots,
      depth: w.depth,
      objects: w.objects,
      pointersFollowed: w.pointersFollowed,
      elapsedMs: w.elapsedMs,
      stoppedBy: w.stoppedBy,
      skipped: { ...w.skipped },
      bounds: { depth: bounds.maxDepth, objects: bounds.maxObjects, timeMs: bounds.maxTimeMs, elements: bounds.maxElements },
    },
    problems: r.problems.map((p) => ({ name: p.name, error: p.error })),
  };
}

const ROW = {
  path: new Ascii('{"path":'),
  type: new Ascii(',"type":'),
  address: new Ascii(',"address":'),
  implementation: new Ascii(',"implementation":'),
  count: new Ascii(',"count":'),
  bytes: new Ascii(',"bytes":'),
  warnings: new Ascii(',"warnings":'),
  error: new Ascii(',"error":'),
  loadFactor: new Ascii(',"loadFactor":'),
  depth: new Ascii(',"depth":'),
  findings: new Ascii(',"findings":'),
  none: new Ascii('[]'),
  route: new Ascii(',"route":'),
  end: new Ascii('}'),
};

/**
 * Each map's row, written field by field as the object of figuresJson would be: a walk lists a
 * hundred thousand maps, and an object built and walked for each was a third of the command's
 * time after the reading, most of it garbage collection.
 */
function topRows(maps: TopResult['maps']): JsonItems {
  return {
    length: maps.length,
    writeItem(i: number, out: JsonOut): void {
      const m = maps[i];
      const f = m.figures;
      out.ascii(ROW.path);
      out.jsonString(m.path);
      out.ascii(ROW.type);
      out.jsonString(m.type.name);
      out.ascii(ROW.address);
      out.jsonString(hex(m.header));
      out.ascii(ROW.implementation);
      writeJsonBytesTo(f.implementation, out);
      out.ascii(ROW.count);
      writeJsonBytesTo(f.count, out);
      out.ascii(ROW.bytes);
      writeJsonBytesTo(f.bytes, out);
      if (f.warnings.length > 0) {
        out.ascii(ROW.warnings);
        writeJsonBytesTo(f.warnings, out);
      }
      if (f.error !== undefined) {
        out.ascii(ROW.error);
        out.jsonString(f.error);
      }
      out.ascii(ROW.loadFactor);
      writeJsonBytesTo(f.loadFactor, out);
      out.ascii(ROW.depth);
      out.int(m.depth);
      out.ascii(ROW.findings);
      if (f.findings.length === 0) out.ascii(ROW.none);
      else writeJsonBytesTo(f.findings.map((x) => ({ ...x })), out);
      if (!m.exact) {
        out.ascii(ROW.route);
        out.jsonString(m.route);
      }
      out.ascii(ROW.end);
    },
  };
}

// ---- text ----

function bytesText(n: number | null): string {
  if (n === null) return '?';
  if (n < 10 * 1024) return `${n} B`;
  if (n < 10 * 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function targetLine(info: TargetInfo): string {
  const where = info.kind === 'live' ? `live process ${info.pid}` : 'core dump';
  return `${where} of ${info.exe} — ${info.goVersion || 'unknown Go version'} ${info.arch}`;
}

/** Columns padded to their widest cell; the last column is left ragged. */
function table(header: readonly string[], rows: readonly (readonly string[])[], right: ReadonlySet<number>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export function listText(info: TargetInfo, r: ListResult): string {
  const lines = [targetLine(info), plural(r.maps.length, 'package-level map variable'), ''];
  const rows = r.maps.map((m) => [
    m.name,
    m.figures.implementation ?? '?',
    m.figures.count === null ? '?' : String(m.figures.count),
    bytesText(m.figures.bytes),
    m.header === 0n ? (m.figures.error ? 'error' : 'nil') : hex(m.header),
    m.type.name,
  ]);
  lines.push(...table(['VARIABLE', 'IMPL', 'COUNT', 'BYTES', 'HEADER', 'TYPE'], rows, new Set([2, 3])));
  for (const m of r.maps) if (m.figures.error) lines.push(`error: ${m.name}: ${m.figures.error}`);
  return lines.join('\n') + '\n';
}

export function topText(info: TargetInfo, r: TopResult, bounds: WalkBounds, limit: number): string {
  const w = r.walk;
  const lines = [targetLine(info)];
  lines.push(
    `${plural(r.maps.length, 'map')} reachable from ${plural(w.roots, 'package-level variable')}; ${plural(w.objects, 'object')} visited, ` +
      `${plural(w.pointersFollowed, 'pointer')} followed, ${plural(w.depth, 'level')} deep, ${(w.elapsedMs / 1000).toFixed(1)} s`,
  );
  lines.push(stopLine(r, bounds));
  lines.push('');
  const shown = r.maps.slice(0, limit);
  const rows = shown.map((m, i) => [
    String(i + 1),
    bytesText(m.figures.bytes),
    m.figures.count === null ? '?' : String(m.figures.count),
    m.figures.loadFactor === null ? '-' : m.figures.loadFactor.toFixed(2),
    m.figures.implementation ?? '?',
    m.path + (m.figures.findings.length > 0 ? `  [${m.figures.findings.map((f) => f.kind).join(', ')}]` : ''),
  ]);
  lines.push(...table(['#', 'BYTES', 'COUNT', 'LOAD', 'IMPL', 'PATH'], rows, new Set([0, 1, 2, 3])));
  if (r.maps.length > shown.length) lines.push(`... and ${plural(r.maps.length - shown.length, 'smaller map')} (--limit N shows more)`);
  for (const m of shown) {
    for (const f of m.figures.findings) lines.push(`${m.path}: ${f.message}`);
    if (m.figures.error) lines.push(`${m.path}: error: ${m.figures.error}`);
    if (!m.exact) lines.push(`${m.path}: found at ${m.route}`);
  }
  return lines.join('\n') + '\n';
}

function stopLine(r: TopResult, bounds: WalkBounds): string {
  const s = r.walk.skipped;
  const parts: string[] = [];
  if (s.depth > 0) parts.push(`${plural(s.depth, 'pointer')} beyond --depth ${bounds.maxDepth}`);
  if (s.objects > 0) parts.push(`${s.objects} beyond --max-objects ${bounds.maxObjects}`);
  if (s.time > 0) {
    const bound = r.walk.stoppedBy === 'pause' ? 'the pause budget (--max-pause)' : `--max-time ${bounds.maxTimeMs / 1000} s`;
    parts.push(`${plural(s.time, 'object')} queued when ${bound} ran out`);
  }
  if (s.elements > 0) parts.push(`${plural(s.elements, 'element')} of long slices, arrays or maps`);
  if (s.unknownTypes > 0) parts.push(`${plural(s.unknownTypes, 'value')} of types without DWARF`);
  if (s.unreadable > 0) parts.push(`${s.unreadable} unreadable`);
  const by = r.walk.stoppedBy === 'pause' ? 'the pause budget: the target was let go' : r.walk.stoppedBy;
  const why = by === null ? 'walked everything reachable' : `stopped early by ${by}`;
  return parts.length === 0 ? `${why}.` : `${why}; skipped ${parts.join(', ')}.`;
}
