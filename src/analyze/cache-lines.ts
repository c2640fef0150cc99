/**
 * Cache-line use: which 64-byte lines of each bucket or group hold live keys and elems, and
 * how many lines a successful lookup touches.
 */
import type { MapLayout } from '../layout/map-layout.js';
import { hex } from '../target/bytes.js';
import type { CacheLineFigures, LineUse } from './types.js';

export const LINE = 64;

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
    key: (s) => [g.slots.offset + s * g.slotSize + g.keyOff, keySlot],
    elem: (s) => [g.slots.offset + s * g.slotSize + g.elemOff, elemSlot],
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
  /** Per slot: how many lines a lookup that finds it reads (tag, key, elem). */
  touched: number[];
}

/**
 * Cache-line figures of a map, block by block (bucket or group). Blocks of one array share
 * few offsets within a line, so what each slot touches is worked out once per offset.
 */
export class CacheLineCounter {
  private readonly geo: Geometry;
  private readonly byLead = new Map<number, LeadLines>();
  private readonly uses: LineUse[] | undefined;
  private lineSum = 0;
  private liveSum = 0;
  private hits = 0;
  private lookupLines = 0;
  private lookupUtil = 0;
  /** Which lines of the current block hold live data (reused: one allocation, not one per block). */
  private seen = new Uint8Array(64);

  constructor(
    private readonly kind: 'classic' | 'swiss',
    layout: MapLayout,
    ptrSize: number,
    /** Keep each listed block's line use (for the full report), or only the totals. */
    keepUses: boolean,
  ) {
    this.geo = geometry(layout, ptrSize);
    this.uses = keepUses ? [] : undefined;
  }

  /** One block: `live(slot)` says whether a slot holds an entry; old buckets are counted for lookups but not listed. */
  block(address: bigint, live: (slot: number) => boolean, listed: boolean): void {
    const lead = Number(address % BigInt(LINE));
    const ll = this.leadLines(lead);
    if (this.seen.length < ll.lines) this.seen = new Uint8Array(ll.lines);
    const seen = this.seen;
    seen.fill(0, 0, ll.lines);
    let liveLines = 0;
    const slotBytes = this.geo.keySlot + this.geo.elemSlot;
    for (let slot = 0; slot < 8; slot++) {
      if (!live(slot)) continue;
      for (const l of ll.live[slot]) if (!seen[l]) {
        seen[l] = 1;
        liveLines++;
      }
      this.hits++;
      this.lookupLines += ll.touched[slot];
      this.lookupUtil += slotBytes / (LINE * ll.touched[slot]);
    }
    if (!listed) return;
    if (this.uses) {
      const lines: number[] = [];
      for (let l = 0; l < ll.lines; l++) if (seen[l]) lines.push(l);
      this.uses.push({ address: hex(address), lines: ll.lines, liveLines: lines });
    }
    this.lineSum += ll.lines;
    this.liveSum += liveLines;
  }

  figures(): CacheLineFigures {
    const uses = this.uses ? (this.kind === 'classic' ? { buckets: this.uses } : { groups: this.uses }) : {};
    return {
      lineSize: LINE,
      ...uses,
      liveLineFraction: this.lineSum === 0 ? 0 : this.liveSum / this.lineSum,
      lookupLines: this.hits === 0 ? 0 : this.lookupLines / this.hits,
      lookupUtilization: this.hits === 0 ? 0 : this.lookupUtil / this.hits,
    };
  }

  private leadLines(lead: number): LeadLines {
    let ll = this.byLead.get(lead);
    if (!ll) {
      const geo = this.geo;
      const live: number[][] = [];
      const touched: number[] = [];
      for (let slot = 0; slot < 8; slot++) {
        const kv = new Set<number>();
        linesOf(lead, geo.key(slot), kv);
        linesOf(lead, geo.elem(slot), kv);
        const all = new Set(kv);
        linesOf(lead, geo.tag(slot), all);
        live.push([...kv].sort((x, y) => x - y));
        touched.push(all.size);
      }
      ll = { lines: Math.floor((lead + geo.size - 1) / LINE) + 1, live, touched };
      this.byLead.set(lead, ll);
    }
    return ll;
  }
}
