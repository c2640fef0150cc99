/**
 * JSON values as the inspect contract writes them, and a writer that keeps what JSON.stringify
 * loses: negative zero (Go's encoding/json writes -0 for float -0.0).
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export function stringifyJson(value: unknown, indent = 0): string {
  const parts: string[] = [];
  write(value, indent > 0 ? ' '.repeat(indent) : '', '', parts);
  return parts.join('');
}

function write(v: unknown, step: string, pad: string, out: string[]): void {
  if (v === null || v === undefined) {
    out.push('null');
  } else if (typeof v === 'number') {
    out.push(Object.is(v, -0) ? '-0' : Number.isFinite(v) ? String(v) : 'null');
  } else if (typeof v === 'string') {
    out.push(JSON.stringify(v));
  } else if (typeof v === 'boolean') {
    out.push(v ? 'true' : 'false');
  } else if (typeof v === 'bigint') {
    out.push(v.toString());
  } else if (Array.isArray(v)) {
    if (v.length === 0) {
      out.push('[]');
      return;
    }
    const inner = pad + step;
    out.push('[');
    v.forEach((x, i) => {
      if (i > 0) out.push(',');
      if (step) out.push('\n', inner);
      write(x, step, inner, out);
    });
    if (step) out.push('\n', pad);
    out.push(']');
  } else if (typeof v === 'object') {
    const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined);
    if (keys.length === 0) {
      out.push('{}');
      return;
    }
    const inner = pad + step;
    out.push('{');
    keys.forEach((k, i) => {
      if (i > 0) out.push(',');
      if (step) out.push('\n', inner);
      out.push(JSON.stringify(k), step ? ': ' : ':');
      write((v as Record<string, unknown>)[k], step, inner, out);
    });
    if (step) out.push('\n', pad);
    out.push('}');
  } else {
    out.push('null');
  }
}
