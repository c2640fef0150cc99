/**
 * The page written in pieces: markup and data go into one reused byte buffer (a JsonOut) that is
 * handed to a sink a megabyte at a time, so a million-entry map's page is never one string.
 *
 * Entries travel in data blocks (`<script type="application/x-mapscope-entries">`, raw text the
 * browser never runs): their JSON text is written as it is, but for `<`, written `\u003c` —
 * valid in any JSON string, and all that is needed for no key or value to close the block or
 * open a comment in it. The page's script turns it back when it shows the text.
 */
import { Ascii, JsonOut } from '../../values/json-out.js';
import type { Markup } from './escape.js';

const LT = 0x3c;
const ESCAPED_LT = Uint8Array.from([0x5c, 0x75, 0x30, 0x30, 0x33, 0x63]); // \u003c

/** `bytes` with every `<` written as `\u003c` (the bytes themselves when there is none). */
export function escapeLt(bytes: Uint8Array): Uint8Array {
  let at = bytes.indexOf(LT);
  if (at < 0) return bytes;
  let n = 0;
  for (let i = at; i >= 0; i = bytes.indexOf(LT, i + 1)) n++;
  const out = new Uint8Array(bytes.length + n * (ESCAPED_LT.length - 1));
  let from = 0;
  let to = 0;
  for (; at >= 0; at = bytes.indexOf(LT, at + 1)) {
    out.set(bytes.subarray(from, at), to);
    to += at - from;
    out.set(ESCAPED_LT, to);
    to += ESCAPED_LT.length;
    from = at + 1;
  }
  out.set(bytes.subarray(from), to);
  return out;
}

export const NEWLINE = new Ascii('\n');

export class PageOut {
  private readonly main: JsonOut;
  private readonly data: JsonOut;

  constructor(sink: (bytes: Uint8Array) => void) {
    this.main = new JsonOut(sink);
    this.data = new JsonOut((b) => sink(escapeLt(b)));
  }

  markup(m: Markup): void {
    this.main.text(m.html);
  }

  /** Text inside a data block, written by `write` (JSON text, lines): `<` escaped as said above. */
  dataText(write: (out: JsonOut) => void): void {
    this.main.flush();
    write(this.data);
    this.data.flush();
  }

  flush(): void {
    this.main.flush();
  }
}
