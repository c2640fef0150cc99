/**
 * Bad input gets a clear one-line error and a distinct exit status, never a stack trace or a
 * hang: usage errors, targets that cannot be opened (exit 2), maps that cannot be read (exit 1,
 * the others still read), and an interrupt that must leave a live target running.
 */
import { chmodSync, copyFileSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, programPath } from './paths.js';
import { type CrashedProgram, gcore, kernelCore, mapscope, processStatus, startProgram, tempDir, type LiveProgram } from './harness.js';
import { presentToolchains } from './toolchains.js';

const [machine] = presentToolchains();
const exe = programPath(machine.id);

function expectOneLineError(r: { exitCode: number; stdout: string; stderr: string }, code: number, pattern: RegExp): void {
  expect(r.exitCode).toBe(code);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^mapscope: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('usage', () => {
  it('prints help for every command, exit 0', async () => {
    for (const args of [['--help'], ['inspect', '--help'], ['help', 'inspect'], ['help']]) {
      const r = await mapscope(args);
      expect(r.exitCode, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage:/);
    }
    const inspect = await mapscope(['inspect', '--help']);
    for (const flag of ['--pid', '--core', '--exe', '--json', '--limit']) expect(inspect.stdout).toContain(flag);
  });

  it.each([
    [[], /Usage/],
    [['frobnicate'], /unknown command/],
    [['inspect', '--pid', '1'], /at least one map/],
    [['inspect', 'main.m'], /give a target/],
    [['inspect', 'main.m', '--pid', '1', '--core', 'c', '--exe', 'e'], /cannot be combined/],
    [['inspect', 'main.m', '--core', 'c'], /needs --exe/],
    [['inspect', 'main.m', '--pid', 'abc'], /non-negative integer/],
    [['inspect', 'main.m', '--pid', '1', '--limit', '-3'], /limit|argument/],
    [['inspect', 'main.m', '--pid', '1', '--bogus'], /bogus/],
    // Node's parseArgs words ("argument is ambiguous", "argument missing") never reach the user.
    [['inspect', 'main.m', '--pid', ''], /^mapscope: --pid needs a process id$/],
    [['inspect', 'main.m', '--pid', '--json'], /^mapscope: --pid needs a process id, not the option --json after it$/],
    [['inspect', 'main.m', '--pid'], /^mapscope: --pid needs a process id$/],
    [['inspect', 'main.m', '--pid', '1', '--jsno'], /^mapscope: unknown option --jsno for mapscope inspect; did you mean --json\?$/],
    [['top', '--pid', '1', '--max-objcts', '5'], /^mapscope: unknown option --max-objcts for mapscope top; did you mean --max-objects\?$/],
    [['list', '--core', '', '--exe', 'x'], /^mapscope: --core needs a core file$/],
    [['goroutines', '--pid', '1', '--depth'], /^mapscope: --depth needs a number/],
    [['layout', '--exe'], /^mapscope: --exe needs a binary$/],
    [['inpsect', 'main.m'], /^mapscope: unknown command "inpsect"; did you mean inspect\?$/],
  ])('%j exits 2 with a reason', async (args, pattern) => {
    const r = await mapscope(args);
    expect(r.exitCode).toBe(2);
    expect(r.stdout + r.stderr.trimEnd()).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at |ambiguous|argument missing/);
  });
});

describe('targets that cannot be opened (exit 2)', () => {
  let sleeper: ReturnType<typeof execa> | undefined;
  let crashed: CrashedProgram | undefined;
  let dir = '';

  beforeAll(async () => {
    dir = tempDir('errors');
    crashed = await kernelCore(exe);
  });
  afterAll(() => {
    sleeper?.kill('SIGKILL');
    if (crashed) rmSync(crashed.dir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('a pid with no process', async () => {
    expectOneLineError(await mapscope(['inspect', 'main.m', '--pid', '99999999']), 2, /no process with pid 99999999/);
  });

  it('a process that is not Go, without ever attaching to it', async () => {
    sleeper = execa('sleep', ['600'], { reject: false });
    const pid = sleeper.pid ?? 0;
    expectOneLineError(await mapscope(['inspect', 'main.m', '--pid', String(pid)]), 2, /is not a Go program/);
    // list and top read the binary's DWARF beside gdb's start-up: a binary without any is still gdb's to refuse.
    expectOneLineError(await mapscope(['list', '--pid', String(pid)]), 2, /is not a Go program/);
    expect(processStatus(pid).tracerPid).toBe(0);
  });

  it('no permission to trace the process', async () => {
    const prog = await startProgram(exe);
    try {
      // As an unprivileged user the root-owned process cannot be read or traced.
      const r = await execa('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'node', CLI, 'inspect', 'main.strInt', '--pid', String(prog.pid), '--max-pause', '120s'], {
        reject: false,
      });
      expectOneLineError({ exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) }, 2, /not permitted/);
      expect(processStatus(prog.pid).state).not.toBe('T');
    } finally {
      await prog.stop();
    }
  });

  it('a Go binary without DWARF (-ldflags=-w), live and with its own core', async () => {
    const nodwarf = programPath(machine.id, 'mapsuite-nodwarf');
    const prog = await startProgram(nodwarf);
    try {
      expectOneLineError(await mapscope(['inspect', 'main.m', '--pid', String(prog.pid)]), 2, /no Go DWARF/);
      expect(processStatus(prog.pid).tracerPid).toBe(0);
    } finally {
      await prog.stop();
    }
    const c = await kernelCore(nodwarf);
    try {
      expectOneLineError(await mapscope(['inspect', 'main.m', '--core', c.core, '--exe', nodwarf]), 2, /no Go DWARF/);
    } finally {
      rmSync(c.dir, { recursive: true, force: true });
    }
  });

  it('a Go binary stripped by strip (live) or linked with -s (core)', async () => {
    const stripped = join(dir, 'mapsuite-stripped');
    copyFileSync(exe, stripped);
    await execa('strip', [stripped]);
    const prog = await startProgram(stripped);
    try {
      expectOneLineError(await mapscope(['inspect', 'main.m', '--pid', String(prog.pid)]), 2, /is a Go program stripped of its symbols and DWARF/);
      expect(processStatus(prog.pid).tracerPid).toBe(0);
    } finally {
      await prog.stop();
    }
    const linkedS = programPath(machine.id, 'mapsuite-s');
    const c = await kernelCore(linkedS);
    try {
      expectOneLineError(await mapscope(['inspect', 'main.m', '--core', c.core, '--exe', linkedS]), 2, /is a Go program stripped of its symbols and DWARF/);
    } finally {
      rmSync(c.dir, { recursive: true, force: true });
    }
  });

  it('a core with a rebuild of its binary: same code and entry point, another build ID (kernel core and gcore)', async () => {
    const rebuilt = programPath(machine.id, 'mapsuite-rebuilt');
    const prog = await startProgram(exe);
    const g = join(dir, 'gcore.core');
    try {
      await gcore(prog.pid, g);
    } finally {
      await prog.stop();
    }
    for (const core of [crashed?.core ?? '', g]) {
      expectOneLineError(await mapscope(['inspect', 'main.m', '--core', core, '--exe', rebuilt]), 2, /was not produced by .*mapsuite-rebuilt \(its program was .*\/mapsuite\): Go build ID \S+ in the core, \S+ in the binary/);
    }
  });

  it('a truncated core', async () => {
    const core = crashed?.core ?? '';
    const half = join(dir, 'half.core');
    writeFileSync(half, readFileSync(core).subarray(0, Math.floor(statSync(core).size / 2)));
    expectOneLineError(await mapscope(['inspect', 'main.m', '--core', half, '--exe', exe]), 2, /core .*half\.core is truncated: it has \d+ bytes, its headers describe \d+/);
    const stub = join(dir, 'stub.core');
    writeFileSync(stub, readFileSync(core).subarray(0, 100));
    expectOneLineError(await mapscope(['inspect', 'main.m', '--core', stub, '--exe', exe]), 2, /cannot read core .*stub\.core: the program headers lie beyond the end of the file/);
  });

  it('an ELF file that is not a core', async () => {
    expectOneLineError(await mapscope(['inspect', 'main.m', '--core', exe, '--exe', exe]), 2, /is an ELF file but not a core dump/);
  });

  it('a core without its binary', async () => {
    expectOneLineError(await mapscope(['inspect', 'main.m', '--core', crashed?.core ?? '', '--exe', join(dir, 'missing')]), 2, /cannot read the executable/);
  });

  it('a core file that does not exist', async () => {
    expectOneLineError(await mapscope(['inspect', 'main.m', '--core', join(dir, 'nope'), '--exe', exe]), 2, /cannot read the core file/);
  });

  it('a file that is not a core', async () => {
    const notCore = join(dir, 'not-a-core');
    writeFileSync(notCore, 'hello\n');
    expectOneLineError(await mapscope(['inspect', 'main.m', '--core', notCore, '--exe', exe]), 2, /is not a core dump \(not an ELF file\)/);
  });

  it('a core produced by another binary', async () => {
    const other = presentToolchains().find((tc) => tc.id !== machine.id);
    if (!other) throw new Error('needs a second toolchain to build a different binary');
    expectOneLineError(await mapscope(['inspect', 'main.m', '--core', crashed?.core ?? '', '--exe', programPath(other.id)]), 2, /not produced by/);
  });

  it('a gdb older than 13, or none at all', async () => {
    const fake = join(dir, 'gdb12');
    writeFileSync(
      fake,
      [
        '#!/bin/bash',
        "echo '(gdb) '",
        'while read -r line; do',
        "  tok=$(echo \"$line\" | grep -o '^[0-9]*')",
        '  case "$line" in',
        "    *-gdb-version*) echo '~\"GNU gdb (Fake) 12.1\\n\"'; echo \"${tok}^done\"; echo '(gdb) ';;",
        '    *-gdb-exit*) echo "${tok}^exit"; exit 0;;',
        "    *) echo \"${tok}^done\"; echo '(gdb) ';;",
        '  esac',
        'done',
      ].join('\n'),
    );
    chmodSync(fake, 0o755);
    expectOneLineError(await mapscope(['inspect', 'main.m', '--core', crashed?.core ?? '', '--exe', exe, '--gdb', fake]), 2, /needs gdb 13 or newer.*12\.1/);
    expectOneLineError(await mapscope(['inspect', 'main.m', '--core', crashed?.core ?? '', '--exe', exe, '--gdb', join(dir, 'no-gdb')]), 2, /cannot start gdb/);
  });
});

describe('maps that cannot be read (exit 1, the others still read)', () => {
  let crashed: CrashedProgram | undefined;
  beforeAll(async () => {
    crashed = await kernelCore(exe);
  });
  afterAll(() => {
    if (crashed) rmSync(crashed.dir, { recursive: true, force: true });
  });

  it('reports each failure in its own entry', async () => {
    const r = await mapscope([
      'inspect',
      'main.strInt',
      'main.noSuchVariable',
      'main.cfg',
      '0x10:map[string]int',
      // A "header" in the middle of the program text: garbage that must be refused, not followed.
      '0x401000:map[int64]int64',
      'main.nilMap',
      // A typo of a variable, and of a field: gdb's words replaced by what to do.
      'main.strIn',
      'main.cfg.byNme',
      '--core',
      crashed?.core ?? '',
      '--exe',
      exe,
      '--json',
    ]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { maps: { expr: string; error?: string; count?: number; address?: string | null; entries?: unknown[] }[] };
    const [ok, missing, notMap, unreadable, garbage, nil, typo, field] = out.maps;
    expect(ok.error).toBeUndefined();
    expect(ok.count).toBeGreaterThan(0);
    expect(missing.error).toBe("no package-level variable main.noSuchVariable; 'mapscope list' lists the package-level map variables");
    expect(notMap.error).toBe('main.cfg is not a Go map (its type is main.Config); its map field is main.cfg.byName');
    expect(typo.error).toMatch(/^no package-level variable main\.strIn; did you mean main\.strInt\b/);
    expect(field.error).toBe('main.cfg (main.Config) has no field byNme; did you mean byName?');
    for (const m of out.maps) expect(m.error ?? '').not.toMatch(/No symbol|There is no member|in current context/);
    expect(unreadable.error).toMatch(/cannot read .* at 0x10/);
    expect(garbage.error).toMatch(/.+/);
    expect(nil).toMatchObject({ address: null, count: 0, entries: [] });
    expect(nil.error).toBeUndefined();
  });
});

describe('interrupting mapscope', () => {
  it('SIGINT while attached detaches and leaves the process running', async () => {
    const prog: LiveProgram = await startProgram(exe);
    try {
      const child = execa('node', [CLI, 'inspect', ...prog.truth.maps.map((m) => m.expr), '--pid', String(prog.pid), '--json', '--max-pause', '120s'], { reject: false });
      // Wait until gdb is attached (the target shows a tracer), then interrupt.
      for (let i = 0; i < 1000 && processStatus(prog.pid).tracerPid === 0; i++) await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGINT');
      const r = await child;
      expect([0, 130]).toContain(r.exitCode);
      const st = processStatus(prog.pid);
      expect(st.tracerPid).toBe(0);
      expect(['S', 'R']).toContain(st.state);
    } finally {
      await prog.stop();
    }
  });
});
