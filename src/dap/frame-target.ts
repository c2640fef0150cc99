/**
 * The target as seen from one stack frame, so that `mapscope/inspect` with a frameId reaches
 * the frame's locals as the Variables view does.
 */
import { bridgeEvalAt, type FrameSelector } from '../gdb/bridge.js';
import type { MISession } from '../mi/index.js';
import type { GdbTarget } from '../target/gdb-target.js';
import { ScopedTarget } from '../target/scoped-target.js';
import { gdbExpressionIn } from './frame-expr.js';

export function frameTarget(base: GdbTarget, mi: MISession, at: FrameSelector): ScopedTarget {
  return new ScopedTarget(base, async (expr) => bridgeEvalAt(mi, await gdbExpressionIn(mi, expr, at), at));
}
