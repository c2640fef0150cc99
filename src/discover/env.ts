/**
 * What discovery works over: target memory through the shared cache, the runtime's type
 * descriptors (for interfaces), and Go types by name, resolved once and shared with the value
 * renderer. Types reached through many pointer hops may have been described without their
 * pointee (the bridge stops after a few hops); they are looked up again by name here.
 */
import { type GoPointerType, type GoSliceType, type GoType, predeclaredType } from '../layout/gotype.js';
import { CachedMemory } from '../target/cache.js';
import { CoalescedMemory } from '../target/coalesce.js';
import { type Target, TypeLookupRefused, lookUpTypes } from '../target/target.js';
import { type RuntimeTypeInfo, loadRuntimeTypeInfo } from '../values/rtype.js';

export interface DiscoverEnv {
  readonly target: Target;
  readonly mem: CachedMemory;
  /** Loaded once the target can be read (loadRuntimeTypes): a live process's moduledata is read stopped. */
  rtypes: RuntimeTypeInfo | undefined;
  /** Go types by name as resolved so far; null: the binary has no DWARF type of that name. */
  readonly typesByName: Map<string, GoType | null>;
  /**
   * Why reading must end now (the target's pause budget or the command's time is spent): asked
   * between rounds. Once a live process's memory is copied whole it asks nothing more: the
   * target is no longer read.
   */
  stopReason: () => string | undefined;
}

/** A type by name if already known: the type, null if the binary has none, undefined if not asked yet. */
export function knownType(env: DiscoverEnv, name: string): GoType | null | undefined {
  return predeclaredType(name, env.mem.pointerSize) ?? env.typesByName.get(name);
}

/**
 * Asks the target, in one call, for every name not resolved yet; false when it may not be asked
 * now (the pause budget is spent): the names stay unresolved, not missing. The target finds a
 * name spelled by package name (`store.Item`, as the runtime names types) under its package path
 * too (`example.com/app/store.Item`, as DWARF does).
 */
export function resolveTypeNames(env: DiscoverEnv, names: Iterable<string>): Promise<boolean> {
  const ps = env.mem.pointerSize;
  return lookUpTypes(env.target, env.typesByName, [...names].filter((n) => !predeclaredType(n, ps)));
}

/** A type by name; throws TypeLookupRefused when it may not be asked now. */
export async function typeNamed(env: DiscoverEnv, name: string): Promise<GoType | undefined> {
  if (!(await resolveTypeNames(env, [name]))) throw new TypeLookupRefused(env.stopReason() ?? 'the pause budget is spent');
  return knownType(env, name) ?? undefined;
}

/** The name of what a pointer or slice type points at, for a description cut short. */
export function elemName(t: GoPointerType | GoSliceType): string {
  return t.kind === 'pointer' ? t.name.replace(/^\*/, '') : t.name.replace(/^\[\]/, '');
}

/** A pointer's or slice's element type, described or looked up by name. */
export async function elemType(env: DiscoverEnv, t: GoPointerType | GoSliceType): Promise<GoType | undefined> {
  return t.elem ?? (await typeNamed(env, elemName(t)));
}

/** Synchronous form for hot loops: undefined means "not known yet, resolve elemName first". */
export function knownElem(env: DiscoverEnv, t: GoPointerType | GoSliceType): GoType | null | undefined {
  return t.elem ?? knownType(env, elemName(t));
}

/**
 * A discovery environment over a target: a fresh cache, and (`rtypes`: true) the runtime's type
 * descriptors if it has them; without, loadRuntimeTypes adds them once the target may be read.
 */
export async function discoverEnv(target: Target, rtypes = true): Promise<DiscoverEnv> {
  // Many maps are read side by side: their reads are sent together (coalesce.ts).
  const mem = new CachedMemory(new CoalescedMemory(target));
  const env: DiscoverEnv = { target, mem, rtypes: undefined, typesByName: new Map(), stopReason: () => target.stopReason?.() };
  if (rtypes) await loadRuntimeTypes(env);
  return env;
}

export async function loadRuntimeTypes(env: DiscoverEnv): Promise<void> {
  env.rtypes ??= await loadRuntimeTypeInfo(env.target).catch(() => undefined);
}
