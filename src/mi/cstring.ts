/**
 * MI c-strings. gdb/MI prints strings "sevenbit": every byte >= 0x80 and every
 * control character is escaped (gdb's printchar), so the UTF-8 text of e.g. a
 * Go string arrives as runs of `\NNN` octal escapes that must be reassembled
 * into bytes before decoding.
 */

import { MIParseError } from './errors.js';

export interface DecodedCString {
  value: string;
  /** Index just past the closing quote. */
  end: number;
}

// Non-fatal: invalid UTF-8 (e.g. a Go string holding arbitrary bytes) becomes U+FFFD.
// ignoreBOM keeps a leading U+FEFF: by default TextDecoder drops it, and each run of escapes
// is decoded on its own, so "\357\273\277" anywhere in a string vanished (found by fuzzing).
const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

// Finds the next quote or backslash without running past the string's end,
// which a plain indexOf('\\') would do (making many-strings-per-line quadratic).
const SPECIAL = /["\\]/g;

const SIMPLE_ESCAPES: Readonly<Partial<Record<string, number>>> = {
  n: 0x0a,
  t: 0x09,
  r: 0x0d,
  b: 0x08,
  f: 0x0c,
  v: 0x0b,
  a: 0x07,
  e: 0x1b,
  '"': 0x22,
  '\\': 0x5c,
  "'": 0x27,
  '?': 0x3f,
};

function isOctal(c: number): boolean {
  return c >= 0x30 && c <= 0x37;
}

/** Bytes produced by consecutive escapes; decoded together so multi-byte UTF-8 survives. */
class ByteRun {
  private buf = new Uint8Array(64);
  private len = 0;
  private ascii = true;

  push(b: number): void {
    if (this.len === this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.len++] = b;
    if (b >= 0x80) this.ascii = false;
  }

  /** Returns the decoded text and empties the run. */
  take(): string {
    if (this.len === 0) return '';
    const view = this.buf.subarray(0, this.len);
    // Short all-ASCII runs (the usual `\n`, `\"`) skip the TextDecoder call.
    const text = this.ascii && this.len <= 1024 ? String.fromCharCode(...view) : utf8.decode(view);
    this.len = 0;
    this.ascii = true;
    return text;
  }
}

/**
 * Decodes the MI c-string whose opening quote is at `s[start]`.
 * Throws MIParseError if there is no quote at `start` or the string is unterminated.
 */
export function decodeCString(s: string, start: number): DecodedCString {
  if (s.charCodeAt(start) !== 0x22) throw new MIParseError('expected \'"\'', s, start);
  let pos = start + 1;
  let out = '';
  let run: ByteRun | undefined;
  for (;;) {
    SPECIAL.lastIndex = pos;
    const m = SPECIAL.exec(s);
    if (m === null) throw new MIParseError('unterminated c-string', s, start);
    const at = m.index;
    if (at > pos) {
      if (run !== undefined) out += run.take();
      out += s.slice(pos, at);
    }
    if (s.charCodeAt(at) === 0x22) {
      if (run !== undefined) out += run.take();
      return { value: out, end: at + 1 };
    }
    // Backslash escape(s): consecutive ones are consumed here without another regex search.
    run ??= new ByteRun();
    pos = at;
    do pos = readEscape(s, pos, start, run);
    while (s.charCodeAt(pos) === 0x5c);
  }
}

/** Decodes the escape whose backslash is at `at` into `run`; returns the index after it. */
function readEscape(s: string, at: number, stringStart: number, run: ByteRun): number {
  const next = s.charCodeAt(at + 1);
  if (Number.isNaN(next)) throw new MIParseError('unterminated c-string', s, stringStart);
  if (isOctal(next)) {
    // gdb always prints exactly three digits; accepting 1-3 (as C does) is a harmless superset.
    let v = next - 0x30;
    let i = at + 2;
    for (let k = 0; k < 2 && isOctal(s.charCodeAt(i)); k++, i++) v = v * 8 + (s.charCodeAt(i) - 0x30);
    run.push(v & 0xff);
    return i;
  }
  const simple = SIMPLE_ESCAPES[s[at + 1]];
  if (simple !== undefined) {
    run.push(simple);
    return at + 2;
  }
  // Unknown escapes keep the character itself, as C compilers and gdb's own parser do.
  const cp = s.codePointAt(at + 1) ?? next;
  for (const b of utf8Encoder.encode(String.fromCodePoint(cp))) run.push(b);
  return at + 1 + (cp > 0xffff ? 2 : 1);
}

/**
 * Quotes `s` as an MI c-string argument for a command line sent to gdb.
 * Non-ASCII text is passed through as UTF-8 (gdb's MI argument parser accepts raw bytes).
 * Throws RangeError for NUL, which gdb's argument parser cannot represent.
 */
export function quoteMIArg(s: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x7f) continue;
    out += s.slice(from, i) + escapeForGdb(c);
    from = i + 1;
  }
  return out + s.slice(from) + '"';
}

function escapeForGdb(c: number): string {
  switch (c) {
    case 0x00:
      throw new RangeError('gdb/MI arguments cannot contain NUL characters');
    case 0x22:
      return '\\"';
    case 0x5c:
      return '\\\\';
    case 0x0a:
      return '\\n';
    case 0x09:
      return '\\t';
    case 0x0d:
      return '\\r';
    default:
      // gdb's parse_escape knows no `\e`, so other controls go as 3-digit octal.
      return '\\' + c.toString(8).padStart(3, '0');
  }
}
