/**
 * The target as seen from one frame of one goroutine, so that `inspect --goroutine G --frame F`
 * reads maps that live only on a goroutine's stack (a local, a parameter, a field path from
 * one, or a global). The bridge finds the frame without touching the target: see
 * gdb-scripts/mapscope_goroutines.py.
 */
import { toGdbExpression } from '../gdb/expr.js';
import type { MISession } from '../mi/index.js';
import type { GdbTarget } from '../target/gdb-target.js';
import { ScopedTarget } from '../target/scoped-target.js';
import { bridgeGoroutineEval, type GoroutineFrameSelector } from './bridge.js';

export function goroutineFrameTarget(base: GdbTarget, mi: MISession, at: GoroutineFrameSelector): ScopedTarget {
  // The bridge reads a local's path itself; the quoted form is for anything else (globals).
  return new ScopedTarget(base, (expr) => bridgeGoroutineEval(mi, at, expr, toGdbExpression(expr)));
}
