// Measuring one command as the benchmark does: wall time from spawn, peak RSS, stdout to a file,
// mapscope's phase stamps and node's and gdb's own peaks; the bigmaps program started live or
// crashed for a core; reading big outputs line by line. Shared by run.mjs (bigmaps, peers) and
// services.mjs (the maps real services hold).
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The per-command cap in seconds (run.mjs sets it from --timeout; over it a run is killed,
 * "timeout"), and the checkout whose dist/cli/main.js is measured: this one, or --mapscope DIR.
 */
export const limits = { timeoutS: 300, mapscopeRoot: join(dirname(fileURLToPath(import.meta.url)), '..') };
export const mapscopeMain = () => join(limits.mapscopeRoot, 'dist/cli/main.js');

/**
 * Runs `once` `times` times in a row and gives the median run (by `seconds`, the key given),
 * with every run's seconds as `runs`: this VM's speed swings from minute to minute, and one run
 * decided a target by the minute it fell in. Peers take a minute or more and run once.
 */
export async function median(times, once, seconds = (r) => r.seconds) {
  const all = [];
  for (let i = 0; i < times; i++) all.push(await once());
  const sorted = [...all].sort((a, b) => seconds(a) - seconds(b));
  return { ...sorted[(sorted.length - 1) >> 1], runs: all.map(seconds) };
}

// ---- running one command: wall time, peak RSS, stdout to a file ----

/**
 * Runs cmd under /usr/bin/time (for peak RSS: the largest of the command and its waited-for
 * descendants, e.g. node or the gdb it spawns, not their sum) with stdout to outFile.
 * Wall time is from spawn to exit, so it includes process start-up: "from command start".
 *
 * stdout goes straight to the file (the harness holds none of it: --json at 10^7 is more than a
 * JavaScript string can hold), unless `pipe` asks for the time to the first byte on stdout.
 * stderr is piped: its tail is kept, and mapscope's phase stamps (MAPSCOPE_TRACE=phases:
 * "[   625 phase] target open", ms since node started) are collected line by line.
 */
export async function measure(label, cmd, args, { outFile, cwd, env, pipe = false } = {}) {
  const rssFile = `${outFile}.rss`;
  rmSync(rssFile, { force: true });
  const outFd = pipe ? undefined : openSync(outFile, 'w');
  const spawnEpoch = performance.timeOrigin + performance.now();
  const t0 = process.hrtime.bigint();
  // A new process group, so a timeout can kill gdb/dlv too, not just /usr/bin/time.
  const child = spawn('/usr/bin/time', ['-f', '%M', '-o', rssFile, cmd, ...args], {
    cwd,
    env: env ? { ...process.env, ...env } : process.env,
    detached: true,
    stdio: ['ignore', pipe ? 'pipe' : outFd, 'pipe'],
  });
  if (outFd !== undefined) closeSync(outFd);
  const chunks = [];
  let firstOutput;
  child.stdout?.on('data', (d) => {
    firstOutput ??= Number(process.hrtime.bigint() - t0) / 1e9;
    chunks.push(d);
  });
  let stderr = '';
  let partial = '';
  const phases = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-20000);
    const lines = (partial + d).split('\n');
    partial = lines.pop();
    for (const l of lines) {
      const m = /^\[\s*(\d+) phase\] (.*)$/.exec(l);
      // The stamp's own CPU time ("(cpu 812 ms)") is not part of the phase's name.
      if (m) phases.push({ ms: Number(m[1]), what: m[2].replace(/ \(cpu \d+ ms\)$/, ''), cpuMs: Number(/\(cpu (\d+) ms\)$/.exec(m[2])?.[1] ?? NaN) });
    }
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  }, limits.timeoutS * 1000);
  const code = await new Promise((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (pipe) writeFileSync(outFile, Buffer.concat(chunks));
  process.stderr.write(`  ${label.padEnd(40)} ${timedOut ? `> ${limits.timeoutS} s` : `${seconds.toFixed(2)} s`}  exit ${code}\n`);
  return { seconds, firstOutput, rssMiB: maxKiB(rssFile) / 1024, code, timedOut, stderr, phases, spawnEpoch, outFile };
}

/** gdb's own peak RSS (KiB), from the stamp mapscope writes before it ends gdb; NaN if there is none. */
function gdbPeakKiB(phases) {
  const ks = phases.map((p) => /^gdb peak (\d+) KiB$/.exec(p.what)).filter((m) => m !== null).map((m) => Number(m[1]));
  return ks.length ? Math.max(...ks) : NaN;
}

/** The largest number on a line of its own in a /usr/bin/time -f %M file (KiB), NaN if none. */
function maxKiB(file) {
  if (!existsSync(file)) return NaN;
  const ks = readFileSync(file, 'utf8').split('\n').filter((l) => /^\d+$/.test(l.trim())).map(Number);
  return ks.length ? Math.max(...ks) : NaN;
}

// ---- mapscope under measurement: phases, node's and gdb's peak RSS apart ----

let probe; // { preload }

/**
 * A helper in bench/.cache/bin: node-rss.mjs, preloaded with node --import, writes node's own
 * peak RSS (getrusage RUSAGE_SELF, so not its children's) and its performance.timeOrigin to
 * $BENCH_NODE_RSS when node exits, to put the phase stamps (ms since node started) on the
 * harness's clock (ms since spawn).
 */
export function writeProbes(cache) {
  const bin = join(cache, 'bin');
  mkdirSync(bin, { recursive: true });
  const put = (name, text, mode) => {
    const path = join(bin, name);
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) {
      // Other worktrees share bench/.cache: write beside it and rename, never half a file.
      const tmp = `${path}.${process.pid}`;
      writeFileSync(tmp, text, { mode });
      renameSync(tmp, path);
    }
    return path;
  };
  const preload = put(
    'node-rss.mjs',
    `// Written by bench/run.mjs: node's own peak RSS (KiB) and time origin to $BENCH_NODE_RSS at exit.
import { writeFileSync } from 'node:fs';
const file = process.env.BENCH_NODE_RSS;
if (file) process.on('exit', () => { try { writeFileSync(file, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, timeOrigin: performance.timeOrigin })); } catch {} });
`,
    0o644,
  );
  probe = { preload: pathToFileURL(preload).href };
}

/**
 * Runs `mapscope ARGS` measured. Besides what measure() gives: nodeRssMiB, gdbRssMiB, the phase
 * stamps in ms since spawn (phaseMs: { open, 'gdb started', 'symbols loaded', 'target open',
 * decoded, read, written }), and from them startupMs (spawn → target open), decodeMs (target open
 * → decoded EXPR, or → read for --stats/--jsonl, which read and decode as they go) and outputMs
 * (decoded → written, or read → written).
 */
export async function mapscope(label, args, outFile, { pipe = false } = {}) {
  const nodeFile = `${outFile}.node`;
  rmSync(nodeFile, { force: true });
  // The command as a user runs it: the bin itself, through its shebang.
  const r = await measure(label, mapscopeMain(), args, {
    outFile,
    pipe,
    env: { MAPSCOPE_TRACE: 'phases', BENCH_NODE_RSS: nodeFile, NODE_OPTIONS: `--import=${probe.preload}` },
  });
  let node;
  try {
    node = JSON.parse(readFileSync(nodeFile, 'utf8'));
  } catch {}
  // Node's clock starts when node does, a few ms after the spawn; without the probe's
  // timeOrigin (node killed), the stamps are taken as they are.
  const nodeStartMs = node ? node.timeOrigin - r.spawnEpoch : undefined;
  const phaseMs = {};
  for (const p of r.phases) {
    if (p.what.startsWith('gdb peak ')) continue;
    const what = p.what.startsWith('decoded ') ? 'decoded' : p.what;
    phaseMs[what] ??= Math.round((p.ms + (nodeStartMs ?? 0)) * 10) / 10;
  }
  const P = phaseMs;
  const decodedAt = P.decoded ?? P.read;
  const d = (a, b) => (a !== undefined && b !== undefined ? b - a : undefined);
  return {
    ...r,
    nodeRssMiB: node ? node.maxRssKiB / 1024 : NaN,
    gdbRssMiB: gdbPeakKiB(r.phases) / 1024,
    nodeStartMs,
    phaseMs,
    startupMs: P['target open'],
    decodeMs: d(P['target open'], decodedAt),
    outputMs: d(decodedAt, P.written),
  };
}

/** What a row keeps of a mapscope measurement. */
export const msFields = (r) => ({
  nodeRssMiB: r.nodeRssMiB,
  gdbRssMiB: r.gdbRssMiB,
  nodeStartMs: r.nodeStartMs,
  phaseMs: r.phaseMs,
  startupMs: r.startupMs,
  decodeMs: r.decodeMs,
  outputMs: r.outputMs,
});

// ---- the bigmaps program: live processes and cores ----

export function startProgram(bin, kind, n) {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, ['-kind', kind, '-n', String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
    p.on('error', reject);
    p.on('exit', (c) => reject(new Error(`bigmaps exited (${c}) before READY`)));
    p.stdout.on('data', (d) => String(d).includes('READY') && resolve(p));
  });
}

export function stopProgram(p) {
  p.removeAllListeners('exit');
  p.kill('SIGKILL');
}

/**
 * A kernel core of bigmaps: it builds the map, prints READY and crashes (GOTRACEBACK=crash
 * turns the panic into SIGABRT). With core_pattern "core" the core lands in its cwd. If the
 * kernel pipes cores elsewhere (core_pattern "|..."), fall back to gdb's gcore of a live one.
 */
export async function makeCore(bin, kind, n, dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = Date.now();
  await new Promise((resolve) => {
    const p = spawn('bash', ['-c', 'ulimit -c unlimited; exec "$0" "$@"', bin, '-kind', kind, '-n', String(n), '-crash'], {
      cwd: dir,
      env: { ...process.env, GOTRACEBACK: 'crash' },
      stdio: 'ignore',
    });
    p.on('close', resolve);
  });
  let core = readdirSync(dir).find((f) => f === 'core' || f.startsWith('core.'));
  if (core) core = join(dir, core);
  else {
    core = join(dir, 'core.gcore');
    const p = await startProgram(bin, kind, n);
    execFileSync('gdb', ['-nx', '-batch', '-p', String(p.pid), '-ex', `gcore ${core}`], { stdio: 'ignore' });
    stopProgram(p);
  }
  process.stderr.write(`  core: ${(statSync(core).size / 2 ** 20).toFixed(0)} MiB in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  return core;
}

// ---- reading what a tool printed (a peer may stop early at a limit or an error) ----

/** Calls onLine for each line of a file, reading it in pieces (outputs reach gigabytes at 10^7). */
export function eachLine(file, onLine) {
  if (!existsSync(file)) return;
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(8 << 20);
  const dec = new StringDecoder('utf8');
  let rest = '';
  try {
    for (;;) {
      const got = readSync(fd, buf, 0, buf.length, null);
      if (!got) break;
      const lines = (rest + dec.write(buf.subarray(0, got))).split('\n');
      rest = lines.pop();
      for (const l of lines) onLine(l);
    }
    rest += dec.end();
    if (rest) onLine(rest);
  } finally {
    closeSync(fd);
  }
}

/** Entries in mapscope's --json output: the lines of maps[0].entries (one entry per line). */
export function countJsonEntries(file) {
  let state = 0; // 0 before the first "entries", 1 inside it, 2 after
  let seen = 0;
  eachLine(file, (l) => {
    if (state === 0) {
      if (/^ {6}"entries": \[\],?$/.test(l)) state = 2;
      else if (/^ {6}"entries": \[$/.test(l)) state = 1;
    } else if (state === 1) {
      if (/^ {6}\],?$/.test(l)) state = 2;
      else if (/^\s*\{/.test(l)) seen++;
    }
  });
  return seen;
}
