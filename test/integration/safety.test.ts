/**
 * A live target is left as mapscope found it, whatever happens: many attaches while other
 * goroutines write other maps; mapscope or gdb killed mid-read (SIGKILL, SIGTERM, both at once);
 * a gdb that stops answering. After each, the target runs (not T/t), has no tracer, and its
 * writers count on; at the end safeprobe itself finds every map and all their memory unchanged,
 * byte for byte.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapscope, tempDir } from './harness.js';
import { MapscopeRun, type Exit } from './mapscope-run.js';
import { ROOT } from './paths.js';
import { SIGSTOP_BIT, alive, childrenOf, cmdline, procStatus, sleep, stateOf, waitFor } from './proc.js';
import { SafeProbe, safeprobePath, safetyToolchains, type Verdict } from './safe-probe.js';

const STUCK_GDB = join(ROOT, 'test', 'integration', 'stuck-gdb.sh');
const dir = tempDir('safety');
const GUARD_LOG = join(dir, 'guard.log');
// What the guard did, if anything, for the failure messages.
process.env.MAPSCOPE_GUARD_LOG = GUARD_LOG;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const guardLog = () => (existsSync(GUARD_LOG) ? readFileSync(GUARD_LOG, 'utf8') : '(empty)');

/** Waits (bounded) until the target runs untraced and `leftovers` (mapscope, gdb, the guard) are gone; then its writers must count on. */
async function expectLeftRunning(probe: SafeProbe, leftovers: readonly number[], run?: MapscopeRun): Promise<void> {
  const why = () =>
    `target ${JSON.stringify(procStatus(probe.pid), (_, v: unknown) => (typeof v === 'bigint' ? v.toString(16) : v))}; ` +
    `still alive: ${JSON.stringify(leftovers.filter(alive).map((p) => `${p} ${stateOf(p)} ${cmdline(p).slice(0, 60)}`))}\n` +
    `guard log:\n${guardLog()}\nmapscope stderr:\n${run?.stderr() ?? ''}`;
  await waitFor('the target to run untraced, mapscope, gdb and the guard gone', 5_000, () => {
    const st = procStatus(probe.pid);
    return st && st.tracerPid === 0 && st.state !== 'T' && st.state !== 't' && !leftovers.some(alive) ? true : undefined;
  }, why);
  await expectWritersCountOn(probe);
}

async function expectWritersCountOn(probe: SafeProbe): Promise<void> {
  const before = await probe.counters();
  const deadline = Date.now() + 3_000;
  for (;;) {
    const now = await probe.counters();
    if (now.every((c, i) => c > before[i])) return;
    if (Date.now() > deadline) throw new Error(`writer counters did not advance: ${JSON.stringify(before)} -> ${JSON.stringify(now)}`);
    await sleep(20);
  }
}

type Strike = 'SIGKILL mapscope' | 'SIGKILL gdb' | 'SIGKILL both' | 'SIGTERM mapscope';

/** Tries to catch a read: a loaded machine may let the whole read end before the test looks. */
const STRIKE_TRIES = 3;

/** Starts reading the big map and strikes while gdb is reading its memory. */
async function strikeMidRead(probe: SafeProbe, strike: Strike): Promise<{ exit: Exit; run: MapscopeRun }> {
  let run: MapscopeRun | undefined;
  let st: ReturnType<typeof procStatus>;
  for (let tries = 1; ; tries++) {
    run = new MapscopeRun(['inspect', 'main.bigMap', 'main.strMap', '--pid', String(probe.pid), '--limit', '2'], { detached: strike === 'SIGKILL both' });
    await run.bulkRead();
    st = procStatus(probe.pid);
    if (st?.state === 't' || tries === STRIKE_TRIES) break;
    // The copy ended and the target was let go before this test got to look: a read not caught,
    // not a target left running while read (gdb reads nothing once detached). Again.
    await run.exit();
    await expectLeftRunning(probe, [run.pid], run);
  }
  // Attached and stopped: the strike lands mid-read.
  expect(st?.state, run.stderr()).toBe('t');
  const gdb = st?.tracerPid ?? 0;
  const children = childrenOf(run.pid);
  expect(children, 'gdb is a child of mapscope').toContain(gdb);
  const struck = Date.now();
  if (strike === 'SIGKILL mapscope') process.kill(run.pid, 'SIGKILL');
  else if (strike === 'SIGKILL gdb') process.kill(gdb, 'SIGKILL');
  else if (strike === 'SIGKILL both') process.kill(-run.pid, 'SIGKILL');
  else process.kill(run.pid, 'SIGTERM');
  const exit = await run.exit();
  await expectLeftRunning(probe, [run.pid, ...children], run);
  return { exit: { ...exit, ms: Date.now() - struck }, run };
}

/**
 * Kills mapscope and gdb the moment gdb's PTRACE_ATTACH shows, before gdb has collected the
 * SIGSTOP it causes: the kernel then detaches and the stop becomes real (T, no tracer), which
 * only the guard can undo. Returns whether that state was seen.
 */
async function killMidAttach(probe: SafeProbe): Promise<boolean> {
  const run = new MapscopeRun(['inspect', 'main.smallMap', '--pid', String(probe.pid)], { detached: true });
  await run.commandsAfterAttach(0);
  // Synchronous polling: an event-loop turn is longer than the window.
  const deadline = Date.now() + 5_000;
  while ((procStatus(probe.pid)?.tracerPid ?? 0) === 0 && Date.now() < deadline);
  const children = childrenOf(run.pid);
  process.kill(-run.pid, 'SIGKILL');
  let stopped = false;
  for (let i = 0; i < 20 && !stopped; i++, await sleep(5)) stopped = procStatus(probe.pid)?.state === 'T';
  await run.exit();
  await expectLeftRunning(probe, [run.pid, ...children], run);
  return stopped;
}

type StuckMode = 'stop' | 'mute' | 'stop-target';

const GDB_TIMEOUT_MS = 3000;

/** mapscope with a gdb that stops answering three commands after the attach (stuck-gdb.sh). */
async function stuckGdb(probe: SafeProbe, mode: StuckMode, killMapscope: boolean): Promise<Exit> {
  // 3 s: long enough that a slow attach on a busy machine is not what times out, short enough to wait for.
  const env = { STUCK_GDB_MODE: mode, STUCK_GDB_AFTER: '2', MAPSCOPE_GDB_TIMEOUT_MS: killMapscope ? '60000' : String(GDB_TIMEOUT_MS) };
  const run = new MapscopeRun(['inspect', 'main.intMap', 'main.structMap', '--pid', String(probe.pid), '--gdb', STUCK_GDB], { env });
  await run.commandsAfterAttach(3);
  const gdb = procStatus(probe.pid)?.tracerPid ?? 0;
  expect(gdb).toBeGreaterThan(0);
  const children = childrenOf(run.pid);
  if (mode === 'stop') await waitFor('gdb to be stopped', 3_000, () => (stateOf(gdb) === 'T' ? true : undefined));
  if (mode === 'stop-target') {
    await waitFor('a SIGSTOP pending for the target', 3_000, () => ((procStatus(probe.pid)?.shared ?? 0n) & SIGSTOP_BIT ? true : undefined));
  }
  if (killMapscope) process.kill(run.pid, 'SIGKILL');
  const exit = await run.exit();
  await expectLeftRunning(probe, [run.pid, gdb, ...children], run);
  return exit;
}

const INSPECTS: readonly (readonly string[])[] = [
  ['main.intMap', '--json'],
  ['main.strMap', 'main.structMap', '--json'],
  ['main.smallMap', 'main.intMap', 'main.strMap', 'main.structMap'],
  ['main.structMap', '--limit', '3'],
  ['main.smallMap', 'main.strMap', '--json', '--limit', '10'],
];

const toolchains = safetyToolchains();

describe.skipIf(toolchains.length === 0)('a live target is left as it was found', () => {
  for (const tc of toolchains) {
    // The toolchains' runs go side by side, each against its own target; within one, in order.
    describe.concurrent(`${tc.id} (${tc.impl})`, () => {
      let probe: SafeProbe;
      beforeAll(async () => {
        probe = await SafeProbe.start(safeprobePath(tc.id));
        expect(probe.ready.impl).toBe(tc.impl);
      });
      afterAll(async () => {
        await probe?.stop();
      });
      const counts = () => new Map(probe.ready.maps.map((m) => [m.expr, m.count]));

      it.sequential('20 attaches, one map or several, text or JSON, while other goroutines write other maps', async () => {
        for (let i = 0; i < 20; i++) {
          const exprs = i === 7 ? ['main.bigMap', '--json', '--limit', '2'] : INSPECTS[i % INSPECTS.length];
          const r = await mapscope(['inspect', ...exprs, '--pid', String(probe.pid)]);
          expect(r.exitCode, r.stderr).toBe(0);
          // Detached before exiting: nothing to wait for.
          const st = procStatus(probe.pid);
          expect(st?.tracerPid).toBe(0);
          expect(['R', 'S']).toContain(st?.state);
          if (exprs.includes('--json')) {
            const doc = JSON.parse(r.stdout) as { maps: { expr: string; count: number }[] };
            for (const m of doc.maps) expect(m.count, m.expr).toBe(counts().get(m.expr));
          }
          if (i % 5 === 4) await expectWritersCountOn(probe);
        }
        const v = await probe.request<Verdict>('check', 30_000);
        expect(v.diffs).toEqual([]);
        expect(v.contents).toEqual([]);
      });

      it.sequential('SIGKILL of mapscope mid-read: gdb detaches on EOF, the guard sees to it', async () => {
        const { exit } = await strikeMidRead(probe, 'SIGKILL mapscope');
        expect(exit.signal).toBe('SIGKILL');
      });

      it.sequential('SIGKILL of gdb mid-read: the kernel detaches, mapscope reports it and exits', async () => {
        const { exit } = await strikeMidRead(probe, 'SIGKILL gdb');
        expect(exit.exitCode).toBeGreaterThan(0);
      });

      it.sequential('SIGKILL of mapscope and gdb at once (their process group) mid-read', async () => {
        const { exit } = await strikeMidRead(probe, 'SIGKILL both');
        expect(exit.signal).toBe('SIGKILL');
      });

      it.sequential('SIGTERM mid-read: mapscope detaches and exits 130', async () => {
        const { exit, run } = await strikeMidRead(probe, 'SIGTERM mapscope');
        expect(exit.exitCode, run.stderr()).toBe(130);
        expect(run.stderr()).toContain('SIGTERM, detaching');
      });

      it.sequential('SIGKILL of mapscope and gdb mid-attach: the guard resumes a target the kernel left stopped', async () => {
        const stops: boolean[] = [];
        for (let i = 0; i < 3; i++) stops.push(await killMidAttach(probe));
        console.log(`[safety ${tc.id}] mid-attach kills that left the target in T until the guard came: ${stops.filter(Boolean).length} of ${stops.length}`);
      });

      for (const mode of ['stop', 'mute', 'stop-target'] as const) {
        it.sequential(`a gdb that stops answering (${mode}) is ended when a command times out`, async () => {
          const exit = await stuckGdb(probe, mode, false);
          expect(exit.exitCode).toBeGreaterThan(0);
          // Ended by the 3 s command timeout it was given, not the 60 s default: its own words say
          // which (a wall-clock bound here would fail on a loaded machine).
          expect(exit.stderr).toMatch(new RegExp(`within ${GDB_TIMEOUT_MS} ms`));
          expect(exit.exitCode).toBe(69);
        });
      }

      for (const mode of ['stop', 'stop-target'] as const) {
        it.sequential(`SIGKILL of mapscope while its gdb is stuck (${mode}): the guard ends gdb, resumes the target`, async () => {
          const exit = await stuckGdb(probe, mode, true);
          expect(exit.signal).toBe('SIGKILL');
        });
      }

      it.sequential('afterwards, the program finds every map and all their memory unchanged, byte for byte', async () => {
        const v = await probe.request<Verdict>('check', 30_000);
        expect(v.diffs).toEqual([]);
        expect(v.contents).toEqual([]);
        expect(v.unchanged).toBe(true);
        expect(v.bytes).toBeGreaterThan(30_000_000);
        // The check is not blind: one write to one map, and it says so.
        await probe.request('poke');
        const w = await probe.request<Verdict>('check', 30_000);
        expect(w.unchanged).toBe(false);
        expect(w.diffs.map((d) => d.region).join()).toContain('main.structMap');
      });
    });
  }
});
