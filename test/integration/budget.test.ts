/**
 * The pause budget and the command's time: a live process is stopped only while bytes are
 * copied, every JSON output says for how long (`target.stoppedMs`), and at the budget mapscope
 * lets the target go and shows what it has, marked partial with the reason. Checked by what the
 * output says and what the process is left as, never by the clock: a budget of 1 ms is spent by
 * the attach itself, so reading stops at its first request whatever the machine's speed.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gcore, mapscope, processStatus, startProgram, tempDir } from './harness.js';
import { programPath } from './paths.js';
import { presentToolchains } from './toolchains.js';

interface Target {
  kind: string;
  stoppedMs: number | null;
  partial: string | null;
}

function expectRunning(pid: number): void {
  const st = processStatus(pid);
  expect(st.tracerPid).toBe(0);
  expect(['S', 'R']).toContain(st.state);
}

const [machine] = presentToolchains();

describe.skipIf(!machine)(`budgets, live and core (${machine?.id})`, () => {
  it('--max-pause: at the budget the target is let go; the output is partial and says why', async () => {
    const prog = await startProgram(programPath(machine.id));
    try {
      const exprs = prog.truth.maps.map((m) => m.expr);
      const r = await mapscope(['inspect', ...exprs, '--pid', String(prog.pid), '--json', '--max-pause', '1ms']);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/mapscope: warning: partial: not read: the target was let go after 1 ms stopped \(--max-pause\)/);
      const out = JSON.parse(r.stdout) as { target: Target; maps: { error?: string }[] };
      expect(out.target.partial).toMatch(/--max-pause/);
      expect(typeof out.target.stoppedMs).toBe('number');
      // Nothing was read past the attach: every non-nil map says why it is missing.
      expect(out.maps.filter((m) => m.error === undefined).length).toBeLessThan(exprs.length);
      expect(out.maps.some((m) => /--max-pause/.test(m.error ?? ''))).toBe(true);
      expectRunning(prog.pid);

      const top = await mapscope(['top', '--pid', String(prog.pid), '--json', '--max-pause', '1ms']);
      expect(top.exitCode).not.toBe(70);
      const t = JSON.parse(top.stdout) as { target: Target; walk: { stoppedBy: string | null } };
      expect(t.walk.stoppedBy).toBe('pause');
      expect(typeof t.target.stoppedMs).toBe('number');
      expectRunning(prog.pid);

      // --max-time bounds the whole command: reading stops early enough for it, whatever the pause budget.
      const timed = await mapscope(['inspect', ...exprs, '--pid', String(prog.pid), '--json', '--max-time', '1ms']);
      expect(timed.exitCode).toBe(1);
      expect((JSON.parse(timed.stdout) as { target: Target }).target.partial).toMatch(/--max-time/);
      expectRunning(prog.pid);
    } finally {
      await prog.stop();
    }
  });

  it('every JSON output gives target.stoppedMs: a number for a live process, null for a core', async () => {
    const prog = await startProgram(programPath(machine.id));
    const dir = tempDir('budget');
    try {
      const expr = prog.truth.maps.find((m) => !m.nil)?.expr ?? 'main.strInt';
      const live = ['--pid', String(prog.pid)];
      const outputs = async (target: string[]) => [
        JSON.parse((await mapscope(['inspect', expr, ...target, '--json'])).stdout),
        JSON.parse((await mapscope(['inspect', expr, ...target, '--json', '--stats'])).stdout),
        JSON.parse((await mapscope(['inspect', expr, ...target, '--jsonl'])).stdout.split('\n')[0]),
        JSON.parse((await mapscope(['list', ...target, '--json'])).stdout),
        JSON.parse((await mapscope(['top', ...target, '--json'])).stdout),
        JSON.parse((await mapscope(['goroutines', ...target, '--json'])).stdout),
      ] as { target: Target }[];
      for (const o of await outputs(live)) {
        expect(o.target.kind).toBe('live');
        expect(typeof o.target.stoppedMs).toBe('number');
        expect(o.target.partial).toBeNull();
      }
      expectRunning(prog.pid);
      const core = join(dir, 'core');
      await gcore(prog.pid, core);
      for (const o of await outputs(['--core', core, '--exe', programPath(machine.id)])) {
        expect(o.target.kind).toBe('core');
        expect(o.target.stoppedMs).toBeNull();
        expect(o.target.partial).toBeNull();
      }
    } finally {
      await prog.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
