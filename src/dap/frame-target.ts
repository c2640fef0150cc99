/**
 * The target as seen from one stack frame: the same memory and types as the session's
 * GdbTarget, but map expressions are evaluated in that frame, so that `mapscope/inspect` with a
 * frameId reaches the frame's locals as the Variables view does.
 */
import { bridgeEvalAt, type FrameSelector } from '../gdb/bridge.js';
import { ExpressionError } from '../gdb/errors.js';
import { parseRawMapExpr } from '../gdb/expr.js';
import { GoTypeBuilder } from '../layout/dwarf.js';
import type { GoMapType, GoType } from '../layout/gotype.js';
import { MICommandError, type MISession } from '../mi/index.js';
import type { GdbTarget } from '../target/gdb-target.js';
import type { MemRange, ReadResult, Target, TargetInfo } from '../target/target.js';
import { gdbExpressionIn } from './frame-expr.js';

export class FrameTarget implements Target {
  constructor(
    private readonly base: GdbTarget,
    private readonly mi: MISession,
    private readonly at: FrameSelector,
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
      answer = await bridgeEvalAt(this.mi, await gdbExpressionIn(this.mi, expr, this.at), this.at);
    } catch (e) {
      if (e instanceof MICommandError) throw new ExpressionError(e.msg.replace(/\.$/, ''));
      throw e;
    }
    const type = new GoTypeBuilder(answer.types, this.pointerSize).type(answer.root);
    if (type.kind !== 'map') throw new ExpressionError(`${expr} is not a Go map (its type is ${type.name})`);
    return { header: answer.header, type };
  }
}
