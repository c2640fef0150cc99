/** `mapscope list`: every package-level variable of map type, measured. */
import type { GoMapType } from '../layout/gotype.js';
import { readUint } from '../target/bytes.js';
import type { PackageVariable, VariableProblem, Variables } from '../target/target.js';
import { type DiscoverEnv, loadRuntimeTypes } from './env.js';
import { type MapFigures, NOT_MEASURED, type ReadMap, measureMap, pastDeadline, readFoundMaps } from './measure.js';
import type { ReadHooks } from './top.js';
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

export async function listMaps(env: DiscoverEnv, variables: Variables, filter: RootFilter, hooks: ReadHooks = {}): Promise<ListResult> {
  // A named type that is not a pointer underneath (a struct, a number) cannot be a map: not described.
  const found = await variables.packageVariables(
    (name, typeName, pointerShaped) => wantedPackage(name, filter) && mayBeMap(typeName) && pointerShaped !== false,
  );
  const candidates = found.variables.filter((v): v is MapVariable => v.type.kind === 'map');
  const ps = env.mem.pointerSize;
  await hooks.stop?.();
  await loadRuntimeTypes(env);
  let reads: (ReadMap & { readonly variable: MapVariable })[];
  try {
    // One batched read for every variable's header word, then every map read side by side.
    const words = await env.mem.readMany(candidates.map((v) => ({ address: v.address, length: ps })));
    reads = candidates.map((v, i) => {
      const w = words[i];
      return w.ok ? { variable: v, type: v.type, header: readUint(w.bytes, 0, ps, env.mem) } : { variable: v, type: v.type, header: 0n, readError: `cannot read ${v.name}: ${w.error}` };
    });
    await readFoundMaps(env, reads);
  } finally {
    await hooks.resume?.();
  }
  const maps: ListedMap[] = [];
  for (const r of reads) {
    const v = r.variable;
    const figures: MapFigures =
      r.readError !== undefined && r.header === 0n
        ? { implementation: null, count: null, bytes: null, loadFactor: null, findings: [], warnings: [], error: r.readError }
        : pastDeadline(hooks.deadline)
          ? NOT_MEASURED
          : await measureMap(env, v.type, r.header, r);
    r.snapshot = undefined;
    maps.push({ name: v.name, type: v.type, variable: v.address, header: r.header, figures });
  }
  return { maps, problems: found.problems };
}
