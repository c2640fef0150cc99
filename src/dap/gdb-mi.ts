/**
 * The plain gdb/MI commands the adapter needs besides the bridge: threads, frames, the main
 * package's globals, and how a core's program died. Typed answers, parsed once.
 */
import { type MISession, type MITuple, type MIValue, quoteMIArg } from '../mi/index.js';

export interface GdbThread {
  readonly id: number;
  readonly targetId: string;
  readonly name: string;
}

export interface GdbFrame {
  readonly level: number;
  readonly addr: string;
  readonly func: string;
  readonly file?: string;
  readonly fullname?: string;
  readonly line?: number;
}

/** Every MI command here answers within this; gdb walks a stack or a symbol table in far less. */
const MI_TIMEOUT_MS = 30_000;

function asTuple(v: MIValue | undefined): MITuple | undefined {
  return v !== undefined && typeof v !== 'string' && !Array.isArray(v) ? v : undefined;
}

function asList(v: MIValue | undefined): MIValue[] {
  return Array.isArray(v) ? v : [];
}

function str(t: MITuple, key: string): string | undefined {
  const v = t[key];
  return typeof v === 'string' ? v : undefined;
}

export async function threadInfo(mi: MISession): Promise<{ threads: GdbThread[]; current: number | undefined }> {
  const r = (await mi.send('-thread-info', { timeoutMs: MI_TIMEOUT_MS })).results;
  const threads: GdbThread[] = [];
  for (const v of asList(r.threads)) {
    const t = asTuple(v);
    const id = t && str(t, 'id');
    if (!t || id === undefined) continue;
    threads.push({ id: Number(id), targetId: str(t, 'target-id') ?? '', name: str(t, 'name') ?? '' });
  }
  const current = str(r, 'current-thread-id');
  return { threads, current: current === undefined ? undefined : Number(current) };
}

export async function stackFrames(mi: MISession, thread: number, low: number, high: number): Promise<GdbFrame[]> {
  const r = (await mi.send(`-stack-list-frames --thread ${thread} ${low} ${high}`, { timeoutMs: MI_TIMEOUT_MS })).results;
  const frames: GdbFrame[] = [];
  for (const v of asList(r.stack)) {
    const f = asTuple(v);
    if (!f) continue;
    const line = str(f, 'line');
    frames.push({
      level: Number(str(f, 'level') ?? frames.length + low),
      addr: str(f, 'addr') ?? '',
      func: str(f, 'func') ?? '??',
      file: str(f, 'file'),
      fullname: str(f, 'fullname'),
      line: line === undefined ? undefined : Number(line),
    });
  }
  return frames;
}

/** The depth of a thread's stack, counted up to `max`. */
export async function stackDepth(mi: MISession, thread: number, max: number): Promise<number> {
  const r = (await mi.send(`-stack-info-depth --thread ${thread} ${max}`, { timeoutMs: MI_TIMEOUT_MS })).results;
  return Number(str(r, 'depth') ?? 0);
}

/** Names of the debug-info globals matching a regex, at most `max` of them. */
export async function globalNames(mi: MISession, regex: string, max: number): Promise<string[]> {
  const r = (await mi.send(`-symbol-info-variables --name ${quoteMIArg(regex)} --max-results ${max}`, { timeoutMs: MI_TIMEOUT_MS })).results;
  const names: string[] = [];
  for (const file of asList(asTuple(r.symbols)?.debug)) {
    for (const s of asList(asTuple(file)?.symbols)) {
      const name = asTuple(s) && str(asTuple(s) as MITuple, 'name');
      if (name) names.push(name);
    }
  }
  return names;
}

/** The signal a core's program died of (from its siginfo note), if the core says. */
export async function coreSignal(mi: MISession): Promise<number | undefined> {
  try {
    const r = (await mi.send('-data-evaluate-expression $_siginfo.si_signo', { timeoutMs: MI_TIMEOUT_MS })).results;
    const v = Number(str(r, 'value'));
    return Number.isInteger(v) && v > 0 ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Names of a frame's arguments and locals, without their values (cheap: no value is read). */
export async function frameVariableNames(mi: MISession, thread: number, frame: number): Promise<Set<string>> {
  const r = (await mi.send(`-stack-list-variables --thread ${thread} --frame ${frame} --no-values`, { timeoutMs: MI_TIMEOUT_MS })).results;
  const names = new Set<string>();
  for (const v of asList(r.variables)) {
    const name = asTuple(v) && str(asTuple(v) as MITuple, 'name');
    if (name) names.add(name);
  }
  return names;
}
