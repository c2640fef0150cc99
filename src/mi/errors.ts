/**
 * Typed errors of the MI layer. Every class sets `name` explicitly so it
 * survives bundling/minification and shows up in stack traces.
 */

export class MIError extends Error {
  override name = 'MIError';
}

/** gdb answered a command with `^error`. */
export class MICommandError extends MIError {
  override name = 'MICommandError';
  constructor(
    readonly command: string,
    readonly msg: string,
    readonly code?: string,
  ) {
    super(`gdb rejected ${JSON.stringify(command)}: ${msg}${code === undefined ? '' : ` [${code}]`}`);
  }
}

/** No answer within the per-command timeout. gdb may still be working on it. */
export class MITimeoutError extends MIError {
  override name = 'MITimeoutError';
  constructor(
    readonly command: string,
    readonly timeoutMs: number,
  ) {
    super(`gdb did not answer ${JSON.stringify(command)} within ${timeoutMs} ms`);
  }
}

/** gdb exited (or closed its pipes) while a command was pending or being sent. */
export class GdbExitedError extends MIError {
  override name = 'GdbExitedError';
  constructor(
    readonly exitCode: number | null,
    readonly signal: string | null,
    readonly stderrTail: string,
    readonly command?: string,
    /** Why it was ended, when it was (a command it did not answer in time). */
    readonly endedFor?: string,
  ) {
    const how = signal !== null ? `signal ${signal}` : exitCode !== null ? `code ${exitCode}` : 'closed its pipes';
    const what = command === undefined ? '' : ` while running ${JSON.stringify(command)}`;
    const tail = stderrTail.trim();
    const why = endedFor === undefined ? '' : `, ended because it ${endedFor}`;
    super(`gdb exited (${how})${what}${why}${tail === '' ? '' : `; stderr: ${tail}`}`);
  }
}

/** gdb could not be started at all (ENOENT, EACCES, ...). */
export class GdbSpawnError extends MIError {
  override name = 'GdbSpawnError';
  constructor(
    readonly gdbPath: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`could not start gdb at ${JSON.stringify(gdbPath)}: ${detail}`, options);
  }
}

/** A line that starts like an MI record but does not follow the grammar. */
export class MIParseError extends MIError {
  override name = 'MIParseError';
  constructor(
    detail: string,
    /** The whole offending line (may be huge; kept by reference, not copied). */
    readonly line: string,
    readonly offset: number,
  ) {
    // Only a window of the line goes into the message: lines can be tens of MB.
    const from = Math.max(0, offset - 40);
    const snippet = line.slice(from, offset + 40);
    super(`malformed MI output at column ${offset}: ${detail} near ${JSON.stringify(snippet)}`);
  }
}

/** A command was sent after close() (or after gdb acknowledged -gdb-exit). */
export class MIClosedError extends MIError {
  override name = 'MIClosedError';
  constructor(readonly command: string) {
    super(`MI session is closed; cannot send ${JSON.stringify(command)}`);
  }
}
