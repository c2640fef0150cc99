/**
 * Renders many entries with few reads: render everything from cache, fetch every miss at once
 * (merged into large ranges), resolve every missing type name at once, and render again only
 * the entries that were incomplete. Each round follows one more level of indirection, so the
 * number of rounds is bounded by the nesting of the values, not by their number.
 */
import type { GoType } from '../layout/gotype.js';
import type { EntryRef } from '../maps/snapshot.js';
import { type CachedMemory, mergeRanges } from '../target/cache.js';
import { RangeList, pageRunsOf } from '../target/range-list.js';
import type { MemRange, TypeSource } from '../target/target.js';
import type { JsonValue } from './json.js';
import { type RenderEnv, Renderer } from './render.js';

const MAX_ROUNDS = 16;
/** Past this many ranges, whole pages are read (cache.ts pageRuns) rather than merged ranges. */
const MANY_RANGES = 4096;

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
    await Promise.all([fetchRanges(env.mem, misses), resolveTypes(missingTypes, env, types)]);
    pending = again;
  }
  return out;
}

/**
 * Reads ranges through the cache, merged; a merged read that fails (it may span an unmapped
 * gap) is retried range by range so one bad pointer does not hide its neighbours.
 */
export async function fetchRanges(mem: CachedMemory, ranges: readonly MemRange[] | RangeList): Promise<void> {
  if (ranges.length === 0) return;
  const many = ranges.length > MANY_RANGES;
  const list = ranges instanceof RangeList ? ranges : undefined;
  const runs = many ? pageRunsOf(list ?? RangeList.of(ranges as readonly MemRange[])) : undefined;
  const merged = runs ?? mergeRanges(list ? list.toRanges() : (ranges as readonly MemRange[]));
  const results = await mem.readMany(merged);
  // Page runs are looked up by page from now on (CachedMemory.indexPages).
  if (runs) mem.indexPages(runs.filter((_, i) => results[i].ok));
  if (results.every((r) => r.ok)) return;
  // Merged ranges are sorted and each covers a run of the sorted ranges: one pass pairs them up
  // (filtering all ranges per failed merge was quadratic when every pointer was bad).
  const sorted = (list ? list.toRanges() : [...(ranges as readonly MemRange[])]).filter((r) => r.length > 0).sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const retry: MemRange[] = [];
  let k = 0;
  results.forEach((r, i) => {
    const m = merged[i];
    const end = m.address + BigInt(m.length);
    while (k < sorted.length && sorted[k].address < m.address) k++;
    const from = k;
    while (k < sorted.length && sorted[k].address < end) k++;
    if (r.ok) return;
    const inside = sorted.slice(from, k);
    const same = inside.length === 1 && inside[0].address === m.address && inside[0].length === m.length;
    if (!same) for (const x of inside) retry.push(x);
  });
  if (retry.length > 0) await mem.readMany(retry);
}

async function resolveTypes(names: Set<string>, env: RenderEnv, types: TypeSource): Promise<void> {
  const wanted = [...names].filter((n) => !env.typesByName.has(n));
  if (wanted.length === 0) return;
  const got = await types.typesByName(wanted);
  wanted.forEach((n, i) => env.typesByName.set(n, got[i] ?? null));
}
