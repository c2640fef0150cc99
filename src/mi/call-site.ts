/**
 * Errors for a command are only known after gdb answers (or dies), long after
 * send() returned, when the stack no longer says who sent it. So the stack is
 * captured at send() time and grafted onto whichever typed error is built later.
 */

export interface CallSite {
  readonly stack?: string;
}

/** `below`: the public entry point; it and the frames above it are left out of the trace. */
export function captureCallSite(below: (...args: never[]) => unknown): CallSite {
  const holder: { stack?: string } = {};
  // V8 formats the frames lazily, only if `.stack` is read, so this is cheap per command.
  Error.captureStackTrace(holder, below);
  return holder;
}

export function withCallSite<E extends Error>(err: E, site: CallSite): E {
  const frames = site.stack;
  if (frames === undefined) return err;
  const nl = frames.indexOf('\n');
  err.stack = `${err.name}: ${err.message}${nl < 0 ? '' : frames.slice(nl)}`;
  return err;
}
