/**
 * The pause budget is a bound, not a hope: a check says "stop reading" early enough that the
 * next stretch of work — as long as the longest request or the longest gap between checks seen
 * so far — and the detach still end within it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DETACH_MS, MARGIN, StopWindow } from '../../src/target/stop-window.js';

let now = 0;
afterEach(() => vi.restoreAllMocks());

function windowAt(maxPauseMs: number): StopWindow {
  now = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  const w = new StopWindow({ maxPauseMs, deadline: Infinity });
  w.stop();
  return w;
}

describe('StopWindow', () => {
  it('keeps the longest gap between checks in reserve', () => {
    const w = windowAt(200);
    now = 10;
    expect(w.spent()).toBe(false);
    now = 100; // a 90 ms stretch of work between checks: the next one may take as long
    expect(w.spent()).toBe(true);
    expect(w.reason).toBe('pause');
  });

  it('does not take the attach and set-up before the first check for a stretch of reading', () => {
    const w = windowAt(1000);
    now = 600; // attached, goroutines listed: once
    expect(w.spent()).toBe(false);
    now = 610;
    expect(w.spent()).toBe(false);
    now = 975; // 365 ms since the last check: the next such stretch would end past 1000
    expect(w.spent()).toBe(true);
  });

  it('keeps the longest request in reserve', () => {
    const w = windowAt(200);
    now = 5;
    w.noteRead(150);
    expect(w.spent()).toBe(false); // 5 + 150 + 30 ms for the detach + 10 ms margin: within 200
    w.noteRead(180);
    expect(w.spent()).toBe(true);
  });

  it('lets short steps run until the budget less the detach', () => {
    const w = windowAt(200);
    const checks: boolean[] = [];
    for (now = 5; now <= 200; now += 5) checks.push(w.spent());
    const first = checks.indexOf(true);
    // 5 ms steps, DETACH_MS for the detach and the margin: the last step that may start ends by 200 ms.
    expect((first + 1) * 5 + 5 + DETACH_MS + MARGIN * 200).toBeGreaterThanOrEqual(200);
    expect((first + 1) * 5).toBeLessThan(200);
  });

  it('says how long reading may go on: the pause left or the reading time left', () => {
    const w = windowAt(1000);
    now = 300;
    expect(w.leftMs()).toBe(700);
    // --max-time 2 s from the command's start: reading ends a quarter early, at 1500 ms.
    const timed = new StopWindow({ maxPauseMs: 1000, deadline: 2000 });
    now = 1000;
    timed.stop();
    now = 1100;
    expect(timed.leftMs()).toBe(400);
    now = 1600;
    expect(timed.leftMs()).toBe(0);
  });

  it('is never spent without a budget (a debug session, a core)', () => {
    const w = windowAt(Infinity);
    now = 10;
    expect(w.spent()).toBe(false);
    w.noteRead(5_000);
    now = 60_000;
    expect(w.spent()).toBe(false);
  });

  it('counts no gap while the target runs', () => {
    const w = windowAt(200);
    now = 10;
    w.resume();
    now = 5000; // running: not a stretch of stopped work
    w.stop();
    now = 5010;
    expect(w.spent()).toBe(false);
    expect(w.stoppedMs).toBe(20);
  });
});
