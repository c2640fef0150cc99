import { StringDecoder } from 'node:string_decoder';

/** Keeps the last few KB of gdb's stderr, to explain why it died. */
export class StderrTail {
  private text = '';
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly maxChars = 2048) {}

  push(chunk: string | Buffer): void {
    this.text += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    // Trim only once well over the limit so a chatty stderr is not re-sliced per chunk.
    if (this.text.length > this.maxChars * 2) this.text = this.text.slice(-this.maxChars);
  }

  toString(): string {
    return this.text.length > this.maxChars ? this.text.slice(-this.maxChars) : this.text;
  }
}
