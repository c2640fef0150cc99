/**
 * Cache-line use: which 64-byte lines of each bucket or group hold live keys and elems, and
 * how many lines a successful lookup touches.
 */
import type { MapLayout } from '../layout/map-layout.js';
import { minTopHash } from '../maps/classic/tophash.js';
import type { ClassicBucketChain, MapSnapshot } from '../maps/snapshot.js';
import { isFull } from '../maps/swiss/ctrl.js';
import { hex } from '../target/bytes.js';
import { swissGroups } from './occupancy.js';
import type { CacheLineFigures, LineUse } from './types.js';

export const LINE = 64;

interface Block {
  address: bigint;
  /** Per slot: whether it is live. */
  live: boolean[];
  /** Old buckets still hold entries (lookups find them there) but are not listed. */
  listed: boolean;
}

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

function classicBlocks(chains: readonly ClassicBucketChain[], listed: boolean): Block[] {
  return chains.flatMap((c) => [c, ...c.overflow]).map((b) => ({ address: b.address, live: b.tophash.map((t) => t >= minTopHash), listed }));
}

/** Every block with live slots: the listed ones (current array, or all groups) and old buckets. */
function blocks(s: MapSnapshot): Block[] {
  if (s.implementation === 'classic') return [...classicBlocks(s.buckets, true), ...classicBlocks(s.oldbuckets ?? [], false)];
  return swissGroups(s).map((g) => ({ address: g.address, live: g.ctrl.map(isFull), listed: true }));
}

/** Adds the lines (relative to the block's first line) that bytes [off, off+len) of the block touch. */
function linesOf(lead: number, [off, len]: [number, number], into: Set<number>): void {
  if (len <= 0) return;
  // `lead` is the block's offset within its first line: line indices stay small numbers.
  const lo = Math.floor((lead + off) / LINE);
  const hi = Math.floor((lead + off + len - 1) / LINE);
  for (let l = lo; l <= hi; l++) into.add(l);
}

export function cacheLineFigures(s: MapSnapshot, layout: MapLayout, ptrSize: number): CacheLineFigures {
  const geo = geometry(layout, ptrSize);
  const { keySlot, elemSlot, key, elem } = geo;
  const uses: LineUse[] = [];
  let lineSum = 0;
  let liveSum = 0;
  let hits = 0;
  let lookupLines = 0;
  let lookupUtil = 0;
  for (const b of blocks(s)) {
    const lead = Number(b.address % BigInt(LINE));
    const lines = Math.floor((lead + geo.size - 1) / LINE) + 1;
    const live = new Set<number>();
    b.live.forEach((isLive, slot) => {
      if (!isLive) return;
      linesOf(lead, key(slot), live);
      linesOf(lead, elem(slot), live);
      const touched = new Set<number>();
      linesOf(lead, geo.tag(slot), touched);
      linesOf(lead, key(slot), touched);
      linesOf(lead, elem(slot), touched);
      hits++;
      lookupLines += touched.size;
      lookupUtil += (keySlot + elemSlot) / (LINE * touched.size);
    });
    if (!b.listed) continue;
    uses.push({ address: hex(b.address), lines, liveLines: [...live].sort((x, y) => x - y) });
    lineSum += lines;
    liveSum += live.size;
  }
  return {
    lineSize: LINE,
    ...(s.implementation === 'classic' ? { buckets: uses } : { groups: uses }),
    liveLineFraction: lineSum === 0 ? 0 : liveSum / lineSum,
    lookupLines: hits === 0 ? 0 : lookupLines / hits,
    lookupUtilization: hits === 0 ? 0 : lookupUtil / hits,
  };
}
