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
const HEX = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

export class JsonOut {
  private buf = new Uint8Array(SIZE);
  private pos = 0;

  constructor(private readonly sink: (bytes: Uint8Array) => void) {}

  /** Any text (UTF-8 encoded). */
  text(s: string): void {
    const n = s.length;
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (this.pos + n * 3 > this.buf.length) {
      this.flush();
      if (n * 3 > this.buf.length) {
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
    if (n <= 64) {
      let plain = true;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
          plain = false;
          break;
        }
      }
      if (plain) {
        if (this.pos + n + 2 > this.buf.length) this.flush();
        const buf = this.buf;
        buf[this.pos++] = 0x22;
        for (let i = 0; i < n; i++) buf[this.pos++] = s.charCodeAt(i);
        buf[this.pos++] = 0x22;
        return;
      }
    }
    this.text(JSON.stringify(s));
  }

  /** An integer as JSON: digits straight into the buffer for safe integers. */
  int(n: number): void {
    if (!Number.isSafeInteger(n) || Object.is(n, -0)) {
      this.text(Object.is(n, -0) ? '-0' : String(n));
      return;
    }
    if (this.pos + 24 > this.buf.length) this.flush();
    const buf = this.buf;
    if (n < 0) {
      buf[this.pos++] = 0x2d;
      n = -n;
    }
    if (n < 10) {
      buf[this.pos++] = 0x30 + n;
      return;
    }
    let digits = 1;
    while (digits < POW10.length && n >= POW10[digits]) digits++;
    if (digits === POW10.length) for (let m = n / POW10[digits - 1]; m >= 10; m /= 10) digits++;
    let at = this.pos + digits;
    this.pos = at;
    // Below 2^31 the quotient is an int32 operation; above it, a float division.
    while (n >= 2147483648) {
      const q = Math.floor(n / 10);
      buf[--at] = 0x30 + (n - q * 10);
      n = q;
    }
    while (n > 0) {
      const q = (n / 10) | 0;
      buf[--at] = 0x30 + (n - q * 10);
      n = q;
    }
  }

  /** An address given as two 32-bit halves, as the JSON string "0x…" (lower-case hex, no leading zeros). */
  hexAddress(hi: number, lo: number): void {
    if (this.pos + 20 > this.buf.length) this.flush();
    const buf = this.buf;
    buf[this.pos++] = 0x22;
    buf[this.pos++] = 0x30;
    buf[this.pos++] = 0x78;
    if (hi === 0) this.hexDigits(lo, 0);
    else {
      this.hexDigits(hi, 0);
      this.hexDigits(lo, 8);
    }
    buf[this.pos++] = 0x22;
  }

  /** `n` (below 2^32) in hex, at least `width` digits. */
  private hexDigits(n: number, width: number): void {
    let digits = (35 - Math.clz32(n)) >> 2;
    if (digits < 1) digits = 1;
    if (digits < width) digits = width;
    const buf = this.buf;
    let at = this.pos + digits;
    this.pos = at;
    for (let k = 0; k < digits; k++) {
      buf[--at] = HEX[n & 15];
      n = n >>> 4;
    }
  }

  /** `count` bytes from `at` as a JSON array of numbers; `reversed` takes them last to first. */
  byteArray(bytes: Uint8Array, at: number, count: number, reversed = false): void {
    if (this.pos + 2 + 4 * count > this.buf.length) this.flush();
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 0x5b;
    for (let k = 0; k < count; k++) {
      if (k > 0) buf[p++] = 0x2c;
      const v = bytes[reversed ? at + count - 1 - k : at + k];
      if (v >= 100) {
        buf[p++] = 0x30 + ((v / 100) | 0);
        buf[p++] = 0x30 + (((v / 10) | 0) % 10);
      } else if (v >= 10) buf[p++] = 0x30 + ((v / 10) | 0);
      buf[p++] = 0x30 + (v % 10);
    }
    buf[p++] = 0x5d;
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
    if (this.pos + n + 2 > this.buf.length) {
      this.flush();
      if (n + 2 > this.buf.length) {
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

/** The text a JsonOut writes, as one string (for tests and small values). */
export function jsonOutText(write: (out: JsonOut) => void): string {
  let text = '';
  // stream: a character split across two flushes is decoded whole.
  const out = new JsonOut((b) => (text += decoder.decode(b, { stream: true })));
  write(out);
  out.flush();
  return text + decoder.decode();
}

function plainAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}
