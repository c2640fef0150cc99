/**
 * Blocking writes to stdout. JSON of a big map is produced in chunks by a synchronous writer;
 * writing each chunk before producing the next keeps memory flat. A pipe may be non-blocking
 * (EAGAIN when full): then wait a moment for the reader and retry.
 */
import { writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));
/** The reader went away (`mapscope … | head`): the rest of the output has nowhere to go. */
let readerGone = false;

export function writeAllSync(text: string | Uint8Array): void {
  if (readerGone) return;
  let buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  while (buf.length > 0) {
    try {
      const n = writeSync(1, buf);
      buf = buf.subarray(n);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') {
        readerGone = true;
        return;
      }
      if (code !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 2);
    }
  }
}
