/**
 * JSON values as the inspect contract writes them, and a writer that keeps what JSON.stringify
 * loses: negative zero (Go's encoding/json writes -0 for float -0.0). The writer puts bytes into
 * a JsonOut (./json-out.ts), which hands them to a sink a megabyte at a time, so a map of
 * millions of entries is streamed out rather than built as one string.
 */
import { Ascii, JsonOut, jsonOutText } from './json-out.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Array elements that write themselves: a big map's entries come from compiled emitters
 * (./emit.ts) straight from target bytes, one per line, without becoming values first.
 */
export interface JsonItems {
  readonly length: number;
  writeItem(i: number, out: JsonOut): void;
}

export function isJsonItems(v: unknown): v is JsonItems {
  return typeof v === 'object' && v !== null && typeof (v as Partial<JsonItems>).writeItem === 'function';
}

/**
 * Writes the JSON text of `value` to `sink` as UTF-8 bytes. With an indent, containers nested
 * `inlineDepth` deep or deeper are written on one line each (an array of containers one element
 * per line): a big map's entries and buckets stay readable and a third of the size.
 */
export function writeJsonBytes(value: unknown, sink: (bytes: Uint8Array) => void, indent = 0, inlineDepth = Infinity): void {
  const out = new JsonOut(sink);
  write(value, indent > 0 ? ' '.repeat(indent) : '', '', out, 0, inlineDepth);
  out.flush();
}

/** As writeJsonBytes, into a JsonOut already in use (compact: one line). */
export function writeJsonBytesTo(value: unknown, out: JsonOut): void {
  write(value, '', '', out, 0, Infinity);
}

/** As writeJsonBytes, to a sink of text chunks. */
export function writeJson(value: unknown, sink: (chunk: string) => void, indent = 0, inlineDepth = Infinity): void {
  const decoder = new TextDecoder();
  writeJsonBytes(value, (b) => sink(decoder.decode(b, { stream: true })), indent, inlineDepth);
  const rest = decoder.decode();
  if (rest) sink(rest);
}

export function stringifyJson(value: unknown, indent = 0): string {
  return jsonOutText((out) => write(value, indent > 0 ? ' '.repeat(indent) : '', '', out, 0, Infinity));
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

/** The indent step inside container `v`: none once `inlineDepth` deep, but for an array of containers (one per line). */
function stepAt(v: object, step: string, depth: number, inlineDepth: number): string {
  return depth >= inlineDepth && step && !(Array.isArray(v) && v.length > 0 && v.every(isContainer)) ? '' : step;
}

/** What goes after `[`, between items and before `]` of a JsonItems written at `pad`. */
function itemSeparators(step: string, pad: string): { open: string; next: string; close: string } {
  const open = step ? '\n' + pad + step : '';
  return { open, next: ',' + open, close: step ? '\n' + pad + ']' : ']' };
}

function write(v: unknown, step: string, pad: string, out: JsonOut, depth: number, inlineDepth: number): void {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return out.int(v);
  if (typeof v === 'string') return out.jsonString(v);
  if (typeof v !== 'object' || v === null) return out.text(scalar(v) as string);
  if (isJsonItems(v)) return writeItems(v, step, pad, out);
  step = stepAt(v, step, depth, inlineDepth);
  const inner = pad + step;
  const open = step ? '\n' + inner : '';
  if (Array.isArray(v)) {
    if (v.length === 0) return out.text('[]');
    // Tophash and ctrl bytes, line numbers: hundreds of thousands of small integer arrays.
    if (!step && v.every(isPlainInt)) {
      out.text('[');
      for (let i = 0; i < v.length; i++) {
        if (i > 0) out.text(',');
        out.int(v[i] as number);
      }
      return out.text(']');
    }
    out.text('[');
    for (let i = 0; i < v.length; i++) {
      out.text(i > 0 ? ',' + open : open);
      write(v[i], step, inner, out, depth + 1, inlineDepth);
    }
    out.text(step ? '\n' + pad + ']' : ']');
    return;
  }
  const o = v as Record<string, unknown>;
  let first = true;
  for (const k in o) {
    const x = o[k];
    if (x === undefined) continue;
    out.text(first ? '{' + open : ',' + open);
    out.text(quotedKey(k));
    out.text(step ? ': ' : ':');
    first = false;
    write(x, step, inner, out, depth + 1, inlineDepth);
  }
  out.text(first ? '{}' : step ? '\n' + pad + '}' : '}');
}

function isContainer(x: unknown): boolean {
  return typeof x === 'object' && x !== null;
}

function isPlainInt(x: unknown): boolean {
  return typeof x === 'number' && Number.isSafeInteger(x) && !Object.is(x, -0);
}

/** Field names repeat for every bucket, group and entry: quote each once. */
const quoted = new Map<string, string>();
function quotedKey(k: string): string {
  let q = quoted.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (quoted.size < 4096) quoted.set(k, q);
  }
  return q;
}

function writeItems(items: JsonItems, step: string, pad: string, out: JsonOut): void {
  if (items.length === 0) return out.text('[]');
  const sep = itemSeparators(step, pad);
  out.text('[' + sep.open);
  const next = new Ascii(sep.next);
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out.ascii(next);
    items.writeItem(i, out);
  }
  out.text(sep.close);
}
