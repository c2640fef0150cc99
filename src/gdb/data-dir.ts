/**
 * A light data directory for gdb: its own (/usr/share/gdb) seen through symbolic links, except
 * the Python packages gdb imports whole at start-up (gdb/command, gdb/function, gdb/printer:
 * `explore`, frame-filter and pretty-printer commands, `$_streq` and the like), of which only
 * their __init__.py is left. mapscope uses none of them, and importing them was a third of gdb's
 * start-up (50 of 145 ms on our machine, before it reads a file); gdb has no switch for it.
 *
 * It is made after a first run has asked gdb where its data directory is, for that gdb binary
 * (its resolved path, size and time: another gdb, or this one upgraded, gets its own), and used
 * by later runs. Only for a gdb that is an ELF binary: a wrapper script may run another gdb each
 * time, whose data directory this one would not be.
 */
import { existsSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { delimiter, isAbsolute, join } from 'node:path';
import { elfMachineSync } from '../elf/machine.js';
import { cacheHome } from './cache-home.js';

/** The packages of gdb's Python directory that its gdb/__init__.py imports every module of. */
const AUTO_LOADED: ReadonlySet<string> = new Set(['command', 'function', 'printer']);

/** Where the light data directory of the gdb run as `gdbPath` lives, whether made or not; undefined if it cannot have one. */
function lightDirOf(gdbPath: string): string | undefined {
  const home = cacheHome();
  const file = home === undefined ? undefined : executable(gdbPath);
  if (home === undefined || file === undefined || elfMachineSync(file) === undefined) return undefined;
  const st = statSync(file);
  const key = createHash('sha256').update(`${file}\0${st.size}\0${st.mtimeMs}`).digest('hex').slice(0, 24);
  return join(home, 'gdb-data', key);
}

/** Where the light data directory of this gdb lives and whether it stands (made, and gdb's own still there). */
function lightDirState(gdbPath: string): { dir: string; stands: boolean } | undefined {
  try {
    const dir = lightDirOf(gdbPath);
    return dir === undefined ? undefined : { dir, stands: stands(dir) };
  } catch {
    return undefined;
  }
}

/** Through its links: a light directory whose gdb data directory went away does not stand. */
function stands(dir: string): boolean {
  return existsSync(join(dir, 'python', 'gdb', '__init__.py'));
}

/** The light data directory for the gdb run as `gdbPath`, if one was made and still stands. */
export function lightDataDir(gdbPath: string): string | undefined {
  const s = lightDirState(gdbPath);
  return s?.stands ? s.dir : undefined;
}

/** Whether a light data directory would be made for this gdb, and none stands. */
export function wantsLightDataDir(gdbPath: string): boolean {
  return lightDirState(gdbPath)?.stands === false;
}

/**
 * Makes the light data directory for the gdb run as `gdbPath`, whose own is `dataDir`. Whole or
 * not at all (made aside, then renamed); any failure only leaves later runs as slow as this one.
 */
export function makeLightDataDir(gdbPath: string, dataDir: string): void {
  let tmp: string | undefined;
  try {
    const dir = lightDirOf(gdbPath);
    const python = join(dataDir, 'python', 'gdb');
    if (dir === undefined || !isAbsolute(dataDir) || !existsSync(join(python, '__init__.py'))) return;
    tmp = `${dir}.${process.pid}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(join(tmp, 'python', 'gdb'), { recursive: true, mode: 0o700 });
    linkAllBut(dataDir, tmp, 'python');
    linkAllBut(join(dataDir, 'python'), join(tmp, 'python'), 'gdb');
    for (const name of readdirSync(python)) {
      if (!AUTO_LOADED.has(name)) symlinkSync(join(python, name), join(tmp, 'python', 'gdb', name));
      else if (existsSync(join(python, name, '__init__.py'))) {
        mkdirSync(join(tmp, 'python', 'gdb', name));
        symlinkSync(join(python, name, '__init__.py'), join(tmp, 'python', 'gdb', name, '__init__.py'));
      }
    }
    // Another mapscope may have made it meanwhile: theirs stands, this one goes. One that does
    // not stand (its gdb's data directory moved) is replaced.
    if (stands(dir)) return;
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    tmp = undefined;
  } catch {
    // A read-only or full cache directory.
  } finally {
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
  }
}

/** Links every entry of `from` into `to` but `except`. */
function linkAllBut(from: string, to: string, except: string): void {
  for (const name of readdirSync(from)) if (name !== except) symlinkSync(join(from, name), join(to, name));
}

/** The file `command` runs, as a shell would find it on $PATH, with its links resolved. */
function executable(command: string): string | undefined {
  const candidates = command.includes('/') ? [command] : (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '').map((d) => join(d, command));
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) return realpathSync(c);
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}
