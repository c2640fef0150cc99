import { GdbExitedError, MITimeoutError } from '../mi/index.js';

/**
 * Why a target could not be opened at all. Each reason is a clear one-line message for the
 * user; the CLI turns any of them into exit status 2.
 */
export type OpenFailure =
  | 'gdb-missing'
  | 'gdb-too-old'
  | 'no-such-process'
  | 'permission'
  | 'not-go'
  | 'no-dwarf'
  | 'no-such-file'
  | 'not-a-core'
  | 'truncated-core'
  | 'core-mismatch'
  | 'attach-failed'
  | 'interrupted';

export class TargetOpenError extends Error {
  override readonly name = 'TargetOpenError';
  constructor(
    readonly reason: OpenFailure,
    message: string,
  ) {
    super(message);
  }
}

/** A name an expression uses that is not there: a variable, or a field of a struct. */
export interface MissingName {
  readonly kind: 'variable' | 'field';
  readonly name: string;
}

/**
 * gdb could not evaluate an expression, or the expression is not a Go map. `missing` says which
 * name was not found, so that a message that knows more (the variables or fields close to it)
 * can take its place.
 */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    message: string,
    readonly missing?: MissingName,
  ) {
    super(message);
  }
}

/**
 * gdb's refusal of `expr`, said for someone who wrote Go: gdb's own words ("No symbol "x" in
 * current context.", "There is no member named itms.") name the problem but not what to do.
 */
export function gdbExpressionError(expr: string, gdbMessage: string): ExpressionError {
  const symbol = /^No symbol "(.+)" in current context\.?$/.exec(gdbMessage);
  if (symbol) {
    const name = symbol[1];
    return new ExpressionError(`no variable ${name} ('mapscope list' lists the package-level map variables)`, { kind: 'variable', name });
  }
  const member = /^There is no member named (.+?)\.?$/.exec(gdbMessage);
  if (member) {
    const name = member[1];
    return new ExpressionError(`${expr}: no field ${name} in the struct it is taken from ('mapscope layout --exe BIN TYPE' lists a struct's fields)`, { kind: 'field', name });
  }
  return new ExpressionError(gdbMessage.replace(/\.$/, ''));
}

/**
 * What to tell the user when a command ended because gdb hung or died (not mapscope's bug: the
 * session has ended gdb and let a live target go), or undefined for any other error.
 */
export function gdbFailure(e: unknown): string | undefined {
  if (e instanceof MITimeoutError) return `${e.message} (MAPSCOPE_GDB_TIMEOUT_MS sets the limit); gdb was ended and the process, if live, let go`;
  if (e instanceof GdbExitedError) return `${e.message}${e.endedFor === undefined ? '' : ' (MAPSCOPE_GDB_TIMEOUT_MS sets the limit)'}; the process, if live, was let go`;
  return undefined;
}
