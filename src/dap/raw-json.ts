/**
 * Response bodies sent as JSON text we wrote ourselves. The DAP library serialises messages with
 * JSON.stringify, which turns -0 into 0; the inspect contract keeps -0 (Go's encoding/json
 * writes it for float -0.0), and mapscope/inspect promises exactly the contract. So such a body
 * travels as a placeholder string, and the output stream splices the real text in, fixing
 * Content-Length.
 */
import { Writable } from 'node:stream';

const HEADER = 'Content-Length: ';
const SEPARATOR = '\r\n\r\n';

export class RawJsonBodies {
  private next = 1;
  private readonly pending = new Map<string, string>();

  /** A value to use as the body; the message leaves with `json` in its place. */
  placeholder(json: string): string {
    const token = `@mapscope-raw-json-${this.next++}@`;
    this.pending.set(JSON.stringify(token), json);
    return token;
  }

  /** Wraps the adapter's output stream. The library writes each message whole, header and body, in one write. */
  wrap(out: NodeJS.WritableStream): Writable {
    const stream = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        out.write(this.pending.size > 0 ? this.splice(chunk) : chunk, (e) => done(e ?? undefined));
      },
      final: (done) => done(),
    });
    out.on('error', (e: Error) => stream.destroy(e));
    return stream;
  }

  private splice(chunk: Buffer): Buffer {
    const text = chunk.toString('utf8');
    const sep = text.indexOf(SEPARATOR);
    if (!text.startsWith(HEADER) || sep < 0) return chunk;
    let body = text.slice(sep + SEPARATOR.length);
    let changed = false;
    for (const [quoted, json] of this.pending) {
      const at = body.indexOf(quoted);
      if (at < 0) continue;
      body = body.slice(0, at) + json + body.slice(at + quoted.length);
      this.pending.delete(quoted);
      changed = true;
    }
    if (!changed) return chunk;
    return Buffer.from(`${HEADER}${Buffer.byteLength(body, 'utf8')}${SEPARATOR}${body}`, 'utf8');
  }
}
