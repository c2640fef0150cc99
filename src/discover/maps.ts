/**
 * Decoding a map met on the way: its layout (looked up again by name when the type was
 * described too far from its root to include the runtime header), then the right decoder.
 */
import type { GoMapType } from '../layout/gotype.js';
import { type MapLayout, mapLayout } from '../layout/map-layout.js';
import { type DecodeOptions, decodeClassic, decodeSmallClassic } from '../maps/classic/decode.js';
import type { MapSnapshot } from '../maps/snapshot.js';
import { decodeSmallSwiss, decodeSwiss } from '../maps/swiss/decode.js';
import { TypeLookupRefused } from '../target/target.js';
import { type DiscoverEnv, typeNamed } from './env.js';

interface Described {
  readonly type: GoMapType;
  readonly layout: MapLayout;
}

const described = new WeakMap<DiscoverEnv['typesByName'], Map<string, Promise<Described>>>();

/**
 * The map type with its runtime header described, and its layout. The bridge follows a few
 * pointer hops per description; a map type reached deep in a variable's type graph may lack its
 * header, and its own description by name has it.
 */
export function describedMap(env: DiscoverEnv, type: GoMapType): Promise<Described> {
  let byName = described.get(env.typesByName);
  if (!byName) described.set(env.typesByName, (byName = new Map()));
  let found = byName.get(type.name);
  if (!found) {
    found = (async () => {
      try {
        return { type, layout: mapLayout(type) };
      } catch (e) {
        const fresh = await typeNamed(env, type.name);
        if (fresh?.kind !== 'map' || fresh === type) throw e;
        return { type: fresh, layout: mapLayout(fresh) };
      }
    })();
    byName.set(type.name, found);
    // A lookup refused for the budget is asked again, once the target runs.
    const pending = found;
    found.catch((e: unknown) => {
      if (e instanceof TypeLookupRefused && byName.get(type.name) === pending) byName.delete(type.name);
    });
  }
  return found;
}

export async function mapLayoutOf(env: DiscoverEnv, type: GoMapType): Promise<MapLayout> {
  return (await describedMap(env, type)).layout;
}

export function decodeMap(env: DiscoverEnv, layout: MapLayout, header: bigint, opts: DecodeOptions = {}): Promise<MapSnapshot> {
  // Most maps met are small, and read already (prefetched, or copied with the process).
  const small = decodeSmallMap(env, layout, header);
  if (small) return Promise.resolve(small);
  return layout.kind === 'classic' ? decodeClassic(env.mem, layout, header, opts) : decodeSwiss(env.mem, layout, header, opts);
}

/** A small map decoded at once from bytes in hand; undefined when it is not one, or they are not all there. */
export function decodeSmallMap(env: DiscoverEnv, layout: MapLayout, header: bigint): MapSnapshot | undefined {
  return layout.kind === 'classic' ? decodeSmallClassic(env.mem, layout, header) : decodeSmallSwiss(env.mem, layout, header);
}

/** The live count the header says: hmap.count or Map.used. */
export function liveCount(s: MapSnapshot): number {
  return s.implementation === 'classic' ? s.count : s.used;
}
