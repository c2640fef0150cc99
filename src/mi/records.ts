/**
 * Typed shapes of gdb/MI output records. Pure data: nothing here knows about
 * processes, Go or maps.
 */

export type MIValue = string | MIValue[] | MITuple;

/** A `{name=value,...}` tuple. Objects built by the parser have a null prototype. */
export interface MITuple {
  readonly [name: string]: MIValue;
}

export type MIResultClass = 'done' | 'running' | 'connected' | 'error' | 'exit';

export interface MIResultRecord {
  type: 'result';
  token?: number;
  resultClass: MIResultClass;
  results: MITuple;
}

export interface MIAsyncRecord {
  type: 'exec' | 'status' | 'notify';
  token?: number;
  asyncClass: string;
  results: MITuple;
}

export interface MIStreamRecord {
  type: 'console' | 'target' | 'log';
  text: string;
}

export interface MIPromptRecord {
  type: 'prompt';
}

/** Anything that is not MI: inferior output sharing gdb's tty, noise, malformed lines. */
export interface MIUnknownRecord {
  type: 'unknown';
  line: string;
}

export type MIRecord =
  | MIResultRecord
  | MIAsyncRecord
  | MIStreamRecord
  | MIPromptRecord
  | MIUnknownRecord;

/** A result record as answered to one of our commands, with the stream output it produced. */
export interface MICommandResult extends MIResultRecord {
  streams: MIStreamRecord[];
}
