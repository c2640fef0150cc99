/**
 * Splits a byte stream into lines. Bytes are kept until a newline arrives and
 * only then decoded, so a multi-byte UTF-8 character split across chunks (MI
 * itself is 7-bit, but inferior output on the same stream is not) stays intact.
 */

const NL = 0x0a;
const CR = 0x0d;

export class LineFramer {
  // Pieces of the current incomplete line; joined once, when its newline shows
  // up, so a 30 MB line arriving in 64 KB chunks costs one copy, not hundreds.
  private pending: Buffer[] = [];

  /** Feeds a chunk; returns the lines it completed (without `\n` / `\r\n`). */
  push(chunk: string | Uint8Array): string[] {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : toBuffer(chunk);
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(NL, start);
      if (nl < 0) break;
      lines.push(this.takeLine(buf.subarray(start, nl)));
      start = nl + 1;
    }
    if (start < buf.length) this.pending.push(buf.subarray(start));
    return lines;
  }

  /** End of stream: returns the unterminated last line, if any. */
  end(): string[] {
    if (this.pending.length === 0) return [];
    return [this.takeLine(Buffer.alloc(0))];
  }

  private takeLine(tail: Buffer): string {
    let bytes = tail;
    if (this.pending.length > 0) {
      this.pending.push(tail);
      bytes = Buffer.concat(this.pending);
      this.pending = [];
    }
    const len = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
    return bytes.toString('utf8', 0, len);
  }
}

function toBuffer(chunk: Uint8Array): Buffer {
  // Subarrays of a caller's chunk are retained in `pending`; Node stream
  // chunks are never reused, so a view (no copy) is safe.
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
