/**
 * Parser for one line of gdb/MI output ("GDB/MI Output Syntax" in the gdb
 * manual). Recursive descent over an index into the line: no copies of the
 * remainder, so it stays linear on multi-megabyte memory dumps.
 */

import { decodeCString } from './cstring.js';
import { MIParseError } from './errors.js';
import type { MIRecord, MIResultClass, MITuple, MIValue } from './records.js';

const RESULT_CLASSES: ReadonlySet<string> = new Set<MIResultClass>(['done', 'running', 'connected', 'error', 'exit']);

const ASYNC_TYPES = { '*': 'exec', '+': 'status', '=': 'notify' } as const;
const STREAM_TYPES = { '~': 'console', '@': 'target', '&': 'log' } as const;

// gdb's classes are lowercase words with hyphens; insisting on that keeps inferior
// output such as `=== RUN TestX` from passing for a notify record.
const CLASS_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Deepest tuple/list nesting accepted. gdb's answers nest a handful of levels (the bridge's type
 * tables about five); recursion deeper than this would exhaust the stack (a line of 100,000 `[`
 * threw RangeError instead of MIParseError).
 */
const MAX_NESTING = 1000;

type MutableTuple = Record<string, MIValue>;

function newTuple(): MutableTuple {
  // Null prototype: names come from gdb (and Python MI commands), so `__proto__`,
  // `constructor` etc. must be ordinary keys and lookups must not hit Object.prototype.
  return Object.create(null) as MutableTuple;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Parses one line (without its newline). Throws MIParseError only for malformed MI-looking lines. */
export function parseMILine(line: string): MIRecord {
  const trimmed = trimEnd(line);
  if (trimmed === '(gdb)') return { type: 'prompt' };

  let i = 0;
  while (isDigit(line.charCodeAt(i))) i++;
  const token = i > 0 ? Number(line.slice(0, i)) : undefined;
  const marker = line[i];
  // Tokens are ours and small; a longer digit run would round (or become Infinity) and could
  // match another command's token.
  if (token !== undefined && !Number.isSafeInteger(token) && (marker === '^' || marker === '*' || marker === '+' || marker === '=')) {
    throw new MIParseError('token out of range', line, 0);
  }

  if (marker === '^') {
    const p = new Cursor(line, i + 1, trimmed.length);
    const cls = p.readClass();
    if (!RESULT_CLASSES.has(cls)) throw new MIParseError(`unknown result class ${JSON.stringify(cls.slice(0, 40))}`, line, i + 1);
    const results = p.readResultsToEnd();
    return withToken({ type: 'result', resultClass: cls as MIResultClass, results }, token);
  }
  if (marker === '*' || marker === '+' || marker === '=') {
    const p = new Cursor(line, i + 1, trimmed.length);
    const asyncClass = p.readClass();
    if (!CLASS_NAME.test(asyncClass)) throw new MIParseError(`bad async class ${JSON.stringify(asyncClass.slice(0, 40))}`, line, i + 1);
    const results = p.readResultsToEnd();
    return withToken({ type: ASYNC_TYPES[marker], asyncClass, results }, token);
  }
  if (token === undefined && (marker === '~' || marker === '@' || marker === '&')) {
    const { value, end } = decodeCString(line, 1);
    if (end !== trimmed.length) throw new MIParseError('trailing characters after stream record', line, end);
    return { type: STREAM_TYPES[marker], text: value };
  }
  return { type: 'unknown', line };
}

function withToken<T extends object>(record: T, token: number | undefined): T & { token?: number } {
  return token === undefined ? record : { ...record, token };
}

/** Trailing whitespace (a stray `\r`, the prompt's space) is not significant. */
function trimEnd(line: string): string {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 0x20 || line.charCodeAt(end - 1) === 0x0d)) end--;
  return end === line.length ? line : line.slice(0, end);
}

class Cursor {
  private depth = 0;

  constructor(
    private readonly s: string,
    private i: number,
    private readonly end: number,
  ) {}

  /** Result/async class: everything up to the first `,` (or end of line). */
  readClass(): string {
    const start = this.i;
    while (this.i < this.end && this.s.charCodeAt(this.i) !== 0x2c) this.i++;
    return this.s.slice(start, this.i);
  }

  /** `( "," result )*` up to the end of the line, into one tuple. */
  readResultsToEnd(): MITuple {
    const t = newTuple();
    const seen = new TupleBuilder(t);
    while (this.i < this.end) {
      this.expect(0x2c);
      this.readResultInto(seen);
    }
    return t;
  }

  private readResultInto(b: TupleBuilder): void {
    const c = this.s.charCodeAt(this.i);
    // gdb's MI2 multi-location breakpoints print `bkpt={..},{..}`: a nameless
    // value continues the previous result.
    if ((c === 0x7b || c === 0x5b || c === 0x22) && b.lastName !== undefined) {
      b.add(b.lastName, this.readValue());
      return;
    }
    const name = this.readName();
    b.add(name, this.readValue());
  }

  private readName(): string {
    const start = this.i;
    const eq = this.s.indexOf('=', start);
    if (eq < 0 || eq >= this.end) throw this.fail('expected "name="');
    // A name never contains structural characters; finding one means a missing `=`.
    for (let k = start; k < eq; k++) {
      const c = this.s.charCodeAt(k);
      if (c === 0x2c || c === 0x7b || c === 0x7d || c === 0x5b || c === 0x5d || c === 0x22) throw this.fail('expected "name="');
    }
    if (eq === start) throw this.fail('empty result name');
    this.i = eq + 1;
    return this.s.slice(start, eq);
  }

  private readValue(): MIValue {
    const c = this.s.charCodeAt(this.i);
    if (c === 0x22) {
      const { value, end } = decodeCString(this.s, this.i);
      if (end > this.end) throw this.fail('unterminated c-string');
      this.i = end;
      return value;
    }
    if (c === 0x7b) return this.readTuple();
    if (c === 0x5b) return this.readList();
    throw this.fail('expected a value (c-string, tuple or list)');
  }

  private readTuple(): MITuple {
    this.enter();
    this.i++; // '{'
    const t = newTuple();
    if (this.s.charCodeAt(this.i) === 0x7d) {
      this.i++;
      this.depth--;
      return t;
    }
    const b = new TupleBuilder(t);
    for (;;) {
      this.readResultInto(b);
      const c = this.s.charCodeAt(this.i);
      this.i++;
      if (c === 0x7d) {
        this.depth--;
        return t;
      }
      if (c !== 0x2c) throw this.fail('expected "," or "}" in tuple', this.i - 1);
    }
  }

  private enter(): void {
    if (++this.depth > MAX_NESTING) throw this.fail(`tuples and lists nested deeper than ${MAX_NESTING}`);
  }

  private readList(): MIValue[] {
    this.enter();
    this.i++; // '['
    const out: MIValue[] = [];
    if (this.s.charCodeAt(this.i) === 0x5d) {
      this.i++;
      this.depth--;
      return out;
    }
    for (;;) {
      const c = this.s.charCodeAt(this.i);
      // A list of results (`[frame={..},frame={..}]`) keeps only the values, as cdt-gdb-adapter does.
      if (c !== 0x22 && c !== 0x7b && c !== 0x5b) this.readName();
      out.push(this.readValue());
      const d = this.s.charCodeAt(this.i);
      this.i++;
      if (d === 0x5d) {
        this.depth--;
        return out;
      }
      if (d !== 0x2c) throw this.fail('expected "," or "]" in list', this.i - 1);
    }
  }

  private expect(code: number): void {
    if (this.s.charCodeAt(this.i) !== code) throw this.fail(`expected ${JSON.stringify(String.fromCharCode(code))}`);
    this.i++;
  }

  private fail(detail: string, at = this.i): MIParseError {
    return new MIParseError(detail, this.s, at);
  }
}

/** Adds results to a tuple; a repeated name turns into an array of all its values, in order. */
class TupleBuilder {
  lastName: string | undefined;
  private repeated: Set<string> | undefined;

  constructor(private readonly t: MutableTuple) {}

  add(name: string, value: MIValue): void {
    this.lastName = name;
    if (!(name in this.t)) {
      this.t[name] = value;
      return;
    }
    this.repeated ??= new Set();
    // Only arrays we created by repetition may be appended to; a list value
    // seen once must be wrapped, not extended.
    if (this.repeated.has(name)) {
      (this.t[name] as MIValue[]).push(value);
    } else {
      this.repeated.add(name);
      this.t[name] = [this.t[name], value];
    }
  }
}
