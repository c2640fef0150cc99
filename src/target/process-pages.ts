/**
 * Where a live process's writable memory is, page by page: its read-write mappings
 * (/proc/PID/maps) and, within them, the pages it has touched (/proc/PID/pagemap's present and
 * swapped bits). A walk over every object reachable from a program's globals (`top`) reads them
 * level by level, each level's CPU work with the target stopped; copying these pages in a few
 * bulk reads instead lets the target run again at once, and the walk then reads the copy.
 *
 * Reading both files needs the same permission as attaching. Untouched pages of a mapping (a Go
 * heap arena is reserved 64 MiB at a time) are left out: they read as zeros and would be copied
 * for nothing. Where pagemap cannot be read, the whole mapping is taken.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import type { MemRange } from './target.js';

const PAGE = 4096;
/** pagemap entry bits 63 (in RAM) and 62 (in swap), in an entry's last byte (little-endian, as the kernel writes them on every host this runs on). */
const TOUCHED = 0xc0;
/** Mappings the kernel provides that are not the program's data. */
const SPECIAL = new Set(['[vvar]', '[vsyscall]', '[vdso]', '[vvar_vclock]']);

export interface WritablePages {
  /**
   * The writable mappings, those that touch merged into one region: a range read later may cross
   * from one mapping into the next (a Go heap spans several).
   */
  readonly regions: MemRange[];
  /**
   * Runs of pages to copy: touched ones, and every page of a file's writable mapping (the
   * binary's data). The rest of a region is anonymous pages never touched, which read as zeros
   * (a fresh allocation the runtime relies on the kernel to have zeroed, a map's never-written
   * buckets among them).
   */
  readonly runs: MemRange[];
  readonly bytes: number;
}

/**
 * The runs of touched pages of a process's read-write mappings; undefined if /proc will not say,
 * 'late' if finding them ran past `until` (performance.now()).
 */
export function writablePages(pid: number, maxBytes: number, until = Infinity): WritablePages | undefined | 'late' {
  let maps: string;
  try {
    maps = readFileSync(`/proc/${pid}/maps`, 'utf8');
  } catch {
    return undefined;
  }
  let fd: number | undefined;
  try {
    fd = openSync(`/proc/${pid}/pagemap`, 'r');
  } catch {
    fd = undefined;
  }
  try {
    const runs: MemRange[] = [];
    const regions: MemRange[] = [];
    let bytes = 0;
    for (const line of maps.split('\n')) {
      const m = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ (\S+)\s*(.*)$/.exec(line);
      if (!m || m[3][0] !== 'r' || m[3][1] !== 'w' || SPECIAL.has(m[5].trim())) continue;
      const start = parseInt(m[1], 16);
      const end = parseInt(m[2], 16);
      if (!Number.isSafeInteger(end) || end <= start) continue;
      // A file's pages never touched hold the file's bytes, not zeros: taken whole.
      const anonymous = m[4] === '0';
      if (performance.now() > until) return 'late';
      const parts = fd === undefined || !anonymous ? [{ address: BigInt(start), length: end - start }] : touched(fd, start, end);
      for (const r of parts) {
        bytes += r.length;
        if (bytes > maxBytes) return { regions, runs, bytes };
        runs.push(r);
      }
      const last = regions[regions.length - 1];
      if (last && last.address + BigInt(last.length) === BigInt(start)) regions[regions.length - 1] = { address: last.address, length: last.length + end - start };
      else regions.push({ address: BigInt(start), length: end - start });
    }
    return { regions, runs, bytes };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Runs of pages of [start, end) present in RAM or in swap. */
function touched(fd: number, start: number, end: number): MemRange[] {
  const out: MemRange[] = [];
  const pages = (end - start) / PAGE;
  // 8 bytes an entry; a 64 MiB arena's are 128 KiB, read a piece at a time.
  const CHUNK = 1 << 15;
  const buf = Buffer.allocUnsafe(CHUNK * 8);
  let runFrom = -1;
  for (let p0 = 0; p0 < pages; p0 += CHUNK) {
    const n = Math.min(CHUNK, pages - p0);
    let got = 0;
    try {
      got = readSync(fd, buf, 0, n * 8, ((start / PAGE + p0) * 8));
    } catch {
      // Not readable: the whole rest of the mapping is taken.
      if (runFrom < 0) runFrom = p0;
      break;
    }
    for (let i = 0; i < n; i++) {
      const on = i * 8 < got ? (buf[i * 8 + 7] & TOUCHED) !== 0 : true;
      if (on && runFrom < 0) runFrom = p0 + i;
      else if (!on && runFrom >= 0) {
        out.push({ address: BigInt(start + runFrom * PAGE), length: (p0 + i - runFrom) * PAGE });
        runFrom = -1;
      }
    }
  }
  if (runFrom >= 0) out.push({ address: BigInt(start + runFrom * PAGE), length: (pages - runFrom) * PAGE });
  return out;
}
