/**
 * Running Go programs, from /proc: each process's executable is opened through /proc/PID/exe
 * (which works even when the file was replaced or deleted since) and its ELF headers are checked
 * for Go build information. Processes this user may not read are left out: gdb could not attach
 * to them either. Verdicts are cached per executable file, so picking again is instant.
 */
import { open, readdir, readFile, readlink } from 'node:fs/promises';
import { goElfVerdict } from './go-elf.js';

export interface GoProcess {
  readonly pid: number;
  /** The executable's file name (or the kernel's comm). */
  readonly name: string;
  /** The executable's path; may end in " (deleted)" as the kernel says. */
  readonly exe: string;
  /** The command line, arguments joined by spaces. */
  readonly cmdline: string;
}

const verdicts = new Map<string, boolean>();

/** Whether the file behind an open path is a Go ELF program; false when it cannot be read. */
export async function isGoExecutable(path: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return false;
  }
  try {
    const st = await fh.stat();
    const key = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
    const known = verdicts.get(key);
    if (known !== undefined) return known;
    const handle = fh;
    const verdict = await goElfVerdict(async (offset, length) => {
      const buf = new Uint8Array(Math.max(0, Math.min(length, st.size - offset)));
      if (buf.length === 0) return buf;
      const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
      return buf.subarray(0, bytesRead);
    });
    verdicts.set(key, verdict.go);
    return verdict.go;
  } catch {
    return false;
  } finally {
    await fh.close();
  }
}

async function describe(procRoot: string, pid: number): Promise<GoProcess | undefined> {
  const dir = `${procRoot}/${pid}`;
  if (!(await isGoExecutable(`${dir}/exe`))) return undefined;
  const exe = await readlink(`${dir}/exe`).catch(() => '');
  const raw = await readFile(`${dir}/cmdline`, 'utf8').catch(() => '');
  const cmdline = raw.split('\0').filter(Boolean).join(' ');
  const comm = (await readFile(`${dir}/comm`, 'utf8').catch(() => '')).trim();
  const base = exe.replace(/ \(deleted\)$/, '').split('/').pop() ?? '';
  return { pid, name: base || comm || String(pid), exe, cmdline };
}

/** Go processes other than this one, by name then pid. */
export async function listGoProcesses(procRoot = '/proc', self = process.pid): Promise<GoProcess[]> {
  const pids = (await readdir(procRoot)).filter((n) => /^\d+$/.test(n)).map(Number).filter((p) => p !== self);
  const out: GoProcess[] = [];
  // A handful at a time: hundreds of processes, each a few small reads.
  const queue = [...pids];
  const worker = async () => {
    for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
      const p = await describe(procRoot, pid).catch(() => undefined);
      if (p) out.push(p);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.pid - b.pid);
}
