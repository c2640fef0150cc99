/**
 * The memory channel: bulk memory from the bridge as raw bytes in a file, beside MI.
 *
 * Over MI every byte costs two hex digits, an MI c-string to escape and parse, and a decode:
 * for the tens of megabytes of a large map's groups or buckets that is most of the read. Here
 * both sides hold one file open. The ranges to read go into it (gdb takes MI input at about half
 * a microsecond a character, so 2000 ranges spelled out on a command line cost it 30 ms), the
 * bridge writes the bytes it read back into it (`-mapscope-read-to`), MI carries only counts and
 * errors, and one readSync moves the bytes into one Buffer whose views are handed out as blocks.
 *
 * The file is created private (a 0700 directory of our own, the file 0600: it holds target
 * memory) and unlinked with its directory at once, before gdb is asked anything: gdb opens it as
 * /proc/PID/fd/N of this process. So it has a name only for the few synchronous calls that make
 * it, and nothing is left behind however either process ends, even with gdb hung mid-command.
 * It lives on /dev/shm when that is writable and roomy (memory, never a disk), else in
 * os.tmpdir().
 *
 * One channel per gdb, shared by everything reading through it: the bridge holds one channel
 * file at a time, and reuses it from offset 0 for every command, so commands are serialised and
 * each names the file it is meant for.
 *
 * MAPSCOPE_CHANNEL=off keeps every read on hex -mapscope-read, for comparing the two paths and
 * as an escape hatch should the channel misbehave somewhere.
 */
import { accessSync, closeSync, constants, fstatSync, ftruncateSync, mkdtempSync, openSync, readSync, rmdirSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MICommandResult, MICommandError, type MITuple, type SendOptions, quoteMIArg } from '../mi/index.js';
import type { BridgeBlock } from './bridge.js';
import { tracePhase } from './trace-log.js';

/** The most bytes one -mapscope-read-to may carry: what the file, and the Buffer, hold at most. */
export const CHANNEL_MAX_BYTES = 64 << 20;

/** Bytes of one range in a request: address and length, u64 little-endian each. */
const RANGE_BYTES = 16;

/** /dev/shm is used only with this much room beside one full answer (containers often give it 64 MB). */
const SHM_HEADROOM = 2 * CHANNEL_MAX_BYTES;

/** What the channel needs of a gdb session (an MISession); a fake bridge stands in for it in unit tests. */
export interface ChannelGdb {
  send(command: string, opts?: SendOptions): Promise<MICommandResult>;
  readonly onExit: Promise<unknown>;
}

export interface ChannelOptions {
  /** Directories to create the file in, tried in order; by default /dev/shm (if usable), then os.tmpdir(). */
  readonly dirs?: readonly string[];
}

/**
 * The channel cannot carry bytes: it could not be set up, or the bridge could not use it, or
 * what it answered does not add up. Never a statement about target memory: the caller goes back
 * to hex reads, which give the same answer.
 */
export class ChannelError extends Error {
  override readonly name = 'ChannelError';
}

export interface ChannelRange {
  readonly address: bigint;
  readonly length: number;
}

const channels = new WeakMap<ChannelGdb, Promise<MemoryChannel | undefined>>();

/**
 * The channel of this gdb, opened on first use; undefined when it cannot be (the trace says
 * why) and the caller reads hex. Only gdb's death or a timeout while setting it up is thrown:
 * those end the session anyway.
 */
export function openChannel(gdb: ChannelGdb, opts: ChannelOptions = {}): Promise<MemoryChannel | undefined> {
  let channel = channels.get(gdb);
  if (!channel) {
    channel = setUp(gdb, opts);
    channels.set(gdb, channel);
    channel.catch(() => channels.delete(gdb));
  }
  return channel;
}

async function setUp(gdb: ChannelGdb, opts: ChannelOptions): Promise<MemoryChannel | undefined> {
  if (process.env.MAPSCOPE_CHANNEL === 'off') {
    tracePhase('memory channel off (MAPSCOPE_CHANNEL=off): hex reads');
    return undefined;
  }
  try {
    const channel = await MemoryChannel.open(gdb, opts.dirs ?? defaultDirs());
    tracePhase('memory channel open');
    return channel;
  } catch (e) {
    if (!(e instanceof ChannelError)) throw e;
    tracePhase(`memory channel unavailable (${e.message}): hex reads`);
    return undefined;
  }
}

export class MemoryChannel {
  private fd: number | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly gdb: ChannelGdb,
    fd: number,
    /** The file as the bridge knows it (`dev:ino`), named in every read so that it never writes into another. */
    private readonly id: string,
  ) {
    this.fd = fd;
    // The file has no name: this fd is all that keeps it (and, on tmpfs, its memory) alive.
    void gdb.onExit.then(() => this.close());
  }

  static async open(gdb: ChannelGdb, dirs: readonly string[]): Promise<MemoryChannel> {
    const fd = createUnnamedFile(dirs);
    try {
      // A --gdb wrapper may run gdb where that path means another file (another pid or mount
      // namespace, another host). The bridge answers the file's id and first bytes: only the very
      // same file, holding the token just written, carries anything.
      const token = randomBytes(16);
      writeSync(fd, token, 0, token.length, 0);
      let answer: MITuple;
      try {
        answer = (await gdb.send(`-mapscope-channel ${quoteMIArg(`/proc/${process.pid}/fd/${fd}`)}`)).results;
      } catch (e) {
        if (e instanceof MICommandError) throw new ChannelError(`gdb cannot open it: ${e.msg}`, { cause: e });
        throw e;
      }
      const st = fstatSync(fd, { bigint: true });
      const id = `${st.dev}:${st.ino}`;
      if (answer.id !== id || answer.head !== token.toString('hex')) throw new ChannelError(`gdb opened another file by that name (${String(answer.id)}, not ${id})`);
      ftruncateSync(fd, 0);
      return new MemoryChannel(gdb, fd, id);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /** False once closed: at gdb's exit, or after a failure (every holder then reads hex). */
  get open(): boolean {
    return this.fd !== undefined;
  }

  /**
   * Reads every range (at most CHANNEL_MAX_BYTES in all) with one -mapscope-read-to. A range
   * that cannot be read is an error block, as with -mapscope-read. A channel that fails throws
   * ChannelError; gdb timing out or gone throws as for any command. Either way it is closed.
   */
  read(ranges: readonly ChannelRange[], timeoutMs?: number): Promise<BridgeBlock[]> {
    const turn = this.queue.then(() => this.readNow(ranges, timeoutMs));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Closes our end; gdb's end goes with gdb. Idempotent. */
  close(): void {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) closeSync(fd);
  }

  private async readNow(ranges: readonly ChannelRange[], timeoutMs: number | undefined): Promise<BridgeBlock[]> {
    if (ranges.length === 0) return [];
    const total = ranges.reduce((n, r) => n + r.length, 0);
    if (total > CHANNEL_MAX_BYTES) throw new RangeError(`one channel read is at most ${CHANNEL_MAX_BYTES} bytes, not ${total}`);
    try {
      putRanges(this.liveFd(), ranges);
      let results: MITuple;
      try {
        results = (await this.gdb.send(`-mapscope-read-to ${this.id} ${ranges.length} ${total}`, timeoutMs ? { timeoutMs } : undefined)).results;
      } catch (e) {
        if (e instanceof MICommandError) throw new ChannelError(`gdb could not use it: ${e.msg}`, { cause: e });
        throw e;
      }
      const failed = failures(results, ranges.length);
      let end = 0;
      for (let i = 0; i < ranges.length; i++) if (!failed.has(i)) end += ranges[i].length;
      if (results.bytes !== String(end)) throw new ChannelError(`the bridge wrote ${String(results.bytes)} bytes where the ranges it read hold ${end}`);
      // liveFd() again after the await: close() may have run meanwhile, and a closed fd's number can be reused.
      const bytes = takeBytes(this.liveFd(), end);
      let offset = 0;
      return ranges.map((r, i): BridgeBlock => {
        const error = failed.get(i);
        if (error !== undefined) return { ok: false, error };
        const block = new Uint8Array(bytes.buffer, bytes.byteOffset + offset, r.length);
        offset += r.length;
        return { ok: true, bytes: block };
      });
    } catch (e) {
      // A channel that failed once is not trusted again: what it holds may be half written, and
      // after a timeout gdb may still be writing into it.
      this.close();
      throw e;
    }
  }

  private liveFd(): number {
    if (this.fd === undefined) throw new ChannelError('the memory channel is closed');
    return this.fd;
  }
}

/** The request, where the bridge reads it: at the start of the file. */
function putRanges(fd: number, ranges: readonly ChannelRange[]): void {
  const table = Buffer.allocUnsafe(RANGE_BYTES * ranges.length);
  ranges.forEach((r, i) => {
    table.writeBigUInt64LE(r.address, RANGE_BYTES * i);
    table.writeBigUInt64LE(BigInt(r.length), RANGE_BYTES * i + 8);
  });
  try {
    for (let at = 0; at < table.length; ) at += writeSync(fd, table, at, table.length - at, at);
  } catch (e) {
    throw new ChannelError(`cannot write to the channel: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** The ranges the bridge could not read, by index, with why; a malformed answer is a broken channel. */
function failures(results: MITuple, count: number): Map<number, string> {
  const list = results.errors;
  if (!Array.isArray(list)) throw new ChannelError('the bridge answered no error list');
  const failed = new Map<number, string>();
  for (const v of list) {
    if (typeof v === 'string' || Array.isArray(v) || typeof v.index !== 'string') throw new ChannelError('the bridge answered a malformed error');
    const index = Number(v.index);
    if (!Number.isInteger(index) || index < 0 || index >= count) throw new ChannelError(`the bridge answered an error for range ${v.index} of ${count}`);
    failed.set(index, typeof v.error === 'string' && v.error !== '' ? v.error : 'cannot read memory');
  }
  return failed;
}

/** The first `end` bytes of the file, in one Buffer; then the file is emptied, to give its pages back. */
function takeBytes(fd: number, end: number): Buffer {
  const bytes = Buffer.allocUnsafe(end);
  try {
    for (let at = 0; at < end; ) {
      const n = readSync(fd, bytes, at, end - at, at);
      if (n === 0) throw new ChannelError(`the channel holds ${at} bytes, the bridge said it wrote ${end}`);
      at += n;
    }
    ftruncateSync(fd, 0);
  } catch (e) {
    if (e instanceof ChannelError) throw e;
    throw new ChannelError(`cannot read the channel: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return bytes;
}

function defaultDirs(): string[] {
  return shmUsable() ? ['/dev/shm', tmpdir()] : [tmpdir()];
}

function shmUsable(): boolean {
  try {
    accessSync('/dev/shm', constants.W_OK | constants.X_OK);
    const fs = statfsSync('/dev/shm');
    return fs.bavail * fs.bsize >= SHM_HEADROOM;
  } catch {
    return false;
  }
}

/**
 * An empty 0600 file with no name, open for reading, writing and truncating: made in a fresh 0700
 * directory, then unlinked with it straight away, in one synchronous stretch.
 */
function createUnnamedFile(dirs: readonly string[]): number {
  const why: string[] = [];
  for (const parent of dirs) {
    let dir: string | undefined;
    try {
      // mkdtemp makes the directory 0700; the umask can only narrow the file's 0600.
      dir = mkdtempSync(join(parent, 'mapscope-'));
      const path = join(dir, 'memory');
      const fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
      removeFile(path, dir);
      return fd;
    } catch (e) {
      if (dir !== undefined) removeFile(join(dir, 'memory'), dir);
      why.push(`${parent}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new ChannelError(`cannot create its file (${why.join('; ') || 'no directory to create it in'})`);
}

function removeFile(path: string, dir: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Not created, or already gone: the directory is what matters.
  }
  try {
    rmdirSync(dir);
  } catch {
    // Only something else inside our 0700 directory keeps it: not ours to delete.
  }
}
