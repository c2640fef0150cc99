/**
 * Every gdb command has a timeout, and a gdb that lets one pass has stopped answering: it is
 * ended, not waited for. Ending is SIGTERM first, because gdb detaches from its inferiors and
 * quits on SIGTERM even in the middle of a command (a detach command would queue behind the one
 * it is stuck in); SIGCONT with it, should gdb itself be stopped; SIGKILL after a grace, and then
 * the kernel detaches.
 */
import { MITimeoutError, type MISession, type SendOptions } from '../mi/index.js';
import { goneWithin, isAlive, type ProcRef } from './proc-state.js';

export interface CommandWatch {
  /** A command timed out: gdb is not to be trusted with another one. */
  readonly stuck: boolean;
  /** Commands sent and not yet answered: gdb is busy. */
  readonly inFlight: number;
}

/**
 * MAPSCOPE_GDB_TIMEOUT_MS caps every command's timeout, for a user who would rather fail fast
 * than wait a minute for a gdb that hangs (and for the tests that make one hang).
 */
function timeoutCap(): number | undefined {
  return finite(Number(process.env.MAPSCOPE_GDB_TIMEOUT_MS));
}

const FALLBACK_TIMEOUT_MS = 60_000;

function finite(ms: number | undefined): number | undefined {
  return ms !== undefined && Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/**
 * Watches every command sent through `mi` (the bridge calls mi.send directly, so the watch sits
 * on the session object itself): each gets a finite timeout, and the first to time out calls
 * `onStuck`.
 */
export function watchCommands(mi: MISession, defaultTimeoutMs: number, onStuck: () => void): CommandWatch {
  const watch = { stuck: false, inFlight: 0 };
  const cap = timeoutCap() ?? Infinity;
  const send = mi.send.bind(mi);
  mi.send = async (command: string, opts: SendOptions = {}) => {
    // 0 or Infinity would mean "no timeout" to MISession: never here.
    const timeoutMs = Math.min(finite(opts.timeoutMs) ?? finite(defaultTimeoutMs) ?? FALLBACK_TIMEOUT_MS, cap);
    watch.inFlight++;
    try {
      return await send(command, { ...opts, timeoutMs });
    } catch (e) {
      if (e instanceof MITimeoutError && !watch.stuck) {
        watch.stuck = true;
        mi.endedFor = `did not answer ${JSON.stringify(e.command)} within ${e.timeoutMs} ms`;
        onStuck();
      }
      throw e;
    } finally {
      watch.inFlight--;
    }
  };
  return watch;
}

const TERM_GRACE_MS = 2_000;
const KILL_WAIT_MS = 2_000;

/** Ends the processes: SIGTERM and SIGCONT, then SIGKILL for those still there after a grace. */
export async function endProcesses(refs: readonly ProcRef[]): Promise<void> {
  for (const r of refs) {
    await signal(r, 'SIGTERM');
    await signal(r, 'SIGCONT');
  }
  const gone = await Promise.all(refs.map((r) => goneWithin(r, TERM_GRACE_MS)));
  const left = refs.filter((_, i) => !gone[i]);
  for (const r of left) await signal(r, 'SIGKILL');
  await Promise.all(left.map((r) => goneWithin(r, KILL_WAIT_MS)));
}

async function signal(ref: ProcRef, sig: NodeJS.Signals): Promise<void> {
  if (!(await isAlive(ref))) return;
  try {
    process.kill(ref.pid, sig);
  } catch {
    // it has just gone
  }
}
