/**
 * JSON values as the inspect contract writes them, and a writer that keeps what JSON.stringify
 * loses: negative zero (Go's encoding/json writes -0 for float -0.0). The writer hands text to a
 * sink in chunks of about 64 KiB, so a map of millions of entries is streamed out rather than
 * built as one string.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const CHUNK = 1 << 16;

class ChunkWriter {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly sink: (chunk: string) => void) {}
  push(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= CHUNK) this.flush();
  }
  flush(): void {
    if (this.size === 0) return;
    this.sink(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

/** Writes the JSON text of `value` to `sink`, in chunks. */
export function writeJson(value: unknown, sink: (chunk: string) => void, indent = 0): void {
  const w = new ChunkWriter(sink);
  write(value, indent > 0 ? ' '.repeat(indent) : '', '', w);
  w.flush();
}

export function stringifyJson(value: unknown, indent = 0): string {
  const out: string[] = [];
  writeJson(value, (c) => out.push(c), indent);
  return out.join('');
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

function write(v: unknown, step: string, pad: string, out: ChunkWriter): void {
  const s = scalar(v);
  if (s !== undefined) return out.push(s);
  const inner = pad + step;
  const open = step ? '\n' + inner : '';
  if (Array.isArray(v)) {
    if (v.length === 0) return out.push('[]');
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      out.push(i > 0 ? ',' + open : open);
      write(v[i], step, inner, out);
    }
    out.push(step ? '\n' + pad + ']' : ']');
    return;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined);
  if (keys.length === 0) return out.push('{}');
  out.push('{');
  for (let i = 0; i < keys.length; i++) {
    out.push((i > 0 ? ',' + open : open) + JSON.stringify(keys[i]) + (step ? ': ' : ':'));
    write(o[keys[i]], step, inner, out);
  }
  out.push(step ? '\n' + pad + '}' : '}');
}
