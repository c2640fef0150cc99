/**
 * Renders many entries with few reads: render everything from cache, fetch every miss at once
 * (merged into large ranges), resolve every missing type name at once, and render again only
 * the entries that were incomplete. Each round follows one more level of indirection, so the
 * number of rounds is bounded by the nesting of the values, not by their number.
 */
import type { GoType } from '../layout/gotype.js';
import type { EntryRef } from '../maps/snapshot.js';
import { fetchRanges } from '../target/fetch.js';
import { type MemRange, type TypeSource, lookUpTypes } from '../target/target.js';
import type { JsonValue } from './json.js';
import { type RenderEnv, Renderer } from './render.js';

const MAX_ROUNDS = 16;

export interface RenderedEntry {
  key: JsonValue;
  value: JsonValue;
}

export async function renderEntries(
  entries: readonly EntryRef[],
  keyType: GoType,
  elemType: GoType,
  env: RenderEnv,
  types: TypeSource,
): Promise<RenderedEntry[]> {
  const values = await renderMany(entries.flatMap((e) => [{ type: keyType, address: e.key }, { type: elemType, address: e.value }]), env, types);
  return entries.map((_, i) => ({ key: values[2 * i], value: values[2 * i + 1] }));
}

/** Renders values of any types at any addresses, in the batched rounds described above. */
export async function renderMany(values: readonly { readonly type: GoType; readonly address: bigint }[], env: RenderEnv, types: TypeSource): Promise<JsonValue[]> {
  const out: JsonValue[] = new Array(values.length);
  let pending = values.map((_, i) => i);
  for (let round = 0; pending.length > 0; round++) {
    const last = round === MAX_ROUNDS - 1;
    const misses: MemRange[] = [];
    const missingTypes = new Set<string>();
    const again: number[] = [];
    const r = new Renderer(env);
    for (const i of pending) {
      r.reset();
      out[i] = r.render(values[i].type, values[i].address);
      if (!r.complete && !last) {
        again.push(i);
        for (const m of r.misses) misses.push(m);
        r.missingTypes.forEach((t) => missingTypes.add(t));
      }
    }
    if (again.length === 0) break;
    await Promise.all([fetchRanges(env.mem, misses), lookUpTypes(types, env.typesByName, missingTypes)]);
    pending = again;
  }
  return out;
}
