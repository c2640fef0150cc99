/** What the safety tests read from /proc: states, tracers, children, pending signals. */
import { readFileSync, readdirSync } from 'node:fs';

export interface ProcStatus {
  state: string;
  tracerPid: number;
  /** Signals pending for the whole process (ShdPnd), as a bit mask. */
  shared: bigint;
}

export function procStatus(pid: number): ProcStatus | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      state: /^State:\s+(\S)/m.exec(s)?.[1] ?? '?',
      tracerPid: Number(/^TracerPid:\s+(\d+)/m.exec(s)?.[1] ?? -1),
      shared: BigInt('0x' + (/^ShdPnd:\s+([0-9a-f]+)/m.exec(s)?.[1] ?? '0')),
    };
  } catch {
    return undefined;
  }
}

export const SIGSTOP_BIT = 1n << 18n;

function stat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { state: f[0], ppid: Number(f[1]) };
  } catch {
    return undefined;
  }
}

/** Exists and has not exited (a zombie has exited: the kernel detached its tracees when it did). */
export function alive(pid: number): boolean {
  const st = stat(pid);
  return st !== undefined && st.state !== 'Z' && st.state !== 'X';
}

export function stateOf(pid: number): string | undefined {
  return stat(pid)?.state;
}

export function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((p) => stat(p)?.ppid === pid);
}

export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` every 10 ms until it returns a value; throws `what` (and the last value seen) after `ms`. */
export async function waitFor<T>(what: string, ms: number, probe: () => T | undefined, last?: () => string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${last()}` : ''}`);
    await sleep(10);
  }
}
