/**
 * The memory channel (src/gdb/channel.ts): first against a fake bridge written here to the
 * protocol, for what real gdb will not do on demand (refuse, lie, fail mid-read, die); then
 * against the real bridge in a real gdb, reading an ELF file's sections (no process, no Go),
 * through the channel and as hex, which must agree byte for byte.
 */
import { chmodSync, closeSync, existsSync, fstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bridgeRead } from '../../src/gdb/bridge.js';
import { type ChannelGdb, ChannelError, type MemoryChannel, openChannel } from '../../src/gdb/channel.js';
import { bridgeScriptPath } from '../../src/gdb/session.js';
import { gdbLaunch } from '../../src/gdb/startup.js';
import { type MICommandResult, MICommandError, MISession, MITimeoutError, type MITuple, type MIValue, decodeCString } from '../../src/mi/index.js';
import { type ReadBatch, readInBatches } from '../../src/target/gdb-target.js';

const scratch = mkdtempSync(join(tmpdir(), 'mapscope-channel-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A fresh parent directory for channel files, so that a test sees exactly what was left in it. */
function parentDir(name = 'p'): string {
  const dir = mkdtempSync(join(scratch, `${name}-`));
  return dir;
}

// ---------------------------------------------------------------------------------------------
// A fake bridge: -mapscope-channel and -mapscope-read-to as gdb-scripts/mapscope.py answers them.

interface Segment {
  readonly address: bigint;
  readonly bytes: Uint8Array;
}

class FakeBridge implements ChannelGdb {
  readonly commands: string[] = [];
  readonly onExit: Promise<void>;
  exit: () => void = () => undefined;
  /** What the channel file looked like when the bridge opened it, and what was left in the parent directory. */
  seen: { fileMode: number; links: number; path: string; parentHolds: string[] } | undefined;
  parent = '';
  refuse: string | undefined;
  answerId: string | undefined;
  answerHead: string | undefined;
  /** Claims more bytes written than it wrote. */
  shortWrite = false;
  failReadTo: string | undefined;
  failWith: Error | undefined;
  answerDelayMs = 0;
  inFlight = 0;
  maxInFlight = 0;
  private fd: number | undefined;
  private id = '';

  constructor(private readonly memory: readonly Segment[]) {
    this.onExit = new Promise((resolve) => (this.exit = resolve));
  }

  async send(command: string): Promise<MICommandResult> {
    this.commands.push(command);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.answerDelayMs) await new Promise((r) => setTimeout(r, this.answerDelayMs));
      if (this.failWith) throw this.failWith;
      return { type: 'result', resultClass: 'done', results: this.answer(command), streams: [] };
    } finally {
      this.inFlight--;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private answer(command: string): MITuple {
    if (command.startsWith('-mapscope-channel ')) {
      if (this.refuse) throw new MICommandError(command, this.refuse);
      const at = command.indexOf('"');
      const path = decodeCString(command, at).value;
      this.fd = openSync(path, 'r+');
      const st = fstatSync(this.fd, { bigint: true });
      this.seen = { fileMode: Number(st.mode) & 0o777, links: Number(st.nlink), path, parentHolds: this.parent ? readdirSync(this.parent) : [] };
      this.id = `${st.dev}:${st.ino}`;
      const head = Buffer.alloc(16);
      readSync(this.fd, head, 0, 16, 0);
      return { id: this.answerId ?? this.id, head: this.answerHead ?? head.toString('hex') };
    }
    const m = /^-mapscope-read-to (\S+) (\d+) (\d+)$/.exec(command);
    if (!m) throw new MICommandError(command, 'unknown command');
    if (this.failReadTo) throw new MICommandError(command, this.failReadTo);
    if (m[1] !== this.id || this.fd === undefined) throw new MICommandError(command, 'no memory channel');
    const count = Number(m[2]);
    const table = Buffer.alloc(16 * count);
    readSync(this.fd, table, 0, table.length, 0);
    const errors: MIValue[] = [];
    let offset = 0;
    for (let i = 0; i < count; i++) {
      const address = table.readBigUInt64LE(16 * i);
      const length = Number(table.readBigUInt64LE(16 * i + 8));
      if (length === 0) continue;
      const seg = this.memory.find((s) => s.address <= address && address + BigInt(length) <= s.address + BigInt(s.bytes.length));
      if (!seg) {
        errors.push({ index: String(i), error: `Cannot access memory at address 0x${address.toString(16)}` });
        continue;
      }
      const start = Number(address - seg.address);
      writeSync(this.fd, seg.bytes, start, length, offset);
      offset += length;
    }
    return { bytes: String(this.shortWrite ? offset + 8 : offset), errors };
  }
}

function pattern(address: bigint, length: number): Uint8Array {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = (Number(address & 0xffn) + i * 7) & 0xff;
  return b;
}

const MEMORY: Segment[] = [
  { address: 0x1000n, bytes: pattern(0x1000n, 0x4000) },
  { address: 0x100000n, bytes: pattern(0x100000n, 1 << 20) },
];

const bridges: FakeBridge[] = [];
function fake(): FakeBridge {
  const b = new FakeBridge(MEMORY);
  bridges.push(b);
  return b;
}
afterEach(() => {
  for (const b of bridges.splice(0)) {
    b.exit();
    b.close();
  }
  delete process.env.MAPSCOPE_CHANNEL;
});

async function mustOpen(gdb: FakeBridge, dirs = [parentDir()]): Promise<MemoryChannel> {
  gdb.parent = dirs[0];
  const c = await openChannel(gdb, { dirs });
  if (!c) throw new Error('the channel did not open');
  return c;
}

describe('memory channel against a fake bridge', () => {
  it('reads ranges as views of one buffer, a failing range failing alone', async () => {
    const gdb = fake();
    const c = await mustOpen(gdb);
    const blocks = await c.read([
      { address: 0x1010n, length: 100 },
      { address: 0x9000n, length: 16 },
      { address: 0x1000n, length: 0 },
      { address: 0x100000n, length: 1 << 20 },
      { address: 0x4ff0n, length: 32 },
    ]);
    expect(blocks.map((b) => b.ok)).toEqual([true, false, true, true, false]);
    const [a, , z, big] = blocks;
    if (!a.ok || !z.ok || !big.ok) throw new Error('unreachable');
    expect(a.bytes).toEqual(MEMORY[0].bytes.subarray(0x10, 0x10 + 100));
    expect(z.bytes.length).toBe(0);
    // Buffer.compare: toEqual walks a megabyte element by element, for seconds.
    expect(Buffer.compare(big.bytes, MEMORY[1].bytes)).toBe(0);
    // Plain Uint8Array views (not Buffers) on one allocation: no copy per block.
    expect(Object.getPrototypeOf(a.bytes)).toBe(Uint8Array.prototype);
    expect(big.bytes.buffer).toBe(a.bytes.buffer);
    const err = blocks[1];
    expect(err.ok ? '' : err.error).toMatch(/Cannot access memory at address 0x9000/);
    expect(gdb.commands.at(-1)).toMatch(/^-mapscope-read-to \d+:\d+ 5 1048724$/);
  });

  it('hands gdb a 0600 file that already has no name: unlinked, its directory gone, before gdb is asked', async () => {
    const parent = parentDir();
    const gdb = fake();
    await mustOpen(gdb, [parent]);
    expect(gdb.seen?.path).toBe(`/proc/${process.pid}/fd/${/\d+$/.exec(gdb.seen?.path ?? '')?.[0]}`);
    expect(gdb.seen?.fileMode).toBe(0o600);
    expect(gdb.seen?.links).toBe(0);
    expect(gdb.seen?.parentHolds).toEqual([]);
  });

  it('makes its file in a directory of any name (spaces, quotes, backslashes, non-ASCII)', async () => {
    const parent = join(scratch, 'a dir "with" \\ and ü');
    mkdirSync(parent);
    const gdb = fake();
    const c = await mustOpen(gdb, [parent]);
    const [b] = await c.read([{ address: 0x1000n, length: 8 }]);
    expect(b.ok).toBe(true);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('is one channel per gdb, shared by every reader', async () => {
    const gdb = fake();
    const dirs = [parentDir()];
    const [a, b] = await Promise.all([openChannel(gdb, { dirs }), openChannel(gdb, { dirs })]);
    expect(a).toBe(b);
    expect(gdb.commands.filter((c) => c.startsWith('-mapscope-channel'))).toHaveLength(1);
  });

  it('runs one read at a time: the file is reused for every command', async () => {
    const gdb = fake();
    const c = await mustOpen(gdb);
    gdb.answerDelayMs = 5;
    const reads = Array.from({ length: 6 }, (_, i) => c.read([{ address: 0x1000n + BigInt(i * 64), length: 64 }]));
    const got = await Promise.all(reads);
    expect(gdb.maxInFlight).toBe(1);
    got.forEach(([b], i) => expect(b.ok && b.bytes).toEqual(MEMORY[0].bytes.subarray(i * 64, i * 64 + 64)));
  });

  it('falls back (undefined) when no file can be created, saying why in the trace', async () => {
    const gdb = fake();
    expect(await openChannel(gdb, { dirs: [join(scratch, 'does-not-exist')] })).toBeUndefined();
    expect(gdb.commands).toEqual([]);
  });

  it('falls back when gdb cannot open the file, and leaves nothing behind', async () => {
    const parent = parentDir();
    const gdb = fake();
    gdb.refuse = 'cannot open the memory channel: No such file or directory';
    expect(await openChannel(gdb, { dirs: [parent] })).toBeUndefined();
    expect(readdirSync(parent)).toEqual([]);
  });

  it('falls back when gdb opened another file under that name (a wrapper running gdb elsewhere)', async () => {
    const gdb = fake();
    gdb.answerId = '1:2';
    expect(await openChannel(gdb, { dirs: [parentDir()] })).toBeUndefined();
    // Same id by chance (another host's tmpfs), other contents.
    const other = fake();
    other.answerHead = '00'.repeat(16);
    expect(await openChannel(other, { dirs: [parentDir()] })).toBeUndefined();
  });

  it('is never opened with MAPSCOPE_CHANNEL=off', async () => {
    process.env.MAPSCOPE_CHANNEL = 'off';
    const gdb = fake();
    expect(await openChannel(gdb, { dirs: [parentDir()] })).toBeUndefined();
    expect(gdb.commands).toEqual([]);
  });

  it('throws what is not about the channel: gdb timing out or gone ends the session anyway', async () => {
    const gdb = fake();
    gdb.failWith = new MITimeoutError('-mapscope-channel', 10);
    await expect(openChannel(gdb, { dirs: [parentDir()] })).rejects.toBeInstanceOf(MITimeoutError);
    const later = fake();
    const c = await mustOpen(later);
    later.failWith = new MITimeoutError('-mapscope-read-to', 10);
    await expect(c.read([{ address: 0x1000n, length: 8 }])).rejects.toBeInstanceOf(MITimeoutError);
    // gdb may still be writing into it: never used again.
    expect(c.open).toBe(false);
  });

  it('a bridge that cannot use the channel, or answers what does not add up, is a ChannelError and closes it', async () => {
    const gdb = fake();
    const c = await mustOpen(gdb);
    gdb.failReadTo = 'memory channel: No space left on device';
    await expect(c.read([{ address: 0x1000n, length: 8 }])).rejects.toBeInstanceOf(ChannelError);
    expect(c.open).toBe(false);
    await expect(c.read([{ address: 0x1000n, length: 8 }])).rejects.toThrow(/closed/);

    const liar = fake();
    const d = await mustOpen(liar);
    liar.shortWrite = true;
    await expect(d.read([{ address: 0x1000n, length: 8 }])).rejects.toThrow(ChannelError);
    expect(d.open).toBe(false);
  });

  it('closes its end when gdb exits', async () => {
    const gdb = fake();
    const c = await mustOpen(gdb);
    gdb.exit();
    await gdb.onExit;
    await Promise.resolve();
    expect(c.open).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// How GdbTarget cuts reads up

describe('readInBatches', () => {
  const mem = (address: bigint, length: number) => pattern(address, length);
  const reader = (calls: { ranges: number; bytes: number }[], unreadable?: bigint): ReadBatch => async (batch) => {
    calls.push({ ranges: batch.length, bytes: batch.reduce((n, r) => n + r.length, 0) });
    return batch.map((r) => (unreadable !== undefined && r.address <= unreadable && unreadable < r.address + BigInt(r.length) ? { ok: false, error: 'nope' } : { ok: true, bytes: mem(r.address, r.length) }));
  };

  it('cuts big ranges into chunks and puts them back together; batches small ones within the limits', async () => {
    const calls: { ranges: number; bytes: number }[] = [];
    const ranges = [
      { address: 0x10000n, length: 1000 },
      { address: 0x20000n, length: 10 },
      { address: 0x30000n, length: 0 },
      ...Array.from({ length: 5 }, (_, i) => ({ address: 0x40000n + BigInt(i * 16), length: 16 })),
    ];
    const out = await readInBatches(ranges, { chunk: 256, batch: 512, ranges: 3 }, reader(calls));
    out.forEach((r, i) => {
      // Chunks are read at their own addresses; this pattern depends on the address, so reassembly is checked too.
      if (!r.ok) throw new Error(r.error);
      expect(r.bytes.length).toBe(ranges[i].length);
    });
    const first = out[0];
    if (!first.ok) throw new Error('unreachable');
    for (let k = 0; k < 4; k++) expect(first.bytes.subarray(k * 256, k * 256 + 256)).toEqual(mem(0x10000n + BigInt(k * 256), Math.min(256, 1000 - k * 256)));
    for (const c of calls) {
      expect(c.ranges).toBeLessThanOrEqual(3);
      expect(c.ranges === 1 || c.bytes <= 512).toBe(true);
    }
  });

  it('hands a range read in one piece on as it came', async () => {
    const block = { ok: true as const, bytes: new Uint8Array(8) };
    const out = await readInBatches([{ address: 0x1000n, length: 8 }], { chunk: 64, batch: 64, ranges: 8 }, async () => [block]);
    expect(out[0]).toBe(block);
  });

  it('a failing chunk fails its range only', async () => {
    const out = await readInBatches(
      [
        { address: 0x10000n, length: 1000 },
        { address: 0x20000n, length: 8 },
      ],
      { chunk: 256, batch: 4096, ranges: 100 },
      reader([], 0x10000n + 600n),
    );
    expect(out.map((r) => r.ok)).toEqual([false, true]);
  });
});

// ---------------------------------------------------------------------------------------------
// The real bridge, in real gdb, on an ELF file's sections

describe('memory channel against the real bridge', () => {
  let mi: MISession;
  let sections: { start: bigint; end: bigint; name: string }[] = [];

  beforeAll(async () => {
    mi = await MISession.start({ gdbPath: 'gdb', ...gdbLaunch('gdb') });
    await mi.send(`-interpreter-exec console ${JSON.stringify(`source ${bridgeScriptPath()}`)}`);
    await mi.send('-file-exec-and-symbols /bin/true');
    const info = (await mi.send('-interpreter-exec console "info files"')).streams.map((s) => s.text).join('');
    sections = [...info.matchAll(/(0x[0-9a-f]+) - (0x[0-9a-f]+) is (\S+)/g)].map((m) => ({ start: BigInt(m[1]), end: BigInt(m[2]), name: m[3] }));
  });
  afterAll(async () => {
    await mi?.close();
  });

  it('reads what hex reads, byte for byte, and fails where hex fails', async () => {
    const text = sections.find((s) => s.name === '.text');
    const rodata = sections.find((s) => s.name === '.rodata');
    if (!text || !rodata) throw new Error(`no .text or .rodata in ${JSON.stringify(sections.map((s) => s.name))}`);
    const top = sections.reduce((a, s) => (s.end > a ? s.end : a), 0n);
    const ranges = [
      { address: text.start, length: Number(text.end - text.start) },
      { address: 0x10n, length: 16 },
      { address: rodata.start + 3n, length: 77 },
      { address: text.start, length: 0 },
      // Past the end of every section: no memory there, even though the range starts nowhere odd.
      { address: top + 0x100000n, length: 64 },
    ];
    const channel = await openChannel(mi);
    if (!channel) throw new Error('no channel');
    const viaChannel = await channel.read(ranges);
    const viaHex = await bridgeRead(mi, ranges);
    expect(viaChannel.map((b) => b.ok)).toEqual([true, false, true, true, false]);
    expect(viaChannel).toEqual(viaHex);
  });

  it('refuses a read meant for another channel, and a file others could read', async () => {
    await expect(mi.send('-mapscope-read-to 1:2 1 8')).rejects.toThrow(/no memory channel 1:2/);
    const dir = parentDir('open');
    const path = join(dir, 'memory');
    closeSync(openSync(path, 'w', 0o600));
    chmodSync(path, 0o644);
    await expect(mi.send(`-mapscope-channel ${JSON.stringify(path)}`)).rejects.toThrow(/not a private regular file/);
    await expect(mi.send(`-mapscope-channel ${JSON.stringify(join(dir, 'absent'))}`)).rejects.toThrow(/cannot open the memory channel/);
    expect(existsSync(join(dir, 'absent'))).toBe(false);
  });
});
