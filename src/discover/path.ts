/**
 * Path expressions: how `mapscope top` names a map it found, and what `mapscope inspect` accepts
 * back. Go syntax, rooted at a package-level variable:
 *
 *   main.srv.cache                 fields, through pointers as Go does
 *   main.shards[3].byID            array and slice elements
 *   main.box.(*main.T).m           the value an interface holds, asserted to its dynamic type
 *   main.byTenant["acme"].m        map values by key: strings, integers (main.m[42]), booleans
 *
 * gdb's Go mode follows fields but cannot index slices, assert interfaces or index maps, so
 * paths with those steps are resolved by mapscope itself (./resolve.ts).
 */

/** A map key or an index; which one is decided by the value it applies to. */
export type IndexLiteral = string | bigint | boolean;

export type PathStep =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'index'; readonly key: IndexLiteral }
  | { readonly kind: 'assert'; readonly type: string };

export interface GoPath {
  /** The package-level variable: `main.srv`, `net/http.DefaultServeMux`. */
  readonly root: string;
  readonly steps: readonly PathStep[];
}

const IDENT = /^[\p{L}_][\p{L}\p{N}_]*/u;
/**
 * Package path segments (dots allowed before the last slash, as in `github.com/x/y`), then the
 * package's last element (the linker escapes dots in it as %2e) and the variable.
 */
const ROOT = /^((?:[^\s/[\]().'"`]+(?:\.[^\s/[\]().'"`]+)*\/)*[^\s/[\]().'"`]+)\.([\p{L}_][\p{L}\p{N}_]*)/u;

/** Parses a path expression; undefined when `expr` is not one (gdb may still understand it). */
export function parsePath(expr: string): GoPath | undefined {
  const s = expr.trim();
  const root = ROOT.exec(s);
  if (!root) return undefined;
  const steps: PathStep[] = [];
  let i = root[0].length;
  while (i < s.length) {
    if (s.startsWith('.(', i)) {
      const end = closing(s, i + 1, '(', ')');
      if (end < 0) return undefined;
      const type = s.slice(i + 2, end).trim();
      if (!type) return undefined;
      steps.push({ kind: 'assert', type });
      i = end + 1;
    } else if (s[i] === '.') {
      const id = IDENT.exec(s.slice(i + 1));
      if (!id) return undefined;
      steps.push({ kind: 'field', name: id[0] });
      i += 1 + id[0].length;
    } else if (s[i] === '[') {
      const lit = parseIndex(s, i + 1);
      if (!lit) return undefined;
      steps.push({ kind: 'index', key: lit.value });
      i = lit.end;
    } else {
      return undefined;
    }
  }
  return { root: `${root[1]}.${root[2]}`, steps };
}

/** Whether gdb cannot follow the path itself: it has an index, a key or an assertion. */
export function needsOwnResolution(p: GoPath): boolean {
  return p.steps.some((s) => s.kind !== 'field');
}

/** The index of the bracket that closes the one at `open`, or -1. */
function closing(s: string, open: number, left: string, right: string): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === left) depth++;
    else if (s[i] === right && --depth === 0) return i;
  }
  return -1;
}

/** `42]`, `-7]`, `0x1f]`, `true]`, `"acme"]` or a raw string: the literal and the index after `]`. */
function parseIndex(s: string, from: number): { value: IndexLiteral; end: number } | undefined {
  let i = from;
  while (s[i] === ' ') i++;
  let value: IndexLiteral;
  if (s[i] === '"' || s[i] === '`') {
    const str = parseString(s, i);
    if (!str) return undefined;
    value = str.value;
    i = str.end;
  } else {
    const m = /^(-?(?:0[xX][0-9a-fA-F]+|\d+)|true|false)/.exec(s.slice(i));
    if (!m) return undefined;
    value = m[1] === 'true' ? true : m[1] === 'false' ? false : m[1].startsWith('-') ? -BigInt(m[1].slice(1)) : BigInt(m[1]);
    i += m[1].length;
  }
  while (s[i] === ' ') i++;
  if (s[i] !== ']') return undefined;
  return { value, end: i + 1 };
}

/** A Go string literal: interpreted ("...", JSON-compatible escapes plus \x, \a, \v, \') or raw (`...`). */
function parseString(s: string, from: number): { value: string; end: number } | undefined {
  if (s[from] === '`') {
    const end = s.indexOf('`', from + 1);
    return end < 0 ? undefined : { value: s.slice(from + 1, end), end: end + 1 };
  }
  let i = from + 1;
  while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
  if (i >= s.length) return undefined;
  const body = s
    .slice(from + 1, i)
    .replace(/\\(x[0-9a-fA-F]{2}|a|v|')/g, (_, e: string) => (e === 'a' ? '\\u0007' : e === 'v' ? '\\u000b' : e === "'" ? "'" : '\\u00' + e.slice(1)));
  try {
    return { value: JSON.parse(`"${body}"`) as string, end: i + 1 };
  } catch {
    return undefined;
  }
}

/** Go source for a key: strings quoted (JSON escapes are valid Go), integers and booleans as they are. */
export function formatIndex(key: IndexLiteral): string {
  return typeof key === 'string' ? JSON.stringify(key) : String(key);
}

export function formatStep(step: PathStep): string {
  switch (step.kind) {
    case 'field':
      return '.' + step.name;
    case 'index':
      return `[${formatIndex(step.key)}]`;
    case 'assert':
      return `.(${step.type})`;
  }
}

export function formatPath(p: GoPath): string {
  return p.root + p.steps.map(formatStep).join('');
}
