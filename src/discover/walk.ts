/**
 * The walk behind `mapscope top`: breadth-first from package-level variables through pointers,
 * struct fields, arrays, slices, interfaces and map values, recording every map header met.
 *
 * Breadth-first, one level of indirection at a time, so that each level costs a few batched
 * reads whatever its width, and the first path that reaches a map is one of the shortest
 * (fewest pointer, slice, interface and map hops). Every object is visited once per type; every
 * map is recorded once however many paths lead to it. Bounded in depth (hops), objects and
 * time; what a bound cut off is counted, never silently dropped.
 */
import type { GoType } from '../layout/gotype.js';
import type { EntrySlots } from '../maps/slots.js';
import { type MemRange, TypeLookupRefused } from '../target/target.js';
import { fetchRanges } from '../target/fetch.js';
import { IN_FLIGHT, mapLimit } from './concurrency.js';
import { type InterfaceWords, resolveDynamic } from './dynamic.js';
import { type DiscoverEnv, elemName, knownElem, resolveTypeNames } from './env.js';
import { decodeMap, describedMap } from './maps.js';
import type { PathStep } from './path.js';
import { type Plan, Planner, type Slot } from './plan.js';
import { VisitedSet, Words } from './words.js';
import { DEFAULT_BOUNDS, type FoundMap, type PathNode, type Root, type Skipped, type StopReason, type WalkBounds, type WalkResult, type WalkStep } from './walk-model.js';

export { DEFAULT_BOUNDS, type FoundMap, type PathNode, type Root, type Skipped, type StopReason, type WalkBounds, type WalkResult, type WalkStep } from './walk-model.js';

/** Objects read and scanned between two looks at the clock. */
const SCAN_CHUNK = 4096;

/** Bytes of one slice's elements read at once; longer slices are walked in part. */
const MAX_ITEM_BYTES = 64 << 20;

interface ValueItem {
  readonly kind: 'value';
  readonly address: bigint;
  readonly type: GoType;
  /** Elements of a slice's array; 1 for a single value. */
  readonly count: number;
  /** Whether elements are named by index (a slice's array) or the value is the path's end. */
  readonly indexed: boolean;
  readonly depth: number;
  readonly path: PathNode;
}

interface MapItem {
  readonly kind: 'map';
  readonly found: FoundMap;
  readonly depth: number;
}

type Item = ValueItem | MapItem;

/** Where a slot was met, for building its path only if something is found through it. */
interface Origin {
  readonly item: ValueItem;
  readonly element: number;
  readonly prefix: readonly PathStep[];
}

interface PendingInterface {
  readonly words: InterfaceWords;
  readonly origin: Origin;
  readonly steps: readonly PathStep[];
}

interface PendingPointer {
  readonly slot: Extract<Slot, { kind: 'pointer' } | { kind: 'slice' }>;
  readonly words: Words;
  readonly offset: number;
  readonly origin: Origin;
}

export async function walk(env: DiscoverEnv, roots: readonly Root[], bounds: WalkBounds = DEFAULT_BOUNDS): Promise<WalkResult> {
  return new Walker(env, bounds).run(roots);
}

/** A big map's bucket or group arrays decoded between two looks at the time. */
const DECODE_CHUNK_BYTES = 1 << 20;
/** A map's entries queued between two looks at the time. */
const ENTRIES_BETWEEN_CHECKS = 8192;

/** The walk's time ran out while a map was decoded: the map is found, not walked. */
class OutOfTime extends Error {
  override readonly name = 'OutOfTime';
}

class Walker {
  private readonly planner = new Planner();
  private readonly visited = new VisitedSet();
  private readonly maps = new Map<bigint, FoundMap>();
  private readonly ps: number;
  private readonly start = Date.now();
  private objects = 0;
  private pointersFollowed = 0;
  private deepest = 0;
  private stopped: StopReason | null = null;
  private readonly skipped: Skipped = { depth: 0, objects: 0, time: 0, elements: 0, unknownTypes: 0, unreadable: 0 };
  // Per pass: what scanning met that needs more than the bytes at hand.
  private interfaces: PendingInterface[] = [];
  private pointers: PendingPointer[] = [];
  private newMaps: FoundMap[] = [];

  constructor(
    private readonly env: DiscoverEnv,
    private readonly bounds: WalkBounds,
  ) {
    this.ps = env.mem.pointerSize;
  }

  async run(roots: readonly Root[]): Promise<WalkResult> {
    let level: Item[] = roots.map((r) => ({ kind: 'value', address: r.address, type: r.type, count: 1, indexed: false, depth: 0, path: { up: null, steps: [], root: r.name } }));
    for (let depth = 0; level.length > 0; depth++) {
      if (this.outOfTime()) {
        this.skipped.time += level.length;
        break;
      }
      this.deepest = depth;
      const next: Item[] = [];
      let pass: readonly Item[] = level;
      while (pass.length > 0) {
        if (this.outOfTime()) {
          this.skipped.time += pass.length;
          break;
        }
        pass = await this.runPass(pass, next);
      }
      level = next;
    }
    return {
      maps: [...this.maps.values()],
      roots: roots.length,
      depth: this.deepest,
      objects: this.objects,
      pointersFollowed: this.pointersFollowed,
      stoppedBy: this.stopped ?? (this.skipped.depth > 0 ? 'depth' : null),
      skipped: this.skipped,
      elapsedMs: Date.now() - this.start,
    };
  }

  private outOfTime(): boolean {
    if (this.stopped === 'time' || this.stopped === 'pause') return true;
    // The target's own budget first: past it, every read would be refused.
    const why = this.env.stopReason();
    if (why !== undefined) {
      this.stopped = /--max-pause/.test(why) ? 'pause' : 'time';
      return true;
    }
    if (Date.now() - this.start <= this.bounds.maxTimeMs) return false;
    this.stopped = 'time';
    return true;
  }

  /** One pass over items of one level; returns the items the same level gained (map entries, interface payloads held inline). */
  private async runPass(pass: readonly Item[], next: Item[]): Promise<ValueItem[]> {
    const inline: ValueItem[] = [];
    const maps = pass.filter((i): i is MapItem => i.kind === 'map');
    const entries = await mapLimit(maps, IN_FLIGHT, (m) => {
      if (!this.outOfTime()) return this.expandMap(m);
      this.skipped.time++;
      return Promise.resolve([]);
    });
    for (const e of entries) for (const v of e) inline.push(v);
    const values = pass.filter((i): i is ValueItem => i.kind === 'value');
    // One by one: a spread of a map's entries (over 125,000) overflowed the call stack.
    for (const v of inline) values.push(v);
    this.interfaces = [];
    this.pointers = [];
    this.newMaps = [];
    // In slices of a few thousand objects, so that the time bound is checked between reads
    // rather than after a level of 100,000 objects.
    for (let from = 0; from < values.length; from += SCAN_CHUNK) {
      if (this.outOfTime()) {
        this.skipped.time += values.length - from;
        break;
      }
      const chunk = values.slice(from, from + SCAN_CHUNK);
      await fetchRanges(this.env.mem, chunk.map((v): MemRange => ({ address: v.address, length: v.count * v.type.size })));
      for (const v of chunk) this.scanItem(v, next);
    }
    const gained: ValueItem[] = [];
    if (this.outOfTime()) {
      // Maps found are kept; what they or the interfaces met would have led to is not walked.
      this.skipped.time += this.pointers.length + this.interfaces.length + this.newMaps.length;
      return gained;
    }
    await this.settlePointers(next);
    await this.settleInterfaces(next, gained);
    await this.settleMaps(next);
    return gained;
  }

  private scanItem(item: ValueItem, next: Item[]): void {
    const size = item.type.size;
    if (size === 0) return;
    const bytes = this.env.mem.peek(item.address, size * item.count);
    if (!(bytes instanceof Uint8Array)) {
      this.skipped.unreadable++;
      return;
    }
    const plan = this.planner.plan(item.type);
    const words = new Words(bytes, this.env.mem.pointerSize, this.env.mem.littleEndian);
    for (let i = 0; i < item.count; i++) this.scanSlots(words, i * size, plan, { item, element: i, prefix: [] }, next);
  }

  private scanSlots(words: Words, base: number, plan: Plan, origin: Origin, next: Item[]): void {
    const ps = this.ps;
    for (const slot of plan) {
      const off = base + slot.offset;
      switch (slot.kind) {
        case 'pointer':
        case 'slice':
          if (words.uint(off) !== 0n) this.followPointer({ slot, words, offset: off, origin }, next);
          break;
        case 'map': {
          const header = words.uint(off);
          if (header !== 0n && !this.maps.has(header)) {
            const found: FoundMap = { header, type: slot.type, path: this.pathOf(origin, slot.steps), depth: origin.item.depth };
            this.maps.set(header, found);
            this.newMaps.push(found);
          }
          break;
        }
        case 'eface':
        case 'iface': {
          const word0 = words.uint(off);
          if (word0 === 0n) break;
          const iface: InterfaceWords = { kind: slot.kind, address: origin.item.address + BigInt(off), word0, data: words.uint(off + ps) };
          this.interfaces.push({ words: iface, origin, steps: slot.steps });
          break;
        }
        case 'array': {
          const n = Math.min(slot.length, this.bounds.maxElements);
          this.skipped.elements += slot.length - n;
          for (let j = 0; j < n; j++) {
            const inner: Origin = { ...origin, prefix: [...origin.prefix, ...slot.steps, { kind: 'index', key: BigInt(j) }] };
            this.scanSlots(words, off + j * slot.elem.size, slot.plan, inner, next);
          }
          break;
        }
      }
    }
  }

  /** A non-nil pointer or slice: followed if its target may lead to maps; its type looked up first if need be. */
  private followPointer(p: PendingPointer, next: Item[]): void {
    const elem = knownElem(this.env, p.slot.type);
    if (elem === undefined) {
      this.pointers.push(p);
      return;
    }
    if (elem === null) {
      this.skipped.unknownTypes++;
      return;
    }
    if (!this.planner.leadsToMaps(elem)) return;
    const address = p.words.uint(p.offset);
    if (p.slot.kind === 'pointer') {
      this.enqueue({ kind: 'value', address, type: elem, count: 1, indexed: false }, elem.name, p.origin, p.slot.steps, next);
      return;
    }
    const len = p.words.int(p.offset + this.ps);
    if (len <= 0n || elem.size === 0) return;
    const count = Math.min(Number(len > 1n << 40n ? 1n << 40n : len), this.bounds.maxElements, Math.floor(MAX_ITEM_BYTES / elem.size));
    this.skipped.elements += Number(len) - count;
    this.enqueue({ kind: 'value', address, type: elem, count, indexed: true }, `[${count}]${elem.name}`, p.origin, p.slot.steps, next);
  }

  /** Queues an object for the next level, unless seen (as this type), too deep, or over budget. */
  private enqueue(v: Omit<ValueItem, 'depth' | 'path'>, typeKey: string, origin: Origin, steps: readonly PathStep[], next: Item[]): void {
    if (this.visited.has(v.address, typeKey)) return;
    if (origin.item.depth + 1 > this.bounds.maxDepth) {
      this.skipped.depth++;
      return;
    }
    if (!this.takeObject()) return;
    this.visited.add(v.address, typeKey);
    this.pointersFollowed++;
    next.push({ kind: 'value', address: v.address, type: v.type, count: v.count, indexed: v.indexed, depth: origin.item.depth + 1, path: this.pathOf(origin, steps) });
  }

  private takeObject(): boolean {
    if (this.objects >= this.bounds.maxObjects) {
      this.skipped.objects++;
      this.stopped ??= 'objects';
      return false;
    }
    this.objects++;
    return true;
  }

  private pathOf(o: Origin, steps: readonly PathStep[]): PathNode {
    return new LazyPathNode(o.item.path, o.item.indexed ? o.element : -1, o.prefix, steps);
  }

  /** Pointers whose pointee was not described: looked up by name in one call, then followed. */
  private async settlePointers(next: Item[]): Promise<void> {
    if (this.pointers.length === 0) return;
    const pending = this.pointers;
    this.pointers = [];
    if (!(await resolveTypeNames(this.env, pending.map((p) => elemName(p.slot.type))))) {
      // Past the budget: what these pointers lead to is left, as the rest of the walk is.
      this.outOfTime();
      this.skipped.time += pending.length;
      return;
    }
    for (const p of pending) {
      if (knownElem(this.env, p.slot.type) === undefined) this.skipped.unknownTypes++;
      else this.followPointer(p, next);
    }
  }

  /** Interfaces: pointer-shaped payloads are part of this level; boxed ones are objects of the next. */
  private async settleInterfaces(next: Item[], gained: ValueItem[]): Promise<void> {
    if (this.interfaces.length === 0) return;
    const pending = this.interfaces;
    this.interfaces = [];
    const dyn = await resolveDynamic(this.env, pending.map((p) => p.words));
    pending.forEach((p, i) => {
      const d = dyn[i];
      if (!d.ok) {
        if (d.late) this.skipped.time++;
        else if (d.name !== undefined) this.skipped.unknownTypes++;
        else this.skipped.unreadable++;
        return;
      }
      if (!this.planner.leadsToMaps(d.type)) return;
      const steps: PathStep[] = [...p.steps, { kind: 'assert', type: d.name }];
      const v = { kind: 'value', address: d.address, type: d.type, count: 1, indexed: false } as const;
      if (d.address === p.words.address + BigInt(this.ps)) gained.push({ ...v, depth: p.origin.item.depth, path: this.pathOf(p.origin, steps) });
      else this.enqueue(v, d.type.name, p.origin, steps, next);
    });
  }

  /** New maps whose values may lead to more maps: their entries are walked at the next level. */
  private async settleMaps(next: Item[]): Promise<void> {
    for (const found of this.newMaps) {
      const d = await describedMap(this.env, found.type).catch((e: unknown) => (e instanceof TypeLookupRefused ? e : undefined));
      if (d instanceof TypeLookupRefused) {
        this.outOfTime();
        this.skipped.time++;
        continue;
      }
      if (!d) {
        this.skipped.unknownTypes++;
        continue;
      }
      if (!this.planner.leadsToMaps(d.layout.elem)) continue;
      if (found.depth + 1 > this.bounds.maxDepth) {
        this.skipped.depth++;
        continue;
      }
      if (this.takeObject()) next.push({ kind: 'map', found, depth: found.depth + 1 });
    }
    this.newMaps = [];
  }

  /** Decodes a map and queues its values (keys are not walked: a path cannot name what is inside a key). */
  private async expandMap(item: MapItem): Promise<ValueItem[]> {
    const out: ValueItem[] = [];
    const { found } = item;
    try {
      const { layout } = await describedMap(this.env, found.type);
      // A big map's decoding and its entries' queueing are stretches of their own (a tenth of a
      // second for 100,000 entries, with the target stopped): the time is looked at along them.
      const progress = () => {
        if (this.outOfTime()) throw new OutOfTime();
      };
      found.snapshot ??= await decodeMap(this.env, layout, found.header, { chunkBytes: DECODE_CHUNK_BYTES, progress });
      const count = found.snapshot.slots.length;
      const n = Math.min(count, this.bounds.maxElements);
      this.skipped.elements += count - n;
      const parent: PathNode = found.path;
      const slots = found.snapshot.slots;
      for (let i = 0; i < n; i++) {
        if (i % ENTRIES_BETWEEN_CHECKS === ENTRIES_BETWEEN_CHECKS - 1 && this.outOfTime()) {
          this.skipped.time += n - i;
          break;
        }
        out.push({ kind: 'value', address: slots.elemAddress(i), type: layout.elem, count: 1, indexed: false, depth: item.depth, path: new EntryPathNode(parent, slots, i, layout.key) });
      }
    } catch (e) {
      if (e instanceof TypeLookupRefused || e instanceof OutOfTime) this.skipped.time++;
      else this.skipped.unreadable++;
    }
    return out;
  }
}

/**
 * A path segment made only when asked for: the walk queues hundreds of thousands of objects and
 * names only the few that lead to maps. Building every segment's steps up front was the walk's
 * largest cost after reading.
 */
class LazyPathNode implements PathNode {
  private made: readonly WalkStep[] | undefined;

  constructor(
    readonly up: PathNode,
    /** The element of a slice's array this was found in, or -1. */
    private readonly element: number,
    private readonly prefix: readonly PathStep[],
    private readonly tail: readonly PathStep[],
  ) {}

  get steps(): readonly WalkStep[] {
    this.made ??= [...(this.element >= 0 ? [{ kind: 'index', key: BigInt(this.element) } as const] : []), ...this.prefix, ...this.tail];
    return this.made;
  }
}

/** A map entry's step, its key's address read from the slots only when the path is printed. */
class EntryPathNode implements PathNode {
  private made: readonly WalkStep[] | undefined;

  constructor(
    readonly up: PathNode,
    private readonly slots: EntrySlots,
    private readonly i: number,
    private readonly keyType: GoType,
  ) {}

  get steps(): readonly WalkStep[] {
    this.made ??= [{ kind: 'entry', keyAddress: this.slots.keyAddress(this.i), keyType: this.keyType }];
    return this.made;
  }
}
