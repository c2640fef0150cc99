/**
 * One map read chunk by chunk and let go of as it is read: for maps of millions of entries,
 * streamed out as JSON Lines (`--jsonl`) or only counted (`--stats`). What is kept between
 * chunks is counts (analyze/tally.ts) and, for a grow in progress, one bit per old bucket, so
 * memory stays flat however big the map is.
 */
import { finishAnalysis, tallyEntries, type AnalysisEnv } from '../analyze/analyze.js';
import type { MapHeader } from '../analyze/header.js';
import { MapTally } from '../analyze/tally.js';
import type { MapAnalysis } from '../analyze/types.js';
import type { GoMapType } from '../layout/gotype.js';
import { type ClassicLayout, type MapLayout, type SwissLayout, mapLayout } from '../layout/map-layout.js';
import { type ClassicHeader, classicChunks, readClassicHeader } from '../maps/classic/walk.js';
import { type CellSink, EntrySlots } from '../maps/slots.js';
import { groupAt } from '../maps/swiss/decode.js';
import { type SwissHeader, readSwissHeader, swissChunks } from '../maps/swiss/walk.js';
import { CachedMemory } from '../target/cache.js';
import { entryJson } from '../values/entry-json.js';
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
  const state = { streamed: 0 };
  try {
    const found = await ins.locate(expr);
    type = found.type;
    layout = mapLayout(type);
    const target = ins.target;
    // One cache for the walk, one for what entries point at; both emptied after each chunk.
    const walkMem = new CachedMemory(target);
    const valueMem = new CachedMemory(target);
    const rtypes = await ins.runtimeTypes();
    const env: AnalysisEnv & RenderEnv = { target, mem: valueMem, rtypes, typesByName: ins.typesByName, type, layout, swissHeaders: layout.kind === 'swiss' };
    if (found.header === 0n) {
      header = null;
      handlers.start?.({ expr, type, layout, header });
      return { expr, type, layout, header, streamed: 0, analysis: opts.stats ? null : undefined, warnings: [] };
    }
    const tally = opts.stats ? new MapTally(layout, target) : undefined;
    const walk = new Walk(env, opts, handlers, tally, state, walkMem, valueMem);
    let mapHeader: MapHeader;
    if (layout.kind === 'classic') {
      const h = await readClassicHeader(walkMem, layout, found.header);
      header = { ...h, implementation: 'classic' };
      mapHeader = { implementation: 'classic', count: h.count, flags: h.flags, B: h.B, nevacuate: h.nevacuate };
      handlers.start?.({ expr, type, layout, header });
      await walk.classic(layout, h);
    } else {
      const h = await readSwissHeader(walkMem, layout, found.header);
      header = { ...h, implementation: 'swiss' };
      mapHeader = { implementation: 'swiss', used: h.used, dirLen: h.dirLen, writing: h.writing };
      handlers.start?.({ expr, type, layout, header });
      await walk.swiss(layout, h);
    }
    const analysis = tally ? await finishAnalysis(env, mapHeader, tally) : undefined;
    return { expr, type, layout, header, streamed: state.streamed, analysis, warnings: header.warnings };
  } catch (e) {
    return { expr, type, layout, header, streamed: state.streamed, warnings: header?.warnings ?? [], error: errorMessage(e) };
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
    return !this.tally && this.state.streamed >= this.limit;
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
    if (handlers.entries && take > 0) {
      handlers.entries(await entryJson(slots, 0, take, env.layout.key, env.layout.elem, env, env.target));
      this.state.streamed += take;
    }
    this.seen += slots.length;
    this.opts.progress?.(this.seen, total);
    this.walkMem.clear();
    this.valueMem.clear();
  }
}
