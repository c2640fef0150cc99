/** Exit statuses of the inspect contract. */
export const EXIT_OK = 0;
/** At least one map could not be read; the others were. */
export const EXIT_SOME_FAILED = 1;
/** Usage error, or the target cannot be opened at all. */
export const EXIT_USAGE = 2;
/** gdb stopped answering, or died, mid-command: it was ended and a live target detached (EX_UNAVAILABLE). */
export const EXIT_GDB_FAILED = 69;
/** A bug in mapscope (EX_SOFTWARE), never expected. */
export const EXIT_INTERNAL = 70;
/** Interrupted by a signal; the target was detached first. */
export const EXIT_INTERRUPTED = 130;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
