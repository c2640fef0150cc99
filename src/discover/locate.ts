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
  const own = async (p: GoPath) => resolveMapPath({ target: ctx.target, mem: ctx.mem, typesByName: ctx.typesByName, rtypes: await ctx.runtimeTypes() }, p, expr);
  if (needsOwnResolution(path)) return own(path);
  try {
    return await ctx.target.evalMap(expr);
  } catch (e) {
    // A plain field path is gdb's to evaluate; should gdb refuse it, mapscope's own resolver
    // may still follow it, and gdb's message stands if neither can.
    if (!(e instanceof ExpressionError)) throw e;
    try {
      return await own(path);
    } catch {
      throw e;
    }
  }
}
