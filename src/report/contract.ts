/**
 * The inspect contract (shared/spec/inspect-json.md, schema mapscope/inspect@1): the JSON that
 * scripts and tests rely on. Fields are only ever added.
 */
import type { MapInspection } from '../inspect/inspect.js';
import type { GoMapType } from '../layout/gotype.js';
import type { MapLayout } from '../layout/map-layout.js';
import type { ClassicBucketChain, ClassicMapHeader, ClassicSnapshot, SwissGroup, SwissMapHeader, SwissSnapshot } from '../maps/snapshot.js';
import { lineUsesOf } from '../analyze/line-uses.js';
import type { MapAnalysis } from '../analyze/types.js';
import { hex } from '../target/bytes.js';
import type { TargetInfo } from '../target/target.js';
import type { JsonValue } from '../values/json.js';
import { type BlockList, blockListItems } from './block-json.js';
import { intJson } from '../values/render.js';

export const SCHEMA = 'mapscope/inspect@1';

/**
 * The contract's JSON. With `lazy`, entries, buckets, groups and per-block line use are
 * JsonItems that write themselves straight from the snapshot's columns as they are written
 * (values/json.ts writes them; only the writer can): the CLI's path, where a million-entry map's
 * quarter million bucket objects would otherwise be made only to be written once.
 */
export function contractJson(info: TargetInfo, maps: readonly MapInspection[], opts: { lazy?: boolean } = {}): JsonValue {
  return { schema: SCHEMA, target: targetJson(info), maps: maps.map((m) => mapJson(m, info, opts.lazy ?? false)) };
}

/** A block list as items the JSON writer writes from the bytes (report/block-json.ts). */
function items(list: BlockList): JsonValue {
  return blockListItems(list) as unknown as JsonValue;
}

/**
 * The target, as every JSON output of mapscope begins: `stoppedMs`, how long a live process was
 * kept stopped (null for a core), `partial`, why some memory was not read (null when all was),
 * and `warnings` about the target as a whole (a Go newer than tested, a runtime struct without
 * a field mapscope reads), each also once on stderr.
 */
export function targetJson(info: TargetInfo): JsonValue {
  return {
    kind: info.kind,
    pid: info.pid,
    exe: info.exe,
    goVersion: info.goVersion,
    arch: info.arch,
    pointerSize: info.pointerSize,
    stoppedMs: info.kind === 'live' ? (info.stoppedMs ?? 0) : null,
    partial: info.partial ?? null,
    warnings: [...(info.warnings ?? [])],
  };
}

function mapJson(m: MapInspection, info: TargetInfo, lazy: boolean): JsonValue {
  const out = mapIdentityJson(m.expr, m.type, m.layout, m.snapshot);
  if (m.error !== undefined) {
    out.error = m.error;
    return out;
  }
  const s = m.snapshot;
  out.count = s ? (s.implementation === 'classic' ? s.count : s.used) : 0;
  // Entries that write themselves (the CLI's fast path) stay so, for the writer (values/json.ts).
  out.entries = m.entryJson ? (m.entryJson as unknown as JsonValue) : (m.entries ?? []).map((e) => ({ key: e.key, value: e.value }));
  if (m.layout?.kind === 'classic') out.classic = s?.implementation === 'classic' ? classicJson(s, lazy) : null;
  if (m.layout?.kind === 'swiss') out.swiss = s?.implementation === 'swiss' ? swissJson(s, m.layout, info.littleEndian, lazy) : null;
  if (s && s.warnings.length > 0) out.warnings = [...s.warnings];
  if (m.analysis !== undefined) out.analysis = m.analysis ? analysisJson(m.analysis, lazy) : null;
  return out;
}

/** The analysis as it is, but for its per-block line use, written from its columns when lazy. */
function analysisJson(a: MapAnalysis, lazy: boolean): JsonValue {
  const uses = lazy ? lineUsesOf(a.cacheLines) : undefined;
  if (!uses) return a as unknown as JsonValue;
  const c = a.cacheLines;
  const list = items({ kind: 'lineUses', columns: uses.columns() });
  // `in`, not a read: reading the property would make every object.
  const cacheLines = {
    lineSize: c.lineSize,
    buckets: 'buckets' in c ? list : undefined,
    groups: 'groups' in c ? list : undefined,
    liveLineFraction: c.liveLineFraction,
    lookupLines: c.lookupLines,
    lookupUtilization: c.lookupUtilization,
  };
  return { ...a, cacheLines } as unknown as JsonValue;
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

function classicJson(s: ClassicSnapshot, lazy: boolean): JsonValue {
  const out = classicHeaderJson(s);
  if (lazy) {
    out.buckets = items({ kind: 'buckets', array: s.array.data() });
    out.oldbuckets = s.oldArray ? items({ kind: 'buckets', array: s.oldArray.data() }) : null;
    return out;
  }
  out.buckets = s.array.chains().map(chainJson);
  out.oldbuckets = s.oldArray ? s.oldArray.chains().map(chainJson) : null;
  return out;
}

export function groupJson(g: SwissGroup): JsonValue {
  return { address: hex(g.address), ctrl: [...g.ctrl] };
}

function swissJson(s: SwissSnapshot, layout: MapLayout, littleEndian: boolean, lazy: boolean): JsonValue {
  const out = swissHeaderJson(s);
  out.smallGroup = s.smallGroup ? groupJson(s.smallGroup) : null;
  if (lazy) {
    // Written from the group arrays as read (report/block-json.ts), the same text as below.
    const ctrlOffset = layout.kind === 'swiss' ? layout.group.ctrl.offset : 0;
    const tables = s.tables.map((t) => ({ address: t.address, index: t.index, localDepth: t.localDepth, capacity: t.capacity, used: t.used, growthLeft: t.growthLeft, groupArray: t.groupArray }));
    out.tables = items({ kind: 'tables', tables, ctrlOffset, littleEndian });
    return out;
  }
  out.tables = s.tables.map((t) => ({
    address: hex(t.address),
    index: t.index,
    localDepth: t.localDepth,
    capacity: t.capacity,
    used: t.used,
    growthLeft: t.growthLeft,
    groups: t.groups.map(groupJson),
  }));
  return out;
}
