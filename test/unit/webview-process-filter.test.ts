/**
 * The attach picker's filter: Go ELF detection (extension/src/go-elf.ts) on real Go binaries of
 * several toolchains and architectures, on non-Go ELF files and on things that are not ELF at
 * all; and the /proc scan (extension/src/process-list.ts) on a running Go program next to a
 * running non-Go one.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goElfVerdict, type ReadAt } from '../../extension/src/go-elf.js';
import { isGoExecutable, listGoProcesses } from '../../extension/src/process-list.js';
import { programPath } from '../integration/paths.js';

/** Reads from a byte array, counting what was read. */
function bytesReader(b: Uint8Array, log: { bytes: number }): ReadAt {
  return async (offset, length) => {
    const out = b.subarray(Math.min(offset, b.length), Math.min(offset + length, b.length));
    log.bytes += out.length;
    return out;
  };
}

async function fileVerdict(path: string) {
  const fh = await open(path, 'r');
  try {
    return await goElfVerdict(async (offset, length) => {
      const buf = new Uint8Array(length);
      const { bytesRead } = await fh.read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead);
    });
  } finally {
    await fh.close();
  }
}

const GO_BINARIES = [
  programPath('go1.26'),
  programPath('go1.26', 'mapsuite-nodwarf'),
  programPath('go1.26', 'layoutprobe-386'),
  programPath('go1.26', 'layoutprobe-arm64'),
  programPath('go1.19'),
  programPath('go1.23'),
].filter(existsSync);

describe('Go ELF detection', () => {
  it('real Go binaries: 64- and 32-bit, amd64, 386 and arm64, with and without DWARF', async () => {
    expect(GO_BINARIES.length, 'test/.build has Go binaries (the global setup builds them)').toBeGreaterThan(0);
    for (const exe of GO_BINARIES) expect(await fileVerdict(exe), exe).toEqual({ go: true, by: '.go.buildinfo' });
  });

  it('reads only headers, not the binary', async () => {
    const exe = GO_BINARIES[0];
    const b = new Uint8Array(readFileSync(exe));
    const log = { bytes: 0 };
    expect((await goElfVerdict(bytesReader(b, log))).go).toBe(true);
    expect(log.bytes).toBeLessThan(16 * 1024);
    expect(b.length).toBeGreaterThan(1024 * 1024);
  });

  it('without section names (section headers gone): the Go build ID note in the PT_NOTE segment', async () => {
    const b = new Uint8Array(readFileSync(GO_BINARIES[0]));
    // e_shoff = 0 on ELF64: as if stripped of section headers (sstrip).
    new DataView(b.buffer, b.byteOffset).setBigUint64(0x28, 0n, true);
    expect(await goElfVerdict(bytesReader(b, { bytes: 0 }))).toEqual({ go: true, by: 'Go build ID note' });
  });

  it('not Go: /bin/sh and other C programs, text, empty and truncated files', async () => {
    for (const exe of ['/bin/sh', '/bin/ls', process.execPath].filter(existsSync)) {
      expect(await fileVerdict(exe), exe).toEqual({ go: false, why: 'an ELF file without Go build information' });
    }
    const text = new TextEncoder().encode('#!/bin/sh\necho go.buildinfo\n');
    expect(await goElfVerdict(bytesReader(text, { bytes: 0 }))).toEqual({ go: false, why: 'not an ELF file' });
    expect(await goElfVerdict(bytesReader(new Uint8Array(0), { bytes: 0 }))).toEqual({ go: false, why: 'not an ELF file' });
    const head = new Uint8Array(readFileSync(GO_BINARIES[0]).subarray(0, 40));
    expect(await goElfVerdict(bytesReader(head, { bytes: 0 }))).toEqual({ go: false, why: 'truncated ELF header' });
    // Cut before the build ID note (at 0xf78 in Go's amd64 layout): header tables pointing past
    // the end of the file are not trusted, and nothing says Go.
    const cut = new Uint8Array(readFileSync(GO_BINARIES[0]).subarray(0, 0xf00));
    expect(await goElfVerdict(bytesReader(cut, { bytes: 0 }))).toEqual({ go: false, why: 'an ELF file without Go build information' });
    // Up to the note, it is found without the section table.
    const withNote = new Uint8Array(readFileSync(GO_BINARIES[0]).subarray(0, 0x1000));
    expect(await goElfVerdict(bytesReader(withNote, { bytes: 0 }))).toEqual({ go: true, by: 'Go build ID note' });
  });

  it('isGoExecutable opens paths, and says no to what it cannot read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapscope-elf-'));
    try {
      writeFileSync(join(dir, 'x'), 'not a program');
      expect(await isGoExecutable(GO_BINARIES[0])).toBe(true);
      expect(await isGoExecutable('/bin/sh')).toBe(false);
      expect(await isGoExecutable(join(dir, 'x'))).toBe(false);
      expect(await isGoExecutable(join(dir, 'missing'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('listing Go processes from /proc', () => {
  it('lists a running Go program with its pid and command line, and not a shell beside it', async () => {
    const exe = GO_BINARIES[0];
    const dir = mkdtempSync(join(tmpdir(), 'mapscope-ps-'));
    const go = spawn(exe, ['-truth', join(dir, 'truth.json'), '-mode', 'live'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
    const sh = spawn('/bin/sh', ['-c', 'sleep 30'], { stdio: 'ignore' });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        go.stdout?.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('READY')) resolve();
        });
        go.once('exit', (code) => reject(new Error(`${exe} exited early (${code})`)));
      });
      const list = await listGoProcesses();
      const mine = list.find((p) => p.pid === go.pid);
      expect(mine).toEqual({ pid: go.pid, name: 'mapsuite', exe, cmdline: `${exe} -truth ${join(dir, 'truth.json')} -mode live` });
      expect(list.some((p) => p.pid === sh.pid)).toBe(false);
      expect(list.some((p) => p.pid === process.pid)).toBe(false);
      // Sorted by name, then pid.
      const sorted = [...list].sort((a, b) => a.name.localeCompare(b.name) || a.pid - b.pid);
      expect(list).toEqual(sorted);
    } finally {
      go.kill('SIGKILL');
      sh.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
