/**
 * Binaries and cores come from untrusted machines, and gdb runs what they ask for when
 * auto-load is on: an inline Python script in `.debug_gdb_scripts`, a `BINARY-gdb.py` beside
 * the binary, a `.gdbinit` in the working directory or $HOME. Each of them here would create a
 * marker file; after `inspect`, live and on a core, no marker exists. A plain gdb with
 * auto-load allowed runs the same binary's script, which proves the trap is armed.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, programPath } from './paths.js';
import { kernelCore, processStatus, startProgram, tempDir } from './harness.js';
import { presentToolchains } from './toolchains.js';

const [machine] = presentToolchains();

/** `.debug_gdb_scripts` entry kind 4: SECTION_SCRIPT_ID_PYTHON_TEXT, a name line, the script, NUL. */
function inlineScript(marker: string): Buffer {
  return Buffer.concat([Buffer.from([4]), Buffer.from(`gdb.inlined-script\nopen(${JSON.stringify(marker)}, "w").write("ran")\n`), Buffer.from([0])]);
}

function pythonMarker(marker: string): string {
  return `open(${JSON.stringify(marker)}, "w").write("ran")\n`;
}

describe('scripts a binary, a core or a directory asks gdb to run', () => {
  let dir = '';
  let evil = '';
  let home = '';
  const markers: string[] = [];
  const marker = (name: string) => {
    const m = join(dir, `MARKER-${name}`);
    markers.push(m);
    return m;
  };

  beforeAll(async () => {
    dir = tempDir('untrusted');
    evil = join(dir, 'evil');
    copyFileSync(programPath(machine.id), evil);
    writeFileSync(join(dir, 'section.bin'), inlineScript(marker('section')));
    await execa('objcopy', ['--update-section', `.debug_gdb_scripts=${join(dir, 'section.bin')}`, evil]);
    writeFileSync(`${evil}-gdb.py`, pythonMarker(marker('objfile-gdb-py')));
    writeFileSync(join(dir, '.gdbinit'), `python ${pythonMarker(marker('cwd-gdbinit')).trim()}\n`);
    home = join(dir, 'home');
    mkdirSync(home);
    writeFileSync(join(home, '.gdbinit'), `python ${pythonMarker(marker('home-gdbinit')).trim()}\n`);
    mkdirSync(join(home, '.config', 'gdb'), { recursive: true });
    writeFileSync(join(home, '.config', 'gdb', 'gdbinit'), `python ${pythonMarker(marker('xdg-gdbinit')).trim()}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (args: string[]) =>
    execa('node', [CLI, ...args], { cwd: dir, env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config') }, reject: false, stdin: 'ignore' });

  it('the trap is armed: a plain gdb that allows auto-load runs the section script and BINARY-gdb.py', async () => {
    await execa('gdb', ['-nx', '-batch', '-iex', 'set auto-load safe-path /', evil], { cwd: dir, reject: false, stdin: 'ignore' });
    expect(markers.filter(existsSync).map((m) => m.slice(m.lastIndexOf('-') + 1))).toEqual(['section', 'py']);
    for (const m of markers) rmSync(m, { force: true });
  });

  it('inspect of a live process runs none of them', async () => {
    const prog = await startProgram(evil);
    try {
      const r = await run(['inspect', 'main.strInt', '--pid', String(prog.pid), '--json']);
      expect(r.exitCode).toBe(0);
      expect(JSON.parse(String(r.stdout)).maps[0].count).toBe(prog.truth.maps.find((m) => m.expr === 'main.strInt')?.count);
      expect(markers.filter(existsSync)).toEqual([]);
      expect(processStatus(prog.pid).tracerPid).toBe(0);
    } finally {
      await prog.stop();
    }
  });

  it('inspect of a core runs none of them', async () => {
    const crashed = await kernelCore(evil);
    try {
      const r = await run(['inspect', 'main.strInt', '--core', crashed.core, '--exe', evil, '--json']);
      expect(r.exitCode).toBe(0);
      expect(JSON.parse(String(r.stdout)).maps[0].count).toBe(crashed.truth.maps.find((m) => m.expr === 'main.strInt')?.count);
      expect(markers.filter(existsSync)).toEqual([]);
    } finally {
      rmSync(crashed.dir, { recursive: true, force: true });
    }
  });

  it('layout of the binary runs none of them', async () => {
    const r = await run(['layout', '--exe', evil]);
    expect(r.exitCode).toBe(0);
    expect(markers.filter(existsSync)).toEqual([]);
  });
});
