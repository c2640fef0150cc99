/**
 * The target as seen from one frame of one goroutine: the same memory and types as the
 * session's GdbTarget, but a map expression names a local or parameter of that frame (or a
 * field path from one, or a global), so that `inspect --goroutine G --frame F` reads maps that
 * live only on a goroutine's stack. The bridge finds the frame without touching the target:
 * see gdb-scripts/mapscope_goroutines.py.
 */
import { ExpressionError } from '../gdb/errors.js';
import { parseRawMapExpr, toGdbExpression } from '../gdb/expr.js';
import { GoTypeBuilder } from '../layout/dwarf.js';
import type { GoMapType, GoType } from '../layout/gotype.js';
import { MICommandError, type MISession } from '../mi/index.js';
import type { GdbTarget } from '../target/gdb-target.js';
import type { MemRange, ReadResult, Target, TargetInfo } from '../target/target.js';
import { bridgeGoroutineEval, type GoroutineFrameSelector } from './bridge.js';

export class GoroutineFrameTarget implements Target {
  // No `variables`: path resolution through package-level variables would read `m` as a global.
  constructor(
    private readonly base: GdbTarget,
    private readonly mi: MISession,
    readonly at: GoroutineFrameSelector,
  ) {}

  get info(): TargetInfo {
    return this.base.info;
  }

  get pointerSize(): 4 | 8 {
    return this.base.pointerSize;
  }

  get littleEndian(): boolean {
    return this.base.littleEndian;
  }

  readMany(ranges: readonly MemRange[]): Promise<ReadResult[]> {
    return this.base.readMany(ranges);
  }

  typesByName(names: readonly string[]): Promise<(GoType | undefined)[]> {
    return this.base.typesByName(names);
  }

  symbolAddress(name: string): Promise<bigint | undefined> {
    return this.base.symbolAddress(name);
  }

  async evalMap(expr: string): Promise<{ header: bigint; type: GoMapType }> {
    // A raw address names the same map from every frame.
    if (parseRawMapExpr(expr)) return this.base.evalMap(expr);
    let answer;
    try {
      // The bridge reads a local's path itself; the quoted form is for anything else (globals).
      answer = await bridgeGoroutineEval(this.mi, this.at, expr, toGdbExpression(expr));
    } catch (e) {
      if (e instanceof MICommandError) throw new ExpressionError(e.msg.replace(/\.$/, ''));
      throw e;
    }
    const type = new GoTypeBuilder(answer.types, this.pointerSize).type(answer.root);
    if (type.kind !== 'map') throw new ExpressionError(`${expr} is not a Go map (its type is ${type.name})`);
    return { header: answer.header, type };
  }
}
