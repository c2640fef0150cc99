/**
 * mapscope's JSON against a test program's own ground truth: entries as multisets, counts, and
 * every tophash or control byte, bucket and group address.
 */
import { expect } from 'vitest';
import type { Truth } from './harness.js';
import { runtimeTypeName } from '../../src/target/runtime-names.js';

interface OutMap {
  expr: string;
  address: string | null;
  type: string;
  keyType: string;
  valueType: string;
  implementation: string;
  count: number;
  entries: { key: unknown; value: unknown }[];
  classic?: Record<string, unknown> | null;
  swiss?: Record<string, unknown> | null;
  error?: string;
  warnings?: string[];
}

export interface InspectJson {
  schema: string;
  target: { kind: string; pid: number | null; exe: string; goVersion: string; arch: string; pointerSize: number; stoppedMs: number | null; partial: string | null };
  maps: OutMap[];
}

/** JSON with object keys sorted and -0 kept, so equal values have equal text. */
export function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return typeof v === 'number' && Object.is(v, -0) ? '-0' : JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  const o = v as Record<string, unknown>;
  return '{' + Object.keys(o).sort().map((k) => JSON.stringify(k) + ':' + canonical(o[k])).join(',') + '}';
}

export function multiset(entries: readonly unknown[]): string[] {
  return entries.map(canonical).sort();
}

const CLASSIC_FIELDS = ['B', 'flags', 'noverflow', 'hash0', 'nevacuate', 'clearSeq', 'buckets', 'oldbuckets'];
const SWISS_FIELDS = ['used', 'seed', 'dirLen', 'globalDepth', 'globalShift', 'writing', 'clearSeq', 'smallGroup', 'tables'];

function pick(o: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f in o) out[f] = o[f];
  return out;
}

/** The groups of a table as the truth lists them, minus fields the contract does not promise. */
function normaliseSwiss(s: Record<string, unknown>): Record<string, unknown> {
  const out = pick(s, SWISS_FIELDS);
  if (Array.isArray(out.tables)) {
    out.tables = (out.tables as Record<string, unknown>[]).map((t) =>
      pick(t, ['address', 'index', 'localDepth', 'capacity', 'used', 'growthLeft', 'groups']),
    );
  }
  return out;
}

export function expectMatchesTruth(out: InspectJson, truth: Truth, kind: 'live' | 'core'): void {
  expect(out.schema).toBe('mapscope/inspect@1');
  expect(out.target.kind).toBe(kind);
  expect(out.target.goVersion).toBe(truth.goVersion);
  expect(out.target.arch).toBe(truth.goarch);
  expect(out.target.pointerSize).toBe(truth.ptrSize);
  expect(out.maps.map((m) => m.expr)).toEqual(truth.maps.map((m) => m.expr));
  out.maps.forEach((m, i) => {
    const t = truth.maps[i];
    const what = `${m.expr} (${truth.goVersion})`;
    expect(m.error, `${what}: error`).toBeUndefined();
    // mapscope spells types as DWARF does (`map[mapsuite/ids.Label]int`, package paths), the
    // program as reflect does (`map[ids.Label]int`, package names): compared in reflect's spelling.
    expect(runtimeTypeName(m.type ?? ''), `${what}: type`).toBe(t.type);
    expect(runtimeTypeName(m.keyType ?? ''), `${what}: keyType`).toBe(t.keyType);
    expect(runtimeTypeName(m.valueType ?? ''), `${what}: valueType`).toBe(t.valueType);
    expect(m.implementation, `${what}: implementation`).toBe(truth.impl);
    expect(m.address, `${what}: address`).toBe(t.address);
    expect(m.count, `${what}: count`).toBe(t.count);
    expect(m.entries.length, `${what}: number of entries`).toBe(t.entries.length);
    expect(multiset(m.entries), `${what}: entries`).toEqual(multiset(t.entries));
    // The program set the writing flag of its "midWrite" maps; every other map is at rest.
    if (t.shape?.includes('midWrite')) expect(m.warnings?.join('\n'), `${what}: warnings`).toMatch(/^caught mid-write \((hmap\.flags \d+ has hashWriting|Map\.writing is 1)\)/);
    else expect(m.warnings, `${what}: warnings`).toBeUndefined();
    if (truth.impl === 'classic') {
      if (t.classic == null) expect(m.classic ?? null, `${what}: classic`).toBeNull();
      else expect(pick(m.classic ?? {}, CLASSIC_FIELDS), `${what}: classic internals`).toEqual(pick(t.classic, CLASSIC_FIELDS));
    } else if (t.swiss == null) {
      expect(m.swiss ?? null, `${what}: swiss`).toBeNull();
    } else {
      expect(normaliseSwiss(m.swiss ?? {}), `${what}: swiss internals`).toEqual(normaliseSwiss(t.swiss));
    }
  });
}

/**
 * Deep comparison for analysis figures: integers and strings exactly, ratios within 1e-9.
 * Returns the first difference as "path: got X, want Y", or undefined.
 */
export function closeDiff(actual: unknown, expected: unknown, path = '', ignore: ReadonlySet<string> = new Set()): string | undefined {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isInteger(expected) && Number.isInteger(actual)) return actual === expected ? undefined : `${path}: got ${actual}, want ${expected}`;
    return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)) ? undefined : `${path}: got ${actual}, want ${expected}`;
  }
  if (expected === null || typeof expected !== 'object' || actual === null || typeof actual !== 'object') {
    return actual === expected ? undefined : `${path}: got ${JSON.stringify(actual)}, want ${JSON.stringify(expected)}`;
  }
  if (Array.isArray(expected) !== Array.isArray(actual)) return `${path}: got ${JSON.stringify(actual)?.slice(0, 200)}, want ${JSON.stringify(expected)?.slice(0, 200)}`;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (actual.length !== expected.length) return `${path}: length ${actual.length}, want ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = closeDiff(actual[i], expected[i], `${path}[${i}]`, ignore);
      if (d) return d;
    }
    return undefined;
  }
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(e)].filter((k) => !ignore.has(k)));
  for (const k of keys) {
    const d = closeDiff(a[k], e[k], path ? `${path}.${k}` : k, ignore);
    if (d) return d;
  }
  return undefined;
}

/** Every analysis figure of every map equals the program's own (docs/analysis.md). */
export function expectAnalysisMatchesTruth(out: InspectJson, truth: Truth): void {
  out.maps.forEach((m, i) => {
    const t = truth.maps[i] as Truth['maps'][number] & { analysis?: unknown };
    const got = (m as { analysis?: unknown }).analysis;
    // Messages are prose, and the bucket type name is spelled by DWARF on one side and the runtime on the other.
    const diff = closeDiff(got, t.analysis, '', new Set(['message', 'type']));
    expect(diff, `${m.expr} (${truth.goVersion}): analysis`).toBeUndefined();
  });
}

/** stderr of an inspect of the truth's maps: exactly one warning line per map caught mid-write. */
export function expectStderrWarnings(stderr: string, truth: Truth): void {
  const want = truth.maps.filter((m) => m.shape?.includes('midWrite')).map((m) => m.expr);
  const lines = stderr.split('\n').filter((l) => l !== '');
  expect(lines.map((l) => /^mapscope: warning: (\S+): caught mid-write/.exec(l)?.[1] ?? l)).toEqual(want);
}
