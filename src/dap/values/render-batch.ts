/**
 * Renders many Go values at once, as ../../values/entries.ts does for map entries: render from
 * cache, fetch every miss in merged reads, resolve every missing type name, render again the
 * values that were incomplete. A page of a hundred values costs a few round trips, not a hundred.
 */
import type { GoType } from '../../layout/gotype.js';
import type { MemRange } from '../../target/target.js';
import { fetchRanges } from '../../target/fetch.js';
import type { JsonValue } from '../../values/json.js';
import { Renderer } from '../../values/render.js';
import type { ValueEnv } from './env.js';

const MAX_ROUNDS = 16;

export interface ValueAt {
  readonly type: GoType;
  readonly address: bigint;
}

export async function renderValues(env: ValueEnv, items: readonly ValueAt[]): Promise<JsonValue[]> {
  const renderEnv = await env.render();
  const out: JsonValue[] = new Array(items.length).fill(null);
  let pending = items.map((_, i) => i);
  for (let round = 0; pending.length > 0; round++) {
    const last = round === MAX_ROUNDS - 1;
    const misses: MemRange[] = [];
    const missingTypes = new Set<string>();
    const again: number[] = [];
    const r = new Renderer(renderEnv);
    for (const i of pending) {
      r.reset();
      out[i] = r.render(items[i].type, items[i].address);
      if (!r.complete && !last) {
        again.push(i);
        misses.push(...r.misses);
        r.missingTypes.forEach((t) => missingTypes.add(t));
      }
    }
    if (again.length === 0) break;
    await Promise.all([fetchRanges(env.mem, misses), env.types([...missingTypes])]);
    pending = again;
  }
  return out;
}
