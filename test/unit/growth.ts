/**
 * Whether work grows linearly with its input, counted rather than timed, so that the answer is
 * the same on an idle machine and on one running the rest of the suite beside it (a timed
 * version measured 40× growth for linear parsing on a loaded machine, 24× being its limit).
 *
 * Work is what the code under test asks of the built-ins that walk strings, arrays and bytes:
 * each call is charged the characters, elements or bytes it can touch (`s.indexOf(c, i)` the
 * span it searched, `s.slice(a, b)` what it copied, a global regex search the span from its
 * lastIndex to its match, `Buffer.concat` every byte it joined, `arr.includes(x)` the array's
 * length). Every quadratic pattern a parser or framer can fall into goes through one of them:
 * rescanning the rest of the line, copying the remainder, joining all pieces again, searching
 * a growing list. Plain indexing (`s[i]`, `a[i]`) costs O(1) and cannot be hooked, so it is
 * not counted; a loop of it is counted through whatever it does per step. The built-ins are
 * wrapped only while the function runs (synchronously) and restored after it.
 */

type Cost = (self: unknown, args: readonly unknown[], result: unknown) => number;

const len = (x: unknown): number => (typeof x === 'string' || Array.isArray(x) ? x.length : ArrayBuffer.isView(x) ? x.byteLength : 0);
const num = (x: unknown, dflt: number): number => (typeof x === 'number' && !Number.isNaN(x) ? Math.trunc(x) : dflt);
const at = (i: number, n: number): number => Math.min(Math.max(i < 0 ? n + i : i, 0), n);

/** A search from `from` that stopped at `found` (-1: ran to the end) touched this much. */
function searched(self: unknown, args: readonly unknown[], result: unknown): number {
  const n = len(self);
  const from = at(num(args[1], 0), n);
  const r = typeof result === 'number' ? result : result === true ? n : -1;
  return (r < 0 ? n : r + Math.max(1, len(args[0]))) - from + 1;
}

const one: Cost = () => 1;
const whole: Cost = (self) => len(self) + 1;
const produced: Cost = (_, __, result) => len(result) + 1;

const STRING: Record<string, Cost> = {
  charCodeAt: one,
  codePointAt: one,
  charAt: one,
  at: one,
  indexOf: searched,
  includes: (self, args) => len(self) - at(num(args[1], 0), len(self)) + 1,
  lastIndexOf: whole,
  startsWith: (_, args) => len(args[0]) + 1,
  endsWith: (_, args) => len(args[0]) + 1,
  slice: produced,
  substring: produced,
  substr: produced,
  concat: produced,
  repeat: produced,
  padStart: produced,
  padEnd: produced,
  split: whole,
  trim: whole,
  trimStart: whole,
  trimEnd: whole,
  toLowerCase: whole,
  toUpperCase: whole,
  normalize: whole,
  localeCompare: whole,
  replace: whole,
  replaceAll: whole,
  match: whole,
  matchAll: whole,
  search: whole,
};

const ARRAY: Record<string, Cost> = {
  indexOf: searched,
  lastIndexOf: whole,
  includes: whole,
  find: whole,
  findIndex: whole,
  findLast: whole,
  findLastIndex: whole,
  some: whole,
  every: whole,
  filter: whole,
  map: whole,
  flatMap: whole,
  forEach: whole,
  reduce: whole,
  join: whole,
  slice: produced,
  splice: whole,
  concat: produced,
  shift: whole,
  unshift: whole,
  reverse: whole,
  sort: whole,
  fill: whole,
  copyWithin: whole,
};

const BYTES: Record<string, Cost> = {
  indexOf: searched,
  lastIndexOf: whole,
  includes: whole,
  slice: produced,
  subarray: one,
  set: (_, args) => len(args[0]) + 1,
  fill: whole,
  copyWithin: whole,
  join: whole,
};

/** Buffer has its own searches and slice (a view, like subarray). */
const BUFFER: Record<string, Cost> = {
  indexOf: searched,
  lastIndexOf: whole,
  includes: whole,
  slice: one,
  toString: (self: unknown, args: readonly unknown[]) => at(num(args[2], len(self)), len(self)) - at(num(args[1], 0), len(self)) + 1,
  equals: whole,
  compare: whole,
  copy: whole,
};

let counted = 0;

/** Wraps `names` of `obj` to charge their cost; returns what puts them back. */
function hook(obj: object, costs: Record<string, Cost>): () => void {
  const undo: (() => void)[] = [];
  for (const [name, cost] of Object.entries(costs)) {
    const d = Object.getOwnPropertyDescriptor(obj, name);
    if (!d || typeof d.value !== 'function') continue;
    const original = d.value as (...a: unknown[]) => unknown;
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      const result: unknown = Reflect.apply(original, this, args);
      counted += cost(this, args, result);
      return result;
    };
    Object.defineProperty(obj, name, { ...d, value: wrapped });
    undo.push(() => Object.defineProperty(obj, name, d));
  }
  // A plain loop: the hooked forEach would charge its own undoing.
  return () => {
    for (const u of undo) u();
  };
}

function hookStatic(obj: object, name: string, cost: (args: readonly unknown[], result: unknown) => number): () => void {
  return hook(obj, { [name]: (_, args, result) => cost(args, result) });
}

/** A regex search, global or sticky from its lastIndex, else from the start: the span it covered. */
function hookRegExp(): () => void {
  const d = Object.getOwnPropertyDescriptor(RegExp.prototype, 'exec');
  if (!d) return () => {};
  const original = d.value as (this: RegExp, s: string) => RegExpExecArray | null;
  const exec = function (this: RegExp, s: string): RegExpExecArray | null {
    const input = String(s);
    const from = this.global || this.sticky ? this.lastIndex : 0;
    const m = Reflect.apply(original, this, [input]) as RegExpExecArray | null;
    counted += (m ? m.index + m[0].length : input.length) - Math.min(from, input.length) + 1;
    return m;
  };
  Object.defineProperty(RegExp.prototype, 'exec', { ...d, value: exec });
  return () => Object.defineProperty(RegExp.prototype, 'exec', d);
}

/** The work `fn` asks of the built-ins, in characters, elements and bytes touched. */
export function countWork(fn: () => void): number {
  const typedArray = Object.getPrototypeOf(Uint8Array.prototype) as object;
  const undo = [
    hook(String.prototype, STRING),
    hook(Array.prototype, ARRAY),
    hook(typedArray, BYTES),
    hook(Buffer.prototype, BUFFER),
    hookStatic(String, 'fromCharCode', (args) => args.length + 1),
    hookStatic(String, 'fromCodePoint', (args) => args.length + 1),
    hookStatic(Buffer, 'concat', (_, result) => len(result) + 1),
    hookStatic(Buffer, 'from', (_, result) => len(result) + 1),
    hook(TextDecoder.prototype, { decode: (_, args) => len(args[0]) + 1 }),
    hook(TextEncoder.prototype, { encode: (_, args) => len(args[0]) + 1 }),
    hookRegExp(),
  ];
  const before = counted;
  let work = 0;
  try {
    fn();
  } finally {
    work = counted - before;
    for (let i = undo.length - 1; i >= 0; i--) undo[i]();
  }
  return work;
}

/**
 * The work of `run` on an input `factor` times larger, over its work on the smaller one: about
 * `factor` for linear work, `factor`² for quadratic. Counted, so it is the same on every run.
 */
export function growth<T>(make: (n: number) => T, run: (input: T) => unknown, n: number, factor = 8): number {
  const small = make(n);
  const large = make(n * factor);
  const a = countWork(() => void run(small));
  const b = countWork(() => void run(large));
  if (a <= 0) throw new Error('growth: the small input did no counted work; the meter sees nothing of this code');
  return b / a;
}

/** Linear work grows 8× (plus a constant that only lowers it); quadratic 64×. Counts do not jitter. */
export const LINEAR_AT_8X = 10;

/** n log n at 8× grows 8·log(8n)/log(n): under 11 for n ≥ 1000. Quadratic grows 64×. */
export const QUASILINEAR_AT_8X = 16;
