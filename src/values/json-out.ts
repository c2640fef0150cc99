/**
 * JSON text written as bytes into one reused buffer, handed to a sink a megabyte at a time.
 *
 * The JSON of a million-entry map is tens of megabytes: as JS strings (a number's String(), an
 * entry's template, a chunk's concatenation, then UTF-8 encoding) it cost more in allocation and
 * garbage collection than everything else together. Numbers and plain ASCII strings go straight
 * into the buffer here.
 */
const SIZE = 1 << 20;
// Web APIs, not Node's Buffer: the Map Inspector's webview writes JSON with this too.
const encoder = new TextEncoder();
const decoder = new TextDecoder();
/**
 * Bytes past the end of what a write may touch: constants and digit pairs are stored a 16- or
 * 32-bit word at a time (half the stores or fewer, on a machine where one store a byte is most of
 * the cost), and a last word may reach a few bytes beyond the text it ends, before being
 * overwritten by what follows or cut off at flush.
 */
const SLACK = 8;
/** "0000" to "9999" as little-endian 32-bit words: integers are written four digits per store. */
const QUADS = Int32Array.from({ length: 10000 }, (_, i) => wordOf(String(i).padStart(4, '0')));
/** Each byte as two lower-case hex digits, as a little-endian 16-bit word. */
const HEX2 = Uint16Array.from({ length: 256 }, (_, i) => hexChar(i >> 4) | (hexChar(i & 15) << 8));
/** Each byte value followed by a comma ("0," to "255,"), as a little-endian word, and its length. */
const BYTE_COMMA = Int32Array.from({ length: 256 }, (_, i) => wordOf(`${i},`));
const BYTE_COMMA_LEN = Uint8Array.from({ length: 256 }, (_, i) => `${i},`.length);

function hexChar(d: number): number {
  return d < 10 ? 0x30 + d : 0x57 + d;
}

/** The first four characters of an ASCII string as a little-endian 32-bit word. */
function wordOf(s: string): number {
  let w = 0;
  for (let i = 0; i < 4 && i < s.length; i++) w |= s.charCodeAt(i) << (8 * i);
  return w;
}

/** An ASCII constant (punctuation, field names) ready to be stored a word at a time. */
export class Ascii {
  readonly words: Int32Array;
  readonly length: number;

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) throw new RangeError(`not ASCII: ${JSON.stringify(text)}`);
    this.length = text.length;
    this.words = Int32Array.from({ length: Math.ceil(text.length / 4) }, (_, k) => wordOf(text.slice(4 * k)));
  }
}

/** How many of "0000".."9999"'s digits `n` (below 10^4) needs, as a shift that drops the leading zeros' bytes. */
function quadShift(n: number): number {
  return n < 100 ? (n < 10 ? 24 : 16) : n < 1000 ? 8 : 0;
}

export class JsonOut {
  private readonly buf = new Uint8Array(SIZE + SLACK);
  private readonly view = new DataView(this.buf.buffer);
  /** The end of the buffer's usable part: past it lies only SLACK. */
  private readonly end = SIZE;
  private pos = 0;

  constructor(private readonly sink: (bytes: Uint8Array) => void) {}

  /** Any text (UTF-8 encoded). */
  text(s: string): void {
    const n = s.length;
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (this.pos + n * 3 > this.end) {
      this.flush();
      if (n * 3 > this.end) {
        this.sink(encoder.encode(s));
        return;
      }
    }
    // Short ASCII by hand: encodeInto costs a few hundred nanoseconds a call, which for the
    // punctuation around millions of values was most of the writing.
    if (n <= 64) {
      const buf = this.buf;
      const at = this.pos;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at + i] = c;
      }
      if (i === n) {
        this.pos = at + n;
        return;
      }
    }
    this.pos += encoder.encodeInto(s, this.buf.subarray(this.pos)).written;
  }

  /** A string as JSON.stringify writes it; plain ASCII (addresses, names) copied as it is. */
  jsonString(s: string): void {
    const n = s.length;
    // Printable ASCII copied as it is, quotes and backslashes escaped on the way (top's paths
    // run to a hundred characters and quote their string keys); up to the buffer's size, so
    // that it fits once flushed. Copied in the same pass that looks: the copy is undone at the
    // first other character, which goes through JSON.stringify (a second pass over the string
    // cost as much as the copy).
    if (n <= 2048) {
      if (this.pos + 2 * n + 2 > this.end) this.flush();
      const buf = this.buf;
      let pos = this.pos;
      buf[pos++] = 0x22;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x20 || c > 0x7e) break;
        if (c === 0x22 || c === 0x5c) buf[pos++] = 0x5c;
        buf[pos++] = c;
      }
      if (i === n) {
        buf[pos++] = 0x22;
        this.pos = pos;
        return;
      }
    }
    this.text(JSON.stringify(s));
  }

  /**
   * An integer as JSON: digits straight into the buffer for safe integers, four per store.
   * A safe integer is below 10^16: one float division splits it into halves below 10^8, each
   * of which integer divisions split into quads; no loop, no division by 10.
   */
  int(n: number): void {
    if (!Number.isSafeInteger(n) || Object.is(n, -0)) {
      this.text(Object.is(n, -0) ? '-0' : String(n));
      return;
    }
    if (this.pos + 24 > this.end) this.flush();
    if (n < 0) {
      this.buf[this.pos++] = 0x2d;
      n = -n;
    }
    if (n < 1e8) {
      this.below1e8(n);
      return;
    }
    const hi = Math.floor(n / 1e8);
    const lo = n - hi * 1e8;
    this.below1e8(hi);
    const q = (lo / 10000) >>> 0;
    const view = this.view;
    const p = this.pos;
    view.setInt32(p, QUADS[q], true);
    view.setInt32(p + 4, QUADS[lo - q * 10000], true);
    this.pos = p + 8;
  }

  /** `n` (0 <= n < 10^8) without leading zeros; the last store may reach into SLACK. */
  private below1e8(n: number): void {
    const view = this.view;
    const p = this.pos;
    if (n < 10000) {
      const shift = quadShift(n);
      view.setInt32(p, QUADS[n] >>> shift, true);
      this.pos = p + 4 - (shift >> 3);
      return;
    }
    const q = (n / 10000) >>> 0;
    const shift = quadShift(q);
    view.setInt32(p, QUADS[q] >>> shift, true);
    const at = p + 4 - (shift >> 3);
    view.setInt32(at, QUADS[n - q * 10000], true);
    this.pos = at + 4;
  }

  /** An ASCII constant, a word at a time. */
  ascii(c: Ascii): void {
    if (this.pos + c.length > this.end) this.flush();
    const view = this.view;
    const words = c.words;
    for (let k = 0; k < words.length; k++) view.setInt32(this.pos + 4 * k, words[k], true);
    this.pos += c.length;
  }

  /** An address given as two 32-bit halves, as the JSON string "0x…" (lower-case hex, no leading zeros). */
  hexAddress(hi: number, lo: number): void {
    if (this.pos + 20 > this.end) this.flush();
    const buf = this.buf;
    // '"0x' as one word; its fourth byte is overwritten by the first digit.
    this.view.setInt32(this.pos, 0x00783022, true);
    this.pos += 3;
    if (hi === 0) this.hexDigits(lo, 0);
    else {
      this.hexDigits(hi, 0);
      this.hexDigits(lo, 8);
    }
    buf[this.pos++] = 0x22;
  }

  /** `n` (below 2^32) in hex, at least `width` digits, two digits per store. */
  private hexDigits(n: number, width: number): void {
    let digits = (35 - Math.clz32(n)) >> 2;
    if (digits < 1) digits = 1;
    if (digits < width) digits = width;
    const view = this.view;
    let at = this.pos + digits;
    this.pos = at;
    for (; digits >= 2; digits -= 2) {
      at -= 2;
      view.setUint16(at, HEX2[n & 0xff], true);
      n = n >>> 8;
    }
    if (digits === 1) this.buf[at - 1] = hexChar(n & 15);
  }

  /** `count` bytes from `at` as a JSON array of numbers; `reversed` takes them last to first. */
  byteArray(bytes: Uint8Array, at: number, count: number, reversed = false): void {
    if (this.pos + 2 + 4 * count > this.end) this.flush();
    const view = this.view;
    let p = this.pos;
    this.buf[p++] = 0x5b;
    if (count === 0) {
      this.buf[p++] = 0x5d;
      this.pos = p;
      return;
    }
    for (let k = 0; k < count; k++) {
      const v = bytes[reversed ? at + count - 1 - k : at + k];
      view.setInt32(p, BYTE_COMMA[v], true);
      p += BYTE_COMMA_LEN[v];
    }
    // The last comma becomes the closing bracket.
    this.buf[p - 1] = 0x5d;
    this.pos = p;
  }

  /**
   * A Go string's bytes as a JSON string. Printable ASCII without quote or backslash is copied as
   * it is; anything else goes through `slow` (UTF-8 repair and JSON.stringify), so the text is
   * what the renderer writes.
   */
  goString(bytes: Uint8Array, slow: (bytes: Uint8Array) => string): void {
    this.goStringAt(bytes, 0, bytes.length, slow);
  }

  /** As goString, for the `n` bytes at `at` of `bytes`. */
  goStringAt(bytes: Uint8Array, at: number, n: number, slow: (bytes: Uint8Array) => string): void {
    if (this.pos + n + 2 > this.end) {
      this.flush();
      if (n + 2 > this.end) {
        const s = bytes.subarray(at, at + n);
        this.text(plainAscii(s) ? '"' + decoder.decode(s) + '"' : slow(s));
        return;
      }
    }
    // Copied while checked, in one pass: map keys and values are mostly short and plain.
    const buf = this.buf;
    const start = this.pos;
    let p = start + 1;
    const end = at + n;
    for (let i = at; i < end; i++) {
      const c = bytes[i];
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
        this.text(slow(bytes.subarray(at, end)));
        return;
      }
      buf[p++] = c;
    }
    buf[start] = 0x22;
    buf[p++] = 0x22;
    this.pos = p;
  }

  flush(): void {
    if (this.pos === 0) return;
    // The sink writes before returning (or copies): the buffer is reused at once.
    this.sink(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }
}

/**
 * The text a JsonOut writes, as one string (small values: a key in the text report, a hover).
 * One JsonOut is reused: each holds a megabyte, and a fresh one per value made 200,000
 * interface-holding entries allocate 200 GB, most of a 40-second inspect spent collecting it.
 */
export function jsonOutText(write: (out: JsonOut) => void): string {
  // A write that itself asks for text (re-entered) gets a JsonOut of its own.
  const reuse = !textScratch.busy;
  const out = reuse ? textScratch.out : new JsonOut(textScratch.sink);
  const saved = textScratch.chunks;
  textScratch.chunks = [];
  textScratch.busy = true;
  try {
    write(out);
    out.flush();
    const chunks = textScratch.chunks;
    return chunks.length === 1 ? decoder.decode(chunks[0]) : decoder.decode(concat(chunks));
  } finally {
    textScratch.chunks = saved;
    if (reuse) textScratch.busy = false;
  }
}

const textScratch = {
  busy: false,
  chunks: [] as Uint8Array[],
  // The buffer is reused at once after the sink returns: keep a copy.
  sink: (b: Uint8Array) => void textScratch.chunks.push(b.slice()),
  out: undefined as unknown as JsonOut,
};
textScratch.out = new JsonOut(textScratch.sink);

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all;
}

function plainAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}
