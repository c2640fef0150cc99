/**
 * Runs the command's bundle (run.cjs) with V8's code cache, as Node 22's module.enableCompileCache
 * does and Node 20 cannot: compiling the 640 KB bundle, and then each function the first time it
 * is called, took ~100 ms of every command's start on the machines we measured, about as long as
 * Node's own start-up. The cache is written after a command's first run, when it holds every
 * function that run compiled, into the user's cache directory, and used by its later runs.
 *
 * V8 checks a cache against its version and flags but not against the source's content, only
 * its length: the file is named by a hash of the source, the Node version and its flags, so a
 * rebuilt bundle never meets an old cache. Any failure to read or write it only costs the time.
 * The cache lives in mapscope's cache directory (gdb/cache-home.ts).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { cacheHome } from '../gdb/cache-home.js';
import { tracePhase } from '../gdb/trace-log.js';

const PREFIX = 'run-';
const SUFFIX = '.v8cache';

/** The build's part of cache names: the source, Node's version, architecture and flags. */
function buildKey(source: string): string {
  const h = createHash('sha256');
  h.update(process.version).update('\0').update(process.arch).update('\0').update(process.execArgv.join('\0')).update('\0').update(source);
  return h.digest('hex').slice(0, 32);
}

/**
 * One cache per command: each holds what its command's first run compiled, and `--version`
 * (which compiles next to nothing) must not stand in for `inspect`.
 */
function cacheName(build: string, command: string): string {
  return `${PREFIX}${build}-${/^[a-z]+$/.test(command) ? command : 'other'}${SUFFIX}`;
}

/**
 * The cache's bytes, if their digest (the file's first 32 bytes) holds: V8 takes a damaged cache
 * for good and crashes on it (SIGSEGV, Node 20), whatever damaged it. null when damaged.
 */
function readCache(file: string): Buffer | null | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const data = bytes.subarray(DIGEST);
  return bytes.length > DIGEST && digest(data).equals(bytes.subarray(0, DIGEST)) ? data : null;
}

const DIGEST = 32;

function digest(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Writes the cache whole or not at all (rename), and drops caches of other builds beside it. */
function writeCache(dir: string, build: string, name: string, data: Buffer): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = join(dir, `${name}.${process.pid}.tmp`);
    writeFileSync(tmp, Buffer.concat([digest(data), data]), { mode: 0o600 });
    renameSync(tmp, join(dir, name));
    for (const f of readdirSync(dir)) {
      if (f.startsWith(PREFIX) && f.endsWith(SUFFIX) && !f.startsWith(`${PREFIX}${build}-`)) rmSync(join(dir, f), { force: true });
    }
  } catch {
    // A read-only or full disk: the next run compiles again.
  }
}

/**
 * Runs the CommonJS bundle `file` as require() would, compiled from the cache `command`'s runs
 * share when there is one.
 */
export function runCached(file: string, command: string): void {
  const source = readFileSync(file, 'utf8');
  const dir = cacheHome();
  const build = dir === undefined ? undefined : buildKey(source);
  const name = build === undefined ? undefined : cacheName(build, command);
  const found = dir === undefined || name === undefined ? undefined : readCache(join(dir, name));
  // The same wrapper require() puts around a CommonJS module.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  const script = new Script(wrapped, { filename: file, cachedData: found ?? undefined });
  const used = found != null && script.cachedDataRejected !== true;
  if (dir !== undefined && build !== undefined && name !== undefined && !used) {
    // At exit, the cache holds every function this run compiled, not only the top level.
    process.once('exit', () => writeCache(dir, build, name, script.createCachedData()));
  }
  tracePhase(
    dir === undefined ? 'code cache off'
    : used ? 'code cache used'
    : found === undefined ? 'code cache written at exit'
    : `code cache ${found === null ? 'damaged' : 'rejected by V8'}, rewritten at exit`,
  );
  const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void;
  const module = { exports: {} };
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
}
