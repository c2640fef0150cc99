/**
 * The bridge's goroutine commands (gdb-scripts/mapscope_goroutines.py) as typed functions:
 * the runtime's list of goroutines with their frames, and a map reached from a local of one
 * goroutine's frame. MI carries only strings; they are parsed here, once.
 */
import { type BridgeMap, parseDwarfTypes } from '../gdb/bridge.js';
import { type MISession, type MITuple, type MIValue, quoteMIArg } from '../mi/index.js';
import type { RuntimeGap } from '../target/runtime-gaps.js';

export interface GoroutineFrame {
  /** Position in the goroutine's stack, innermost 0: what `inspect --frame` takes. */
  readonly index: number;
  readonly function: string;
  readonly file: string;
  readonly line: number;
  readonly pc: bigint;
  readonly sp: bigint;
  /** A function the compiler inlined into the frame below it (same pc and sp). */
  readonly inlined: boolean;
}

export interface GoroutineCreator {
  readonly function: string;
  readonly file: string;
  readonly line: number;
  readonly pc: bigint;
  /** The goroutine that ran the `go` statement (Go 1.21+ records it). */
  readonly goroutine?: number;
}

export type GoroutineOrigin = 'thread' | 'signal' | 'sched' | 'none';

export interface Goroutine {
  readonly id: number;
  /** The runtime's name for its status: running, runnable, syscall, waiting, dead, ... */
  readonly status: string;
  /** Why a waiting goroutine waits, in the runtime's words ("chan receive", "select", ...). */
  readonly waitReason?: string;
  /** The OS thread (LWP) a running goroutine or one in a system call is on. */
  readonly thread?: number;
  /** Address of its runtime.g. */
  readonly address: bigint;
  readonly startFunction?: string;
  readonly frames: GoroutineFrame[];
  /**
   * Where the frames were unwound from: its thread's registers, the ones a signal interrupted
   * (the goroutine that crashed, where gdb stops in the handler), or the ones the runtime saved.
   */
  readonly origin: GoroutineOrigin;
  readonly createdBy?: GoroutineCreator;
}

export interface GoroutineList {
  readonly goroutines: Goroutine[];
  /** Entries of runtime.allgs read, dead ones included. */
  readonly scanned: number;
  /** Goroutines not unwound: the budget (`within`) ran out first. */
  readonly left: number;
  /** Fields of runtime.g (or runtime.m) this runtime lacks, and what the list is without them. */
  readonly gaps: readonly RuntimeGap[];
}

function str(t: MITuple, key: string): string | undefined {
  const v = t[key];
  return typeof v === 'string' ? v : undefined;
}

function need(t: MITuple, key: string): string {
  const v = str(t, key);
  if (v === undefined) throw new Error(`bridge answer lacks ${key}`);
  return v;
}

function tuple(v: MIValue): MITuple {
  if (typeof v === 'string' || Array.isArray(v)) throw new Error('bridge answer: expected a tuple');
  return v;
}

function tuples(t: MITuple, key: string): MITuple[] {
  const v = t[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new Error(`bridge answer ${key} is not a list`);
  return v.map(tuple);
}

function optNumber(t: MITuple, key: string): number | undefined {
  const v = str(t, key);
  return v === undefined ? undefined : Number(v);
}

function frameAnswer(t: MITuple, index: number): GoroutineFrame {
  return {
    index,
    function: need(t, 'function'),
    file: need(t, 'file'),
    line: Number(need(t, 'line')),
    pc: BigInt(need(t, 'pc')),
    sp: BigInt(need(t, 'sp')),
    inlined: str(t, 'inlined') === '1',
  };
}

function creatorAnswer(v: MIValue | undefined): GoroutineCreator | undefined {
  if (v === undefined) return undefined;
  const t = tuple(v);
  const goroutine = optNumber(t, 'goroutine');
  return {
    function: need(t, 'function'),
    file: need(t, 'file'),
    line: Number(need(t, 'line')),
    pc: BigInt(need(t, 'pc')),
    ...(goroutine !== undefined ? { goroutine } : {}),
  };
}

function goroutineAnswer(t: MITuple): Goroutine {
  const origin = str(t, 'origin');
  const waitReason = str(t, 'waitReason');
  const thread = optNumber(t, 'thread');
  const startFunction = str(t, 'startFunction');
  const createdBy = creatorAnswer(t.createdBy);
  return {
    id: Number(need(t, 'id')),
    status: need(t, 'status'),
    ...(waitReason !== undefined ? { waitReason } : {}),
    ...(thread !== undefined ? { thread } : {}),
    address: BigInt(need(t, 'address')),
    ...(startFunction !== undefined ? { startFunction } : {}),
    frames: tuples(t, 'frames').map(frameAnswer),
    origin: origin === 'thread' || origin === 'signal' || origin === 'sched' ? origin : 'none',
    ...(createdBy ? { createdBy } : {}),
  };
}

export interface GoroutineListOptions {
  /** Also list dead goroutines (kept by the runtime for reuse). */
  readonly all?: boolean;
  /** Frames per goroutine, innermost first. */
  readonly depth?: number;
  readonly timeoutMs?: number;
  /** Milliseconds to unwind in: a live target's pause budget; the rest are counted in `left`. */
  readonly withinMs?: number;
}

export async function bridgeGoroutines(gdb: MISession, opts: GoroutineListOptions = {}): Promise<GoroutineList> {
  const within = opts.withinMs !== undefined && Number.isFinite(opts.withinMs) ? ['--within', String(Math.max(0, Math.floor(opts.withinMs)))] : [];
  const args = [...(opts.all ? ['--all'] : []), ...(opts.depth !== undefined ? ['--depth', String(opts.depth)] : []), ...within];
  const r = (await gdb.send(['-mapscope-goroutines', ...args].join(' '), opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : undefined)).results;
  const gaps = tuples(r, 'gaps').map((g) => ({ struct: need(g, 'struct'), field: need(g, 'field'), without: need(g, 'without') }));
  return { goroutines: tuples(r, 'goroutines').map(goroutineAnswer), scanned: Number(need(r, 'scanned')), left: Number(str(r, 'left') ?? 0), gaps };
}

/** Where in a goroutine an expression is evaluated; frame undefined: the innermost frame that has its first name. */
export interface GoroutineFrameSelector {
  readonly goroutine: number;
  readonly frame?: number;
}

export interface GoroutineMap extends BridgeMap {
  /** The frame the map was found in, and its function. */
  readonly frame: number;
  readonly function: string;
  /**
   * For a local of a generic function, described with its shape type: the runtime descriptor of
   * its real type, read from the function's dictionary (absent when the dictionary could not be).
   */
  readonly runtimeType?: bigint;
}

/** The map `expr` denotes in a goroutine's frame; `gdbExpr` is the same expression quoted for gdb's parser. */
export async function bridgeGoroutineEval(gdb: MISession, at: GoroutineFrameSelector, expr: string, gdbExpr: string): Promise<GoroutineMap> {
  const command = `-mapscope-goroutine-eval ${at.goroutine} ${at.frame ?? -1} ${quoteMIArg(expr)} ${quoteMIArg(gdbExpr)}`;
  const r = (await gdb.send(command)).results;
  const types = r.types === undefined ? [] : r.types;
  if (!Array.isArray(types)) throw new Error('bridge answer types is not a list');
  const runtimeType = str(r, 'runtimeType');
  return {
    header: BigInt(need(r, 'header')),
    typeName: need(r, 'typeName'),
    root: Number(need(r, 'root')),
    types: parseDwarfTypes(types),
    frame: Number(need(r, 'frame')),
    function: need(r, 'function'),
    ...(runtimeType !== undefined ? { runtimeType: BigInt(runtimeType) } : {}),
  };
}
