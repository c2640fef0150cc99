/**
 * One map read chunk by chunk and let go of as it is read: for maps of millions of entries,
 * streamed out as JSON Lines (`--jsonl`) or only counted (`--stats`). What is kept between
 * chunks is counts (analyze/tally.ts) and, for a grow in progress, one bit per old bucket, so
 * memory stays flat however big the map is.
 */
import { finishAnalysis, runtimeGcOf, tallyEntries, type AnalysisEnv } from '../analyze/analyze.js';
import type { MapHeader } from '../analyze/header.js';
import { MapTally } from '../analyze/tally.js';
import type { MapAnalysis } from '../analyze/types.js';
import { parseRawMapExpr } from '../gdb/expr.js';
import type { GoMapType } from '../layout/gotype.js';
import { type ClassicLayout, type MapLayout, type SwissLayout, mapLayout } from '../layout/map-layout.js';
import { type ClassicHeader, classicChunks, readClassicHeader } from '../maps/classic/walk.js';
import { type CellSink, EntrySlots } from '../maps/slots.js';
import { groupAt } from '../maps/swiss/decode.js';
import { type SwissHeader, readSwissHeader, swissChunks } from '../maps/swiss/walk.js';
import { CachedMemory } from '../target/cache.js';
import type { Memory } from '../target/target.js';
import { entryJson } from '../values/entry-json.js';
import { gatherSlots } from '../values/gather.js';
import type { JsonItems } from '../values/json.js';
import type { RenderEnv } from '../values/render.js';
import { type Inspector, errorMessage } from './inspect.js';

/**
 * Bytes of bucket or group arrays read per chunk: what is alive at once is a chunk's bytes and
 * its entries' columns (on 10M entries, node's peak was 214 MB with 2 MiB chunks, 403 MB with
 * 8 MiB, 595 MB with 32 MiB, at the same speed, when each bucket was still an object).
 */
export const CHUNK_BYTES = 2 << 20;

export type StreamHeader = (ClassicHeader & { readonly implementation: 'classic' }) | (SwissHeader & { readonly implementation: 'swiss' });

export interface StreamedMap {
  readonly expr: string;
  /** The map header's address, once found (0 for a nil map). */
  readonly located?: { readonly header: bigint; readonly type: GoMapType };
  readonly type?: GoMapType;
  readonly layout?: MapLayout;
  /** Null for a nil map. */
  readonly header?: StreamHeader | null;
  /** Entries handed to `entries` (at most the limit). */
  readonly streamed: number;
  readonly analysis?: MapAnalysis | null;
  readonly warnings: readonly string[];
  readonly error?: string;
}

export interface StreamOptions {
  /** Count everything for the analysis (every chunk is read, whatever the limit). */
  readonly stats: boolean;
  /** At most this many entries to `entries`; without stats, reading stops there. */
  readonly limit?: number;
  readonly chunkBytes?: number;
  /** Entries seen so far, of the header's count. */
  readonly progress?: (done: number, total: number) => void;
  /**
   * Where the bytes come from instead of the target: a live target's memory as it was read
   * while stopped (the same walk runs once to read, then again over what was read, to write).
   */
  readonly source?: Memory;
  /** The map as found by an earlier walk: not looked up again (the target may have been let go). */
  readonly located?: { readonly header: bigint; readonly type: GoMapType };
  /**
   * Only read: walk the map and gather what its entries and analysis will need, counting and
   * writing nothing (a live target's first pass, before it is let go).
   */
  readonly readOnly?: boolean;
}

export interface StreamHandlers {
  /** The map was found: before any of its entries. */
  start?(m: { expr: string; type: GoMapType; layout: MapLayout; header: StreamHeader | null }): void;
  /** The next entries, in the iterator's order: write them before returning (their memory is let go of after). */
  entries?(items: JsonItems): void;
}

export async function streamMap(ins: Inspector, expr: string, opts: StreamOptions, handlers: StreamHandlers = {}): Promise<StreamedMap> {
  let type: GoMapType | undefined;
  let layout: MapLayout | undefined;
  let header: StreamHeader | null | undefined;
  let located: StreamedMap['located'];
  const state = { streamed: 0 };
  try {
    const found = opts.located ?? (await ins.locate(expr));
    located = found;
    type = found.type;
    layout = mapLayout(type);
    const target = ins.target;
    // One cache for the walk, one for what entries point at; both emptied after each chunk.
    const source = opts.source ?? target;
    const walkMem = new CachedMemory(source);
    const valueMem = new CachedMemory(source);
    const rtypes = await ins.runtimeTypes();
    const env: AnalysisEnv & RenderEnv = { target, mem: valueMem, rtypes, typesByName: ins.typesByName, type, layout, swissHeaders: layout.kind === 'swiss' };
    if (found.header === 0n) {
      header = null;
      handlers.start?.({ expr, type, layout, header });
      return { expr, located, type, layout, header, streamed: 0, analysis: opts.stats ? null : undefined, warnings: [] };
    }
    // A raw address: refused where the heap's record contradicts the type; its signals join the warnings.
    const raw = parseRawMapExpr(expr) ? await ins.typecheck.check(walkMem, found.header, type, layout) : undefined;
    if (raw?.error !== undefined) return { expr, located, type, layout, header, streamed: 0, warnings: [], error: raw.error };
    const tally = opts.stats && !opts.readOnly ? new MapTally(layout, target) : undefined;
    const walk = new Walk(env, opts, handlers, tally, state, walkMem, valueMem);
    let mapHeader: MapHeader;
    if (layout.kind === 'classic') {
      const h = await readClassicHeader(walkMem, layout, found.header);
      if (raw) h.warnings.push(...raw.verdict.signals);
      header = { ...h, implementation: 'classic' };
      mapHeader = { implementation: 'classic', count: h.count, flags: h.flags, B: h.B, nevacuate: h.nevacuate };
      handlers.start?.({ expr, type, layout, header });
      await walk.classic(layout, h);
    } else {
      const h = await readSwissHeader(walkMem, layout, found.header);
      if (raw) h.warnings.push(...raw.verdict.signals);
      header = { ...h, implementation: 'swiss' };
      mapHeader = { implementation: 'swiss', used: h.used, dirLen: h.dirLen, writing: h.writing };
      handlers.start?.({ expr, type, layout, header });
      await walk.swiss(layout, h);
    }
    // Read now, on a live target's reading walk: its answer waits for the analysis.
    if (opts.readOnly && opts.stats) await runtimeGcOf(env);
    const analysis = tally ? await finishAnalysis(env, mapHeader, tally) : undefined;
    return { expr, located, type, layout, header, streamed: state.streamed, analysis, warnings: header.warnings };
  } catch (e) {
    return { expr, located, type, layout, header, streamed: state.streamed, warnings: header?.warnings ?? [], error: errorMessage(e) };
  }
}

class Walk {
  private seen = 0;

  constructor(
    private readonly env: AnalysisEnv & RenderEnv,
    private readonly opts: StreamOptions,
    private readonly handlers: StreamHandlers,
    private readonly tally: MapTally | undefined,
    private readonly state: { streamed: number },
    private readonly walkMem: CachedMemory,
    private readonly valueMem: CachedMemory,
  ) {
    this.slots = this.newSlots();
  }

  private get limit(): number {
    return this.opts.limit ?? Infinity;
  }

  /** Whether the walk may stop: every entry wanted is out and nothing is being counted. */
  private get done(): boolean {
    return !this.opts.stats && this.state.streamed >= this.limit;
  }

  async classic(layout: ClassicLayout, h: ClassicHeader): Promise<void> {
    for await (const chunk of classicChunks(this.walkMem, layout, h, this.sink, this.opts.chunkBytes ?? CHUNK_BYTES)) {
      const slots = this.takeSlots();
      if (this.tally) {
        this.tally.bucketRun(chunk.cur, false);
        if (chunk.old) this.tally.bucketRun(chunk.old, true);
      }
      await this.chunkDone(slots, h.count);
      if (this.done) break;
    }
  }

  async swiss(layout: SwissLayout, h: SwissHeader): Promise<void> {
    const le = this.env.mem.littleEndian;
    for await (const chunk of swissChunks(this.walkMem, layout, h, this.sink, this.opts.chunkBytes ?? CHUNK_BYTES)) {
      const slots = this.takeSlots();
      if (chunk.small) this.tally?.small(groupAt(layout, chunk.small.address, chunk.small.bytes, 0, le));
      for (const t of chunk.tables) {
        this.tally?.table(t.head, { address: t.head.data, count: t.head.groupCount, groupSize: layout.group.size, bytes: t.groups });
      }
      await this.chunkDone(slots, h.used);
      if (this.done) break;
    }
  }

  /** The current chunk's entries, which the walker fills before yielding the chunk. */
  private slots: EntrySlots;
  /** Where the walker hands live cells: always the current chunk's slots. */
  private readonly sink: CellSink = {
    holder: (bytes, address) => this.slots.holder(bytes, address),
    push: (id, keyOff, elemOff) => this.slots.push(id, keyOff, elemOff),
  };

  /** The chunk just yielded's entries; the next chunk's go into fresh slots. */
  private takeSlots(): EntrySlots {
    const s = this.slots;
    this.slots = this.newSlots();
    return s;
  }

  private newSlots(): EntrySlots {
    const l = this.env.layout;
    return new EntrySlots(l.indirectKey, l.indirectElem, this.env.mem);
  }

  private async chunkDone(slots: EntrySlots, total: number): Promise<void> {
    const { env, tally, handlers } = this;
    if (tally) await tallyEntries(env, slots, tally);
    const take = Math.min(slots.length, Math.max(0, this.limit - this.state.streamed));
    if (this.opts.readOnly) {
      const counts = { strings: handlers.entries ? take : 0, all: this.opts.stats ? slots.length : take };
      await gatherSlots(slots, counts, env.layout, env, env.target);
      this.state.streamed += handlers.entries ? take : 0;
    } else if (handlers.entries && take > 0) {
      handlers.entries(await entryJson(slots, 0, take, env.layout.key, env.layout.elem, env, env.target));
      this.state.streamed += take;
    }
    this.seen += slots.length;
    this.opts.progress?.(this.seen, total);
    this.walkMem.clear();
    this.valueMem.clear();
  }
}
