/**
 * The one place inspect turns an expression into a map header: gdb evaluates what it can (any
 * expression in Go syntax it understands, raw `0xADDR:map[K]V`), mapscope resolves the paths gdb
 * cannot follow (slice indexes, interface assertions, map keys: the paths `top` prints).
 */
import { ExpressionError } from '../gdb/errors.js';
import type { GoMapType, GoType } from '../layout/gotype.js';
import type { CachedMemory } from '../target/cache.js';
import type { Target } from '../target/target.js';
import type { RuntimeTypeInfo } from '../values/rtype.js';
import { type GoPath, needsOwnResolution, parsePath } from './path.js';
import { resolveMapPath } from './resolve.js';

export interface LocateContext {
  readonly target: Target;
  readonly mem: CachedMemory;
  readonly typesByName: Map<string, GoType | null>;
  readonly runtimeTypes: () => Promise<RuntimeTypeInfo | undefined>;
}

export async function locateMap(expr: string, ctx: LocateContext): Promise<{ header: bigint; type: GoMapType }> {
  const path = ctx.target.variables ? parsePath(expr) : undefined;
  if (!path) return ctx.target.evalMap(expr);
  const own = async (p: GoPath) =>
    resolveMapPath({ target: ctx.target, mem: ctx.mem, typesByName: ctx.typesByName, rtypes: await ctx.runtimeTypes(), stopReason: () => ctx.target.stopReason?.() }, p, expr);
  if (needsOwnResolution(path)) return own(path);
  try {
    return await ctx.target.evalMap(expr);
  } catch (e) {
    // A plain field path is gdb's to evaluate; should gdb refuse it, mapscope's own resolver
    // may still follow it (an interface holding a map, which gdb calls no map). If neither
    // can, mapscope's message says more (the struct's type and fields, the variables close to
    // the name, what an interface holds), unless its root is no package-level variable while
    // gdb found one (a local of a goroutine's frame): then gdb's stands.
    if (!(e instanceof ExpressionError)) throw e;
    try {
      return await own(path);
    } catch (mine) {
      if (!(mine instanceof ExpressionError)) throw e;
      const sameMiss = e.missing?.kind === 'variable' && mine.missing?.name === e.missing.name;
      throw mine.missing?.kind !== 'variable' || sameMiss ? mine : e;
    }
  }
}
