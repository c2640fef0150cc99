/**
 * Every command's options through node:util's parseArgs, with its errors said in one line that
 * says what to do: an option without its value ("--pid needs a process id", where parseArgs says
 * "argument is ambiguous" or "argument missing"), an empty value, an unknown option with the
 * options it is close to ("did you mean --json?"), an argument a command does not take.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { closest, didYouMean } from '../discover/similar.js';
import { COMMANDS, type Command } from './commands.js';
import { UsageError } from './exit.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What each option's value is, as "--NAME needs ..." says it. */
const NEEDS: Record<string, string> = {
  pid: 'a process id',
  core: 'a core file',
  exe: 'a binary',
  gdb: 'the path of a gdb',
  html: 'a file name',
  limit: 'a number of entries (a non-negative integer)',
  rows: 'a number of rows (a non-negative integer)',
  goroutine: "a goroutine id (as 'mapscope goroutines' lists them)",
  frame: 'a frame number (0 is the innermost)',
  depth: 'a number (a non-negative integer)',
  package: 'a package path, e.g. main or net/http',
  'max-objects': 'a number of objects (a non-negative integer)',
  'max-time': 'a duration (1.5s, 500ms, 2m, or seconds)',
  'max-pause': 'a duration (1.5s, 500ms, 2m, or seconds)',
  'max-elements': 'a number of elements (a non-negative integer)',
  cacheline: 'a number of bytes',
};

function needs(option: string): string {
  return `--${option} needs ${NEEDS[option] ?? 'a value'}`;
}

/** Parses `argv` for `command`; `positionals` says whether it takes arguments besides options. */
export function parseCommandArgs<O extends Options>(command: Command, argv: readonly string[], options: O, positionals: boolean) {
  const parsed = parseOrSay(command, argv, options);
  for (const t of parsed.tokens) {
    if (t.kind !== 'option') continue;
    const type = options[t.name]?.type;
    // "--pid ''", "--pid=": parseArgs takes an empty value; mapscope has no option for which it means anything.
    if (type === 'string' && (t.value ?? '').trim() === '') throw new UsageError(needs(t.name));
  }
  if (!positionals) {
    const extra = parsed.tokens.find((t) => t.kind === 'positional');
    if (extra) throw new UsageError(`mapscope ${command} takes only options, not ${JSON.stringify(extra.value)}; see 'mapscope ${command} --help'`);
  }
  return parsed;
}

/** The message for a word that is no command: the commands it is close to, or where they are listed. */
export function unknownCommand(word: string): string {
  const near = closest(word, COMMANDS);
  return `unknown command ${JSON.stringify(word)}${didYouMean(near) || "; run 'mapscope --help' for the commands"}`;
}

function parseOrSay<O extends Options>(command: Command, argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    throw translate(command, argv, options, e);
  }
}

/** parseArgs's error (its first line reads "Option '--pid' argument is ambiguous.") said for mapscope. */
function translate(command: Command, argv: readonly string[], options: Options, e: unknown): UsageError {
  const err = e as { code?: string; message?: string };
  const message = String(err.message ?? e).split('\n')[0];
  const named = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? '';
  const name = named.replace(/^-+/, '');
  const help = `see 'mapscope ${command} --help'`;
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const near = closest(named, Object.keys(options).map((o) => `--${o}`));
      return new UsageError(`unknown option ${named} for mapscope ${command}${didYouMean(near) || `; ${help}`}`);
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      if (options[name]?.type === 'boolean') return new UsageError(`--${name} takes no value`);
      // Missing, or followed by something that starts with "-": another option, or a value parseArgs will not take as one.
      const at = argv.findIndex((a) => a === named);
      const next = at >= 0 ? argv[at + 1] : undefined;
      if (next === undefined) return new UsageError(needs(name));
      if (/^--?[A-Za-z]/.test(next)) return new UsageError(`${needs(name)}, not the option ${next} after it`);
      return new UsageError(`${needs(name)}, not ${JSON.stringify(next)} (write --${name}=${next} if that is meant)`);
    }
    default:
      return new UsageError(`${message}; ${help}`);
  }
}
