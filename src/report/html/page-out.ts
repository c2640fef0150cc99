/**
 * The page written in pieces: markup and data go into reused byte buffers (JsonOut) handed to a
 * sink a megabyte at a time, so a million-entry map's page is never one string.
 *
 * Entries travel in data blocks (`<script type="application/x-mapscope-entries">`, raw text the
 * browser never runs), one line per live slot: the entry's `{"key":K,"value":V}` as the emitters
 * write it for --json, or an empty line for a slot without one. Rewriting the lines shorter (`K,V`)
 * would make the page a third smaller, but any pass over the bytes in JavaScript cost more than
 * writing the entries did. Every `<` is written `\u003c` — valid in any JSON string, and all it
 * takes for no key or value to close the block or open a comment in it; the page's script turns
 * it back when it shows the text.
 */
import { Ascii, JsonOut } from '../../values/json-out.js';
import type { JsonItems } from '../../values/json.js';
import type { Markup } from './escape.js';

const LT = 0x3c;
const ESCAPED_LT = Uint8Array.from([0x5c, 0x75, 0x30, 0x30, 0x33, 0x63]); // \u003c
const NEWLINE = new Ascii('\n');

/** `bytes` with every `<` written as `\u003c` (the bytes themselves when there is none: the usual case). */
export function escapeLt(bytes: Uint8Array): Uint8Array {
  // Buffer's indexOf is memchr; a typed array's looks at a byte at a time.
  let at = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).indexOf(LT);
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

/** The lines of a data block. */
export interface EntryLines {
  /** Entry `i` of `items` as a line. */
  entry(items: JsonItems, i: number): void;
  /** A live slot with no entry to show. */
  empty(): void;
}

export class PageOut {
  private readonly main: JsonOut;
  private readonly data: JsonOut;
  private readonly lines: EntryLines;

  constructor(sink: (bytes: Uint8Array) => void) {
    this.main = new JsonOut(sink);
    const data = (this.data = new JsonOut((b) => sink(escapeLt(b))));
    this.lines = {
      entry(items, i) {
        items.writeItem(i, data);
        data.ascii(NEWLINE);
      },
      empty() {
        data.ascii(NEWLINE);
      },
    };
  }

  markup(m: Markup): void {
    this.main.text(m.html);
  }

  /** The lines of a data block, written by `write` as said above. */
  entryLines(write: (lines: EntryLines) => void): void {
    this.main.flush();
    write(this.lines);
    this.data.flush();
  }

  flush(): void {
    this.main.flush();
  }
}
