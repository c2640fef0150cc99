/**
 * Type names as the runtime spells them (`uuid.UUID`, a package name and a name: what a type
 * descriptor's name holds) turned into DWARF's spelling (`github.com/google/uuid.UUID`, the
 * package path), so that types found through descriptors (interfaces' dynamic types, generic
 * functions' dictionaries) are looked up and shown as every other type is.
 */
import type { Variables } from './target.js';

/** Qualified identifiers as the runtime spells them: a package name, a dot, a name; not inside a path. */
const SHORT_QUALIFIED = /(?<![\p{L}\p{N}_./])([\p{L}_][\p{L}\p{N}_]*)\.([\p{L}_][\p{L}\p{N}_]*)/gu;

/** `runtimeName` with each package name replaced by the package path DWARF uses (where one matches). */
export async function dwarfTypeName(variables: Variables | undefined, runtimeName: string): Promise<string> {
  if (!variables) return runtimeName;
  const shorts = [...new Set([...runtimeName.matchAll(SHORT_QUALIFIED)].map((m) => m[0]))].filter((q) => !q.startsWith('main.'));
  if (shorts.length === 0) return runtimeName;
  const full = await Promise.all(shorts.map((q) => variables.qualifiedTypeName(q)));
  const byShort = new Map(shorts.map((q, i) => [q, full[i] ?? q]));
  return runtimeName.replace(SHORT_QUALIFIED, (q) => byShort.get(q) ?? q);
}

/** A package path before a package name: `github.com/google/` in `github.com/google/uuid.UUID`. */
const PATH_PREFIX = /(?<![\p{L}\p{N}_.~+/-])(?:[\p{L}\p{N}_.~+-]+\/)+(?=[\p{L}_][\p{L}\p{N}_]*\.)/gu;

/** The other way: a DWARF type name as the runtime spells it (package names, not paths), as type descriptors and typelinks hold it. */
export function runtimeTypeName(dwarfName: string): string {
  return dwarfName.replace(PATH_PREFIX, '');
}
