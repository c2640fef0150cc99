#!/usr/bin/env node
// mapscope's benchmark harness: mapscope beside its peers on the same big maps, in the same run.
//
//   npm run bench                         the default run (10^4..10^6 all kinds, 10^7 int64 on a core;
//                                         about 30-50 min on a quiet 2-CPU machine)
//   npm run bench -- --quick              10^4 and 10^5 only, to check the harness (about 8 min)
//   npm run bench -- --sizes 1e4,1e6 --kinds int64 --impl swiss --mode core --peers floor
//
// Options (lists are comma-separated):
//   --sizes 1e4,1e5,...     map sizes (default 1e4,1e5,1e6,1e7; 1e7 runs int64 on a core only)
//   --quick                 --sizes 1e4,1e5
//   --kinds int64,string,ptr
//   --impl classic,swiss    classic = built with Go 1.19, swiss = built with Go 1.26
//   --mode live,core
//   --peers runtime-gdb,delve,floor
//   --max-runtime-gdb N     largest size runtime-gdb.py is run on (default 1e5 on cores, 1e4 live;
//                           it takes about a minute per 10^5 classic entries)
//   --max-delve N           largest size Delve is run on (default 1e6 on cores, 1e5 live)
//   --timeout S             per-command cap in seconds (default 300); over it is "> S s"
//   --repeat N              runs of each mapscope command and of the floor per case below 10^7
//                           (default 3); the row is the median run, every run in its notes
//   --no-gopls              skip the attach-to-first-output measurement on gopls (mapscope list
//                           and inspect, each run twice)
//   --out FILE              (default bench/RESULTS.md); raw rows go to bench/.cache/results.json,
//                           or with --out FILE beside it (FILE's .md replaced by .json)
//   --render-only           measure nothing: write --out again from the raw rows of the last run
//                           (after a change to how results are judged or shown)
//
// Each case runs `mapscope inspect --json`; on int64 cores also `--stats --json` and `--jsonl`;
// then the floor, runtime-gdb.py and Delve (up to their sizes). Every mapscope command runs with
// MAPSCOPE_TRACE=phases (start-up, decode and output times come from its phase stamps, and gdb's
// own peak RSS from the stamp mapscope writes before it ends gdb), node's peak RSS taken by
// bench/.cache/bin/node-rss.mjs, preloaded through NODE_OPTIONS.
// Everything built or installed (the bigmaps binaries, dlv, gopls, the node-rss.mjs probe) lives in
// bench/.cache, which worktrees share: each run works in its own bench/.cache/work/run-PID
// (outputs and cores, removed at the end). Cores are deleted after their case (they reach
// gigabytes at 10^7).
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBinaries, goTools } from './tools.mjs';
import { renderResults } from './report.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, 'bench/.cache');
const mapscopeMain = join(root, 'dist/cli/main.js');

// ---- options ----
const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  // The usage is this file's header comment.
  const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1);
  const header = lines.slice(0, lines.findIndex((l) => !l.startsWith('//')));
  process.stdout.write(header.map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
  process.exit(0);
}
const known = new Set(['sizes', 'quick', 'kinds', 'impl', 'mode', 'peers', 'max-runtime-gdb', 'max-delve', 'timeout', 'repeat', 'no-gopls', 'out', 'render-only']);
for (const a of argv) {
  if (a.startsWith('--') && !known.has(a.slice(2))) {
    process.stderr.write(`bench: unknown option ${a}; see npm run bench -- --help\n`);
    process.exit(2);
  }
}
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const flag = (name) => argv.includes(`--${name}`);
const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);
const num = (s) => Math.round(Number(s));

const quick = flag('quick');
const options = {
  sizes: list(opt('sizes', quick ? '1e4,1e5' : '1e4,1e5,1e6,1e7')).map(num),
  kinds: list(opt('kinds', 'int64,string,ptr')),
  impls: list(opt('impl', 'classic,swiss')),
  modes: list(opt('mode', 'live,core')),
  peers: list(opt('peers', 'runtime-gdb,delve,floor')),
  maxRuntimeGdbCore: num(opt('max-runtime-gdb', '1e5')),
  maxRuntimeGdbLive: num(opt('max-runtime-gdb', '1e4')),
  maxDelveCore: num(opt('max-delve', '1e6')),
  maxDelveLive: num(opt('max-delve', '1e5')),
  timeout: Number(opt('timeout', '300')),
  repeat: Math.max(1, Math.round(num(opt('repeat', '3')))),
  gopls: !flag('no-gopls'),
  out: opt('out', join(root, 'bench/RESULTS.md')),
};

const EXPR = { int64: 'main.m64', string: 'main.mstr', ptr: 'main.mptr' };
// 10^7 maps take most of the run's time and memory: only the int64 map on a core, where
// the 300 MB --stats target lives, and only mapscope and the floor.
const HUGE = 10_000_000;
const wanted = (size, kind, mode) => size < HUGE || (kind === 'int64' && mode === 'core');

/**
 * Runs `once` `times` times in a row and gives the median run (by `seconds`, the key given),
 * with every run's seconds as `runs`: this VM's speed swings from minute to minute, and one run
 * decided a target by the minute it fell in. Peers take a minute or more and run once.
 */
async function median(times, once, seconds = (r) => r.seconds) {
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
async function measure(label, cmd, args, { outFile, cwd, env, pipe = false } = {}) {
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
  }, options.timeout * 1000);
  const code = await new Promise((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (pipe) writeFileSync(outFile, Buffer.concat(chunks));
  process.stderr.write(`  ${label.padEnd(40)} ${timedOut ? `> ${options.timeout} s` : `${seconds.toFixed(2)} s`}  exit ${code}\n`);
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
function writeProbes() {
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
async function mapscope(label, args, outFile, { pipe = false } = {}) {
  const nodeFile = `${outFile}.node`;
  rmSync(nodeFile, { force: true });
  // The command as a user runs it: the bin itself, through its shebang.
  const r = await measure(label, mapscopeMain, args, {
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
const msFields = (r) => ({
  nodeRssMiB: r.nodeRssMiB,
  gdbRssMiB: r.gdbRssMiB,
  nodeStartMs: r.nodeStartMs,
  phaseMs: r.phaseMs,
  startupMs: r.startupMs,
  decodeMs: r.decodeMs,
  outputMs: r.outputMs,
});

// ---- the bigmaps program: live processes and cores ----

function startProgram(bin, kind, n) {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, ['-kind', kind, '-n', String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
    p.on('error', reject);
    p.on('exit', (c) => reject(new Error(`bigmaps exited (${c}) before READY`)));
    p.stdout.on('data', (d) => String(d).includes('READY') && resolve(p));
  });
}

function stopProgram(p) {
  p.removeAllListeners('exit');
  p.kill('SIGKILL');
}

/**
 * A kernel core of bigmaps: it builds the map, prints READY and crashes (GOTRACEBACK=crash
 * turns the panic into SIGABRT). With core_pattern "core" the core lands in its cwd. If the
 * kernel pipes cores elsewhere (core_pattern "|..."), fall back to gdb's gcore of a live one.
 */
async function makeCore(bin, kind, n, dir) {
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
function eachLine(file, onLine) {
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
function countJsonEntries(file) {
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

/** --jsonl: the entry lines, and the count its end line reports. */
function countJsonlEntries(file) {
  let seen = 0;
  let end;
  let schema;
  eachLine(file, (l) => {
    if (l.startsWith('{"key":')) seen++;
    else if (l.startsWith('{"end":')) end ??= JSON.parse(l).end.entries;
    else if (l.startsWith('{"schema":')) schema ??= JSON.parse(l).schema;
  });
  return { seen, end, schema };
}

/** Entries a peer printed, and whether it printed an error part-way (runtime-gdb.py). */
function countPeerEntries(tool, kind, file) {
  const re =
    kind !== 'int64'
      ? /"key\/\d+"/g // keys are "key/N"
      : tool === 'runtime-gdb'
        ? /\[-?\d+\] = /g // {[k] = v, ...}
        : /^\s*-?\d+: /gm; // Delve: one "k: v," per line
  let seen = 0;
  let error = false;
  eachLine(file, (l) => {
    seen += (l.match(re) ?? []).length;
    if (l.includes('<error reading variable')) error = true;
  });
  return { seen, error };
}

// ---- one case: one map, every tool ----

async function runCase(c, tools, work) {
  const { impl, kind, n, mode } = c;
  const bin = tools.bigmaps[impl];
  const expr = EXPR[kind];
  const rows = [];
  const row = (tool, r, extra = {}) => {
    const status = r.timedOut ? 'timeout' : extra.status ?? (r.code === 0 ? 'ok' : `exit ${r.code}`);
    rows.push({ ...c, tool, seconds: r.seconds, runs: r.runs, rssMiB: r.rssMiB, firstOutput: r.firstOutput, ...extra, status });
  };
  // A mapscope row: ok only if it exited 0 and gave every entry.
  const msStatus = (r, seen) => (r.timedOut ? 'timeout' : r.code !== 0 ? `exit ${r.code}` : seen < n ? 'incomplete' : 'ok');
  let target, prog, core;
  if (mode === 'live') {
    prog = await startProgram(bin, kind, n);
    target = ['--pid', String(prog.pid)];
  } else {
    core = await makeCore(bin, kind, n, join(work, 'core'));
    target = ['--core', core, '--exe', bin];
  }
  const gdbTarget = mode === 'live' ? ['-p', String(prog.pid)] : [bin, core];
  const out = (name) => join(work, `${name}.out`);
  try {
    // mapscope: every entry, buckets/groups and all, as JSON.
    // 10^7 takes seconds and a 600 MB file a run: once.
    const times = n < HUGE ? options.repeat : 1;
    const ms = await median(times, () => mapscope(`mapscope inspect --json`, ['inspect', expr, ...target, '--json'], out('mapscope')));
    const seen = ms.code === 0 ? countJsonEntries(ms.outFile) : 0;
    row('mapscope', ms, { entriesSeen: seen, status: msStatus(ms, seen), ...msFields(ms) });

    if (kind === 'int64' && mode === 'core') {
      // --stats (the 300 MB target at 10^7): statistics counted chunk by chunk, in flat memory.
      // Exit 2 is mapscope's usage error: a mapscope without --stats.
      const st = await median(times, () => mapscope(`mapscope inspect --stats --json`, ['inspect', expr, ...target, '--stats', '--json'], out('stats')));
      let counted = 0;
      let schemaOk = false;
      try {
        const j = JSON.parse(readFileSync(st.outFile, 'utf8'));
        schemaOk = j.schema === 'mapscope/stats@1';
        const s = j.maps[0].analysis.occupancy.slotStates;
        counted = s.full ?? s.live ?? 0; // swiss "full", classic "live"
      } catch {}
      row('mapscope --stats', st, {
        entriesSeen: counted,
        status: st.code === 2 ? 'not supported' : st.code === 0 && !schemaOk ? 'bad output' : msStatus(st, counted),
        ...msFields(st),
      });

      // --jsonl: every entry streamed as a line while the map is read.
      const jl = await median(times, () => mapscope(`mapscope inspect --jsonl`, ['inspect', expr, ...target, '--jsonl'], out('jsonl')));
      const l = jl.code === 0 ? countJsonlEntries(jl.outFile) : { seen: 0 };
      const bad = jl.code === 0 && (l.schema !== 'mapscope/entries@1' || l.end !== l.seen);
      row('mapscope --jsonl', jl, { entriesSeen: l.seen, status: jl.code === 2 ? 'not supported' : bad ? 'bad output' : msStatus(jl, l.seen), ...msFields(jl) });
    }

    if (options.peers.includes('floor')) {
      // The floor's reads, as the median of as many runs as mapscope had.
      const fl = await median(
        times,
        async () => {
          const r = await measure('floor (gdb python read_memory)', 'gdb', ['-nx', '-batch', '-ex', `python FLOOR_EXPR='${expr}'`, '-x', join(root, 'bench/floor.py'), ...gdbTarget], { outFile: out('floor') });
          const m = /^FLOOR (\{.*\})$/m.exec(readFileSync(r.outFile, 'utf8'));
          return { ...r, floor: m ? JSON.parse(m[1]) : undefined };
        },
        (r) => r.floor?.seconds ?? Infinity,
      );
      const f = fl.floor;
      row('floor', fl, f ? { readSeconds: f.seconds, bytes: f.bytes } : { status: fl.timedOut ? 'timeout' : 'error' });
    }

    const maxRuntimeGdb = mode === 'core' ? options.maxRuntimeGdbCore : options.maxRuntimeGdbLive;
    if (options.peers.includes('runtime-gdb') && n <= maxRuntimeGdb) {
      // runtime-gdb.py of the toolchain that built the binary, loaded by path (no auto-load).
      const script = join(tools.goroot[impl], 'src/runtime/runtime-gdb.py');
      const rg = await measure('runtime-gdb.py p m', 'gdb', ['-nx', '-batch', '-ex', `source ${script}`, '-ex', 'set print elements unlimited', '-ex', `p '${expr}'`, ...gdbTarget], { outFile: out('runtime-gdb') });
      const { seen, error } = countPeerEntries('runtime-gdb', kind, rg.outFile);
      row('runtime-gdb.py', rg, { entriesSeen: seen, status: rg.timedOut ? 'timeout' : error || /<error reading variable/.test(rg.stderr) ? 'error' : seen < n ? 'incomplete' : 'ok' });
    }

    const maxDelve = mode === 'core' ? options.maxDelveCore : options.maxDelveLive;
    if (options.peers.includes('delve') && n <= maxDelve) {
      // max-array-values bounds the entries Delve loads for a map too; raise it past n.
      const init = join(work, 'dlv.init');
      writeFileSync(init, `config max-array-values ${n * 2}\nprint ${expr}\nexit\n`);
      const dargs = mode === 'live' ? ['attach', String(prog.pid)] : ['core', bin, core];
      // --check-go-version=false: Delve 1.27 warns that Go 1.19 is "too old" but reads it.
      const dl = await measure(`dlv ${dargs[0]}`, tools.dlv, [...dargs, '--init', init, '--check-go-version=false', '--allow-non-terminal-interactive=true'], { outFile: out('delve') });
      const { seen } = countPeerEntries('delve', kind, dl.outFile);
      row('delve', dl, { entriesSeen: seen, status: dl.timedOut ? 'timeout' : seen < n ? 'incomplete' : 'ok' });
    }
  } finally {
    if (prog) stopProgram(prog);
    if (core) rmSync(dirname(core), { recursive: true, force: true });
  }
  return rows;
}

// ---- attach to a large binary (gopls): what the time to mapscope's first output is made of ----

async function runGopls(tools, work) {
  if (!tools.gopls) return [];
  // `gopls serve` on an idle stdin stays up, with its package-level maps initialised.
  const p = spawn(tools.gopls, ['serve'], { stdio: ['pipe', 'ignore', 'ignore'] });
  await new Promise((r) => setTimeout(r, 1500));
  const rows = [];
  const c = { impl: 'swiss', kind: 'gopls', n: 0, mode: 'live' };
  const push = (tool, run, r) =>
    rows.push({ ...c, tool, run, status: r.timedOut ? 'timeout' : r.code === 0 ? 'ok' : `exit ${r.code}`, seconds: r.seconds, rssMiB: r.rssMiB, firstOutput: r.firstOutput, ...msFields(r) });
  let expr;
  try {
    // Twice: the second run finds gopls's binary in the page cache (and gdb's index cache, if any).
    for (const run of [1, 2]) {
      const ls = await mapscope(`mapscope list --json (gopls, run ${run})`, ['list', '--pid', String(p.pid), '--json'], join(work, `gopls-list-${run}.out`), { pipe: true });
      push('mapscope list', run, ls);
      // Inspect the biggest listed map: the text output, whose first bytes are what a user waits for.
      if (!expr) {
        try {
          const maps = JSON.parse(readFileSync(ls.outFile, 'utf8')).maps ?? [];
          expr = maps.sort((a, b) => (b.count ?? 0) - (a.count ?? 0))[0]?.expr ?? maps[0]?.name;
        } catch {}
      }
      if (expr) {
        const ins = await mapscope(`mapscope inspect ${expr} (gopls, run ${run})`, ['inspect', expr, '--pid', String(p.pid)], join(work, `gopls-inspect-${run}.out`), { pipe: true });
        push(`mapscope inspect ${expr}`, run, ins);
      }
    }
  } finally {
    p.kill('SIGKILL');
  }
  return rows;
}

// ---- main ----

if (!existsSync(mapscopeMain)) {
  console.error('bench: dist/cli/main.js is missing; run `npm run build` first.');
  process.exit(2);
}
mkdirSync(cache, { recursive: true });
const rawFile = resolve(options.out) === join(root, 'bench/RESULTS.md') ? join(cache, 'results.json') : resolve(options.out).replace(/(\.md)?$/, '.json');
if (flag('render-only')) {
  const raw = JSON.parse(readFileSync(rawFile, 'utf8'));
  const tools = await ensureBinaries(cache, { delve: raw.options.peers.includes('delve'), gopls: raw.options.gopls });
  const md = renderResults({ ...raw, started: new Date(raw.started), tools, goTools, argv: raw.argv ?? argv, rawFile: relative(root, rawFile) });
  writeFileSync(options.out, md);
  process.stderr.write(`wrote ${relative(process.cwd(), options.out)} from ${relative(process.cwd(), rawFile)} (${raw.rows.length} rows)\n`);
  process.exit(0);
}
// bench/.cache is shared by every worktree: each run writes its outputs and cores apart.
const work = join(cache, 'work', `run-${process.pid}`);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const tools = await ensureBinaries(cache, { delve: options.peers.includes('delve'), gopls: options.gopls });
writeProbes();
const started = new Date();
const rows = [];
try {
  for (const impl of options.impls)
    for (const kind of options.kinds)
      for (const n of options.sizes)
        for (const mode of options.modes) {
          if (!wanted(n, kind, mode)) continue;
          process.stderr.write(`${impl} ${kind} ${n} ${mode}\n`);
          try {
            rows.push(...(await runCase({ impl, kind, n, mode }, tools, work)));
          } catch (e) {
            process.stderr.write(`  case failed: ${e.message}\n`);
            rows.push({ impl, kind, n, mode, tool: 'harness', status: `failed: ${e.message}` });
          }
        }
  if (options.gopls) rows.push(...(await runGopls(tools, work)));
} finally {
  rmSync(work, { recursive: true, force: true });
}

const elapsed = (Date.now() - started) / 1000;
writeFileSync(rawFile, JSON.stringify({ started, options, rows, elapsed, argv }, null, 2));
const md = renderResults({ rows, options, started, tools, goTools, argv, elapsed, rawFile: relative(root, rawFile) });
writeFileSync(options.out, md);
process.stderr.write(`\nwrote ${relative(process.cwd(), options.out)} and ${relative(process.cwd(), rawFile)} (${rows.length} rows)\n`);
