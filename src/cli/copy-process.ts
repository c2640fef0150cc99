/**
 * When a live process is copied whole instead of read level by level: the pages of its writable
 * mappings it has touched (target/process-pages.ts), read in a few bulk requests, then the target
 * runs again and everything after reads the copy. Worth it when what is to be read is much of a
 * small process (top's walk, a map of hundreds of thousands of entries whose values point all
 * over the heap); not for three entries in a big service, which a few reads fetch.
 */
import type { GdbSession, TargetSpec } from '../gdb/session.js';
import { tracePhase } from '../gdb/trace-log.js';
import { CopyRoom } from '../target/copy-room.js';
import { writablePages } from '../target/process-pages.js';
import type { StopBudget } from '../target/stop-window.js';
import type { MemRange } from '../target/target.js';

/**
 * What may be copied in a second of pause: read straight from /proc/PID/mem into the copy, a
 * gigabyte and more a second (1.2-1.4 GB/s on the 2-core test machine). A slower machine is
 * found out by the copy's own pace, which gives it up early (target/copy.ts).
 */
const BYTES_PER_PAUSE_SECOND = 1 << 30;
/** The copy is held in mapscope's own memory: a bigger process is read where the work leads instead. */
const MAX_COPY_BYTES = 512 << 20;
/** Of the pause left, what the copy must leave: the detach, and a margin for the pace's error. */
const AFTER_COPY_MS = 50;
/** Worth copying whatever is to be read: a process this small is copied in tens of milliseconds. */
const SMALL_PROCESS = 16 << 20;

/** The most a copy may hold that is to end within `ms` of pause. */
function copiedIn(ms: number): number {
  return Math.min(MAX_COPY_BYTES, (BYTES_PER_PAUSE_SECOND * ms) / 1000);
}

/**
 * Room for the copy, begun as the command begins, beside gdb's start-up (target/copy-room.ts), and
 * awaited before the stop; undefined for a core, or a process bigger than any copy the pause
 * budget allows. Made whether or not the copy happens, which is known only once stopped: the
 * command lets it go (CopyRoom.close) as soon as that is decided, so it costs memory for that
 * while, not stop time.
 */
export function copyRoom(spec: TargetSpec, budget: StopBudget): Promise<CopyRoom | undefined> {
  if (spec.kind !== 'live') return Promise.resolve(undefined);
  return CopyRoom.make(spec.pid, copiedIn(budget.maxPauseMs)).then(
    (room) => {
      tracePhase(room ? 'copy room made' : 'no copy room: the process is too big, or /proc will not say');
      return room;
    },
    () => undefined,
  );
}

/**
 * Copies a live process's touched writable memory (`copy`) when it fits the pause budget and the
 * work makes it worth it (`entries` to read: Infinity for a walk of everything); true if it did.
 */
export async function copyProcess(
  session: GdbSession,
  copy: (regions: readonly MemRange[], runs: readonly MemRange[], withinMs: number) => Promise<boolean>,
  entries: number,
  /** The most the copy may take, in ms, whatever the budget leaves (top keeps time for its walk). */
  maxMs = Infinity,
): Promise<boolean> {
  if (session.spec.kind !== 'live') return false;
  // What the rest of the pause budget (and of the command's time) can copy: a copy that cannot end
  // within it is not begun. Asked again when the copy begins: the page scan took some of it.
  const leftMs = () => Math.min(session.window.leftMs(), maxMs);
  const left = leftMs();
  const cap = copiedIn(left);
  // A map's entries cost a few hundred bytes of reads each, scattered: past a few ten thousand the
  // copy's bulk reads win; below, a process is copied only if it is small.
  const limit = entries >= COPY_ENTRIES ? cap : Math.min(cap, SMALL_PROCESS);
  // The scan of /proc/PID/pagemap is itself done stopped: a tenth of what is left, at most.
  const pages = writablePages(session.spec.pid, limit, performance.now() + left / 10);
  if (!pages || pages === 'late' || pages.bytes > limit) {
    tracePhase(`process memory not copied: ${pages === 'late' ? 'finding its pages took too long' : pages ? `over ${limit} bytes` : '/proc does not say where it is'}`);
    return false;
  }
  tracePhase(`process pages found: ${pages.bytes} bytes`);
  const whole = await copy(pages.regions, pages.runs, Math.max(0, leftMs() - AFTER_COPY_MS));
  // Given up part way (too slow for the pause left), what was copied serves the reads that follow.
  tracePhase(whole ? `process memory copied: ${pages.bytes} bytes in ${pages.runs.length} runs` : 'process memory copy given up: too slow for the pause left');
  return whole && session.window.reason === undefined;
}

/** Entries to read past which copying the process is worth its size (up to the budget's). */
const COPY_ENTRIES = 50_000;

