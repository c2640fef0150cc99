/**
 * Commands written to gdb and not yet answered, keyed by token. Map iteration
 * order is insertion order and tokens only grow, so the first entry is the
 * command gdb is working on now (it runs them one at a time).
 */

import type { MICommandResult, MIResultRecord, MIStreamRecord } from './records.js';

export interface PendingCommand {
  readonly token: number;
  readonly command: string;
  readonly streams: MIStreamRecord[];
  /** Timed out: the caller got its rejection, but gdb will still answer (or print) eventually. */
  abandoned: boolean;
  readonly resolve: (r: MICommandResult) => void;
  readonly reject: (e: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

export class PendingTable<P extends PendingCommand = PendingCommand> {
  private readonly byToken = new Map<number, P>();

  add(p: P): void {
    this.byToken.set(p.token, p);
  }

  get size(): number {
    return this.byToken.size;
  }

  /** Attributes stream output to the command gdb is currently executing, if any. */
  addStream(r: MIStreamRecord): void {
    const oldest = this.byToken.values().next();
    if (!oldest.done && !oldest.value.abandoned) oldest.value.streams.push(r);
  }

  /**
   * Removes and returns the command a result record answers, or undefined if the
   * token is not ours. Abandoned commands are removed but reported as `'ignored'`.
   */
  takeFor(r: MIResultRecord): P | 'ignored' | undefined {
    if (r.token === undefined) return undefined;
    const p = this.byToken.get(r.token);
    if (p === undefined) return undefined;
    this.byToken.delete(r.token);
    clearTimeout(p.timer);
    return p.abandoned ? 'ignored' : p;
  }

  /** Marks a command as timed out; it stays queued so later stream output is not misattributed. */
  abandon(token: number): P | undefined {
    const p = this.byToken.get(token);
    if (p === undefined || p.abandoned) return undefined;
    p.abandoned = true;
    p.timer = undefined;
    return p;
  }

  /** Empties the table, rejecting every live command with the error `makeError` builds for it. */
  failAll(makeError: (p: P) => Error): void {
    const all = [...this.byToken.values()];
    this.byToken.clear();
    for (const p of all) {
      clearTimeout(p.timer);
      if (!p.abandoned) p.reject(makeError(p));
    }
  }
}
