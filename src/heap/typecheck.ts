/**
 * The check the inspect pipeline runs on a map given by raw address (`0xADDR:map[K]V`), where
 * nothing but the user vouches for the type. Before the decode: does the runtime's heap record
 * of the map's arrays contradict the type? Then the map gets an error and is not decoded. After
 * the decode: the signals (a freed header or array) and, when the heap could not confirm the
 * type, the decoded map's inconsistencies, as warnings.
 */
import type { GoMapType } from '../layout/gotype.js';
import type { MapLayout } from '../layout/map-layout.js';
import { decodeInconsistencies } from '../maps/consistency.js';
import type { MapSnapshot } from '../maps/snapshot.js';
import type { CachedMemory } from '../target/cache.js';
import type { Memory, MemRange } from '../target/target.js';
import type { RuntimeTypeInfo } from '../values/rtype.js';
import { type HeapLayoutResult, type HeapTarget, loadHeapLayout } from './layout.js';
import { checkMapTypes, type MapTypeVerdict, type TypeNamer } from './map-check.js';

export interface RawMapCheck {
  readonly verdict: MapTypeVerdict;
  /** The map's error when the heap contradicts its type. */
  readonly error?: string;
  /** After the decode: the warnings to add to the snapshot's. */
  warnings(snapshot: MapSnapshot): Promise<string[]>;
}

export class RawMapTypeCheck {
  private heap: Promise<HeapLayoutResult> | undefined;

  constructor(
    private readonly target: HeapTarget,
    /** The runtime's type descriptors, to name a recorded type in a message; optional. */
    private readonly runtimeTypes?: () => Promise<RuntimeTypeInfo | undefined>,
  ) {}

  /** The runtime's heap layout, looked up once per target. */
  heapLayout(): Promise<HeapLayoutResult> {
    this.heap ??= loadHeapLayout(this.target).catch((e: unknown) => ({ ok: false as const, reason: e instanceof Error ? e.message : String(e) }));
    return this.heap;
  }

  /** Checks the map at `header` read as `type` (with its `layout`); `mem` is the pipeline's cache. */
  async check(mem: CachedMemory | Memory, header: bigint, type: GoMapType, layout: MapLayout): Promise<RawMapCheck> {
    const [c] = await this.checkAll(mem, [{ header, type, layout }]);
    return c;
  }

  /** Checks many maps at once: the same few batched reads as for one (map-check.ts). */
  async checkAll(mem: CachedMemory | Memory, maps: readonly { header: bigint; type: GoMapType; layout: MapLayout }[]): Promise<RawMapCheck[]> {
    // Looked up only when a message names a recorded type.
    const types = this.runtimeTypes;
    const nameOf: TypeNamer | undefined =
      types && isCached(mem)
        ? async (address) => {
            const rtypes = await types().catch(() => undefined);
            return rtypes ? runtimeTypeNamer(mem, rtypes)(address) : undefined;
          }
        : undefined;
    const queries = maps.map((m) => ({ header: m.header, typeName: m.type.name, layout: m.layout }));
    const verdicts = await checkMapTypes(mem, await this.heapLayout(), queries, nameOf);
    return verdicts.map((verdict, i) => {
      const { header, type, layout } = maps[i];
      return {
        verdict,
        ...(verdict.kind === 'contradicts' ? { error: verdict.error } : {}),
        warnings: async (snapshot: MapSnapshot) => [...verdict.signals, ...(await inconsistencyWarnings(mem, header, type, layout, verdict, snapshot))],
      };
    });
  }
}

function isCached(mem: CachedMemory | Memory): mem is CachedMemory {
  return 'peek' in mem;
}

/** The decoded map's inconsistencies as one warning, saying what the heap could or could not confirm. */
export async function inconsistencyWarnings(mem: Memory, header: bigint, type: GoMapType, layout: MapLayout, verdict: MapTypeVerdict, snapshot: MapSnapshot): Promise<string[]> {
  if (verdict.kind === 'contradicts') return [];
  const found = await decodeInconsistencies(mem, layout, snapshot);
  if (found.length === 0) return [];
  const at = `0x${header.toString(16)}`;
  const why =
    verdict.kind === 'unknown'
      ? `${at} may not hold a ${type.name} (the Go heap cannot tell: ${verdict.reason})`
      : verdict.basis === 'size class'
        ? `${at} may not hold a ${type.name} (its arrays' size class fits, as it would for other types of that size)`
        : `${at} is a ${type.name} by the heap's record, but its memory is inconsistent`;
  return [`${why}: ${found.join('; ')}`];
}

/** A snapshot with warnings added, its lazily built parts left lazy. */
export function withWarnings(snapshot: MapSnapshot, warnings: readonly string[]): MapSnapshot {
  if (warnings.length === 0) return snapshot;
  const props: PropertyDescriptorMap = Object.getOwnPropertyDescriptors(snapshot);
  props.warnings = { value: [...snapshot.warnings, ...warnings], enumerable: true, writable: false, configurable: true };
  // Same prototype: a snapshot's lazy parts may be getters of its class (maps/swiss/decode.ts).
  return Object.create(Object.getPrototypeOf(snapshot) as object, props) as MapSnapshot;
}

/** Names recorded types through the runtime's descriptors (values/rtype.ts), a few rounds of reads at most. */
export function runtimeTypeNamer(mem: CachedMemory, rtypes: RuntimeTypeInfo): TypeNamer {
  return async (address) => {
    for (let round = 0; round < 4; round++) {
      const misses: MemRange[] = [];
      const t = rtypes.read(mem, address, misses);
      if (t === 'unreadable') return undefined;
      if (t) return t.name;
      await mem.readMany(misses);
    }
    return undefined;
  };
}
