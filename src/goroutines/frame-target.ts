/**
 * The target as seen from one frame of one goroutine, so that `inspect --goroutine G --frame F`
 * reads maps that live only on a goroutine's stack (a local, a parameter, a field path from
 * one, or a global). The bridge finds the frame without touching the target: see
 * gdb-scripts/mapscope_goroutines.py. A local of a generic function is named as instantiated,
 * from the function's dictionary (./instantiate.ts).
 */
import { parseRawMapExpr, toGdbExpression } from '../gdb/expr.js';
import type { GoMapType } from '../layout/gotype.js';
import type { MISession } from '../mi/index.js';
import { type GdbTarget, mapFromBridge } from '../target/gdb-target.js';
import { dwarfTypeName } from '../target/runtime-names.js';
import { ScopedTarget } from '../target/scoped-target.js';
import { type RuntimeTypeInfo, loadRuntimeTypeInfo } from '../values/rtype.js';
import { type GoroutineFrameSelector, type GoroutineMap, bridgeGoroutineEval } from './bridge.js';
import { instantiate, runtimeMapNames } from './instantiate.js';

class GoroutineFrameTarget extends ScopedTarget {
  private rtypes: Promise<RuntimeTypeInfo | undefined> | undefined;

  constructor(
    private readonly frameBase: GdbTarget,
    private readonly mi: MISession,
    private readonly at: GoroutineFrameSelector,
  ) {
    super(frameBase, (expr) => this.ask(expr));
  }

  // The bridge reads a local's path itself; the quoted form is for anything else (globals).
  private ask(expr: string): Promise<GoroutineMap> {
    return bridgeGoroutineEval(this.mi, this.at, expr, toGdbExpression(expr));
  }

  override async evalMap(expr: string): Promise<{ header: bigint; type: GoMapType }> {
    if (parseRawMapExpr(expr)) return super.evalMap(expr);
    let answer: GoroutineMap | undefined;
    const found = await mapFromBridge(expr, this.pointerSize, async () => (answer = await this.ask(expr)));
    const rtype = answer?.runtimeType;
    if (rtype === undefined) return found;
    this.rtypes ??= loadRuntimeTypeInfo(this.frameBase).catch(() => undefined);
    const rtypes = await this.rtypes;
    const names = rtypes && (await runtimeMapNames(this.frameBase, rtypes, rtype).catch(() => undefined));
    if (!names) return found;
    // The descriptors name packages by name (`uuid.UUID`); every other map says the path, as DWARF does.
    const dwarf = (n: string) => dwarfTypeName(this.frameBase.variables, n);
    const [name, key, elem] = await Promise.all([dwarf(names.name), dwarf(names.key), dwarf(names.elem)]);
    return { header: found.header, type: instantiate(found.type, { ...names, name, key, elem }) };
  }
}

export function goroutineFrameTarget(base: GdbTarget, mi: MISession, at: GoroutineFrameSelector): ScopedTarget {
  return new GoroutineFrameTarget(base, mi, at);
}
