/**
 * The inspect pipeline for one target: expression → header and layout → snapshot → rendered
 * entries. Several maps share one session and one memory cache; one map failing does not
 * fail the others.
 */
import { analyzeMap, runtimeGcOf } from '../analyze/analyze.js';
import type { MapAnalysis } from '../analyze/types.js';
import { locateMap } from '../discover/locate.js';
import { parseRawMapExpr } from '../gdb/expr.js';
import { tracePhase } from '../gdb/trace-log.js';
import { RawMapTypeCheck, withWarnings } from '../heap/typecheck.js';
import type { GoMapType, GoType } from '../layout/gotype.js';
import { type MapLayout, mapLayout } from '../layout/map-layout.js';
import { decodeClassic } from '../maps/classic/decode.js';
import type { MapSnapshot } from '../maps/snapshot.js';
import { decodeSwiss } from '../maps/swiss/decode.js';
import { readUintN } from '../target/bytes.js';
import { CachedMemory } from '../target/cache.js';
import { copyInto } from '../target/copy.js';
import type { CopyRoom } from '../target/copy-room.js';
import type { MemRange, Target } from '../target/target.js';
import { renderEntries, type RenderedEntry } from '../values/entries.js';
import { type EntryEmitters, gatherSlots } from '../values/gather.js';
import { entryJson } from '../values/entry-json.js';
import type { JsonItems } from '../values/json.js';
import type { RenderEnv } from '../values/render.js';
import { loadRuntimeTypeInfo, type RuntimeTypeInfo, runtimeTypeStatics } from '../values/rtype.js';

export interface MapInspection {
  readonly expr: string;
  readonly type?: GoMapType;
  readonly layout?: MapLayout;
  /** Null for a nil map. */
  readonly snapshot?: MapSnapshot | null;
  readonly entries?: RenderedEntry[];
  /** The entries ready to be written as JSON, instead of `entries`, when asked for. */
  readonly entryJson?: JsonItems;
  /** Null for a nil map; absent when not asked for or when the map could not be read. */
  readonly analysis?: MapAnalysis | null;
  readonly error?: string;
}

export interface InspectOptions {
  /** Cap on rendered entries per map; the snapshot still has all of them. */
  readonly limit?: number;
  /** Also analyse each map (docs/analysis.md). */
  readonly analyze?: boolean;
  /** Entries ready to be written as JSON (`entryJson`) rather than values: the fast path of the JSON output. */
  readonly texts?: boolean;
  /** With `texts`: the first this many entries as values too (`entries`), for a text report beside the page. */
  readonly values?: number;
  /** Entries decoded so far, of the map's count. */
  readonly progress?: (expr: string, done: number, total: number) => void;
}

/** Bucket or group arrays are read this much at a time when progress is shown. */
const PROGRESS_CHUNK_BYTES = 16 << 20;

/**
 * A map as read while the target was stopped: located, its buckets or groups decoded, and (for a
 * live target) everything its rendering and analysis will read gathered into the cache.
 */
export interface MapRead {
  readonly expr: string;
  readonly type?: GoMapType;
  readonly layout?: MapLayout;
  /** Null for a nil map. */
  readonly snapshot?: MapSnapshot | null;
  /** The shown entries' emitters, gathered while a live target was stopped. */
  readonly gathered?: { readonly count: number; readonly emitters: EntryEmitters };
  readonly error?: string;
}

/** A map expression located (its header and type), or why it could not be. */
type Located = { readonly header: bigint; readonly type: GoMapType } | Error;

/** What the command does between the reading and the presenting (see inspectAll). */
export interface InspectHooks {
  /** A live target is let go: everything is read. */
  readonly resume?: () => Promise<void>;
  /**
   * Once the maps are found: may copy the process's memory whole (given how many entries the maps
   * hold), true if it did; the target is then let go before the maps are read from the copy.
   */
  readonly copy?: (entries: number) => Promise<boolean>;
}

export class Inspector {
  private readonly mem: CachedMemory;
  private rtypes: Promise<RuntimeTypeInfo | undefined> | undefined;
  /** Go types by name as resolved so far (null: the binary has none), shared by every map. */
  readonly typesByName = new Map<string, GoType | null>();
  /** For maps given as `0xADDR:map[K]V`: does the runtime's heap record contradict the type? */
  readonly typecheck: RawMapTypeCheck;

  constructor(readonly target: Target) {
    this.mem = new CachedMemory(target);
    this.typecheck = new RawMapTypeCheck(target, () => this.runtimeTypes());
  }

  /**
   * Reads every map, then (`between`: a live target let go) presents them: nothing is rendered,
   * analysed or written while a live target is stopped.
   */
  async inspectAll(exprs: readonly string[], opts: InspectOptions = {}, hooks: InspectHooks = {}): Promise<MapInspection[]> {
    // Found first, while gdb holds the target: gdb evaluates the expressions in its memory.
    const located: Located[] = [];
    for (const expr of exprs) located.push(await this.locate(expr).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
    // The runtime's module data and heap layout are read from the target itself, not through the
    // cache a copy fills: while it is stopped.
    await this.runtimeTypes();
    if (exprs.some((e) => parseRawMapExpr(e))) await this.typecheck.heapLayout();
    const copied = hooks.copy ? await hooks.copy(await this.entriesOf(located)) : false;
    if (copied) await hooks.resume?.();
    const reads: MapRead[] = [];
    for (const [i, expr] of exprs.entries()) reads.push(await this.read(expr, opts, located[i]));
    if (!copied) await hooks.resume?.();
    const out: MapInspection[] = [];
    for (const r of reads) out.push(await this.present(r, opts));
    return out;
  }

  /** The live counts the maps' headers say (one batched read): how much there is to read. */
  private async entriesOf(located: readonly Located[]): Promise<number> {
    const maps = located.flatMap((l) => (l instanceof Error || l.header === 0n ? [] : [l]));
    const counts = maps.map((m) => {
      try {
        const layout = mapLayout(m.type);
        const f = layout.kind === 'classic' ? layout.hmap.count : layout.map.used;
        return { address: m.header + BigInt(f.offset), length: f.size };
      } catch {
        return undefined;
      }
    });
    const got = await this.mem.readMany(counts.flatMap((c) => (c ? [c] : [])));
    return got.reduce((n, r) => n + (r.ok ? Number(readUintN(r.bytes, 0, r.bytes.length, this.mem)) : 0), 0);
  }

  /** Copies a live process's whole writable memory into the cache the maps are read from (cli/copy-process.ts). */
  copy(regions: readonly MemRange[], runs: readonly MemRange[], withinMs?: number, room?: CopyRoom): Promise<boolean> {
    return copyInto(this.mem, this.target, regions, runs, withinMs, room);
  }

  /**
   * Before a live target is stopped: what gdb works out from the binary alone for these
   * expressions (their symbols and types, expanded from DWARF: a fifth of a second for a first
   * lookup), and where their types' descriptors are, so that the stop is spent copying bytes.
   * gdb evaluates them on the binary's file; what that says is thrown away (nothing is cached),
   * and errors are left to the real reading.
   */
  async prepare(exprs: readonly string[]): Promise<void> {
    if (this.target.info.kind !== 'live') return;
    // Asked together: gdb expands the expressions' debug info while this process scans the
    // binary's symbol table for the runtime's statics (a tenth of a second each, or more).
    const statics = runtimeTypeStatics(this.target).catch(() => undefined);
    const found: GoMapType[] = [];
    for (const expr of exprs) {
      const type = await (this.target.mapType ? this.target.mapType(expr) : this.target.evalMap(expr).then((m) => m.type)).catch(() => undefined);
      if (type) found.push(type);
    }
    await statics;
    // Without typelinks (Go 1.27) the analysis finds map type descriptors through the binary's
    // DWARF (a pass over its runtime units, a quarter of a second on gopls, begun beside gdb's
    // start-up): waited for before the stop, not in it.
    const [moduledata] = await this.target.typesByName(['runtime.moduledata']);
    if (found.length > 0 && moduledata?.kind === 'struct' && !moduledata.fields.some((f) => f.name === 'typelinks')) {
      await this.target.runtimeTypeOffset?.(found[0].name);
    }
  }

  async inspect(expr: string, opts: InspectOptions = {}): Promise<MapInspection> {
    return this.present(await this.read(expr, opts), opts);
  }

  /**
   * Everything of one map that comes from target memory: header, buckets or groups, and, for a
   * live target, what its entries and analysis point at (strings, interface payloads, type
   * descriptors), in a few batched reads. A core is read as it is presented instead: nothing
   * waits on it, and reading twice would cost the big maps of the benchmarks time.
   */
  async read(expr: string, opts: InspectOptions = {}, located?: Located): Promise<MapRead> {
    let type: GoMapType | undefined;
    let layout: MapLayout | undefined;
    try {
      if (located instanceof Error) throw located;
      const found = located ?? (await this.locate(expr));
      type = found.type;
      layout = mapLayout(type);
      if (found.header === 0n) return { expr, type, layout, snapshot: null };
      // A raw address vouches for nothing: the heap's record of the map's arrays must not contradict
      // the type given (src/heap/typecheck.ts). Its reads land in the cache the decode reads from.
      const raw = parseRawMapExpr(expr) ? await this.typecheck.check(this.mem, found.header, type, layout) : undefined;
      if (raw?.error !== undefined) return { expr, type, layout, error: raw.error };
      // Asked now and answered while the map is decoded: the lookup is gdb's work, and on a core
      // the decode reads the file itself, so the two overlap instead of following one another.
      const rtypes = this.runtimeTypes();
      const progress = opts.progress;
      const dopts = progress ? { chunkBytes: PROGRESS_CHUNK_BYTES, progress: (done: number, total: number) => progress(expr, done, total) } : {};
      const decoded = layout.kind === 'classic' ? await decodeClassic(this.mem, layout, found.header, dopts) : await decodeSwiss(this.mem, layout, found.header, dopts);
      const snapshot = raw ? withWarnings(decoded, await raw.warnings(decoded)) : decoded;
      tracePhase(`decoded ${expr}`);
      const live = this.target.info.kind === 'live';
      const gathered = live ? await this.gather(snapshot, layout, await rtypes, opts) : undefined;
      if (live && opts.analyze) await runtimeGcOf({ target: this.target, mem: this.mem, rtypes: await rtypes, typesByName: this.typesByName, type, layout });
      return { expr, type, layout, snapshot, gathered };
    } catch (e) {
      return { expr, type, layout, error: errorMessage(e) };
    }
  }

  /** The entries and analysis of a map read, from the cache: for a live target, after it was let go. */
  async present(r: MapRead, opts: InspectOptions = {}): Promise<MapInspection> {
    const { expr, type, layout, snapshot } = r;
    if (r.error !== undefined || !type || !layout || snapshot === undefined) return { expr, type, layout, error: r.error ?? 'not read' };
    if (snapshot === null) return { expr, type, layout, snapshot: null, entries: [], ...(opts.analyze ? { analysis: null } : {}) };
    try {
      const wanted = Math.min(snapshot.slots.length, opts.limit ?? Infinity);
      const env = this.renderEnv(layout, await this.runtimeTypes());
      const values = Math.min(opts.texts ? (opts.values ?? 0) : wanted, snapshot.slots.length);
      const rendered = {
        entryJson: opts.texts
          ? await entryJson(snapshot.slots, 0, wanted, layout.key, layout.elem, env, this.target, r.gathered?.count === wanted ? r.gathered.emitters : undefined)
          : undefined,
        entries: values > 0 || !opts.texts ? await renderEntries(snapshot.entries.slice(0, values), layout.key, layout.elem, env, this.target) : undefined,
      };
      const analysis = opts.analyze
        ? await analyzeMap({ target: this.target, mem: this.mem, rtypes: env.rtypes, typesByName: this.typesByName, type, layout, snapshot })
        : undefined;
      return { expr, type, layout, snapshot, ...rendered, analysis };
    } catch (e) {
      return { expr, type, layout, error: errorMessage(e) };
    }
  }

  /**
   * Reads what presenting the map will: the rendered entries' strings and payloads, and for the
   * analysis every entry's interface payloads (its walk needs no strings' bytes).
   */
  private async gather(snapshot: MapSnapshot, layout: MapLayout, rtypes: RuntimeTypeInfo | undefined, opts: InspectOptions): Promise<MapRead['gathered']> {
    const slots = snapshot.slots;
    const shown = Math.min(slots.length, Math.max(opts.limit ?? Infinity, opts.texts ? (opts.values ?? 0) : 0));
    const all = opts.analyze ? slots.length : shown;
    const emitters = await gatherSlots(slots, { strings: shown, all }, layout, this.renderEnv(layout, rtypes), this.target);
    tracePhase('gathered');
    return { count: shown, emitters };
  }

  private renderEnv(layout: MapLayout, rtypes: RuntimeTypeInfo | undefined): RenderEnv {
    return { mem: this.mem, rtypes, typesByName: this.typesByName, swissHeaders: layout.kind === 'swiss' };
  }

  /** The map an expression names: its header address (0 for a nil map) and Go type. */
  locate(expr: string): Promise<{ header: bigint; type: GoMapType }> {
    return locateMap(expr, { target: this.target, mem: this.mem, typesByName: this.typesByName, runtimeTypes: () => this.runtimeTypes() });
  }

  runtimeTypes(): Promise<RuntimeTypeInfo | undefined> {
    this.rtypes ??= loadRuntimeTypeInfo(this.target).catch(() => undefined);
    return this.rtypes;
  }
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
