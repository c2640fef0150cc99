/**
 * Safe-by-default HTML building. Map names, keys, values and type names come from the target —
 * a core dump from anywhere — so every interpolated value is escaped unless it is already
 * markup built here (a Markup). Forgetting to escape is then impossible rather than unlikely.
 */

/** A fragment of markup this module vouches for. */
export class Markup {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export type Part = Markup | string | number | boolean | null | undefined | readonly Part[];

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and for quoted attribute values alike. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

function partHtml(p: Part): string {
  if (p === null || p === undefined || p === false) return '';
  if (p instanceof Markup) return p.html;
  if (Array.isArray(p)) return (p as readonly Part[]).map(partHtml).join('');
  return esc(String(p));
}

/** Tagged template: literal text is markup, every `${value}` is escaped (Markup passes through). */
export function html(strings: TemplateStringsArray, ...values: Part[]): Markup {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += partHtml(values[i]) + strings[i + 1];
  return new Markup(out);
}

/** Joins fragments (each escaped unless Markup). */
export function join(parts: readonly Part[], sep = ''): Markup {
  return new Markup(parts.map(partHtml).join(sep));
}

/** Markup from a string this module generated itself (numbers, fixed names) — never target text. */
export function trusted(s: string): Markup {
  return new Markup(s);
}
