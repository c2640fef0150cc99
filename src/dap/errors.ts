/**
 * Errors a DAP request answers with. Each carries the DAP error id the client sees and a
 * one-line message fit for showErrorMessage; handlers throw them, the session turns them into
 * error responses.
 */
export const ErrorCode = {
  /** attach/launch arguments are missing or malformed. */
  badArguments: 3001,
  /** The target could not be opened (TargetOpenError). */
  openFailed: 3002,
  /** A request that needs a target arrived before attach/launch finished or after disconnect. */
  notOpen: 3003,
  /** Continue, step, pause and friends: mapscope has no run control. */
  noRunControl: 3004,
  /** A variablesReference or frameId the adapter never handed out. */
  unknownReference: 3005,
  /** An expression gdb could not evaluate. */
  evaluateFailed: 3006,
  /** Memory that could not be read at all. */
  readFailed: 3007,
  /** Anything unexpected: a bug, or gdb gone. */
  internal: 3099,
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

export class DapRequestError extends Error {
  override readonly name = 'DapRequestError';
  constructor(
    readonly code: ErrorCodeValue,
    message: string,
    /** Whether a client should show it to the user (rather than only log it). */
    readonly showUser = true,
  ) {
    super(message);
  }
}
