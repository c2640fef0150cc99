/**
 * The inspect contract (shared/spec/inspect-json.md, schema mapscope/inspect@1): the JSON that
 * scripts and tests rely on. Fields are only ever added.
 */
import type { MapInspection } from '../inspect/inspect.js';
import type { GoMapType } from '../layout/gotype.js';
import type { MapLayout } from '../layout/map-layout.js';
import type { ClassicBucket, ClassicBucketChain, ClassicMapHeader, ClassicSnapshot, SwissGroup, SwissMapHeader, SwissSnapshot } from '../maps/snapshot.js';
import type { JsonOut } from '../values/json-out.js';
import type { LineUse, MapAnalysis } from '../analyze/types.js';
import { hex } from '../target/bytes.js';
import type { TargetInfo } from '../target/target.js';
import { type JsonItems, type JsonValue, writeJsonBytesTo } from '../values/json.js';
import { intJson } from '../values/render.js';

export const SCHEMA = 'mapscope/inspect@1';

/**
 * The contract's JSON. With `lazy`, buckets and groups are JsonItems that build each one's JSON
 * as it is written (values/json.ts writes them; only the writer can): the CLI's path, where a
 * million-entry map's quarter million bucket objects would otherwise all be alive at once.
 */
export function contractJson(info: TargetInfo, maps: readonly MapInspection[], opts: { lazy?: boolean } = {}): JsonValue {
  const list = opts.lazy ? lazyItems : eager;
  return { schema: SCHEMA, target: targetJson(info), maps: maps.map((m) => mapJson(m, list)) };
}

/**
 * A list of buckets or groups: `json` gives an item's JSON, and `write`, where there is one,
 * writes the very same text straight into the output (test/unit/report-contract.test.ts checks
 * they agree): a quarter million small objects made and dropped cost more than all the rest.
 */
type ListOf = <T>(items: readonly T[], json: (item: T) => JsonValue, write?: (item: T, out: JsonOut) => void) => JsonValue;

const eager: ListOf = (items, json) => items.map(json);

const lazyItems: ListOf = (items, json, write) => {
  const list: JsonItems = { length: items.length, writeItem: write ? (i, out) => write(items[i], out) : (i, out) => writeJsonBytesTo(json(items[i]), out) };
  return list as unknown as JsonValue;
};

export function targetJson(info: TargetInfo): JsonValue {
  return { kind: info.kind, pid: info.pid, exe: info.exe, goVersion: info.goVersion, arch: info.arch, pointerSize: info.pointerSize };
}

function mapJson(m: MapInspection, list: ListOf): JsonValue {
  const out = mapIdentityJson(m.expr, m.type, m.layout, m.snapshot);
  if (m.error !== undefined) {
    out.error = m.error;
    return out;
  }
  const s = m.snapshot;
  out.count = s ? (s.implementation === 'classic' ? s.count : s.used) : 0;
  // Entries that write themselves (the CLI's fast path) stay so, for the writer (values/json.ts).
  out.entries = m.entryJson ? (m.entryJson as unknown as JsonValue) : (m.entries ?? []).map((e) => ({ key: e.key, value: e.value }));
  if (m.layout?.kind === 'classic') out.classic = s?.implementation === 'classic' ? classicJson(s, list) : null;
  if (m.layout?.kind === 'swiss') out.swiss = s?.implementation === 'swiss' ? swissJson(s, list) : null;
  if (s && s.warnings.length > 0) out.warnings = [...s.warnings];
  if (m.analysis !== undefined) out.analysis = m.analysis ? analysisJson(m.analysis, list) : null;
  return out;
}

/** The analysis as it is, but for its per-bucket or per-group line use: a list like the buckets. */
function analysisJson(a: MapAnalysis, list: ListOf): JsonValue {
  const c = a.cacheLines;
  const lines = (uses: LineUse[] | undefined) => (uses ? list(uses, (u) => u as unknown as JsonValue, writeLineUse) : undefined);
  const cacheLines = { ...c, buckets: lines(c.buckets), groups: lines(c.groups) };
  return { ...a, cacheLines } as unknown as JsonValue;
}

/** Writes a LineUse as the JSON writer would, without walking it. */
export function writeLineUse(u: LineUse, out: JsonOut): void {
  out.text('{"address":');
  out.jsonString(u.address);
  out.text(',"lines":');
  out.int(u.lines);
  out.text(',"liveLines":');
  writeBytes(u.liveLines, out);
  out.text('}');
}

/** Writes what chainJson gives, without making it. */
export function writeChain(c: ClassicBucketChain, out: JsonOut): void {
  writeBucketFields(c, out);
  out.text(',"overflow":[');
  c.overflow.forEach((o, i) => {
    if (i > 0) out.text(',');
    writeBucketFields(o, out);
    out.text('}');
  });
  out.text(']}');
}

/** A bucket's address and tophash, its object left open. */
function writeBucketFields(b: ClassicBucket, out: JsonOut): void {
  out.text('{"address":"0x');
  out.text(b.address.toString(16));
  out.text('","tophash":');
  writeBytes(b.tophash, out);
}

/** Writes what groupJson gives, without making it. */
export function writeGroup(g: SwissGroup, out: JsonOut): void {
  out.text('{"address":"0x');
  out.text(g.address.toString(16));
  out.text('","ctrl":');
  writeBytes(g.ctrl, out);
  out.text('}');
}

function writeBytes(bytes: readonly number[], out: JsonOut): void {
  out.text('[');
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0) out.text(',');
    out.int(bytes[i]);
  }
  out.text(']');
}

export function chainJson(c: ClassicBucketChain): JsonValue {
  return {
    address: hex(c.address),
    tophash: [...c.tophash],
    overflow: c.overflow.map((o) => ({ address: hex(o.address), tophash: [...o.tophash] })),
  };
}


/** Which map: as given, where its header is (null for a nil map), its types and implementation. */
export function mapIdentityJson(expr: string, type: GoMapType | undefined, layout: MapLayout | undefined, header: { address: bigint } | null | undefined): { [k: string]: JsonValue } {
  const out: { [k: string]: JsonValue } = { expr };
  if (type) {
    out.address = header ? hex(header.address) : null;
    out.type = type.name;
    out.keyType = type.keyName;
    out.valueType = type.elemName;
  }
  if (layout) out.implementation = layout.kind;
  return out;
}

/** The hmap's own fields, as `classic` shows them (also in --stats and --jsonl). */
export function classicHeaderJson(s: ClassicMapHeader): { [k: string]: JsonValue } {
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
export function swissHeaderJson(s: SwissMapHeader): { [k: string]: JsonValue } {
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

function classicJson(s: ClassicSnapshot, list: ListOf): JsonValue {
  const out = classicHeaderJson(s);
  out.buckets = list(s.buckets, chainJson, writeChain);
  out.oldbuckets = s.oldbuckets ? list(s.oldbuckets, chainJson, writeChain) : null;
  return out;
}

export function groupJson(g: SwissGroup): JsonValue {
  return { address: hex(g.address), ctrl: [...g.ctrl] };
}

function swissJson(s: SwissSnapshot, list: ListOf): JsonValue {
  const out = swissHeaderJson(s);
  out.smallGroup = s.smallGroup ? groupJson(s.smallGroup) : null;
  out.tables = s.tables.map((t) => ({
    address: hex(t.address),
    index: t.index,
    localDepth: t.localDepth,
    capacity: t.capacity,
    used: t.used,
    growthLeft: t.growthLeft,
    groups: list(t.groups, groupJson, writeGroup),
  }));
  return out;
}
