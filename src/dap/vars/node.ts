/**
 * A node of the variables tree: anything with children the client can expand (a struct, a
 * map's entries, a table's groups, an analysis section). Children are computed on request, one
 * page at a time.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';

export interface ChildQuery {
  readonly filter?: 'indexed' | 'named';
  readonly start: number;
  readonly count?: number;
}

export interface VarNode {
  /** A stable identity: expanding the same thing twice hands out the same reference. */
  readonly key: string;
  children(q: ChildQuery): Promise<DebugProtocol.Variable[]>;
}

/** Children of one request, at most; clients page far below this (VS Code asks for 100). */
export const MAX_PAGE = 10_000;
/** Indexed children returned to a client that does not page (no filter, no count). */
export const MAX_UNPAGED = 1000;

/** The range of indexed children a query asks for, bounded; undefined for `named` only. */
export function indexedRange(q: ChildQuery, total: number): { start: number; end: number } | undefined {
  if (q.filter === 'named') return undefined;
  const start = Math.max(0, Math.min(q.start, total));
  const wanted = q.count && q.count > 0 ? Math.min(q.count, MAX_PAGE) : MAX_UNPAGED;
  return { start, end: Math.min(total, start + wanted) };
}

/** Whether a query wants the named children too. */
export function wantsNamed(q: ChildQuery): boolean {
  return q.filter !== 'indexed';
}

/** A leaf variable: a value and nothing to expand. */
export function leaf(name: string, value: string, extra: Partial<DebugProtocol.Variable> = {}): DebugProtocol.Variable {
  return { name, value, variablesReference: 0, ...extra };
}
