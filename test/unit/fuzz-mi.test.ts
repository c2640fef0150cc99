/**
 * Fuzzing the gdb/MI output parser (src/mi/parser.ts, cstring.ts) and the line framer
 * (src/mi/framer.ts): random text, MI-shaped token soup, and real gdb 13.1 output
 * (test/fixtures/mi-corpus.json, captured by test/fixtures/capture-images.ts) mutated.
 * A line either parses or throws MIParseError, the parser's one typed error, and parsing
 * stays linear. Generated records serialised the way gdb prints them must parse back unchanged.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCString, quoteMIArg } from '../../src/mi/cstring.js';
import { MIParseError } from '../../src/mi/errors.js';
import { LineFramer } from '../../src/mi/framer.js';
import { parseMILine } from '../../src/mi/parser.js';
import type { MIRecord, MITuple, MIValue } from '../../src/mi/records.js';
import { countWork, growth, LINEAR_AT_8X } from './growth.js';

// Fixed, so that a failure reproduces; MAPSCOPE_FUZZ_SEED / MAPSCOPE_FUZZ_RUNS explore further.
const SEED = Number(process.env.MAPSCOPE_FUZZ_SEED ?? 20261121);
const RUNS = Number(process.env.MAPSCOPE_FUZZ_RUNS ?? 1000);
const opts = { seed: SEED, numRuns: RUNS };

/** Lines from test/unit/mi-parser.test.ts, beside the captured ones. */
const UNIT_LINES = [
  String.raw`~"h\303\251llo\\033\\a\000\033[1m\e\a\b\t|\r\n"`,
  '@"out\\n"',
  '&"warning: x\\n"',
  '^connected,frame={level="0",addr="0x0"}',
  '+download,section=".text"',
  '*running,thread-id="all"',
  '5^exit',
  '123^error,msg="No symbol \\"main\\" in current context.",code="undefined-error"',
  '^done,children=[child={name="var1.a",exp="a"},child={name="var1.b",exp="b"}]',
  '^done,bkpt={number="1"},{number="1.1"},{number="1.2"}',
  '*stopped,frame={level="0"},frame={level="1"},frame={level="2"},reason="x"',
  '^done,a=["1"],a=["2"]',
  '^done,t={},l=[],ll=[[],["a"],[{}]],n={a={b=[{c="d"}]}}',
  '^done,__proto__={polluted="yes"},constructor="c",x={__proto__="p"}',
  '^done,memory=[{begin="0x7ffd4c8",offset="0x0000000000000000",end="0x7ffd4d0",contents="0102030000000000"}]',
];

const corpus: string[] = [
  ...UNIT_LINES,
  ...(JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mi-corpus.json'), 'utf8')) as { lines: string[] }).lines,
];

/**
 * Work (./growth.ts: characters, elements and bytes the built-ins touch) per character of a line,
 * beyond a constant: the parser touches each character a few times (about 4 on the adversarial
 * lines below); rescanning the rest of the line at each value costs hundreds on real lines.
 */
const MAX_WORK_PER_CHAR = 12;
const WORK_CONSTANT = 64;

/** Parses, or throws MIParseError; any other exception fails the property. Returns the record or the error. */
function parse(line: string): MIRecord | MIParseError {
  try {
    return parseMILine(line);
  } catch (e) {
    if (e instanceof MIParseError) return e;
    throw new Error(`parseMILine threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)} for ${JSON.stringify(line.slice(0, 200))}`);
  }
}

/** As parse, and the work done stays within a linear bound of the line's length (counted, not timed). */
function parseOrTypedError(line: string): MIRecord | MIParseError {
  let r: MIRecord | MIParseError | undefined;
  const work = countWork(() => void (r = parse(line)));
  const bound = MAX_WORK_PER_CHAR * line.length + WORK_CONSTANT;
  if (work > bound) throw new Error(`parseMILine did ${work} units of work (over ${bound}) on ${line.length} characters: ${JSON.stringify(line.slice(0, 200))}`);
  return r as MIRecord | MIParseError;
}

/** Pieces of MI grammar, so random lines reach deep into the parser rather than stopping at column 0. */
const MI_PIECES = [
  '^done', '^error', '^running', '^exit', '^connected', '^bogus', '*stopped', '=thread-created', '+download', '~', '@', '&',
  '(gdb)', ' ', '\r', '123', '9007199254740993', ',', '=', '"', '\\', '\\"', '\\\\', '\\n', '\\0', '\\377', '\\303\\251', '\\x',
  '{', '}', '[', ']', 'a=', 'name=', 'frame=', 'x', '0x1f', '__proto__=', 'constructor=', '{}', '[]', '""', '"a"', 'é', '\u{1F600}', '\uD800',
];
const miSoup = fc.array(fc.constantFrom(...MI_PIECES), { maxLength: 40 }).map((p) => p.join(''));

describe('parseMILine on random input', () => {
  it('random strings: a record or MIParseError', () => {
    fc.assert(fc.property(anyText(200), (s) => void parseOrTypedError(s)), opts);
  });

  it('MI-shaped token soup: a record or MIParseError', () => {
    fc.assert(fc.property(miSoup, (s) => void parseOrTypedError(s)), opts);
  });

  it('every captured gdb line parses as MI, not as unknown', () => {
    for (const line of corpus) {
      const r = parseMILine(line);
      expect(r.type, line.slice(0, 120)).not.toBe('unknown');
    }
  });
});

/** A mutation of a real line: what a cut pipe, a stray byte or inferior output interleaved can do. */
const INSERTS = ['"', '\\', '{', '}', '[', ']', ',', '=', '\\"', '\n', '\r', '\0', '\\0', '\u00e9', '{a=', '[{', '"}'];
type LineMutation =
  | { kind: 'flip'; at: number; char: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicate'; from: number; to: number; at: number }
  | { kind: 'delete'; from: number; to: number };

const lineMutation: fc.Arbitrary<LineMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), char: fc.nat({ max: 0xff }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...INSERTS) }),
  fc.record({ kind: fc.constant('duplicate' as const), from: fc.nat(), to: fc.nat(), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), from: fc.nat(), to: fc.nat() }),
);

function mutate(line: string, ms: readonly LineMutation[]): string {
  let s = line;
  for (const m of ms) {
    const n = s.length + 1;
    switch (m.kind) {
      case 'flip': {
        const at = m.at % n;
        s = s.slice(0, at) + String.fromCharCode(m.char) + s.slice(at + 1);
        break;
      }
      case 'truncate':
        s = s.slice(0, m.at % n);
        break;
      case 'insert': {
        const at = m.at % n;
        s = s.slice(0, at) + m.text + s.slice(at);
        break;
      }
      case 'duplicate': {
        const [a, b] = [m.from % n, m.to % n].sort((x, y) => x - y);
        const at = m.at % n;
        s = s.slice(0, at) + s.slice(a, b) + s.slice(at);
        break;
      }
      case 'delete': {
        const [a, b] = [m.from % n, m.to % n].sort((x, y) => x - y);
        s = s.slice(0, a) + s.slice(b);
        break;
      }
    }
  }
  return s;
}

describe('parseMILine on mutated real gdb output', () => {
  it('byte flips, truncation, inserted quotes/backslashes/braces, duplication: a record or MIParseError', () => {
    const arb = fc.tuple(fc.constantFrom(...corpus), fc.array(lineMutation, { minLength: 1, maxLength: 5 }));
    fc.assert(fc.property(arb, ([line, ms]) => void parseOrTypedError(mutate(line, ms))), opts);
  });

  it('a truncated line is MIParseError or a shorter valid record, never a crash', () => {
    for (const line of corpus) for (let at = 0; at < line.length; at += Math.max(1, line.length >> 5)) parseOrTypedError(line.slice(0, at));
  });
});

describe('parser bugs found by fuzzing (regressions)', () => {
  it('deep nesting is MIParseError, not a stack overflow (RangeError)', () => {
    for (const open of ['[', '{a=']) {
      const r = parseOrTypedError('^done,a=' + open.repeat(100_000));
      expect(r).toBeInstanceOf(MIParseError);
      expect((r as MIParseError).message).toMatch(/nested deeper than/);
    }
    // Real depths still parse.
    expect(parseMILine('^done,a=' + '['.repeat(500) + ']'.repeat(500))).toMatchObject({ type: 'result' });
  });

  it('a U+FEFF (byte order mark) in a c-string is kept, not dropped by TextDecoder', () => {
    expect(parseMILine('~"\\357\\273\\277"')).toEqual({ type: 'console', text: '\ufeff' });
    expect(parseMILine('^done,v="x\\357\\273\\277y\\303\\251"')).toMatchObject({ results: { v: 'x\ufeffy\u00e9' } });
  });

  it('a token beyond 2^53 is MIParseError, not a rounded (or Infinity) token', () => {
    expect(parseOrTypedError('9'.repeat(400) + '^done')).toBeInstanceOf(MIParseError);
    expect(parseOrTypedError('9007199254740993^done')).toBeInstanceOf(MIParseError);
    expect(parseMILine('9007199254740991^done')).toMatchObject({ token: 9007199254740991 });
    // Inferior output that merely starts with digits stays unknown.
    expect(parseMILine('99999999999999999999 bottles')).toMatchObject({ type: 'unknown' });
  });
});

describe('parseMILine stays linear', () => {
  /** Adversarial lines, at n and 8n repeats (the larger 200-400 KB): each must parse (or fail) in linear work. */
  const big: [string, (n: number) => string, number][] = [
    ['backslash run', (n) => '^done,a="' + '\\\\'.repeat(n) + '"', 12_500],
    ['octal run', (n) => '^done,a="' + '\\303\\251'.repeat(n) + '"', 3_750],
    ['many strings in a list', (n) => '^done,a=[' + '"x",'.repeat(n) + '"x"]', 6_250],
    ['a name repeated many times', (n) => '^done,' + 'a="b",'.repeat(n) + 'a="b"', 5_000],
    ['many empty tuples', (n) => '^done,a=[' + '{},'.repeat(n) + '{}]', 8_750],
    ['unterminated string', (n) => '^done,a="' + 'x'.repeat(n), 50_000],
    ['no "=" anywhere', (n) => '^done,' + 'x'.repeat(n), 50_000],
    ['names without values', (n) => '^done,a={' + 'b'.repeat(2 * n) + '=' + ',c'.repeat(n), 12_500],
    ['list of results', (n) => '^done,a=[' + 'f={l="0"},'.repeat(n) + 'f={l="0"}]', 3_125],
  ];
  // Counted work (./growth.ts), not time: the same on an idle machine and a loaded one.
  it.each(big)('%s', (_, make, n) => {
    expect(growth(make, parse, n)).toBeLessThan(LINEAR_AT_8X);
  });
});

describe('LineFramer on random bytes in random chunks', () => {
  /** The lines a whole stream holds, by the framer's rules: split at \n, drop one trailing \r, keep an unterminated tail. */
  function reference(bytes: Uint8Array): string[] {
    const parts = Buffer.from(bytes).toString('utf8').split('\n');
    const tail = parts.pop() ?? '';
    const lines = tail === '' ? parts : [...parts, tail];
    return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }

  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    // Mostly text, with newlines, CRs and split multi-byte characters.
    fc.array(fc.constantFrom('a', '\n', '\r', '\r\n', 'é', '€', '\u{1F600}', '^done,a="x"', '\xff'), { maxLength: 60 }).map((p) => new Uint8Array(Buffer.from(p.join(''), 'utf8'))),
  );

  /** Cut points, as sorted distinct offsets within `n`. */
  const cutsOf = (cuts: number[], n: number) => [...new Set(cuts.map((c) => c % (n + 1))), n].sort((a, b) => a - b);

  it('any chunking of bytes yields the lines of the whole stream, and each parses or throws MIParseError', () => {
    fc.assert(
      fc.property(bytes, fc.array(fc.nat(), { maxLength: 12 }), (data, cuts) => {
        const f = new LineFramer();
        const got: string[] = [];
        let from = 0;
        for (const p of cutsOf(cuts, data.length)) {
          got.push(...f.push(data.subarray(from, p)));
          from = p;
        }
        got.push(...f.end());
        expect(got).toEqual(reference(data));
        for (const line of got) parseOrTypedError(line);
      }),
      opts,
    );
  });

  it('string chunks (cut between characters) frame like their UTF-8 bytes', () => {
    const str = fc.array(fc.constantFrom('a', '\n', '\r', 'é', '\u{1F600}', '"', '\0'), { maxLength: 60 }).map((p) => p.join(''));
    fc.assert(
      fc.property(str, fc.array(fc.nat(), { maxLength: 12 }), (s, cuts) => {
        const chars = Array.from(s);
        const f = new LineFramer();
        const got: string[] = [];
        let from = 0;
        for (const p of cutsOf(cuts, chars.length)) {
          got.push(...f.push(chars.slice(from, p).join('')));
          from = p;
        }
        got.push(...f.end());
        expect(got).toEqual(reference(new Uint8Array(Buffer.from(s, 'utf8'))));
      }),
      opts,
    );
  });
});

// ------------------------------------------------------------------------------------------
// Round trips

/** gdb's way of printing a c-string in MI: sevenbit, controls and non-ASCII bytes as \NNN. */
function gdbCString(s: string): string {
  let out = '"';
  for (const b of Buffer.from(s, 'utf8')) {
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b === 0x0a) out += '\\n';
    else if (b < 0x20 || b >= 0x7f) out += '\\' + b.toString(8).padStart(3, '0');
    else out += String.fromCharCode(b);
  }
  return out + '"';
}

function serializeValue(v: MIValue): string {
  if (typeof v === 'string') return gdbCString(v);
  if (Array.isArray(v)) return '[' + v.map(serializeValue).join(',') + ']';
  return '{' + serializeResults(v) + '}';
}

function serializeResults(t: MITuple): string {
  return Object.entries(t)
    .map(([k, v]) => `${k}=${serializeValue(v)}`)
    .join(',');
}

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,7}$/);
/** Any code point, with the ones text decoders and escapers trip on drawn often. */
const TRICKY = ['\ufeff', '\0', '\x7f', '\x80', '\xff', '\ufffd', '\uffff', '\u{10ffff}', '"', '\\', '\n', '\r', '\x1b', '?'];
const char = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
const anyText = (maxLength: number) => fc.string({ unit: char, maxLength });
const text = anyText(20);
const { value: miValue } = fc.letrec<{ value: MIValue; tuple: MITuple }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, text, fc.array(tie('value'), { maxLength: 4 }), tie('tuple')),
  // Unique names: a repeated name would (correctly) turn into an array.
  tuple: fc.uniqueArray(fc.tuple(name, tie('value')), { maxLength: 4, selector: ([k]) => k }).map((kv) => Object.fromEntries(kv) as MITuple),
}));
const results = fc.uniqueArray(fc.tuple(name, miValue), { maxLength: 5, selector: ([k]) => k }).map((kv) => Object.fromEntries(kv) as MITuple);

describe('round trips', () => {
  it('generated result and async records, printed as gdb prints them, parse back unchanged', () => {
    const arb = fc.tuple(fc.option(fc.nat({ max: 1e9 }), { nil: undefined }), fc.constantFrom('^done', '^error', '*stopped', '=breakpoint-modified'), results);
    fc.assert(
      fc.property(arb, ([token, head, res]) => {
        const body = serializeResults(res);
        const line = `${token ?? ''}${head}${body === '' ? '' : ',' + body}`;
        const r = parseMILine(line);
        const expected =
          head[0] === '^'
            ? { type: 'result', resultClass: head.slice(1), results: res }
            : { type: head[0] === '*' ? 'exec' : 'notify', asyncClass: head.slice(1), results: res };
        expect(r).toEqual(token === undefined ? expected : { ...expected, token });
      }),
      opts,
    );
  });

  it('stream records: any text printed as a c-string parses back', () => {
    fc.assert(
      fc.property(anyText(100), fc.constantFrom('~', '@', '&'), (s, m) => {
        expect(parseMILine(m + gdbCString(s))).toMatchObject({ text: s });
      }),
      opts,
    );
  });

  it('decodeCString(quoteMIArg(s)) is s for every NUL-free string (our command-side serializer)', () => {
    fc.assert(
      fc.property(anyText(100).map((s) => s.replaceAll('\0', '')), (s) => {
        const q = quoteMIArg(s);
        expect(decodeCString(q, 0)).toEqual({ value: s, end: q.length });
      }),
      opts,
    );
  });
});
