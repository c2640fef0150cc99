/**
 * What /proc says about a process: its state, its parent, when it started (so that a pid the
 * kernel has handed to a new process is not mistaken for the old one), and who traces it.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

export interface ProcStat {
  /** R, S, D, T (stopped), t (stopped by its tracer), Z, ... */
  readonly state: string;
  readonly ppid: number;
  /** Clock ticks after boot: with the pid, names one process for ever. */
  readonly start: string;
}

/** A process named so that a reused pid does not match it. */
export interface ProcRef {
  readonly pid: number;
  readonly start: string;
}

export async function procStat(pid: number): Promise<ProcStat | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: f[0], ppid: Number(f[1]), start: f[19] };
  } catch {
    return undefined;
  }
}

export async function procRef(pid: number): Promise<ProcRef | undefined> {
  const st = await procStat(pid);
  return st && { pid, start: st.start };
}

/** The process is still the one `ref` names, and has not exited (a zombie has, and has dropped its tracees). */
export async function isAlive(ref: ProcRef): Promise<boolean> {
  const st = await procStat(ref.pid);
  return st !== undefined && st.start === ref.start && st.state !== 'Z' && st.state !== 'X';
}

/** TracerPid from /proc/PID/status: 0 when no one traces it; undefined when it is gone. */
export async function tracerPid(pid: number): Promise<number | undefined> {
  try {
    const m = /^TracerPid:\s+(\d+)/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The peak resident size of `pid` (VmHWM, KiB), if it can be read. Synchronous: a page of /proc. */
export function peakRssKiB(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** `pid` is `ancestor` or one of its descendants (a gdb run by a wrapper script that was given as --gdb). */
export async function descendsFrom(pid: number, ancestor: number): Promise<boolean> {
  for (let p = pid, depth = 0; p > 1 && depth < 64; depth++) {
    if (p === ancestor) return true;
    const st = await procStat(p);
    if (!st) return false;
    p = st.ppid;
  }
  return false;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until the process is gone; false if it is still there after `ms`. */
export async function goneWithin(ref: ProcRef, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (await isAlive(ref)) {
    if (Date.now() >= deadline) return false;
    await sleep(20);
  }
  return true;
}

/**
 * A live target that was running before mapscope attached must be running after. When its
 * tracer dies instead of detaching, the kernel detaches every thread; a thread that had not yet
 * reported the SIGSTOP of PTRACE_ATTACH to gdb then takes it as a real stop, and the whole
 * process sits in group-stop (T) with no tracer, for ever. Its threads get there a moment after
 * the tracer is gone, so after an unclean end the state is watched for `settleMs`.
 */
export async function resumeIfLeftStopped(target: ProcRef, before: string | undefined, settleMs: number): Promise<void> {
  if (before === undefined || before === 'T' || before === 't') return;
  const deadline = Date.now() + settleMs;
  for (;;) {
    const st = await procStat(target.pid);
    if (!st || st.start !== target.start) return;
    if (st.state === 'T' && (await tracerPid(target.pid)) === 0) {
      try {
        process.kill(target.pid, 'SIGCONT');
      } catch {
        // gone, or not ours to signal
      }
      return;
    }
    if (Date.now() >= deadline) return;
    await sleep(10);
  }
}
