/**
 * A Go expression → the one gdb expression to send for it in a frame. Package-qualified names
 * need quoting for gdb (`main.cfg.byName` → `'main.cfg'.byName`), but a local's field (`w.n`)
 * must stay as written. Exactly one form is ever sent: gdb 13 crashes when, in a frame of
 * package main, `main.x` is evaluated after `'main.x'` failed to resolve.
 */
import type { FrameSelector } from '../gdb/bridge.js';
import { toGdbExpression } from '../gdb/expr.js';
import type { MISession } from '../mi/index.js';
import { frameVariableNames } from './gdb-mi.js';

export async function gdbExpressionIn(mi: MISession, expr: string, at: FrameSelector | undefined): Promise<string> {
  const head = /[A-Za-z_][A-Za-z0-9_]*/.exec(expr)?.[0];
  if (at && head !== undefined) {
    const locals = await frameVariableNames(mi, at.thread, at.frame).catch(() => new Set<string>());
    if (locals.has(head)) return expr;
  }
  return toGdbExpression(expr);
}
