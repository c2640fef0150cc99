/**
 * gdb's light data directory (src/gdb/data-dir.ts) on a data directory of our own making: made
 * for an ELF gdb, whole, with gdb's auto-loaded packages cut to their __init__.py and everything
 * else linked; for that binary only (not a changed one, not a script); none without a cache.
 */
import { chmodSync, copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lightDataDir, makeLightDataDir, wantsLightDataDir } from '../../src/gdb/data-dir.js';
import { gdbLaunch } from '../../src/gdb/startup.js';

const work = mkdtempSync(join(tmpdir(), 'mapscope-datadir-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A gdb data directory as Debian's gdb 13 ships it, in miniature. */
function fakeDataDir(): string {
  const dir = join(work, 'share-gdb');
  const put = (path: string, text = `# ${path}\n`) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  put('python/gdb/__init__.py');
  put('python/gdb/types.py');
  put('python/gdb/unwinder.py');
  for (const pkg of ['command', 'function', 'printer']) {
    put(`python/gdb/${pkg}/__init__.py`);
    put(`python/gdb/${pkg}/${pkg}_module.py`);
  }
  put('syscalls/amd64-linux.xml');
  put('system-gdbinit/elinos.py');
  return dir;
}

/** Any small ELF executable. */
const ELF = realpathSync('/bin/true');

/** An ELF executable of our own (a copy), so that its time can be changed. */
function fakeGdb(name: string): string {
  const file = join(work, name);
  copyFileSync(ELF, file);
  chmodSync(file, 0o755);
  return file;
}

let saved: string | undefined;
let cache: string;
beforeEach(() => {
  saved = process.env.MAPSCOPE_CACHE;
  cache = mkdtempSync(join(work, 'cache-'));
  process.env.MAPSCOPE_CACHE = cache;
});
afterEach(() => {
  if (saved === undefined) delete process.env.MAPSCOPE_CACHE;
  else process.env.MAPSCOPE_CACHE = saved;
});

describe('light data directory', () => {
  const data = fakeDataDir();

  it('is made once for an ELF gdb: auto-loaded packages cut to __init__.py, all else linked', () => {
    const gdb = fakeGdb('gdb-a');
    expect(lightDataDir(gdb)).toBeUndefined();
    expect(wantsLightDataDir(gdb)).toBe(true);
    makeLightDataDir(gdb, data);
    const light = lightDataDir(gdb);
    expect(light).toBeDefined();
    if (light === undefined) return;
    expect(wantsLightDataDir(gdb)).toBe(false);
    expect(light.startsWith(join(cache, 'gdb-data'))).toBe(true);
    const py = join(light, 'python', 'gdb');
    for (const pkg of ['command', 'function', 'printer']) {
      expect(readdirSync(join(py, pkg))).toEqual(['__init__.py']);
      expect(readFileSync(join(py, pkg, '__init__.py'), 'utf8')).toBe(`# python/gdb/${pkg}/__init__.py\n`);
    }
    expect(readdirSync(py).sort()).toEqual(['__init__.py', 'command', 'function', 'printer', 'types.py', 'unwinder.py']);
    for (const linked of ['python/gdb/__init__.py', 'python/gdb/types.py', 'syscalls', 'system-gdbinit']) {
      expect(lstatSync(join(light, linked)).isSymbolicLink(), linked).toBe(true);
      expect(realpathSync(join(light, linked))).toBe(realpathSync(join(data, linked)));
    }
    // Nothing left half-made beside it.
    expect(readdirSync(join(cache, 'gdb-data'))).toHaveLength(1);
    expect(gdbLaunch(gdb).args[0]).toBe(`--data-directory=${light}`);
  });

  it('belongs to that binary: a changed gdb (an upgrade) starts without it until its own is made', () => {
    const gdb = fakeGdb('gdb-b');
    makeLightDataDir(gdb, data);
    expect(lightDataDir(gdb)).toBeDefined();
    utimesSync(gdb, new Date(), new Date(Date.now() + 60_000));
    expect(lightDataDir(gdb)).toBeUndefined();
    expect(gdbLaunch(gdb).args[0]).toBe('-nx');
    expect(wantsLightDataDir(gdb)).toBe(true);
  });

  it('is made again when the data directory it links to went away', () => {
    const gdb = fakeGdb('gdb-d');
    const moved = join(work, 'share-gdb-moved');
    cpSync(data, moved, { recursive: true });
    makeLightDataDir(gdb, moved);
    expect(lightDataDir(gdb)).toBeDefined();
    rmSync(moved, { recursive: true, force: true });
    expect(lightDataDir(gdb)).toBeUndefined();
    expect(wantsLightDataDir(gdb)).toBe(true);
    makeLightDataDir(gdb, data);
    const light = lightDataDir(gdb);
    expect(light).toBeDefined();
    expect(realpathSync(join(light ?? '?', 'python', 'gdb', 'types.py'))).toBe(realpathSync(join(data, 'python', 'gdb', 'types.py')));
  });

  it('is never made for a wrapper script, which may run another gdb each time', () => {
    const script = join(work, 'gdb-wrapper.sh');
    writeFileSync(script, '#!/bin/sh\nexec gdb "$@"\n', { mode: 0o755 });
    expect(wantsLightDataDir(script)).toBe(false);
    makeLightDataDir(script, data);
    expect(lightDataDir(script)).toBeUndefined();
    expect(existsSync(join(cache, 'gdb-data'))).toBe(false);
  });

  it('is not made from a directory that is not a gdb data directory, nor without a cache', () => {
    const gdb = fakeGdb('gdb-c');
    makeLightDataDir(gdb, join(work, 'nowhere'));
    makeLightDataDir(gdb, 'relative/share/gdb');
    expect(lightDataDir(gdb)).toBeUndefined();
    process.env.MAPSCOPE_CACHE = 'off';
    expect(wantsLightDataDir(gdb)).toBe(false);
    makeLightDataDir(gdb, data);
    expect(lightDataDir(gdb)).toBeUndefined();
    expect(gdbLaunch(gdb)).toEqual({ args: expect.arrayContaining(['-nx']) as unknown, env: { LC_ALL: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' } });
  });

  it('is found through $PATH as a shell finds gdb', () => {
    const bin = join(work, 'bin');
    mkdirSync(bin, { recursive: true });
    copyFileSync(ELF, join(bin, 'mygdb'));
    chmodSync(join(bin, 'mygdb'), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path ?? ''}`;
    try {
      makeLightDataDir('mygdb', data);
      expect(lightDataDir('mygdb')).toBe(lightDataDir(join(bin, 'mygdb')));
      expect(lightDataDir('mygdb')).toBeDefined();
    } finally {
      process.env.PATH = path;
    }
  });
});
