/**
 * Cache-line use: which 64-byte lines of each bucket or group hold live keys and elems, and
 * how many lines a successful lookup touches.
 */
import { groupElemOffset, groupKeyOffset, type MapLayout } from '../layout/map-layout.js';
import type { CacheLineFigures } from './types.js';

export const LINE = 64;
/** Figures kept per (lead, mask) pair: see CacheLineCounter.sum. */
const SUMS = 5;

interface Geometry {
  size: number;
  /** Byte range of the tag a lookup reads first: the slot's tophash byte, or the whole ctrl word. */
  tag(slot: number): [number, number];
  key(slot: number): [number, number];
  elem(slot: number): [number, number];
  keySlot: number;
  elemSlot: number;
}

function geometry(layout: MapLayout, ptrSize: number): Geometry {
  if (layout.kind === 'classic') {
    const b = layout.bucket;
    return {
      size: b.size,
      tag: (s) => [b.tophash.offset + s, 1],
      key: (s) => [b.keys.offset + s * b.keySlot, b.keySlot],
      elem: (s) => [b.values.offset + s * b.elemSlot, b.elemSlot],
      keySlot: b.keySlot,
      elemSlot: b.elemSlot,
    };
  }
  const g = layout.group;
  // Indirect slots hold a pointer: those are the slot bytes a lookup reads.
  const keySlot = layout.indirectKey ? ptrSize : layout.key.size;
  const elemSlot = layout.indirectElem ? ptrSize : layout.elem.size;
  return {
    size: g.size,
    tag: () => [g.ctrl.offset, 8],
    key: (s) => [groupKeyOffset(g, s), keySlot],
    elem: (s) => [groupElemOffset(g, s), elemSlot],
    keySlot,
    elemSlot,
  };
}

/** Lines (relative to the block's first line) that bytes [off, off+len) of the block touch. */
function linesOf(lead: number, [off, len]: [number, number], into: Set<number>): void {
  if (len <= 0) return;
  // `lead` is the block's offset within its first line: line indices stay small numbers.
  const lo = Math.floor((lead + off) / LINE);
  const hi = Math.floor((lead + off + len - 1) / LINE);
  for (let l = lo; l <= hi; l++) into.add(l);
}

/** What each slot of a block touches, for one offset of the block within its first line. */
interface LeadLines {
  lines: number;
  /** Per slot: the lines its key and elem lie on. */
  live: number[][];
  /** Per slot: how many lines a lookup that finds it reads (tag, key, elem), and the share of their bytes it uses. */
  touched: number[];
  util: number[];
  /** Per mask of live slots: the lines holding live data, made on first use. */
  byMask: (number[] | undefined)[];
}

/**
 * Cache-line figures of a map, block by block (bucket or group). Blocks of one array share
 * few offsets within a line, and a block has at most 256 patterns of live slots, so what each
 * slot touches and which lines a pattern uses are worked out once and looked up after.
 */
/**
 * What every map of one layout shares: the geometry of its blocks and what each (lead, mask) pair
 * touches. Made per map, these tables were most of measuring 100,000 small maps (10 KB of sums a
 * map, made and collected again and again); now once per layout and pointer size.
 */
interface LineTables {
  readonly geo: Geometry;
  readonly byLead: (LeadLines | undefined)[];
  /** By lead, SUMS figures per mask (add); -1 until worked out. */
  readonly bySums: (Float64Array | undefined)[];
}

const tablesByLayout = new WeakMap<MapLayout, Map<number, LineTables>>();

function tablesFor(layout: MapLayout, ptrSize: number): LineTables {
  let bySize = tablesByLayout.get(layout);
  if (!bySize) tablesByLayout.set(layout, (bySize = new Map()));
  let t = bySize.get(ptrSize);
  if (!t) bySize.set(ptrSize, (t = { geo: geometry(layout, ptrSize), byLead: new Array(LINE), bySums: new Array(LINE) }));
  return t;
}

export class CacheLineCounter {
  private readonly geo: Geometry;
  private readonly byLead: (LeadLines | undefined)[];
  private readonly bySums: (Float64Array | undefined)[];
  private lineSum = 0;
  private liveSum = 0;
  private hits = 0;
  private lookupLines = 0;
  private lookupUtil = 0;

  constructor(layout: MapLayout, ptrSize: number) {
    const t = tablesFor(layout, ptrSize);
    this.geo = t.geo;
    this.byLead = t.byLead;
    this.bySums = t.bySums;
  }

  /** The block's size, for callers stepping through an array. */
  get blockSize(): number {
    return this.geo.size;
  }

  /**
   * One block, `lead` bytes into its first line, whose live slots are the bits of `mask`; old
   * buckets are counted for lookups but not as lines of the array (`listed` false).
   */
  add(lead: number, mask: number, listed: boolean): void {
    // A quarter million blocks a million entries, and at most 64 × 256 (lead, mask) pairs: each
    // pair's sums over its slots are worked out once.
    const sums = this.bySums[lead] ?? this.newSums(lead);
    const k = mask * SUMS;
    if (sums[k] < 0) this.sum(lead, mask, sums, k);
    this.hits += sums[k];
    this.lookupLines += sums[k + 1];
    this.lookupUtil += sums[k + 2];
    if (!listed) return;
    this.lineSum += sums[k + 3];
    this.liveSum += sums[k + 4];
  }

  private newSums(lead: number): Float64Array {
    const sums = new Float64Array(256 * SUMS).fill(-1);
    this.bySums[lead] = sums;
    return sums;
  }

  /** For blocks at `lead` with live slots `mask`: live slots, lines lookups touch, their utilization, lines, live lines. */
  private sum(lead: number, mask: number, sums: Float64Array, k: number): void {
    const ll = this.leadLines(lead);
    let hits = 0;
    let touched = 0;
    let util = 0;
    for (let slot = 0; slot < 8; slot++) {
      if ((mask & (1 << slot)) === 0) continue;
      hits++;
      touched += ll.touched[slot];
      util += ll.util[slot];
    }
    sums[k] = hits;
    sums[k + 1] = touched;
    sums[k + 2] = util;
    sums[k + 3] = ll.lines;
    sums[k + 4] = this.liveLines(lead, mask).length;
  }

  /** How many lines a block `lead` bytes into its first line spans. */
  lines(lead: number): number {
    return this.leadLines(lead).lines;
  }

  /** The lines (from the block's first) holding live keys or elems, for a block at `lead` with live slots `mask`; shared, not to be changed. */
  liveLines(lead: number, mask: number): readonly number[] {
    const ll = this.leadLines(lead);
    let l = ll.byMask[mask];
    if (!l) {
      const seen = new Set<number>();
      for (let slot = 0; slot < 8; slot++) if (mask & (1 << slot)) for (const x of ll.live[slot]) seen.add(x);
      l = [...seen].sort((x, y) => x - y);
      ll.byMask[mask] = l;
    }
    return l;
  }

  /** The totals; the per-block lists are added by the caller that has the blocks (analyze.ts). */
  figures(): CacheLineFigures {
    return {
      lineSize: LINE,
      liveLineFraction: this.lineSum === 0 ? 0 : this.liveSum / this.lineSum,
      lookupLines: this.hits === 0 ? 0 : this.lookupLines / this.hits,
      lookupUtilization: this.hits === 0 ? 0 : this.lookupUtil / this.hits,
    };
  }

  private leadLines(lead: number): LeadLines {
    let ll = this.byLead[lead];
    if (!ll) {
      const geo = this.geo;
      const live: number[][] = [];
      const touched: number[] = [];
      const util: number[] = [];
      const slotBytes = geo.keySlot + geo.elemSlot;
      for (let slot = 0; slot < 8; slot++) {
        const kv = new Set<number>();
        linesOf(lead, geo.key(slot), kv);
        linesOf(lead, geo.elem(slot), kv);
        const all = new Set(kv);
        linesOf(lead, geo.tag(slot), all);
        live.push([...kv].sort((x, y) => x - y));
        touched.push(all.size);
        util.push(slotBytes / (LINE * all.size));
      }
      ll = { lines: Math.floor((lead + geo.size - 1) / LINE) + 1, live, touched, util, byMask: new Array(256) };
      this.byLead[lead] = ll;
    }
    return ll;
  }
}
