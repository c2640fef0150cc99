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

/** gdb could not evaluate an expression, or the expression is not a Go map. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
}
