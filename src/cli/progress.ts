/**
 * A progress line on stderr while a big map is read, only when stderr is a terminal: a script
 * reading stderr gets warnings and errors, never carriage returns. It appears after a moment
 * (quick reads show nothing), is redrawn at most ten times a second, and is erased at the end.
 */
const DELAY_MS = Number(process.env.MAPSCOPE_PROGRESS_DELAY_MS ?? 300);
const EVERY_MS = 100;

export class Progress {
  private readonly started = Date.now();
  private last = 0;
  private shown = false;

  constructor(
    private readonly write: (s: string) => void,
    /** Whether anything is ever drawn: stderr is a terminal. */
    readonly enabled: boolean,
  ) {}

  static forStderr(): Progress {
    return new Progress((s) => process.stderr.write(s), process.stderr.isTTY === true);
  }

  /** `what`: the map; done of total entries read so far. */
  update(what: string, done: number, total: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.started < DELAY_MS || now - this.last < EVERY_MS) return;
    this.last = now;
    const pct = total > 0 ? ` ${Math.min(100, Math.floor((100 * done) / total))}%` : '';
    this.write(`\r\x1b[Kmapscope: ${what}:${pct} ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} ${total === 1 ? 'entry' : 'entries'} read`);
    this.shown = true;
  }

  /** A step with no count (writing the output). */
  step(what: string): void {
    if (!this.enabled || Date.now() - this.started < DELAY_MS) return;
    this.write(`\r\x1b[Kmapscope: ${what}`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.write('\r\x1b[K');
    this.shown = false;
  }
}
