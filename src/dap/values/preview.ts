/**
 * One-line previews of Go values, as Go code and Delve show them: `"alice"`, `main.Point{X: 1,
 * Y: 2}`, `[]int len: 3, cap: 4, [1, 2, 3]`, `&main.Point{X: 1, Y: 2}`, `(*int)(0xc000012345)`,
 * `error(*errors.errorString) 0xc000010250`, `map[string]int len=5000 (memory order)`.
 *
 * Works from the contract JSON the value renderer produces, with the Go type to tell apart
 * shapes JSON cannot (a pointer's "0x…" from a string, a slice from a struct with len/cap/data).
 * Long values are cut with `…`: a preview is for reading at a glance, children have the rest.
 */
import type { GoStructType, GoType } from '../../layout/gotype.js';
import type { JsonValue } from '../../values/json.js';

/**
 * Characters of one preview (a map entry's line may hold two whole strings: a key is shown
 * exactly), and of any one string inside it.
 */
const MAX_PREVIEW = 512;
const MAX_STRING = 1024;
const MAX_ENTRY = 2 * MAX_STRING + 64;
/** Elements of an array or slice shown before `…`. */
const MAX_ELEMENTS = 16;

export interface PreviewOptions {
  /** The outermost value: named types are spelled out, maps say their order. */
  readonly top: boolean;
  /** Top-level extras read for the preview: a slice's first elements, a pointer's pointee. */
  readonly elements?: JsonValue;
  readonly pointee?: JsonValue;
  /** Go types by name, for the dynamic types of interfaces (undefined: format loosely). */
  readonly typeOf?: (name: string) => GoType | undefined;
}

type JsonObject = { [key: string]: JsonValue };

class Budget {
  constructor(public left: number) {}
  take(s: string): string {
    this.left -= s.length;
    return s;
  }
  get spent(): boolean {
    return this.left <= 0;
  }
}

export function previewValue(t: GoType, v: JsonValue, opts: PreviewOptions): string {
  return new Formatter(opts).value(t, v, opts.top, new Budget(MAX_PREVIEW));
}

/** `"alice": 1`: a map entry on one line. */
export function previewEntry(key: GoType, k: JsonValue, elem: GoType, v: JsonValue, typeOf?: (name: string) => GoType | undefined): string {
  const f = new Formatter({ top: false, typeOf });
  const b = new Budget(MAX_ENTRY);
  const ks = f.value(key, k, false, b);
  return `${ks}: ${f.value(elem, v, false, b)}`;
}

export function isObject(v: JsonValue): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function visibleFields(t: GoStructType) {
  return t.fields.filter((f) => f.name !== '_');
}

/** The renderer's `{error: "..."}` for a value it could not read, told apart from a struct with one field `error`. */
export function renderError(t: GoType, v: JsonValue): string | undefined {
  if (!isObject(v) || typeof v.error !== 'string' || Object.keys(v).length !== 1) return undefined;
  if (t.kind === 'struct') {
    const fields = visibleFields(t);
    if (fields.length === 1 && fields[0].name === 'error') return undefined;
  }
  return v.error;
}

export function quoteGoString(s: string): string {
  if (s.length <= MAX_STRING) return JSON.stringify(s);
  return `${JSON.stringify(s.slice(0, MAX_STRING))}… (${s.length} chars)`;
}

function scalarText(v: JsonValue): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return v;
  return String(v);
}

class Formatter {
  constructor(private readonly opts: PreviewOptions) {}

  value(t: GoType, v: JsonValue, top: boolean, b: Budget): string {
    const err = renderError(t, v);
    if (err !== undefined) return b.take(`<${err}>`);
    switch (t.kind) {
      case 'bool':
      case 'int':
      case 'uint':
      case 'uintptr':
      case 'float':
        return b.take(scalarText(v));
      case 'complex':
        return b.take(complexText(v));
      case 'string':
        return b.take(typeof v === 'string' ? quoteGoString(v) : scalarText(v));
      case 'pointer':
        return this.pointer(t, v, top, b);
      case 'unsafe.Pointer':
      case 'chan':
      case 'func':
        if (v === null) return b.take('nil');
        return b.take(top ? `${t.name}(${scalarText(v)})` : scalarText(v));
      case 'map': {
        if (!isObject(v)) return b.take(top ? `${t.name} nil` : 'nil');
        const len = v.len === null || v.len === undefined ? '?' : scalarText(v.len);
        return b.take(`${t.name} len=${len}${top ? ' (memory order)' : ''}`);
      }
      case 'slice':
        return this.slice(t, v, top, b);
      case 'array': {
        const body = Array.isArray(v) ? this.elements(t.elem, v, t.length, b) : '?';
        return top ? `${b.take(t.name)} [${body}]` : `[${body}]`;
      }
      case 'struct':
        return this.struct(t, v, top, b);
      case 'eface':
      case 'iface':
        return this.iface(t, v, b);
    }
  }

  private pointer(t: GoType & { kind: 'pointer' }, v: JsonValue, top: boolean, b: Budget): string {
    if (v === null) return b.take('nil');
    const addr = scalarText(v);
    const elem = t.elem;
    if (top && elem && this.opts.pointee !== undefined && (elem.kind === 'struct' || elem.kind === 'array')) {
      // Go's own spelling of a pointer to a composite: &T{...}.
      return `&${this.value(elem, this.opts.pointee, true, b)}`;
    }
    return b.take(top ? `(${t.name})(${addr})` : addr);
  }

  private slice(t: GoType & { kind: 'slice' }, v: JsonValue, top: boolean, b: Budget): string {
    if (!isObject(v)) return b.take('?');
    if (v.data === null && v.len === 0) return b.take(`${t.name} nil`);
    const head = b.take(`${t.name} len: ${scalarText(v.len)}, cap: ${scalarText(v.cap)}`);
    const elems = this.opts.elements;
    if (!top || !t.elem || !Array.isArray(elems)) return head;
    const len = typeof v.len === 'number' ? v.len : elems.length;
    return `${head}, [${this.elements(t.elem, elems, len, b)}]`;
  }

  private elements(elem: GoType, items: JsonValue[], total: number, b: Budget): string {
    const parts: string[] = [];
    const shown = Math.min(items.length, MAX_ELEMENTS);
    for (let i = 0; i < shown; i++) {
      if (b.spent) break;
      parts.push(this.value(elem, items[i], false, b));
    }
    if (parts.length < total) parts.push('…');
    return parts.join(', ');
  }

  private struct(t: GoStructType, v: JsonValue, top: boolean, b: Budget): string {
    const parts: string[] = [];
    const fields = visibleFields(t);
    const o = isObject(v) ? v : {};
    for (const f of fields) {
      if (b.spent) {
        parts.push('…');
        break;
      }
      parts.push(`${b.take(f.name)}: ${this.value(f.type, o[f.name] ?? null, false, b)}`);
    }
    const body = `{${parts.join(', ')}}`;
    // Unnamed struct types spell their whole body as their name; only named ones are worth a prefix.
    return top && t.name && !t.name.startsWith('struct') ? `${b.take(t.name)}${body}` : body;
  }

  private iface(t: GoType, v: JsonValue, b: Budget): string {
    if (!isObject(v)) return b.take('nil');
    const dyn = typeof v.type === 'string' ? v.type : '?';
    const dt = typeof v.type === 'string' ? this.opts.typeOf?.(v.type) : undefined;
    const inner = dt ? this.value(dt, v.value ?? null, false, b) : looseText(v.value ?? null, b);
    return `${b.take(`${t.name}(${dyn})`)} ${inner}`;
  }
}

function complexText(v: JsonValue): string {
  if (!isObject(v)) return scalarText(v);
  const re = scalarText(v.real ?? null);
  const im = scalarText(v.imag ?? null);
  const sign = im.startsWith('-') || im.startsWith('+') ? '' : '+';
  return `(${re}${sign}${im}i)`;
}

/** A value whose Go type is unknown (an interface holding a type without DWARF): JSON as is. */
function looseText(v: JsonValue, b: Budget): string {
  const s = JSON.stringify(v) ?? 'null';
  return b.take(s.length > MAX_STRING ? s.slice(0, MAX_STRING) + '…' : s);
}
