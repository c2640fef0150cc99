/**
 * Map keys as path literals: rendered with the inspect renderer (so `top` and `inspect` read a
 * key the same way), then turned into Go source when the key type has one (strings, integers,
 * booleans). Other keys (structs, floats, pointers, interfaces) have no path step.
 */
import type { GoType } from '../layout/gotype.js';
import type { MemRange } from '../target/target.js';
import { fetchRanges } from '../target/fetch.js';
import type { JsonValue } from '../values/json.js';
import { Renderer } from '../values/render.js';
import type { DiscoverEnv } from './env.js';
import type { IndexLiteral } from './path.js';

const ROUNDS = 8;
/** Keys rendered between two looks at the target's budget. */
const KEYS_BETWEEN_CHECKS = 4096;

/** Whether keys of this type can be written in a path. */
export function keyHasLiteral(t: GoType): boolean {
  return t.kind === 'string' || t.kind === 'int' || t.kind === 'uint' || t.kind === 'uintptr' || t.kind === 'bool';
}

/** The literal of each key (undefined where it has none or could not be read). */
export async function keyLiterals(env: DiscoverEnv, keys: readonly { readonly type: GoType; readonly address: bigint }[]): Promise<(IndexLiteral | undefined)[]> {
  const out: (IndexLiteral | undefined)[] = keys.map(() => undefined);
  // Keys with literals are scalars and strings: no map header is ever rendered, so its layout does not matter.
  const r = new Renderer({ mem: env.mem, rtypes: env.rtypes, typesByName: env.typesByName, swissHeaders: false });
  let pending = keys.flatMap((k, i) => (keyHasLiteral(k.type) ? [i] : []));
  // Once the target's budget is spent nothing more would be read: the keys left have no literal.
  for (let round = 0; round < ROUNDS && pending.length > 0 && (round === 0 || env.stopReason() === undefined); round++) {
    const misses: MemRange[] = [];
    const again: number[] = [];
    // Rendering 100,000 keys is a stretch of its own, with the target stopped: the budget is asked
    // along the way, and the keys not reached once it is spent have no literal. A round begun with
    // it spent (the target let go already) renders what is in hand, reading nothing.
    const watch = env.stopReason() === undefined;
    let seen = 0;
    for (const i of pending) {
      if (watch && ++seen % KEYS_BETWEEN_CHECKS === 0 && env.stopReason() !== undefined) break;
      r.reset();
      const json = r.render(keys[i].type, keys[i].address);
      if (!r.complete) {
        again.push(i);
        for (const m of r.misses) misses.push(m);
      } else out[i] = literal(keys[i].type, json);
    }
    pending = again;
    if (misses.length > 0) await fetchRanges(env.mem, misses);
  }
  return out;
}

function literal(t: GoType, json: JsonValue): IndexLiteral | undefined {
  if (t.kind === 'string') return typeof json === 'string' ? json : undefined;
  if (t.kind === 'bool') return typeof json === 'boolean' ? json : undefined;
  // Integers beyond 2^53 are rendered as decimal strings.
  if (typeof json === 'number' && Number.isInteger(json)) return BigInt(json);
  if (typeof json === 'string' && /^-?\d+$/.test(json)) return BigInt(json);
  return undefined;
}

/** Whether a path literal names this key. */
export function literalMatches(want: IndexLiteral, got: IndexLiteral | undefined): boolean {
  return got !== undefined && typeof want === typeof got && want === got;
}
