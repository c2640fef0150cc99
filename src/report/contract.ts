/**
 * The inspect contract (shared/spec/inspect-json.md, schema mapscope/inspect@1): the JSON that
 * scripts and tests rely on. Fields are only ever added.
 */
import type { MapInspection } from '../inspect/inspect.js';
import type { ClassicBucketChain, ClassicSnapshot, SwissSnapshot } from '../maps/snapshot.js';
import { hex } from '../target/bytes.js';
import type { TargetInfo } from '../target/target.js';
import type { JsonValue } from '../values/json.js';
import { intJson } from '../values/render.js';

export const SCHEMA = 'mapscope/inspect@1';

export function contractJson(info: TargetInfo, maps: readonly MapInspection[]): JsonValue {
  return { schema: SCHEMA, target: targetJson(info), maps: maps.map(mapJson) };
}

export function targetJson(info: TargetInfo): JsonValue {
  return { kind: info.kind, pid: info.pid, exe: info.exe, goVersion: info.goVersion, arch: info.arch, pointerSize: info.pointerSize };
}

function mapJson(m: MapInspection): JsonValue {
  const out: { [k: string]: JsonValue } = { expr: m.expr };
  if (m.type) {
    out.address = m.snapshot ? hex(m.snapshot.address) : null;
    out.type = m.type.name;
    out.keyType = m.type.keyName;
    out.valueType = m.type.elemName;
  }
  if (m.layout) out.implementation = m.layout.kind;
  if (m.error !== undefined) {
    out.error = m.error;
    return out;
  }
  const s = m.snapshot;
  out.count = s ? (s.implementation === 'classic' ? s.count : s.used) : 0;
  // Entries that write themselves (the CLI's fast path) stay so, for the writer (values/json.ts).
  out.entries = m.entryJson ? (m.entryJson as unknown as JsonValue) : (m.entries ?? []).map((e) => ({ key: e.key, value: e.value }));
  if (m.layout?.kind === 'classic') out.classic = s?.implementation === 'classic' ? classicJson(s) : null;
  if (m.layout?.kind === 'swiss') out.swiss = s?.implementation === 'swiss' ? swissJson(s) : null;
  if (s && s.warnings.length > 0) out.warnings = [...s.warnings];
  if (m.analysis !== undefined) out.analysis = m.analysis as unknown as JsonValue;
  return out;
}

function chainJson(c: ClassicBucketChain): JsonValue {
  return {
    address: hex(c.address),
    tophash: [...c.tophash],
    overflow: c.overflow.map((o) => ({ address: hex(o.address), tophash: [...o.tophash] })),
  };
}

type ClassicHeaderFields = Pick<ClassicSnapshot, 'B' | 'flags' | 'noverflow' | 'hash0' | 'nevacuate' | 'clearSeq'>;
type SwissHeaderFields = Pick<SwissSnapshot, 'used' | 'seed' | 'dirLen' | 'globalDepth' | 'globalShift' | 'writing' | 'clearSeq' | 'tombstonePossible'>;

/** The hmap's own fields, as `classic` shows them (also in --stats and --jsonl). */
export function classicHeaderJson(s: ClassicHeaderFields): { [k: string]: JsonValue } {
  const out: { [k: string]: JsonValue } = {
    B: s.B,
    flags: s.flags,
    noverflow: s.noverflow,
    hash0: s.hash0,
    nevacuate: intJson(s.nevacuate),
  };
  if (s.clearSeq !== undefined) out.clearSeq = intJson(s.clearSeq);
  return out;
}

/** The Map's own fields, as `swiss` shows them (also in --stats and --jsonl). */
export function swissHeaderJson(s: SwissHeaderFields): { [k: string]: JsonValue } {
  const out: { [k: string]: JsonValue } = {
    used: s.used,
    seed: s.seed.toString(),
    dirLen: s.dirLen,
    globalDepth: s.globalDepth,
    globalShift: s.globalShift,
    writing: s.writing,
    clearSeq: intJson(s.clearSeq),
  };
  if (s.tombstonePossible !== undefined) out.tombstonePossible = s.tombstonePossible;
  return out;
}

function classicJson(s: ClassicSnapshot): JsonValue {
  const out = classicHeaderJson(s);
  out.buckets = s.buckets.map(chainJson);
  out.oldbuckets = s.oldbuckets ? s.oldbuckets.map(chainJson) : null;
  return out;
}

function swissJson(s: SwissSnapshot): JsonValue {
  const out = swissHeaderJson(s);
  out.smallGroup = s.smallGroup ? { address: hex(s.smallGroup.address), ctrl: [...s.smallGroup.ctrl] } : null;
  out.tables = s.tables.map((t) => ({
    address: hex(t.address),
    index: t.index,
    localDepth: t.localDepth,
    capacity: t.capacity,
    used: t.used,
    growthLeft: t.growthLeft,
    groups: t.groups.map((g) => ({ address: hex(g.address), ctrl: [...g.ctrl] })),
  }));
  return out;
}
