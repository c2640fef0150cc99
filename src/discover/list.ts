/** `mapscope list`: every package-level variable of map type, measured. */
import type { GoMapType } from '../layout/gotype.js';
import { readUint } from '../target/bytes.js';
import type { PackageVariable, VariableProblem, Variables } from '../target/target.js';
import { IN_FLIGHT, mapLimit } from './concurrency.js';
import type { DiscoverEnv } from './env.js';
import { type MapFigures, measureMap } from './measure.js';
import { type RootFilter, mayBeMap, wantedPackage } from './roots.js';

export interface ListedMap {
  readonly name: string;
  readonly type: GoMapType;
  /** Where the variable lives. */
  readonly variable: bigint;
  /** The map header it holds; 0 for a nil map (or one that could not be read). */
  readonly header: bigint;
  readonly figures: MapFigures;
}

export interface ListResult {
  readonly maps: ListedMap[];
  readonly problems: VariableProblem[];
}

type MapVariable = PackageVariable & { readonly type: GoMapType };

export async function listMaps(env: DiscoverEnv, variables: Variables, filter: RootFilter): Promise<ListResult> {
  // A named type that is not a pointer underneath (a struct, a number) cannot be a map: not described.
  const found = await variables.packageVariables(
    (name, typeName, pointerShaped) => wantedPackage(name, filter) && mayBeMap(typeName) && pointerShaped !== false,
  );
  const candidates = found.variables.filter((v): v is MapVariable => v.type.kind === 'map');
  const ps = env.mem.pointerSize;
  // One batched read for every variable's header word.
  const words = await env.mem.readMany(candidates.map((v) => ({ address: v.address, length: ps })));
  const maps = await mapLimit(candidates, IN_FLIGHT, async (v, i): Promise<ListedMap> => {
    const w = words[i];
    const header = w.ok ? readUint(w.bytes, 0, ps, env.mem) : 0n;
    const figures: MapFigures = w.ok
      ? await measureMap(env, v.type, header)
      : { implementation: null, count: null, bytes: null, loadFactor: null, findings: [], warnings: [], error: `cannot read ${v.name}: ${w.error}` };
    return { name: v.name, type: v.type, variable: v.address, header, figures };
  });
  return { maps, problems: found.problems };
}
