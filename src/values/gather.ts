/**
 * The rounds in which emitters' gathers (./emit.ts) read what writing values needs: every value
 * gathered once, its reads batched (strings' bytes as runs of pages, payloads merged), and what
 * could only be known once those were in (an interface's payload, then the payload's strings)
 * gathered in the next round. A live target is stopped while this runs and let go after it; the
 * values are then written from the cache.
 */
import type { GoType } from '../layout/gotype.js';
import type { EntrySlots } from '../maps/slots.js';
import { RangeList } from '../target/range-list.js';
import { tracePhase } from '../gdb/trace-log.js';
import { type MemRange, type TypeSource, lookUpTypes } from '../target/target.js';
import { type Emitter, type GatherSink, compileEmitter, nodes } from './emit.js';
import { renderMany } from './entries.js';
import { fetchRanges } from '../target/fetch.js';
import type { RenderEnv } from './render.js';

const MAX_ROUNDS = 16;

/** Which part of an entry a gather belongs to, for giving that part up to the general renderer. */
export const KEY = 1;
export const ELEM = 2;

class Rounds implements GatherSink {
  ranges = new RangeList();
  private misses: MemRange[] = [];
  private types = new Set<string>();
  /** What waits on this round's reads: a visit each, and where it was asked from, as columns. */
  private visits: (() => void)[] = [];
  private where = new Int32Array(64);
  entry = 0;
  part = 0;
  depth = 0;
  nodes = 0;

  constructor(
    readonly strings: boolean,
    /** Per entry, the parts given up (KEY | ELEM). */
    readonly givenUp: Uint8Array,
  ) {}

  read(range: MemRange): void {
    this.misses.push(range);
  }

  missingType(name: string): void {
    this.types.add(name);
  }

  later(visit: () => void): void {
    const k = this.visits.length;
    if (4 * k + 4 > this.where.length) {
      const grown = new Int32Array(this.where.length * 2);
      grown.set(this.where);
      this.where = grown;
    }
    this.where[4 * k] = this.entry;
    this.where[4 * k + 1] = this.part;
    this.where[4 * k + 2] = this.depth;
    this.where[4 * k + 3] = this.nodes;
    this.visits.push(visit);
  }

  giveUp(): void {
    this.givenUp[this.entry] |= this.part;
  }

  /** Starts the gather of one key or elem. */
  at(entry: number, part: number, nodes: number): void {
    this.entry = entry;
    this.part = part;
    this.depth = 0;
    this.nodes = nodes;
  }

  /** Reads and looks up what this round asked for. */
  async fetch(env: RenderEnv, source: TypeSource): Promise<void> {
    const { ranges, misses } = this;
    const names = this.types;
    this.ranges = new RangeList();
    this.misses = [];
    this.types = new Set();
    await Promise.all([
      fetchRanges(env.mem, ranges),
      fetchRanges(env.mem, misses),
      lookUpTypes(source, env.typesByName, names),
    ]);
  }

  /** Runs what waited on this round's reads; returns false when nothing did. */
  runLater(): boolean {
    const visits = this.visits;
    if (visits.length === 0) return false;
    const where = this.where;
    this.visits = [];
    this.where = new Int32Array(64);
    for (let k = 0; k < visits.length; k++) {
      const entry = where[4 * k];
      const part = where[4 * k + 1];
      if (this.givenUp[entry] & part) continue;
      this.entry = entry;
      this.part = part;
      this.depth = where[4 * k + 2];
      this.nodes = where[4 * k + 3];
      visits[k]();
    }
    return true;
  }

  /** Whatever still waits after the last round is the general renderer's. */
  giveUpPending(): void {
    for (let k = 0; k < this.visits.length; k++) this.givenUp[this.where[4 * k]] |= this.where[4 * k + 1];
    this.visits = [];
  }
}

export interface EntryEmitters {
  /** Undefined: every key (or elem) goes to the general renderer. */
  readonly key: Emitter | undefined;
  readonly elem: Emitter | undefined;
  /** Per entry of [from, to), the parts the general renderer must write (KEY | ELEM). */
  readonly givenUp: Uint8Array;
}

/**
 * Gathers and reads, in rounds, everything the emitters of entries [from, to) will peek at:
 * strings' bytes and map headers when `strings`, interfaces' descriptors and payloads always.
 * `stop` is asked between rounds: a live target's pause budget may be spent.
 */
export async function gatherEntries(
  slots: EntrySlots,
  from: number,
  to: number,
  types: { readonly key: GoType; readonly elem: GoType },
  env: RenderEnv,
  source: TypeSource,
  opts: { readonly strings: boolean; readonly stop?: () => boolean },
): Promise<EntryEmitters> {
  const key = slots.indirectKey ? undefined : compileEmitter(types.key, env);
  const elem = slots.indirectElem ? undefined : compileEmitter(types.elem, env);
  const givenUp = new Uint8Array(Math.max(0, to - from));
  const r = new Rounds(opts.strings, givenUp);
  const kg = key?.gather;
  const eg = elem?.gather;
  const kn = nodes(types.key);
  const en = nodes(types.elem);
  for (let i = from; i < to; i++) {
    const b = slots.block(i);
    if (kg) {
      r.at(i - from, KEY, kn);
      kg(b, slots.keyOffset(i), r);
    }
    if (eg) {
      r.at(i - from, ELEM, en);
      eg(b, slots.elemOffset(i), r);
    }
  }
  // Indirect keys and elems live outside the bucket or group: their own bytes are read, for the general renderer.
  if (slots.indirectKey || slots.indirectElem) {
    for (let i = from; i < to; i++) {
      if (slots.indirectKey) r.read({ address: slots.keyAddress(i), length: types.key.size });
      if (slots.indirectElem) r.read({ address: slots.elemAddress(i), length: types.elem.size });
    }
  }
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (opts.stop?.()) break;
    tracePhase(`gather round ${round}: reads`);
    await r.fetch(env, source);
    tracePhase(`gather round ${round}: visits`);
    if (!r.runLater()) break;
  }
  r.giveUpPending();
  return { key, elem, givenUp };
}

/**
 * The read phase of a live target: what entries [0, counts.strings) will need to be written
 * (strings' bytes too) and [counts.strings, counts.all) to be analysed (interfaces' payloads), read
 * into the cache; for values no emitter writes, what the general renderer reads, by rendering them
 * once. Stops between rounds once the target's budget is spent (it then reads nothing more).
 */
export async function gatherSlots(
  slots: EntrySlots,
  counts: { readonly strings: number; readonly all: number },
  types: { readonly key: GoType; readonly elem: GoType },
  env: RenderEnv,
  source: TypeSource & { readonly partial?: string },
): Promise<EntryEmitters> {
  const stop = () => source.partial !== undefined;
  const shown = await gatherEntries(slots, 0, counts.strings, types, env, source, { strings: true, stop });
  if (counts.all > counts.strings) await gatherEntries(slots, counts.strings, counts.all, types, env, source, { strings: false, stop });
  const general: { type: GoType; address: bigint }[] = [];
  // Once the budget is spent nothing more is read: the general renderer would only meet refusals.
  for (let i = 0; i < counts.strings && !stop(); i++) {
    if (!shown.key || shown.givenUp[i] & KEY) general.push({ type: types.key, address: slots.keyAddress(i) });
    if (!shown.elem || shown.givenUp[i] & ELEM) general.push({ type: types.elem, address: slots.elemAddress(i) });
  }
  if (general.length > 0) await renderMany(general, env, source);
  return shown;
}

const holding = new WeakMap<GoType, boolean>();

/** Whether a value of `t` holds an interface in place (a field, an element): its payload is elsewhere. */
export function holdsInterface(t: GoType): boolean {
  let v = holding.get(t);
  if (v === undefined) {
    holding.set(t, false);
    v = t.kind === 'eface' || t.kind === 'iface' || (t.kind === 'struct' && t.fields.some((f) => holdsInterface(f.type))) || (t.kind === 'array' && t.length > 0 && holdsInterface(t.elem));
    holding.set(t, v);
  }
  return v;
}
