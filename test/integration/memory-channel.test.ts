/**
 * The memory channel on real kernel cores of the test program, one Swiss and one classic
 * toolchain: mapscope reads through it (the MI trace shows -mapscope-read-to and not one hex
 * block), the maps come out exactly as the program says; with MAPSCOPE_CHANNEL=off the same JSON
 * comes over hex; the channel's bytes equal hex's byte for byte, unreadable ranges included; and
 * a channel that breaks mid-session gives way to hex without a wrong or missing byte.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeRead } from '../../src/gdb/bridge.js';
import { type MemoryChannel, openChannel } from '../../src/gdb/channel.js';
import { GdbSession } from '../../src/gdb/session.js';
import { ElfFile, PT_LOAD } from '../../src/elf/elf.js';
import { GdbTarget } from '../../src/target/gdb-target.js';
import type { MemRange } from '../../src/target/target.js';
import { expectMatchesTruth, type InspectJson } from './compare.js';
import { type CrashedProgram, kernelCore } from './harness.js';
import { inspectCoreTraced } from './mapscope-run.js';
import { programPath } from './paths.js';
import { presentToolchains } from './toolchains.js';

const present = presentToolchains();
const toolchains = [present.find((t) => t.impl === 'swiss'), present.find((t) => t.impl === 'classic')].filter((t) => t !== undefined);

/** The bridge's MI commands in a MAPSCOPE_TRACE=1 log, by name. */
function commands(trace: string): string[] {
  return [...trace.matchAll(/^\[\s*\d+ gdb in\] \d+(-\S+)/gm)].map((m) => m[1]);
}

describe.each(toolchains.map((tc) => [tc.id, tc] as const))('memory channel, kernel core, %s', (_id, tc) => {
  const exe = programPath(tc.id);
  let crashed: CrashedProgram;

  beforeAll(async () => {
    crashed = await kernelCore(exe);
  });
  afterAll(() => {
    if (crashed) rmSync(crashed.dir, { recursive: true, force: true });
  });

  const inspect = (env: Record<string, string>) => inspectCoreTraced(crashed.truth.maps.map((m) => m.expr), crashed.core, exe, env, 180_000);

  it('mapscope reads through the channel (no hex over MI); MAPSCOPE_CHANNEL=off gives the same JSON over hex', async () => {
    const viaChannel = await inspect({});
    expect(viaChannel.exitCode, viaChannel.stderr.slice(-3000)).toBe(0);
    const used = commands(viaChannel.stderr);
    expect(used).toContain('-mapscope-channel');
    expect(used).toContain('-mapscope-read-to');
    expect(used).not.toContain('-mapscope-read');
    expect(viaChannel.stderr).not.toMatch(/hex="/);
    expectMatchesTruth(JSON.parse(viaChannel.stdout) as InspectJson, crashed.truth, 'core');

    const viaHex = await inspect({ MAPSCOPE_CHANNEL: 'off' });
    expect(viaHex.exitCode, viaHex.stderr.slice(-3000)).toBe(0);
    const hexUsed = commands(viaHex.stderr);
    expect(hexUsed).toContain('-mapscope-read');
    expect(hexUsed).not.toContain('-mapscope-channel');
    expect(hexUsed).not.toContain('-mapscope-read-to');
    expect(viaHex.stderr).toMatch(/hex="/);
    expect(viaHex.stdout).toBe(viaChannel.stdout);
  });

  describe('in one gdb session on the core', () => {
    let session: GdbSession;
    let target: GdbTarget;
    let channel: MemoryChannel;
    let ranges: MemRange[];

    beforeAll(async () => {
      session = await GdbSession.open({ kind: 'core', core: crashed.core, exe });
      target = await GdbTarget.create(session);
      const c = await openChannel(session.mi);
      if (!c) throw new Error('the memory channel did not open');
      channel = c;
      // What the core holds: its PT_LOAD segments with bytes in the file. The biggest read whole
      // (up to 48 MiB: one channel command, where hex takes 4 MiB a piece), pieces of the others.
      const elf = await ElfFile.open(crashed.core);
      const loads = (await elf.programHeaders()).filter((p) => p.type === PT_LOAD && p.filesz > 0n);
      await elf.close();
      const biggest = loads.reduce((a, p) => (p.filesz > a.filesz ? p : a));
      const headers = await Promise.all(crashed.truth.maps.filter((m) => !m.nil).map((m) => target.evalMap(m.expr)));
      ranges = [
        { address: biggest.vaddr, length: Number(biggest.filesz < 48n << 20n ? biggest.filesz : 48n << 20n) },
        ...loads.filter((p) => p.filesz > 8192n).map((p) => ({ address: p.vaddr + 8n, length: 4096 })),
        ...headers.map((h) => ({ address: h.header, length: 48 })),
        // Unmapped in every process: the first page, and the first address past user space.
        { address: 0x10n, length: 16 },
        { address: 0x800000000000n, length: 4096 },
        { address: biggest.vaddr, length: 0 },
      ];
    });
    afterAll(async () => {
      await session?.close();
    });

    it('the channel reads what hex reads, byte for byte; the unmapped ranges fail in both', async () => {
      const viaChannel = await channel.read(ranges);
      const viaHex: typeof viaChannel = [];
      // Hex answers are kept to a few MB each, as GdbTarget keeps them.
      for (const r of ranges) {
        const pieces = [];
        for (let off = 0; off === 0 || off < r.length; off += 4 << 20) {
          pieces.push({ address: r.address + BigInt(off), length: Math.min(4 << 20, r.length - off) });
        }
        const got = await bridgeRead(session.mi, pieces);
        const bad = got.find((b) => !b.ok);
        viaHex.push(bad ?? { ok: true, bytes: Buffer.concat(got.map((b) => (b.ok ? b.bytes : new Uint8Array(0)))) });
      }
      expect(viaChannel.length).toBe(ranges.length);
      expect(viaChannel.at(-3)?.ok).toBe(false);
      expect(viaChannel.at(-2)?.ok).toBe(false);
      expect(viaChannel[0].ok).toBe(true);
      viaChannel.forEach((b, i) => {
        const h = viaHex[i];
        expect(b.ok, `range ${i}`).toBe(h.ok);
        if (b.ok && h.ok) expect(Buffer.compare(Buffer.from(b.bytes), Buffer.from(h.bytes)), `range ${i}`).toBe(0);
        if (!b.ok && !h.ok) expect(b.error).toBe(h.error);
      });
    });

    it('a channel that breaks mid-session gives way to hex, with the same bytes', async () => {
      const before = await target.readMany(ranges);
      expect(channel.open).toBe(true);
      // The bridge forgets its channel file, as if it had lost it: the next read-to is refused.
      await session.mi.send(`-interpreter-exec console ${JSON.stringify('python import mapscope_bridge; mapscope_bridge._channel = None')}`);
      const after = await target.readMany(ranges);
      expect(channel.open).toBe(false);
      expect(after.map((r) => r.ok)).toEqual(before.map((r) => r.ok));
      after.forEach((r, i) => {
        const b = before[i];
        if (r.ok && b.ok) expect(Buffer.compare(Buffer.from(r.bytes), Buffer.from(b.bytes)), `range ${i}`).toBe(0);
      });
    });
  });
});
