import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, constants, mkdtempSync, openSync, rmSync, writeSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  GdbExitedError,
  GdbSpawnError,
  MIClosedError,
  MICommandError,
  MITimeoutError,
  MISession,
  type MIRecord,
} from '../../src/mi/index.js';

const GDB = '/usr/bin/gdb';

/** A stand-in "gdb" (a shell script) for behaviour real gdb will not produce on demand. */
function fakeGdb(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mi-fake-gdb-'));
  tempDirs.push(dir);
  const path = join(dir, 'gdb');
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}
/** The gates' fifos, held open until the file's tests are done. */
const gateFds: number[] = [];

/**
 * A gate for a command gdb runs: `shell timeout 60 head -n 1 FIFO` blocks until the test opens
 * the gate, so that "gdb has not answered yet" is a fact, not a guess about timing. The test
 * holds the fifo open for reading and writing from the start (on Linux that never blocks), so
 * the line it writes waits in the pipe however late the shell comes to read it. The `timeout`
 * ends a gate nobody opens (gdb killed under it) within a minute.
 */
function gate(): { command: string; open: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mi-gate-'));
  tempDirs.push(dir);
  const fifo = join(dir, 'gate');
  execFileSync('mkfifo', [fifo]);
  const fd = openSync(fifo, constants.O_RDWR);
  gateFds.push(fd);
  return {
    command: `-interpreter-exec console "shell timeout 60 head -n 1 ${fifo} > /dev/null"`,
    open: () => void writeSync(fd, 'go\n'),
  };
}

const sessions: MISession[] = [];
const tempDirs: string[] = [];

afterAll(() => {
  for (const fd of gateFds.splice(0)) closeSync(fd);
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

async function start(opts: Parameters<typeof MISession.start>[0] = {}): Promise<MISession> {
  const s = await MISession.start({ gdbPath: GDB, ...opts });
  sessions.push(s);
  return s;
}

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});

describe('MISession against real gdb', () => {
  it('starts, reports early records, and answers -gdb-version with its console output', async () => {
    const records: MIRecord[] = [];
    const s = await start({ onRecord: (r) => records.push(r) });
    expect(s.pid).toBeGreaterThan(0);
    expect(s.exited).toBe(false);
    expect(records).toContainEqual({ type: 'notify', asyncClass: 'thread-group-added', results: { id: 'i1' } });

    const r = await s.send('-gdb-version');
    expect(r.type).toBe('result');
    expect(r.resultClass).toBe('done');
    const text = r.streams.filter((x) => x.type === 'console').map((x) => x.text).join('');
    expect(text).toContain('GNU gdb');
    // Streams still reach onRecord; the matched result record does not.
    expect(records.some((x) => x.type === 'console' && x.text.includes('GNU gdb'))).toBe(true);
    expect(records.some((x) => x.type === 'result')).toBe(false);
  });

  it('-list-features includes python', async () => {
    const s = await start();
    const r = await s.send('-list-features');
    expect(r.results.features).toContain('python');
  });

  it('resolves concurrent sends by token', async () => {
    const s = await start();
    const exprs = Array.from({ length: 20 }, (_, i) => i * 7);
    const results = await Promise.all(exprs.map((n) => s.send(`-data-evaluate-expression ${n}+1`)));
    expect(results.map((r) => r.results.value)).toEqual(exprs.map((n) => String(n + 1)));
    const tokens = results.map((r) => r.token ?? -1);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('attributes console output to the right command among concurrent ones', async () => {
    const s = await start();
    const [a, b] = await Promise.all([
      s.send('-interpreter-exec console "echo first\\n"'),
      s.send('-interpreter-exec console "echo second\\n"'),
    ]);
    expect(a.streams).toEqual([{ type: 'console', text: 'first\n' }]);
    expect(b.streams).toEqual([{ type: 'console', text: 'second\n' }]);
  });

  it('rejects ^error with MICommandError carrying msg and code', async () => {
    const s = await start();
    const err = await s.send('-this-command-does-not-exist').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MICommandError);
    const e = err as MICommandError;
    expect(e.name).toBe('MICommandError');
    expect(e.command).toBe('-this-command-does-not-exist');
    expect(e.msg).toBe('Undefined MI command: this-command-does-not-exist');
    expect(e.code).toBe('undefined-command');
    // The stack points at the test that sent the command, not at stream plumbing.
    expect(e.stack).toContain('mi-session.test.ts');
    // The session is still usable.
    expect((await s.send('-data-evaluate-expression 2*21')).results.value).toBe('42');
  });

  it('times out a slow command, ignores its late answer, and keeps working', async () => {
    const records: MIRecord[] = [];
    const s = await start({ onRecord: (r) => records.push(r) });
    const g = gate();
    const err = await s.send(g.command, { timeoutMs: 300 }).catch((e: unknown) => e);
    // gdb cannot have answered: its command still waits at the closed gate.
    expect(err).toBeInstanceOf(MITimeoutError);
    expect((err as MITimeoutError).timeoutMs).toBe(300);
    // gdb answers this only after the slow command, whose late answer comes first and is dropped.
    const next = s.send('-data-evaluate-expression 1+1');
    g.open();
    const r = await next;
    expect(r.results.value).toBe('2');
    expect(records.some((x) => x.type === 'result')).toBe(false);
  });

  it('rejects pending commands with GdbExitedError when gdb is killed, and later sends too', async () => {
    const s = await start();
    const pending = s.send('-interpreter-exec console "shell sleep 2"').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    process.kill(s.pid, 'SIGKILL');
    const err = await pending;
    expect(err).toBeInstanceOf(GdbExitedError);
    expect((err as GdbExitedError).signal).toBe('SIGKILL');
    expect((err as GdbExitedError).command).toBe('-interpreter-exec console "shell sleep 2"');
    expect(await s.onExit).toEqual({ exitCode: null, signal: 'SIGKILL' });
    expect(s.exited).toBe(true);
    const later = await s.send('-gdb-version').catch((e: unknown) => e);
    expect(later).toBeInstanceOf(GdbExitedError);
    await s.close();
  });

  it('-gdb-exit resolves with ^exit, then the session refuses commands', async () => {
    const s = await start();
    const r = await s.send('-gdb-exit');
    expect(r.resultClass).toBe('exit');
    await expect(s.send('-gdb-version')).rejects.toBeInstanceOf(MIClosedError);
    expect(await s.onExit).toEqual({ exitCode: 0, signal: null });
  });

  it('fails commands queued behind -gdb-exit with GdbExitedError', async () => {
    const s = await start();
    const exit = s.send('-gdb-exit');
    const after = s.send('-gdb-version').catch((e: unknown) => e);
    await exit;
    expect(await after).toBeInstanceOf(GdbExitedError);
  });

  it('reports a missing gdb binary as GdbSpawnError', async () => {
    const err = await MISession.start({ gdbPath: '/nonexistent/gdb' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GdbSpawnError);
    expect((err as GdbSpawnError).gdbPath).toBe('/nonexistent/gdb');
    expect((err as GdbSpawnError).message).toContain('ENOENT');
  });

  it('reports gdb dying during startup as GdbExitedError with stderr', async () => {
    const err = await MISession.start({ gdbPath: GDB, args: ['--no-such-option'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GdbExitedError);
    expect((err as GdbExitedError).exitCode).not.toBe(0);
    expect((err as GdbExitedError).stderrTail).toContain('no-such-option');
  });

  it('close() is idempotent, reaps gdb, and later sends reject with MIClosedError', async () => {
    const s = await start();
    await s.send('-gdb-version');
    await Promise.all([s.close(), s.close()]);
    await s.close();
    expect(s.exited).toBe(true);
    expect(() => process.kill(s.pid, 0)).toThrow();
    await expect(s.send('-gdb-version')).rejects.toBeInstanceOf(MIClosedError);
  });

  it('close() SIGKILLs a gdb that does not exit in time and fails its pending command', async () => {
    const s = await start();
    const g = gate();
    // Never answered while the gate is closed: only the kill can end it.
    const pending = s.send(g.command).catch((e: unknown) => e);
    try {
      await s.close({ timeoutMs: 300 });
      expect(s.exited).toBe(true);
      expect(await pending).toBeInstanceOf(GdbExitedError);
      expect(await s.onExit).toMatchObject({ signal: 'SIGKILL' });
    } finally {
      g.open();
    }
  });

  it('logs traffic in both directions', async () => {
    const lines: Array<[string, string]> = [];
    const s = await start({ log: (line, dir) => lines.push([dir, line]) });
    await s.send('-gdb-version');
    expect(lines.some(([d, l]) => d === 'in' && /^\d+-gdb-version$/.test(l))).toBe(true);
    expect(lines.some(([d, l]) => d === 'out' && l.startsWith('(gdb)'))).toBe(true);
  });

  it('rejects multi-line commands without sending them', async () => {
    const s = await start();
    await expect(s.send('-gdb-version\n-gdb-exit')).rejects.toThrow(/single line/);
    expect((await s.send('-data-evaluate-expression 3')).results.value).toBe('3');
  });

  it('times out waiting for the first prompt and kills the silent process', async () => {
    const path = fakeGdb('exec sleep 30');
    // Not timed: had the timeout not fired, start() would end only with the sleep, as GdbExitedError.
    const err = await MISession.start({ gdbPath: path, startTimeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MITimeoutError);
  });

  it('turns non-MI and malformed lines into unknown records and keeps going', async () => {
    const path = fakeGdb(String.raw`printf '=== RUN   TestMap\n~/not/mi\nplain \303\251 output\n^done\n(gdb) \n'
read line
tok=$(printf '%s' "$line" | sed 's/[^0-9].*//')
printf '~"working\\n"\n'"$tok"'^done,value="ok"\n(gdb) \n'
read line`);
    const records: MIRecord[] = [];
    const s = await start({ gdbPath: path, onRecord: (r) => records.push(r) });
    expect(records.slice(0, 4)).toEqual([
      { type: 'unknown', line: '=== RUN   TestMap' },
      { type: 'unknown', line: '~/not/mi' },
      { type: 'unknown', line: 'plain é output' },
      { type: 'result', resultClass: 'done', results: {} },
    ]);
    const r = await s.send('-anything');
    expect(r.results.value).toBe('ok');
    expect(r.streams).toEqual([{ type: 'console', text: 'working\n' }]);
  });
});
