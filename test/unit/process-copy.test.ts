/**
 * A live process copied into the cache (target/copy.ts): each region one block, its touched runs
 * read into it and the rest left zero; read straight into the blocks where the memory can
 * (readInto), else through readMany; a run that could not be read is never taken for zeros.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CachedMemory } from '../../src/target/cache.js';
import { copyInto } from '../../src/target/copy.js';
import { CopyRoom } from '../../src/target/copy-room.js';
import { ProcMemory } from '../../src/target/proc-mem.js';
import { writablePages } from '../../src/target/process-pages.js';
import type { BytePlace, MemRange, Memory, ReadResult } from '../../src/target/target.js';

const PAGE = 4096;
const REGION: MemRange = { address: 0x10000n, length: 4 * PAGE };
/** Pages 0 and 2 were touched; 1 and 3 never were (zeros). */
const RUNS: MemRange[] = [
  { address: 0x10000n, length: PAGE },
  { address: 0x12000n, length: PAGE },
];

/** A process whose every byte is the low byte of its address; `broken` runs cannot be read. */
function process(direct: boolean, broken: bigint[] = []): Memory & { into: number; many: number } {
  const byteAt = (a: bigint) => Number(a & 0xffn);
  const fill = (r: MemRange, out: Uint8Array, at: number) => {
    for (let i = 0; i < r.length; i++) out[at + i] = byteAt(r.address + BigInt(i));
  };
  const m = {
    pointerSize: 8 as const,
    littleEndian: true,
    into: 0,
    many: 0,
    readMany(ranges: readonly MemRange[]): Promise<ReadResult[]> {
      m.many++;
      return Promise.resolve(
        ranges.map((r): ReadResult => {
          if (broken.includes(r.address)) return { ok: false, error: 'Cannot access memory' };
          const bytes = new Uint8Array(r.length);
          fill(r, bytes, 0);
          return { ok: true, bytes };
        }),
      );
    },
    ...(direct
      ? {
          readInto(ranges: readonly MemRange[], into: readonly BytePlace[]): Promise<boolean[]> {
            m.into++;
            return Promise.resolve(
              ranges.map((r, i) => {
                if (broken.includes(r.address)) return false;
                fill(r, into[i].bytes, into[i].offset);
                return true;
              }),
            );
          },
        }
      : {}),
  };
  return m;
}

async function read(mem: CachedMemory, address: bigint, length: number): Promise<ReadResult> {
  const [r] = await mem.readMany([{ address, length }]);
  return r;
}

describe('copyInto', () => {
  it.each([true, false])('holds the touched pages and zeros elsewhere (straight into the blocks: %s)', async (direct) => {
    const source = process(direct);
    const mem = new CachedMemory(source);
    await copyInto(mem, source, [REGION], RUNS);
    expect([source.into, source.many]).toEqual(direct ? [1, 0] : [0, 1]);
    // A range across a touched page into an untouched one, read from the copy alone.
    const r = await read(mem, 0x10ff0n, 0x20);
    expect(r.ok && [...r.bytes]).toEqual([...Array.from({ length: 16 }, (_, i) => 0xf0 + i), ...new Array<number>(16).fill(0)]);
    expect(source.many).toBe(direct ? 0 : 1);
  });

  it.each([true, false])('does not take a page it could not read for zeros (straight into the blocks: %s)', async (direct) => {
    const source = process(direct, [0x12000n]);
    const mem = new CachedMemory(source);
    await copyInto(mem, source, [REGION], RUNS);
    const before = source.many;
    const ok = await read(mem, 0x10000n, 8);
    expect(ok.ok && [...ok.bytes]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(source.many).toBe(before);
    // The run that failed is asked of the process again, and fails again.
    const failed = await read(mem, 0x12000n, 8);
    expect(failed.ok).toBe(false);
    expect(source.many).toBe(before + 1);
  });

  it('gives up when its pace says it cannot end in time, and keeps what it read', async () => {
    const MiB32 = 32 << 20;
    const region: MemRange = { address: 0x100000000n, length: 2 * MiB32 };
    const runs: MemRange[] = [
      { address: region.address, length: MiB32 },
      { address: region.address + BigInt(MiB32), length: MiB32 },
    ];
    const asked: bigint[] = [];
    const source: Memory = {
      pointerSize: 8,
      littleEndian: true,
      readMany: (ranges) => Promise.resolve(ranges.map((): ReadResult => ({ ok: false, error: 'not in this test' }))),
      readInto: (ranges, into) => {
        asked.push(...ranges.map((r) => r.address));
        return Promise.resolve(ranges.map((r, i) => (into[i].bytes.fill(7, into[i].offset, into[i].offset + r.length), true)));
      },
    };
    const mem = new CachedMemory(source);
    expect(await copyInto(mem, source, [region], runs, 0)).toBe(false);
    // The first group alone was read: its pace is what said the copy would not end in time.
    expect(asked).toEqual([region.address]);
    const kept = await read(mem, region.address + BigInt(MiB32 - 4), 4);
    expect(kept.ok && [...kept.bytes]).toEqual([7, 7, 7, 7]);
    const rest = await read(mem, region.address + BigInt(MiB32), 4);
    expect(rest.ok).toBe(false);
  });
});

describe('copyInto with a room made before the stop (copy-room.ts)', () => {
  it('reads a stopped process as the process memory file says, half of it by the helper', async () => {
    const child = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      const pid = child.pid ?? 0;
      // Its pages settle once it sleeps; stopped, they cannot change under the comparison.
      await new Promise((resolve) => setTimeout(resolve, 100));
      globalThis.process.kill(pid, 'SIGSTOP');
      const room = await CopyRoom.make(pid, 64 << 20);
      expect(room?.helping).toBe(true);
      const pages = writablePages(pid, 64 << 20);
      if (!pages || pages === 'late') throw new Error('no pages');
      const proc = ProcMemory.open(pid);
      if (!proc) throw new Error('no memory file');
      let ours = 0;
      const source: Memory = {
        pointerSize: 8,
        littleEndian: true,
        readMany: (ranges) => Promise.resolve(proc.readMany(ranges)),
        readInto: (ranges, into) => {
          ours += ranges.reduce((n, r) => n + r.length, 0);
          return Promise.resolve(ranges.map((r, i) => proc.readInto(r, into[i].bytes, into[i].offset) === undefined));
        },
      };
      const mem = new CachedMemory(source);
      expect(await copyInto(mem, source, pages.regions, pages.runs, Infinity, room)).toBe(true);
      room?.close();
      expect(pages.runs.length).toBeGreaterThan(1);
      expect(ours).toBeGreaterThan(0);
      expect(ours).toBeLessThan(pages.bytes);
      for (const r of pages.runs) {
        const [copied] = await mem.readMany([r]);
        const [direct] = proc.readMany([r]);
        expect(copied.ok && direct.ok && Buffer.compare(copied.bytes, direct.bytes)).toBe(0);
      }
      proc.close();
    } finally {
      child.kill('SIGKILL');
    }
  });
});
