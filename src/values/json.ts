/**
 * JSON values as the inspect contract writes them, and a writer that keeps what JSON.stringify
 * loses: negative zero (Go's encoding/json writes -0 for float -0.0). The writer produces text
 * in chunks, so a map of millions of entries is streamed out rather than built as one string.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const CHUNK = 1 << 16;

class ChunkBuffer {
  parts: string[] = [];
  size = 0;
  push(s: string): void {
    this.parts.push(s);
    this.size += s.length;
  }
  take(): string {
    const s = this.parts.join('');
    this.parts = [];
    this.size = 0;
    return s;
  }
}

/** The JSON text of `value` in chunks of about 64 KiB. */
export function* jsonChunks(value: unknown, indent = 0): Generator<string> {
  const buf = new ChunkBuffer();
  yield* write(value, indent > 0 ? ' '.repeat(indent) : '', '', buf);
  if (buf.size > 0) yield buf.take();
}

export function stringifyJson(value: unknown, indent = 0): string {
  let out = '';
  for (const chunk of jsonChunks(value, indent)) out += chunk;
  return out;
}

function scalar(v: unknown): string | undefined {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v !== 'object') return 'null';
  return undefined;
}

function* write(v: unknown, step: string, pad: string, out: ChunkBuffer): Generator<string> {
  const s = scalar(v);
  if (s !== undefined) {
    out.push(s);
    return;
  }
  if (out.size >= CHUNK) yield out.take();
  const inner = pad + step;
  if (Array.isArray(v)) {
    if (v.length === 0) return out.push('[]');
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(',');
      if (step) out.push('\n' + inner);
      yield* write(v[i], step, inner, out);
    }
    if (step) out.push('\n' + pad);
    out.push(']');
    return;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined);
  if (keys.length === 0) return out.push('{}');
  out.push('{');
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out.push(',');
    if (step) out.push('\n' + inner);
    out.push(JSON.stringify(keys[i]) + (step ? ': ' : ':'));
    yield* write(o[keys[i]], step, inner, out);
  }
  if (step) out.push('\n' + pad);
  out.push('}');
}
