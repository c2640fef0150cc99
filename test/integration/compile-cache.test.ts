/**
 * The command's code cache (src/cli/compile-cache.ts): written after a first run, used after,
 * never used for a bundle that changed (V8 itself checks only the source's length), and
 * rewritten when V8 refuses a damaged one.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './paths.js';

const work = mkdtempSync(join(tmpdir(), 'mapscope-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of the built command (main.js and run.cjs): enough for --version. */
function install(name: string): string {
  const dir = join(work, name, 'dist', 'cli');
  mkdirSync(dir, { recursive: true });
  for (const f of ['main.js', 'run.cjs']) copyFileSync(join(ROOT, 'dist', 'cli', f), join(dir, f));
  return join(dir, 'main.js');
}

async function version(main: string, cache: string): Promise<{ out: string; phase: string }> {
  const r = await execa('node', [main, '--version'], { env: { MAPSCOPE_CACHE: cache, MAPSCOPE_TRACE: 'phases' } });
  const phase = /phase\] (code cache[^\n]*)/.exec(r.stderr)?.[1] ?? '';
  return { out: r.stdout.trim().split('\n')[0], phase };
}

const cacheFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.v8cache'));

describe('code cache', () => {
  it('is written by a first run and used by the next; off when asked', async () => {
    const main = install('a');
    const cache = join(work, 'cache-a');
    expect(await version(main, cache)).toEqual({ out: 'mapscope 0.1.0', phase: 'code cache written at exit' });
    expect(cacheFiles(cache)).toHaveLength(1);
    expect(await version(main, cache)).toEqual({ out: 'mapscope 0.1.0', phase: 'code cache used' });
    expect(await version(main, 'off')).toEqual({ out: 'mapscope 0.1.0', phase: 'code cache off' });
  });

  it('is one per command: what --version compiled does not stand in for another command', async () => {
    const main = install('e');
    const cache = join(work, 'cache-e');
    await version(main, cache);
    const help = () => execa('node', [main, 'help', 'inspect'], { env: { MAPSCOPE_CACHE: cache, MAPSCOPE_TRACE: 'phases' } });
    expect((await help()).stderr).toContain('code cache written at exit');
    expect(cacheFiles(cache)).toHaveLength(2);
    expect((await help()).stderr).toContain('code cache used');
  });

  it('is not used for a changed bundle of the same length, which then runs its own code', async () => {
    const main = install('b');
    const cache = join(work, 'cache-b');
    await version(main, cache);
    const run = join(work, 'b', 'dist', 'cli', 'run.cjs');
    const source = readFileSync(run, 'utf8');
    expect(source).toContain('"mapscope 0.1.0\\n"');
    writeFileSync(run, source.replace('"mapscope 0.1.0\\n"', '"mapscope 9.9.9\\n"'));
    expect(await version(main, cache)).toEqual({ out: 'mapscope 9.9.9', phase: 'code cache written at exit' });
    // The old build's cache is dropped when the new one is written.
    expect(cacheFiles(cache)).toHaveLength(1);
    expect(await version(main, cache)).toEqual({ out: 'mapscope 9.9.9', phase: 'code cache used' });
  });

  it('a damaged cache is never given to V8 (which would crash on it), and is rewritten', async () => {
    const main = install('c');
    const cache = join(work, 'cache-c');
    await version(main, cache);
    const [file] = cacheFiles(cache);
    const bytes = readFileSync(join(cache, file));
    for (let i = 64; i < bytes.length; i += 97) bytes[i] ^= 0x5a;
    writeFileSync(join(cache, file), bytes);
    expect(await version(main, cache)).toEqual({ out: 'mapscope 0.1.0', phase: 'code cache damaged, rewritten at exit' });
    expect(await version(main, cache)).toEqual({ out: 'mapscope 0.1.0', phase: 'code cache used' });
  });

  it('an unwritable cache directory costs nothing but the time', async () => {
    const main = install('d');
    const file = join(work, 'not-a-dir');
    writeFileSync(file, '');
    expect(await version(main, join(file, 'cache'))).toEqual({ out: 'mapscope 0.1.0', phase: 'code cache written at exit' });
  });
});
