/**
 * Every command's options, given wrong: each mistake is one line that says what to do, never
 * node's own wording ("argument is ambiguous", "argument missing").
 */
import { describe, expect, it } from 'vitest';
import { parseGoroutinesArgs } from '../../src/cli/goroutines-command.js';
import { parseInspectArgs } from '../../src/cli/inspect-command.js';
import { parseLayoutArgs } from '../../src/cli/layout-command.js';
import { parseListArgs } from '../../src/cli/list-command.js';
import { unknownCommand } from '../../src/cli/parse-args.js';
import { parseTopArgs } from '../../src/cli/top-command.js';
import { UsageError } from '../../src/cli/exit.js';
import { closest, editDistance } from '../../src/discover/similar.js';

/** Each command with arguments that make a valid call, and its string options. */
const COMMANDS: { name: string; parse: (argv: string[]) => unknown; base: string[]; strings: string[]; booleans: string[] }[] = [
  { name: 'inspect', parse: parseInspectArgs, base: ['main.m', '--pid', '42'], strings: ['pid', 'core', 'exe', 'gdb', 'html', 'limit', 'rows', 'goroutine', 'frame'], booleans: ['json', 'jsonl', 'stats'] },
  { name: 'list', parse: parseListArgs, base: ['--pid', '42'], strings: ['pid', 'core', 'exe', 'gdb', 'package'], booleans: ['json', 'all'] },
  { name: 'top', parse: parseTopArgs, base: ['--pid', '42'], strings: ['pid', 'core', 'exe', 'gdb', 'package', 'depth', 'max-objects', 'max-time', 'max-elements', 'limit'], booleans: ['json', 'all'] },
  { name: 'goroutines', parse: parseGoroutinesArgs, base: ['--pid', '42'], strings: ['pid', 'core', 'exe', 'gdb', 'depth'], booleans: ['json', 'all'] },
  { name: 'layout', parse: parseLayoutArgs, base: ['--exe', './server'], strings: ['exe', 'gdb', 'cacheline'], booleans: ['json', 'compare'] },
];

function usageError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    const message = (e as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a UsageError');
}

/** argv without the base's own use of `option` (so that giving it again is the only use). */
function without(base: readonly string[], option: string): string[] {
  const i = base.indexOf(`--${option}`);
  return i < 0 ? [...base] : [...base.slice(0, i), ...base.slice(i + 2)];
}

describe('an option without its value', () => {
  for (const c of COMMANDS) {
    for (const o of c.strings) {
      it(`${c.name} --${o}: empty, missing at the end, followed by an option`, () => {
        const rest = without(c.base, o);
        for (const argv of [
          [...rest, `--${o}`, ''],
          [...rest, `--${o}=`],
          [...rest, `--${o}`, '  '],
          [...rest, `--${o}`],
        ]) {
          expect(usageError(() => c.parse(argv)), JSON.stringify(argv)).toMatch(new RegExp(`^--${o} needs \\S`));
        }
        const followed = usageError(() => c.parse([...rest, `--${o}`, '--json']));
        expect(followed).toMatch(new RegExp(`^--${o} needs .*, not the option --json after it$`));
        expect(followed).not.toMatch(/ambiguous|argument missing/);
      });
    }
  }

  it('says what the value is', () => {
    expect(usageError(() => parseInspectArgs(['main.m', '--pid', '']))).toBe('--pid needs a process id');
    expect(usageError(() => parseInspectArgs(['main.m', '--pid']))).toBe('--pid needs a process id');
    expect(usageError(() => parseInspectArgs(['main.m', '--pid', '42', '--limit', '-3']))).toBe(
      '--limit needs a number of entries (a non-negative integer), not "-3" (write --limit=-3 if that is meant)',
    );
    expect(usageError(() => parseInspectArgs(['main.m', '--pid', '42', '--json=yes']))).toBe('--json takes no value');
  });
});

describe('an unknown option: the close ones, for every command', () => {
  for (const c of COMMANDS) {
    it(c.name, () => {
      expect(usageError(() => c.parse([...c.base, '--jsno']))).toBe(`unknown option --jsno for mapscope ${c.name}; did you mean --json?`);
      for (const o of [...c.strings, ...c.booleans]) {
        // One letter dropped: still found.
        const typo = `--${o.slice(0, -1)}`;
        if (typo === '--' || c.strings.includes(o.slice(0, -1)) || c.booleans.includes(o.slice(0, -1))) continue;
        expect(usageError(() => c.parse([...c.base, typo]))).toMatch(new RegExp(`did you mean (.*, )?--${o}\\b`));
      }
      expect(usageError(() => c.parse([...c.base, '--zzzzzzzz']))).toBe(`unknown option --zzzzzzzz for mapscope ${c.name}; see 'mapscope ${c.name} --help'`);
    });
  }
});

describe('arguments a command does not take, and commands that do not exist', () => {
  it('list, top and goroutines take only options', () => {
    expect(usageError(() => parseListArgs(['main.m', '--pid', '42']))).toBe(`mapscope list takes only options, not "main.m"; see 'mapscope list --help'`);
    expect(usageError(() => parseTopArgs(['--pid', '42', 'x']))).toMatch(/^mapscope top takes only options/);
  });

  it('an unknown command: the close one', () => {
    expect(unknownCommand('inpsect')).toBe('unknown command "inpsect"; did you mean inspect?');
    expect(unknownCommand('gorutines')).toBe('unknown command "gorutines"; did you mean goroutines?');
    expect(unknownCommand('frobnicate')).toBe(`unknown command "frobnicate"; run 'mapscope --help' for the commands`);
  });
});

describe('closest', () => {
  it('swapped letters are one edit; far names are not suggested', () => {
    expect(editDistance('jsno', 'json')).toBe(1);
    expect(editDistance('svcc', 'svcCache')).toBe(4);
    expect(closest('main.svcc', ['main.svcCache', 'main.routes', 'main.svcx'])).toEqual(['main.svcCache']);
    expect(closest('main.svcx', ['main.svcCache', 'main.routes', 'main.svc', 'main.svcy'])).toEqual(['main.svc', 'main.svcy']);
    expect(closest('--max', ['--max-objects', '--max-time', '--limit'])).toEqual(['--max-time', '--max-objects']);
    expect(closest('itms', ['items', 'name', 'id'])).toEqual(['items']);
    expect(closest('zzz', ['items', 'name'])).toEqual([]);
    // Too short to guess from: ServeMux's old field m is no typo of mu, its new one.
    expect(closest('m', ['mu', 'tree', 'index', 'mux121'])).toEqual([]);
    expect(closest('in', ['mu', 'tree', 'index', 'mux121'])).toEqual(['index']);
  });
});
