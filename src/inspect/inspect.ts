/**
 * The inspect pipeline for one target: expression → header and layout → snapshot → rendered
 * entries. Several maps share one session and one memory cache; one map failing does not
 * fail the others.
 */
import { analyzeMap } from '../analyze/analyze.js';
import type { MapAnalysis } from '../analyze/types.js';
import { locateMap } from '../discover/locate.js';
import { tracePhase } from '../gdb/trace-log.js';
import type { GoMapType, GoType } from '../layout/gotype.js';
import { type MapLayout, mapLayout } from '../layout/map-layout.js';
import { decodeClassic } from '../maps/classic/decode.js';
import type { MapSnapshot } from '../maps/snapshot.js';
import { decodeSwiss } from '../maps/swiss/decode.js';
import { CachedMemory } from '../target/cache.js';
import type { Target } from '../target/target.js';
import { renderEntries, type RenderedEntry } from '../values/entries.js';
import { entryJson } from '../values/entry-json.js';
import type { JsonItems } from '../values/json.js';
import type { RenderEnv } from '../values/render.js';
import { loadRuntimeTypeInfo, type RuntimeTypeInfo } from '../values/rtype.js';

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
  /** Entries decoded so far, of the map's count. */
  readonly progress?: (expr: string, done: number, total: number) => void;
}

/** Bucket or group arrays are read this much at a time when progress is shown. */
const PROGRESS_CHUNK_BYTES = 16 << 20;

export class Inspector {
  private readonly mem: CachedMemory;
  private rtypes: Promise<RuntimeTypeInfo | undefined> | undefined;
  /** Go types by name as resolved so far (null: the binary has none), shared by every map. */
  readonly typesByName = new Map<string, GoType | null>();

  constructor(readonly target: Target) {
    this.mem = new CachedMemory(target);
  }

  async inspectAll(exprs: readonly string[], opts: InspectOptions = {}): Promise<MapInspection[]> {
    const out: MapInspection[] = [];
    for (const expr of exprs) out.push(await this.inspect(expr, opts));
    return out;
  }

  async inspect(expr: string, opts: InspectOptions = {}): Promise<MapInspection> {
    let type: GoMapType | undefined;
    let layout: MapLayout | undefined;
    try {
      const found = await this.locate(expr);
      type = found.type;
      layout = mapLayout(type);
      if (found.header === 0n) return { expr, type, layout, snapshot: null, entries: [], ...(opts.analyze ? { analysis: null } : {}) };
      // Asked now and answered while the map is decoded: the lookup is gdb's work, and on a core
      // the decode reads the file itself, so the two overlap instead of following one another.
      const rtypes = this.runtimeTypes();
      const progress = opts.progress;
      const dopts = progress ? { chunkBytes: PROGRESS_CHUNK_BYTES, progress: (done: number, total: number) => progress(expr, done, total) } : {};
      const snapshot = layout.kind === 'classic' ? await decodeClassic(this.mem, layout, found.header, dopts) : await decodeSwiss(this.mem, layout, found.header, dopts);
      tracePhase(`decoded ${expr}`);
      const wanted = Math.min(snapshot.slots.length, opts.limit ?? Infinity);
      const env: RenderEnv = {
        mem: this.mem,
        rtypes: await rtypes,
        typesByName: this.typesByName,
        swissHeaders: layout.kind === 'swiss',
      };
      const rendered = opts.texts
        ? { entryJson: await entryJson(snapshot.slots, 0, wanted, layout.key, layout.elem, env, this.target) }
        : { entries: await renderEntries(snapshot.entries.slice(0, wanted), layout.key, layout.elem, env, this.target) };
      const analysis = opts.analyze
        ? await analyzeMap({ target: this.target, mem: this.mem, rtypes: env.rtypes, typesByName: this.typesByName, type, layout, snapshot })
        : undefined;
      return { expr, type, layout, snapshot, ...rendered, analysis };
    } catch (e) {
      return { expr, type, layout, error: errorMessage(e) };
    }
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
