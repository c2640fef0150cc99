/**
 * safeprobe (test/programs/safeprobe): a target that checks, byte for byte, that mapscope left
 * its maps alone, and counts the writes its other goroutines keep doing.
 */
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import { ROOT, programPath } from './paths.js';
import { TOOLCHAINS, available, type Toolchain } from './toolchains.js';

export const SAFEPROBE_SRC = join(ROOT, 'test', 'programs', 'safeprobe');

/** One Swiss toolchain and one classic one: the first of each that is installed. */
export function safetyToolchains(): Toolchain[] {
  const pick = (ids: string[]) => {
    const tc = ids.map((id) => TOOLCHAINS.find((t) => t.id === id)).find((t) => t !== undefined && available(t));
    if (!tc) console.warn(`[mapscope tests] safety: none of ${ids.join(', ')} is installed; skipping those runs`);
    return tc;
  };
  return [pick(['go1.26', 'go1.24']), pick(['go1.24-noswissmap', 'go1.22', 'go1.23', 'go1.21', 'go1.19'])].filter((t): t is Toolchain => t !== undefined);
}

export function safeprobePath(toolchainId: string): string {
  return programPath(toolchainId, 'safeprobe');
}

export interface ProbeReady {
  pid: number;
  goVersion: string;
  impl: 'classic' | 'swiss';
  maps: { expr: string; count: number }[];
  regions: number;
  bytes: number;
  writers: number;
}

export interface Verdict {
  unchanged: boolean;
  regions: number;
  bytes: number;
  diffs: { region: string; addr: string; what: string }[];
  contents: string[];
  counters: number[];
}

export class SafeProbe {
  private readonly answers: string[] = [];
  private waiting: ((line: string) => void) | undefined;

  private constructor(
    private readonly child: ResultPromise,
    readonly ready: ProbeReady,
    lines: AsyncIterator<string>,
  ) {
    void (async () => {
      for (let r = await lines.next(); !r.done; r = await lines.next()) {
        const w = this.waiting;
        this.waiting = undefined;
        if (w) w(r.value);
        else this.answers.push(r.value);
      }
    })();
  }

  get pid(): number {
    return this.ready.pid;
  }

  static async start(binary: string): Promise<SafeProbe> {
    const child = execa(binary, [], { stdin: 'pipe', stdout: 'pipe', stderr: 'inherit', buffer: false, reject: false });
    if (!child.stdout) throw new Error('no stdout');
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await Promise.race([
      lines.next(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${binary} did not get READY within 60 s`)), 60_000).unref()),
    ]);
    if (first.done || !first.value.startsWith('READY ')) throw new Error(`${binary}: expected READY, got ${JSON.stringify(first.value)}`);
    return new SafeProbe(child, JSON.parse(first.value.slice(6)) as ProbeReady, lines);
  }

  /** One request line, one JSON answer line. The program answers only while it runs: a stopped one times out. */
  async request<T>(what: 'check' | 'counters' | 'poke', timeoutMs = 10_000): Promise<T> {
    this.child.stdin?.write(`${what}\n`);
    const queued = this.answers.shift();
    const line =
      queued ??
      (await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.waiting = undefined;
          reject(new Error(`safeprobe did not answer ${what} within ${timeoutMs} ms (is it stopped?)`));
        }, timeoutMs);
        this.waiting = (l) => {
          clearTimeout(timer);
          resolve(l);
        };
      }));
    return JSON.parse(line) as T;
  }

  async counters(timeoutMs?: number): Promise<number[]> {
    return (await this.request<{ counters: number[] }>('counters', timeoutMs)).counters;
  }

  async stop(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.child.catch(() => undefined);
  }
}
