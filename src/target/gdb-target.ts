/**
 * The Target of a gdb session: memory through the bridge's bulk reads, types through its DWARF
 * descriptions. For a core dump, memory the core file holds is read from it directly
 * (core-memory.ts) and only the rest is asked of gdb. gdb's memory comes through the memory
 * channel (channel.ts) when it could be opened, else as hex over MI. Large reads are cut into
 * chunks and small ones batched, so that no single answer grows without bound: a few megabytes
 * of hex, or one channel file of at most 64 MiB.
 */
import { GoTypeBuilder } from '../layout/dwarf.js';
import { type GoMapType, type GoType, predeclaredType } from '../layout/gotype.js';
import { type BridgeBlock, type BridgeMap, bridgeDescribe, bridgeEval, bridgeMapAt, bridgeRead, bridgeSymbols } from '../gdb/bridge.js';
import { CHANNEL_MAX_BYTES, ChannelError, type MemoryChannel, openChannel } from '../gdb/channel.js';
import { ExpressionError, gdbExpressionError } from '../gdb/errors.js';
import { parseRawMapExpr, toGdbExpression } from '../gdb/expr.js';
import { MICommandError } from '../mi/index.js';
import type { GdbSession } from '../gdb/session.js';
import { tracePhase } from '../gdb/trace-log.js';
import { readInt, readUint } from './bytes.js';
import { CoreMemory } from './core-memory.js';
import { ExeMemory } from './exe-memory.js';
import { ProcMemory } from './proc-mem.js';
import { GdbVariables } from './gdb-variables.js';
import { type PathEnd, type PathSteps, followGlobalPath, parseGlobalPath } from './global-path.js';
import { untestedGoWarning } from './go-releases.js';
import { type RuntimeGap, runtimeGapWarning } from './runtime-gaps.js';
import { dwarfTypeName } from './runtime-names.js';
import { type BytePlace, type MemRange, type ReadResult, type Target, type TargetInfo, TypeLookupRefused } from './target.js';

/** How reads are cut up: bytes per range in one command, bytes per command in all, ranges per command. */
export interface ReadLimits {
  readonly chunk: number;
  readonly batch: number;
  readonly ranges: number;
}

/** Hex doubles every byte into a string MI must escape and parse: answers stay at a few megabytes. */
const HEX_LIMITS: ReadLimits = { chunk: 4 << 20, batch: 8 << 20, ranges: 2048 };
/** A copy straight into a caller's buffer asks the budget this often: about a hundredth of a second of reading. */
const INTO_PIECE = 16 << 20;

/**
 * Raw bytes cost little per byte, so a whole map's groups or buckets (36 MB for a million
 * entries) go in one command; what remains per range is gdb's own read and 16 bytes of request
 * in the channel file, so the range count is bounded only to keep that request at 1 MiB.
 */
const CHANNEL_LIMITS: ReadLimits = { chunk: CHANNEL_MAX_BYTES, batch: CHANNEL_MAX_BYTES, ranges: 65536 };

export type ReadBatch = (batch: readonly MemRange[], timeoutMs: number) => Promise<BridgeBlock[] | ReadResult[]>;

const GOARCH_BY_GDB_ARCH: Record<string, string> = {
  'i386:x86-64': 'amd64',
  i386: '386',
  aarch64: 'arm64',
  arm: 'arm',
  's390:64-bit': 's390x',
  'riscv:rv64': 'riscv64',
  'powerpc:common64': 'ppc64',
  mips: 'mips',
  'mips:isa64': 'mips64',
  'loongarch64': 'loong64',
};

export function goArch(gdbArch: string, littleEndian: boolean): string {
  const a = GOARCH_BY_GDB_ARCH[gdbArch] ?? gdbArch;
  if (a === 'ppc64' && littleEndian) return 'ppc64le';
  if ((a === 'mips' || a === 'mips64') && littleEndian) return a + 'le';
  return a;
}

export class GdbTarget implements Target {
  readonly pointerSize: 4 | 8;
  readonly littleEndian: boolean;
  readonly variables: GdbVariables;
  private readonly typeCache = new Map<string, GoType | undefined>();
  private goVersion = '';
  /** About the target as a whole, each once (TargetInfo.warnings). */
  private readonly warnings: string[] = [];
  /** Why some bytes were not read (the pause budget, --max-time, the target let go); undefined while all were. */
  private notRead: string | undefined;
  private channel: MemoryChannel | undefined;
  private core: CoreMemory | undefined;
  /** The binary's read-only segments, read from its file (exe-memory.ts). */
  private exeMemory: ExeMemory | undefined;
  /** A live process's memory file, read directly while gdb holds it stopped (proc-mem.ts). */
  private procMemory: ProcMemory | undefined;

  private constructor(
    private readonly session: GdbSession,
    private readonly partialInfo: Omit<TargetInfo, 'goVersion'>,
  ) {
    this.pointerSize = partialInfo.pointerSize;
    this.littleEndian = partialInfo.littleEndian;
    this.variables = new GdbVariables(session.mi, partialInfo.pointerSize);
  }

  get info(): TargetInfo {
    return { ...this.partialInfo, goVersion: this.goVersion, stoppedMs: this.stoppedMs, partial: this.notRead, warnings: [...this.warnings] };
  }

  static async create(session: GdbSession): Promise<GdbTarget> {
    const b = session.bridge;
    if (b.pointerSize !== 4 && b.pointerSize !== 8) throw new Error(`unsupported pointer size ${b.pointerSize}`);
    const t = new GdbTarget(session, {
      kind: session.spec.kind,
      pid: session.spec.kind === 'live' ? session.spec.pid : null,
      exe: session.exe,
      arch: goArch(b.gdbArch, b.littleEndian),
      pointerSize: b.pointerSize,
      littleEndian: b.littleEndian,
    });
    t.channel = await openChannel(session.mi);
    if (session.spec.kind === 'core') t.core = await openCoreMemory(session.spec.core, session.mi.onExit);
    // A live process's own binary, even if its file was replaced since it started.
    t.exeMemory = await ExeMemory.open(session.spec.kind === 'live' ? `/proc/${session.spec.pid}/exe` : session.exe);
    if (t.exeMemory) void session.mi.onExit.then(() => t.exeMemory?.close());
    if (session.spec.kind === 'live' && process.env.MAPSCOPE_PROC_MEM !== 'off') {
      t.procMemory = ProcMemory.open(session.spec.pid);
      if (t.procMemory) void session.mi.onExit.then(() => t.procMemory?.close());
      tracePhase(t.procMemory ? 'process memory file open' : 'process memory file refused: gdb reads');
    }
    // runtime.buildVersion is a Go string the linker writes: before a deferred attach gdb reads
    // it from the binary's sections, which hold what the process holds.
    if (b.goVersionAddress !== undefined) t.goVersion = await t.readGoString(b.goVersionAddress, (ranges) => t.readThroughGdb(ranges, true));
    const untested = untestedGoWarning(t.goVersion);
    if (untested) t.warn(untested);
    return t;
  }

  private warn(text: string): void {
    if (!this.warnings.includes(text)) this.warnings.push(text);
  }

  noteRuntimeGap(gap: RuntimeGap): void {
    this.warn(runtimeGapWarning(this.goVersion, gap));
  }

  noteWarning(text: string): void {
    this.warn(text);
  }

  runtimeTypeOffset(dwarfName: string): Promise<number | undefined> {
    return this.variables.runtimeTypeOffset(dwarfName);
  }

  /** Why some memory asked for was not read, if any was not: the command's output is then partial. */
  get partial(): string | undefined {
    return this.notRead;
  }

  /** Something was left unread for this reason (gdb's own walk of goroutines, stopped at the budget). */
  notePartial(why: string): void {
    this.notRead ??= why;
  }

  /** How long a live target has been kept stopped; undefined for a core. */
  get stoppedMs(): number | undefined {
    return this.session.spec.kind === 'live' ? this.session.window.stoppedMs : undefined;
  }

  /**
   * Why reads of the process must not go to gdb now, or undefined if they may: a live process is
   * read only while stopped, and only within its pause budget and the command's deadline.
   */
  stopReason(): string | undefined {
    return this.refusal();
  }

  private refusal(): string | undefined {
    const session = this.session;
    const window = session.window;
    if (!session.readable) return window.reason ? window.explain() : 'not read: the process was not stopped';
    return window.spent() ? window.explain() : undefined;
  }

  readStatic(address: bigint, length: number): Uint8Array | undefined {
    return this.exeMemory?.read(address, length);
  }

  get staticSpan(): readonly [number, number] | undefined {
    const exe = this.exeMemory;
    return exe ? [exe.bottom, exe.top] : undefined;
  }

  /** Reads every range, each from the core file where it holds it, the others through gdb, in the order asked. */
  async readMany(ranges: readonly MemRange[]): Promise<ReadResult[]> {
    const core = this.core;
    const exe = this.exeMemory;
    if (!core && !exe) return this.readThroughGdb(ranges);
    const out: ReadResult[] = new Array(ranges.length);
    let rest: MemRange[] = [];
    let restAt: number[] = [];
    if (exe) {
      ranges.forEach((r, i) => {
        const bytes = exe.read(r.address, r.length);
        if (bytes) out[i] = { ok: true, bytes };
        else {
          rest.push(r);
          restAt.push(i);
        }
      });
    } else {
      rest = [...ranges];
      restAt = ranges.map((_, i) => i);
    }
    if (core && rest.length > 0) {
      const left: MemRange[] = [];
      const leftAt: number[] = [];
      core.readMany(rest).forEach((bytes, j) => {
        if (bytes) out[restAt[j]] = { ok: true, bytes };
        else {
          left.push(rest[j]);
          leftAt.push(restAt[j]);
        }
      });
      rest = left;
      restAt = leftAt;
    }
    if (rest.length > 0) {
      const got = await this.readThroughGdb(rest);
      restAt.forEach((i, j) => (out[i] = got[j]));
    }
    return out;
  }

  /**
   * A live process's memory read straight into the caller's buffers, in pieces the budget is
   * asked before; undefined where there is no memory file to read (a core; gdb reads).
   */
  readInto(ranges: readonly MemRange[], into: readonly BytePlace[]): Promise<boolean[]> | undefined {
    const proc = this.procMemory;
    if (!proc) return undefined;
    const window = this.session.window;
    const out = ranges.map((r, i) => {
      for (let off = 0; off < r.length; off += INTO_PIECE) {
        const why = this.refusal();
        if (why !== undefined) {
          this.notRead ??= why;
          return false;
        }
        const t0 = performance.now();
        const error = proc.readInto({ address: r.address + BigInt(off), length: Math.min(INTO_PIECE, r.length - off) }, into[i].bytes, into[i].offset + off);
        window.noteRead(performance.now() - t0);
        if (error !== undefined) return false;
      }
      return true;
    });
    return Promise.resolve(out);
  }

  private async readThroughGdb(ranges: readonly MemRange[], fromFile = false): Promise<ReadResult[]> {
    const refuse = fromFile ? () => undefined : () => this.refusal();
    const results = await this.readGated(ranges, refuse, fromFile);
    for (const r of results) if (!r.ok && r.unread) this.notRead ??= r.error;
    return results;
  }

  /** `fromFile`: gdb reads the binary's sections (no process is attached yet), never the process. */
  private async readGated(ranges: readonly MemRange[], refuse: () => string | undefined, fromFile: boolean): Promise<ReadResult[]> {
    const proc = fromFile ? undefined : this.procMemory;
    if (proc) {
      // Read here, in pieces no bigger than a channel's, the budget asked before each.
      return readInBatches(ranges, CHANNEL_LIMITS, (batch) => Promise.resolve(proc.readMany(batch)), refuse, (ms) => this.session.window.noteRead(ms));
    }
    const channel = this.channel;
    if (channel?.open) {
      try {
        return await readInBatches(ranges, CHANNEL_LIMITS, (batch, timeoutMs) => channel.read(batch, timeoutMs), refuse, (ms) => this.session.window.noteRead(ms));
      } catch (e) {
        if (!(e instanceof ChannelError)) throw e;
        // The channel has closed itself. Reading changes nothing: the whole request is asked again as hex.
        tracePhase(`memory channel failed (${e.message}): hex reads from now on`);
      }
    }
    return readInBatches(ranges, HEX_LIMITS, (batch, timeoutMs) => bridgeRead(this.session.mi, batch, timeoutMs), refuse, (ms) => this.session.window.noteRead(ms));
  }

  async typesByName(names: readonly string[]): Promise<(GoType | undefined)[]> {
    const ask = [...new Set(names.filter((n) => !this.typeCache.has(n) && !predeclaredType(n, this.pointerSize)))];
    // gdb answers from the binary, but a live target stays stopped while it does: past the pause
    // budget nothing more is asked (and nothing is remembered as missing) until it runs again.
    const window = this.session.window;
    if (ask.length > 0 && this.session.spec.kind === 'live' && window.stopped && window.spent()) throw new TypeLookupRefused(window.explain());
    if (ask.length > 0) {
      // A lookup keeps a live target stopped as long as a read does: the budget counts it alike.
      const t0 = performance.now();
      const r = await bridgeDescribe(this.session.mi, ask);
      this.session.window.noteRead(performance.now() - t0);
      const builder = new GoTypeBuilder(r.types, this.pointerSize);
      ask.forEach((n, i) => {
        const root = r.roots[i];
        this.typeCache.set(n, root === undefined ? undefined : builder.type(root));
      });
    }
    for (const n of names) {
      if (this.typeCache.get(n) === undefined && !predeclaredType(n, this.pointerSize)) this.typeCache.set(n, await this.composite(n));
    }
    // A name as a type descriptor spells it (`uuid.UUID`, an interface's dynamic type) is looked
    // up again as DWARF spells it (`github.com/google/uuid.UUID`), all of them in one request.
    const unknown = [...new Set(names.filter((n) => this.typeCache.get(n) === undefined && !predeclaredType(n, this.pointerSize)))];
    const qualified = await Promise.all(unknown.map((n) => dwarfTypeName(this.variables, n)));
    const again = unknown.filter((n, i) => qualified[i] !== n);
    if (again.length > 0) {
      const byName = new Map(unknown.map((n, i) => [n, qualified[i]]));
      const found = await this.typesByName(again.map((n) => byName.get(n) ?? n));
      again.forEach((n, i) => this.typeCache.set(n, found[i]));
    }
    return names.map((n) => predeclaredType(n, this.pointerSize) ?? this.typeCache.get(n));
  }

  /**
   * Types gdb cannot look up by name but Go spells from parts: `[N]T` arrays are not indexed as
   * named types, and `*T` has no entry at all; both are built from T.
   */
  private async composite(name: string): Promise<GoType | undefined> {
    const ps = this.pointerSize;
    const array = /^\[(\d+)\](.+)$/.exec(name);
    if (array) {
      const [elem] = await this.typesByName([array[2]]);
      if (!elem) return undefined;
      const length = Number(array[1]);
      return { kind: 'array', name, size: length * elem.size, align: elem.align, elem, length };
    }
    if (name.startsWith('*')) {
      const [elem] = await this.typesByName([name.slice(1)]);
      return { kind: 'pointer', name, size: ps, align: ps, elem };
    }
    return undefined;
  }

  async evalMap(expr: string): Promise<{ header: bigint; type: GoMapType }> {
    const raw = parseRawMapExpr(expr);
    const mi = this.session.mi;
    if (!raw) return (await this.globalMap(expr)) ?? mapFromBridge(expr, this.pointerSize, () => bridgeEval(mi, toGdbExpression(expr)));
    // `0xADDR:map[uuid.UUID]int` as Go code and the runtime spell it; DWARF knows the type as
    // map[github.com/google/uuid.UUID]int (a package name stands for the one path that ends so).
    const typeName = await dwarfTypeName(this.variables, raw.typeName);
    return mapFromBridge(expr, this.pointerSize, () => bridgeMapAt(mi, raw.address, typeName));
  }

  /**
   * A map named by a package-level variable and field names (`main.m`, `main.svc.sessions`):
   * the variable found in the binary's DWARF by this process, the fields followed by their
   * types described by name (target/global-path.ts), the map's type described by name, without
   * gdb's lookup of the variable's name. Undefined where that cannot be done (memory not readable
   * yet, anything not followed plainly): gdb evaluates the expression then, and says why.
   */
  private async globalMap(expr: string): Promise<{ header: bigint; type: GoMapType } | undefined> {
    // Before a live target is stopped its variables cannot be read (and a refused read would
    // mark the output partial): mapType() is what is asked then.
    if (this.refusal() !== undefined) return undefined;
    const end = await this.globalPathEnd(expr, true);
    if (end?.header === undefined) return undefined;
    const header = end.header;
    // Described before the stop (mapType): the stop is spent on the header alone.
    const known = this.mapTypes.get(end.mapTypeName);
    if (known) return { header, type: known };
    return mapFromBridge(expr, this.pointerSize, () => bridgeMapAt(this.session.mi, header, end.mapTypeName)).catch(() => undefined);
  }

  /** Map types described by name (mapType), by that name. */
  private readonly mapTypes = new Map<string, GoMapType>();

  /** Where a global's path ends (global-path.ts); with `read` false, types alone. */
  private async globalPathEnd(expr: string, read: boolean): Promise<PathEnd | undefined> {
    const path = parseRawMapExpr(expr) ? undefined : parseGlobalPath(expr);
    const v = path && (await this.variables.packageGlobal(path.global));
    if (!path || !v) return undefined;
    // A map variable itself: its type is the map's, its value the header.
    if (path.fields.length === 0) {
      if (!v.pointerShaped) return undefined;
      return { mapTypeName: v.typeName, header: read ? await this.pointerAt(v.address) : undefined };
    }
    const steps: PathSteps = {
      // Remembered from the describe before the stop, and counted against the budget in it.
      describe: async (name) => (await this.typesByName([name]).catch(() => [undefined]))[0],
      readPointer: (address) => this.pointerAt(address),
    };
    return followGlobalPath(v.typeName, v.address, path.fields, steps, read);
  }

  private async pointerAt(address: bigint): Promise<bigint | undefined> {
    const [r] = await this.readMany([{ address, length: this.pointerSize }]);
    return r.ok ? readUint(r.bytes, 0, this.pointerSize, this) : undefined;
  }

  /**
   * A map named by a global and field names is described by its type's name (globalPathEnd):
   * gdb's lookup of the variable's name would expand its package's unit, which the stopped read
   * no longer needs.
   */
  async mapType(expr: string): Promise<GoMapType> {
    const end = await this.globalPathEnd(expr, false);
    const typed = end && (await mapFromBridge(expr, this.pointerSize, () => bridgeMapAt(this.session.mi, 0n, end.mapTypeName)).catch(() => undefined));
    if (end && typed) this.mapTypes.set(end.mapTypeName, typed.type);
    return typed ? typed.type : (await this.evalMap(expr)).type;
  }

  async symbolAddress(name: string): Promise<bigint | undefined> {
    const [a] = await bridgeSymbols(this.session.mi, [name]);
    return a;
  }

  private async readGoString(address: bigint, read: (ranges: readonly MemRange[]) => Promise<ReadResult[]>): Promise<string> {
    const ps = this.pointerSize;
    const [h] = await read([{ address, length: 2 * ps }]);
    if (!h.ok) return '';
    const data = readUint(h.bytes, 0, ps, this);
    const len = Number(readInt(h.bytes, ps, ps, this));
    if (len <= 0 || len > 256) return '';
    const [s] = await read([{ address: data, length: len }]);
    return s.ok ? Buffer.from(s.bytes).toString('utf8') : '';
  }
}

/**
 * The core file's own memory, or undefined when it cannot be read (gdb then reads everything:
 * this is a shortcut, never a reason to fail). MAPSCOPE_CORE_READS=gdb turns it off, for
 * comparing the two paths and as an escape hatch. The file is closed when gdb exits, which
 * session.close() always brings about; reads after that find it closed and go to gdb, which
 * answers as for any read after the end.
 */
async function openCoreMemory(corePath: string, gdbExit: Promise<unknown>): Promise<CoreMemory | undefined> {
  if (process.env.MAPSCOPE_CORE_READS === 'gdb') {
    tracePhase('core memory off (MAPSCOPE_CORE_READS=gdb): every read through gdb');
    return undefined;
  }
  try {
    const core = await CoreMemory.open(corePath);
    void gdbExit.then(() => core.close());
    tracePhase('core memory open');
    return core;
  } catch (e) {
    tracePhase(`core memory unavailable (${e instanceof Error ? e.message : String(e)}): every read through gdb`);
    return undefined;
  }
}

/**
 * Reads `ranges` in commands within `limits`: big ranges cut into chunks, small ones batched.
 * A range read in one piece is handed on as it came (a view, for the channel); only one cut into
 * chunks is put back together.
 */
export async function readInBatches(
  ranges: readonly MemRange[],
  limits: ReadLimits,
  read: ReadBatch,
  refuse: () => string | undefined = () => undefined,
  took: (ms: number) => void = () => undefined,
): Promise<ReadResult[]> {
  const pieces: MemRange[] = [];
  const firstPiece: number[] = [];
  for (const r of ranges) {
    firstPiece.push(pieces.length);
    let off = 0;
    do {
      pieces.push({ address: r.address + BigInt(off), length: Math.min(limits.chunk, r.length - off) });
      off += limits.chunk;
    } while (off < r.length);
  }
  firstPiece.push(pieces.length);
  const got: ReadResult[] = new Array(pieces.length);
  let start = 0;
  while (start < pieces.length) {
    let end = start;
    let bytes = 0;
    while (end < pieces.length && end - start < limits.ranges && (end === start || bytes + pieces[end].length <= limits.batch)) {
      bytes += pieces[end].length;
      end++;
    }
    // Asked before every command: the budget may run out between two.
    const why = refuse();
    if (why !== undefined) {
      for (let j = start; j < pieces.length; j++) got[j] = { ok: false, error: why, unread: true };
      break;
    }
    const t0 = performance.now();
    const blocks = await read(pieces.slice(start, end), 60_000 + bytes / 10_000);
    took(performance.now() - t0);
    if (blocks.length !== end - start) throw new Error(`the bridge answered ${blocks.length} blocks for ${end - start} ranges`);
    blocks.forEach((b, j) => (got[start + j] = b));
    start = end;
  }
  return ranges.map((r, i): ReadResult => {
    const first = firstPiece[i];
    const last = firstPiece[i + 1];
    if (last - first === 1) return got[first];
    const bytes = new Uint8Array(r.length);
    for (let j = first; j < last; j++) {
      const b = got[j];
      if (!b.ok) return b;
      bytes.set(b.bytes, (j - first) * limits.chunk);
    }
    return { ok: true, bytes };
  });
}

/** A map header and its Go type from the bridge's answer for `expr`; gdb's refusal, or a value that is not a map, is an ExpressionError. */
export async function mapFromBridge(expr: string, pointerSize: 4 | 8, ask: () => Promise<BridgeMap>): Promise<{ header: bigint; type: GoMapType }> {
  let answer: BridgeMap;
  try {
    answer = await ask();
  } catch (e) {
    if (e instanceof MICommandError) throw gdbExpressionError(expr, e.msg);
    throw e;
  }
  const type = new GoTypeBuilder(answer.types, pointerSize).type(answer.root);
  if (type.kind !== 'map') throw new ExpressionError(`${expr} is not a Go map (its type is ${type.name})`);
  return { header: answer.header, type };
}
