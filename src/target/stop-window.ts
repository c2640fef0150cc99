/**
 * The time a live target is kept stopped, and the budget it may be kept stopped for.
 *
 * A live process is stopped only while bytes are copied: from the attach to the detach, and
 * nothing is decoded, rendered or written in between that could wait. The window counts that
 * time (`stoppedMs`, reported by every command) and, with the command's deadline (`--max-time`),
 * says when reading must end: at the budget the target is let go and what was read is shown,
 * marked partial, with the reason.
 */

export interface StopBudget {
  /** Longest the target may be kept stopped (`--max-pause`), in ms. */
  readonly maxPauseMs: number;
  /** When the whole command must be done (`--max-time`), as performance.now(); Infinity if unbounded. */
  readonly deadline: number;
}

/** A pause a production service survives: a request's worth of latency, not a health check's. */
export const DEFAULT_MAX_PAUSE_MS = 1000;

/**
 * Of the command's time, how much is kept for what comes after the reads (decoding, rendering,
 * writing) when only --max-time bounds it: reading stops this much before the deadline.
 */
const WRITE_SHARE = 0.25;

export type StopReason = 'pause' | 'time';

/**
 * What letting the target go takes (the detach: a few ms on a quiet machine, up to 30 under the
 * benchmark's load), kept in hand when the budget is counted.
 */
export const DETACH_MS = 30;
/** Of the pause budget, what is kept for what the longest stretch so far does not foresee. */
export const MARGIN = 0.05;

export class StopWindow {
  private stoppedAt: number | undefined;
  private total = 0;
  private why: StopReason | undefined;
  /** The longest request to gdb so far: the next one may take as long, and must end within the budget. */
  private longestRead = 0;
  /**
   * The longest stretch between two checks while stopped: whatever runs between them (a round of
   * type lookups, a walk's decoding) may run that long again after a check that found time left.
   */
  private longestGap = 0;
  private lastCheck: number | undefined;

  constructor(
    readonly budget: StopBudget,
    /** When the command started: the process's start, where performance.now() is 0. */
    private readonly started = 0,
  ) {}

  /** The target was stopped (an attach begins). */
  stop(): void {
    this.stoppedAt ??= performance.now();
    // The stretch up to the first check is the attach and one-time set-up: not a measure of
    // what the next stretch of reading may take.
    this.lastCheck = undefined;
  }

  /** The target runs again (the detach is done). */
  resume(): void {
    if (this.stoppedAt === undefined) return;
    this.total += performance.now() - this.stoppedAt;
    this.stoppedAt = undefined;
    this.lastCheck = undefined;
  }

  get stopped(): boolean {
    return this.stoppedAt !== undefined;
  }

  /** Milliseconds the target has been kept stopped so far, rounded. */
  get stoppedMs(): number {
    const now = this.stoppedAt === undefined ? 0 : performance.now() - this.stoppedAt;
    return Math.round(this.total + now);
  }

  /** A request to gdb took this long. */
  noteRead(ms: number): void {
    if (ms > this.longestRead) this.longestRead = ms;
  }

  /**
   * Whether reading must end now: the pause budget or the command's reading time is spent, or
   * would be by the next request or stretch of work (as long as the longest so far) and the
   * detach. Sticky.
   */
  spent(): boolean {
    if (this.why) return true;
    const now = performance.now();
    if (this.lastCheck !== undefined && this.stoppedAt !== undefined) this.longestGap = Math.max(this.longestGap, now - this.lastCheck);
    if (this.stoppedAt !== undefined) this.lastCheck = now;
    // A stretch longer than any so far (a big map's entries queued at once) and a detach that takes
    // longer under load are not foreseen: a twentieth of the budget is kept for them.
    const margin = Number.isFinite(this.budget.maxPauseMs) ? MARGIN * this.budget.maxPauseMs : 0;
    const reserve = Math.max(this.longestRead, this.longestGap) + DETACH_MS + margin;
    if (this.stoppedAt !== undefined && this.total + now - this.stoppedAt + reserve >= this.budget.maxPauseMs) this.why = 'pause';
    else if (now >= this.readDeadline()) this.why = 'time';
    return this.why !== undefined;
  }

  /**
   * How long reading may still go on, in ms: the pause left (counting the stop so far) or the
   * command's reading time left, whichever ends first.
   */
  leftMs(): number {
    const now = performance.now();
    const stopped = this.total + (this.stoppedAt === undefined ? 0 : now - this.stoppedAt);
    return Math.max(0, Math.min(this.budget.maxPauseMs - stopped, this.readDeadline() - now));
  }

  /** Why reading ended early, if it did. */
  get reason(): StopReason | undefined {
    return this.why;
  }

  /** What was not read, and why, in words for a warning or a value's error. */
  explain(): string {
    if (this.why === 'time') return `not read: --max-time ${seconds(this.budget.deadline - this.started)} ran out`;
    return `not read: the target was let go after ${seconds(this.budget.maxPauseMs)} stopped (--max-pause)`;
  }

  /** Reading stops early enough for the rest of the command to meet the deadline. */
  private readDeadline(): number {
    const d = this.budget.deadline;
    return d === Infinity ? Infinity : d - WRITE_SHARE * (d - this.started);
  }
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
