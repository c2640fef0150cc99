/**
 * The analysis of one decoded map (docs/analysis.md): occupancy, memory, GC and cache lines
 * from the snapshot and layout, plus two facts that need every entry walked in memory (string
 * bytes, NaN keys) and one that needs the runtime's own type descriptors (the GC mask).
 */
import type { GoMapType, GoType } from '../layout/gotype.js';
import type { MapLayout } from '../layout/map-layout.js';
import type { EntrySlots } from '../maps/slots.js';
import type { MapSnapshot } from '../maps/snapshot.js';
import type { CachedMemory } from '../target/cache.js';
import type { MemRange, Target } from '../target/target.js';
import { fetchRanges } from '../target/fetch.js';
import type { RuntimeTypeInfo } from '../values/rtype.js';
import { findings } from './findings.js';
import { gcFigures } from './gc.js';
import { runtimeBucketGc } from './gc-runtime.js';
import { runtimeTypeName } from '../target/runtime-names.js';
import { type LineUses, withLineUses } from './line-uses.js';
import { InlineWalker, type InlineFacts, NONE, type SlotFacts, slotFacts } from './inline.js';
import { memoryFigures } from './memory.js';
import { occupancy } from './occupancy.js';
import type { MapHeader } from './header.js';
import { MapTally } from './tally.js';
import type { MapAnalysis } from './types.js';

export interface AnalysisEnv {
  readonly target: Target;
  readonly mem: CachedMemory;
  readonly rtypes: RuntimeTypeInfo | undefined;
  readonly typesByName: Map<string, GoType | null>;
  readonly type: GoMapType;
  readonly layout: MapLayout;
}

export interface AnalyzeInput extends AnalysisEnv {
  readonly snapshot: MapSnapshot;
}

const MAX_ROUNDS = 8;

/**
 * `blocks`: the per-bucket or per-group cache-line list too (the full report); list and top,
 * which show the totals of many maps, go without.
 */
export async function analyzeMap(a: AnalyzeInput, opts: { readonly blocks?: boolean } = {}): Promise<MapAnalysis> {
  const s = a.snapshot;
  const blocks = opts.blocks ?? true;
  const tally = blockTally(a, { keepLineUses: blocks });
  await tallyEntries(a, s.slots, tally);
  const analysis = await finishAnalysis(a, s, tally);
  if (!blocks) return analysis;
  return { ...analysis, cacheLines: withLineUses(analysis.cacheLines, s.implementation, tally.lineUses as LineUses) };
}

/**
 * What list and top show of a map: its occupancy, the bytes it holds and its findings, without
 * the cache-line and GC figures (and the runtime's GC mask) the full report adds. Measuring
 * 100,000 small maps, the rest was most of the work.
 */
export async function measureFigures(a: AnalyzeInput): Promise<MeasuredFigures> {
  const tally = blockTally(a, { countLines: false });
  await tallyEntries(a, a.snapshot.slots, tally);
  return measured(a, tally);
}

/** measureFigures without a wait, where the slots' bytes are all it needs; undefined otherwise. */
export function measureFiguresNow(a: AnalyzeInput): MeasuredFigures | undefined {
  const tally = blockTally(a, { countLines: false });
  const { kf, ef } = entryFacts(a, a.snapshot.slots);
  return tallyFromSlots(a.snapshot.slots, kf, ef, tally) ? measured(a, tally) : undefined;
}

export type MeasuredFigures = Pick<MapAnalysis, 'occupancy' | 'memory' | 'findings'>;

/** A tally fed every bucket or group of the snapshot (its entries are the caller's to add). */
function blockTally(a: AnalyzeInput, opts: ConstructorParameters<typeof MapTally>[2]): MapTally {
  const { snapshot: s, layout, mem } = a;
  const tally = new MapTally(layout, mem, opts);
  if (s.implementation === 'classic') {
    for (const run of s.array.runs) tally.bucketRun(run, false);
    for (const run of s.oldArray?.runs ?? []) tally.bucketRun(run, true);
  } else {
    if (s.smallGroup) tally.small(s.smallGroup);
    for (const t of s.tables) tally.table(t, t.groupArray);
  }
  return tally;
}

function measured(a: AnalyzeInput, tally: MapTally): MeasuredFigures {
  const { snapshot: s, layout, mem } = a;
  const occ = occupancy(s, tally);
  return { occupancy: occ, memory: memoryFigures(s, tally, layout, mem.pointerSize), findings: findings(s, layout, occ, tally.nanKeys) };
}

/**
 * What the analysis reads beyond the entries: the runtime's own GC mask of the bucket or group
 * type. Asked while a live target is stopped (Go 1.24+ builds it lazily, in writable memory);
 * the answer is kept for the analysis made once the target runs again.
 */
export function runtimeGcOf(a: AnalysisEnv): ReturnType<typeof runtimeBucketGc> {
  const literal = `map[${a.type.keyName}]${a.type.elemName}`;
  // The DWARF knows a type by its own name (a named map type has a descriptor of its own);
  // typelinks by the runtime's spelling (`uuid.UUID`, not its package path).
  const names = { dwarf: a.type.name === literal ? [literal] : [a.type.name, literal], runtime: runtimeTypeName(literal), descriptor: a.type.descriptor };
  return runtimeBucketGc(a.target, a.mem, a.rtypes, names, a.layout.kind === 'swiss');
}

/** The figures from a tally fed every bucket or group and every entry. */
export async function finishAnalysis(a: AnalysisEnv, header: MapHeader, tally: MapTally): Promise<MapAnalysis> {
  const { layout, mem } = a;
  const ps = mem.pointerSize;
  const occ = occupancy(header, tally);
  const runtime = await runtimeGcOf(a);
  return {
    occupancy: occ,
    memory: memoryFigures(header, tally, layout, ps),
    gc: gcFigures(header, tally, layout, ps, runtime),
    cacheLines: tally.lines.figures(),
    findings: findings(header, layout, occ, tally.nanKeys),
  };
}

/**
 * Adds the string bytes and NaN keys of these entries to the tally: from the slots' bytes where
 * the types allow (./inline.ts slotFacts), else by walking the keys or elems in memory.
 */
export async function tallyEntries(a: AnalysisEnv, slots: EntrySlots, tally: MapTally): Promise<void> {
  const { layout, mem } = a;
  const { kf, ef } = entryFacts(a, slots);
  if (tallyFromSlots(slots, kf, ef, tally)) return;
  if (!kf || !ef) {
    const walked = await walkEntries(a, slots, { keys: !kf, elems: !ef });
    tally.stringBytes += walked.stringBytes;
    tally.nanKeys += walked.nanKeys;
  }
  if (kf && kf !== NONE) tally.nanKeys += countKeys(slots, kf, tally);
  if (ef && ef !== NONE) tally.stringBytes += await elemStrings(slots, ef, layout.elem.size, mem);
}

/** How keys' and elems' string bytes and NaN-ness are read from their slots; undefined where memory must be walked. */
function entryFacts(a: AnalysisEnv, slots: EntrySlots): { kf: SlotFacts | undefined; ef: SlotFacts | undefined } {
  const { layout, mem } = a;
  // An elem's NaN-ness counts for nothing: its interfaces need not be walked.
  return { kf: slots.indirectKey ? undefined : slotFacts(layout.key, mem), ef: slotFacts(layout.elem, mem, true) };
}

/**
 * The entries' facts from the slots' bytes alone, when the types allow (no interface in a key, no
 * indirect slot): true if so, the tally then has them; false if memory must be walked.
 */
function tallyFromSlots(slots: EntrySlots, kf: SlotFacts | undefined, ef: SlotFacts | undefined, tally: MapTally): boolean {
  if (!kf || !ef || slots.indirectElem) return false;
  // Keys and elems with neither strings nor floats have nothing to count: a million int64 pairs are skipped.
  if (kf === NONE && ef === NONE) return true;
  let stringBytes = 0;
  let nanKeys = 0;
  for (let i = 0; i < slots.length; i++) {
    const b = slots.block(i);
    const k = slots.keyOffset(i);
    stringBytes += kf.stringBytes(b, k) + ef.stringBytes(b, slots.elemOffset(i));
    if (kf.nan(b, k)) nanKeys++;
  }
  tally.stringBytes += stringBytes;
  tally.nanKeys += nanKeys;
  return true;
}

/** Keys' string bytes (added to the tally) and NaN keys (returned), from their slots. */
function countKeys(slots: EntrySlots, kf: SlotFacts, tally: MapTally): number {
  let nanKeys = 0;
  for (let i = 0; i < slots.length; i++) {
    const b = slots.block(i);
    const k = slots.keyOffset(i);
    tally.stringBytes += kf.stringBytes(b, k);
    if (kf.nan(b, k)) nanKeys++;
  }
  return nanKeys;
}

/** Elems' string bytes, from their slots, or where an indirect slot points. */
async function elemStrings(slots: EntrySlots, ef: SlotFacts, size: number, mem: CachedMemory): Promise<number> {
  if (slots.indirectElem) {
    const own: MemRange[] = [];
    for (let i = 0; i < slots.length; i++) own.push({ address: slots.elemAddress(i), length: size });
    await fetchRanges(mem, own);
  }
  let n = 0;
  for (let i = 0; i < slots.length; i++) {
    if (!slots.indirectElem) {
      n += ef.stringBytes(slots.block(i), slots.elemOffset(i));
      continue;
    }
    const bytes = mem.peek(slots.elemAddress(i), size);
    if (bytes instanceof Uint8Array) n += ef.stringBytes(bytes, 0);
  }
  return n;
}

/** Walks every live key or elem (or both), fetching what is missing in batched rounds. */
async function walkEntries(a: AnalysisEnv, slots: EntrySlots, parts: { readonly keys: boolean; readonly elems: boolean }): Promise<{ stringBytes: number; nanKeys: number }> {
  const { layout } = a;
  const entries = slots.refs();
  const walker = new InlineWalker({ mem: a.mem, rtypes: a.rtypes, typesByName: a.typesByName });
  const keyFacts: InlineFacts[] = entries.map(() => ({ stringBytes: 0, nan: false }));
  const elemFacts: InlineFacts[] = entries.map(() => ({ stringBytes: 0, nan: false }));
  let pending = entries.map((_, i) => i);
  for (let round = 0; pending.length > 0 && round < MAX_ROUNDS; round++) {
    const misses: MemRange[] = [];
    const missingTypes = new Set<string>();
    const again: number[] = [];
    for (const i of pending) {
      walker.reset();
      keyFacts[i] = { stringBytes: 0, nan: false };
      elemFacts[i] = { stringBytes: 0, nan: false };
      if (parts.keys) walker.walk(layout.key, entries[i].key, keyFacts[i]);
      if (parts.elems) walker.walk(layout.elem, entries[i].value, elemFacts[i]);
      if (!walker.complete) {
        again.push(i);
        for (const m of walker.misses) misses.push(m);
        walker.missingTypes.forEach((t) => missingTypes.add(t));
      }
    }
    if (again.length === 0) break;
    await fetchRanges(a.mem, misses);
    const wanted = [...missingTypes].filter((n) => !a.typesByName.has(n));
    if (wanted.length > 0) {
      const got = await a.target.typesByName(wanted);
      wanted.forEach((n, i) => a.typesByName.set(n, got[i] ?? null));
    }
    pending = again;
  }
  let stringBytes = 0;
  let nanKeys = 0;
  entries.forEach((_, i) => {
    stringBytes += keyFacts[i].stringBytes + elemFacts[i].stringBytes;
    if (keyFacts[i].nan) nanKeys++;
  });
  return { stringBytes, nanKeys };
}
