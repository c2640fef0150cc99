#!/usr/bin/env node
// mapscope's benchmark harness: mapscope beside its peers on the same big maps, in the same run.
//
//   npm run bench                         the default run (10^4..10^6 all kinds, 10^7 int64 on a core)
//   npm run bench -- --quick              10^4 and 10^5 only, to check the harness
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
//   --no-gopls              skip the attach-to-first-output measurement on gopls
//   --out FILE              (default bench/RESULTS.md); raw rows also go to bench/.cache/results.json
//
// Everything built or installed (the bigmaps binaries, dlv, gopls) lives in bench/.cache.
// Cores are written there too and deleted after their case (they reach gigabytes at 10^7).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBinaries, goTools } from './tools.mjs';
import { renderResults } from './report.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, 'bench/.cache');
const mapscopeMain = join(root, 'dist/cli/main.js');

// ---- options ----
const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  // The usage is this file's header comment.
  const header = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1).filter((l) => l.startsWith('//'));
  process.stdout.write(header.map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
  process.exit(0);
}
const known = new Set(['sizes', 'quick', 'kinds', 'impl', 'mode', 'peers', 'max-runtime-gdb', 'max-delve', 'timeout', 'no-gopls', 'out']);
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
  gopls: !flag('no-gopls'),
  out: opt('out', join(root, 'bench/RESULTS.md')),
};

const EXPR = { int64: 'main.m64', string: 'main.mstr', ptr: 'main.mptr' };
// 10^7 maps take most of the run's time and memory: only the int64 map on a core, where
// the 300 MB --stats target lives, and only mapscope and the floor.
const HUGE = 10_000_000;
const wanted = (size, kind, mode) => size < HUGE || (kind === 'int64' && mode === 'core');

// ---- running one command: wall time, peak RSS, stdout to a file ----

/**
 * Runs cmd under /usr/bin/time (for peak RSS: the largest of the command and its waited-for
 * descendants, e.g. node or the gdb it spawns, not their sum) with stdout to a file.
 * Wall time is from spawn to exit, so it includes process start-up: "from command start".
 */
async function measure(label, cmd, args, { outFile, cwd, onFirstOutput } = {}) {
  const rssFile = `${outFile}.rss`;
  rmSync(rssFile, { force: true });
  const t0 = process.hrtime.bigint();
  // A new process group, so a timeout can kill gdb/dlv too, not just /usr/bin/time.
  const child = spawn('/usr/bin/time', ['-f', '%M', '-o', rssFile, cmd, ...args], {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks = [];
  let stderr = '';
  let firstOutput;
  child.stdout.on('data', (d) => {
    firstOutput ??= Number(process.hrtime.bigint() - t0) / 1e9;
    chunks.push(d);
  });
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-20000)));
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
  const stdout = Buffer.concat(chunks);
  if (outFile) writeFileSync(outFile, stdout);
  const rss = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : NaN;
  process.stderr.write(`  ${label.padEnd(40)} ${timedOut ? `> ${options.timeout} s` : `${seconds.toFixed(2)} s`}  exit ${code}\n`);
  return { seconds, firstOutput, rssMiB: rss / 1024, code, timedOut, stdout, stderr };
}

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

// ---- counting what a peer printed (a peer may stop early at a limit or an error) ----

function countEntries(tool, kind, text) {
  if (kind !== 'int64') return (text.match(/"key\/\d+"/g) ?? []).length; // keys are "key/N"
  if (tool === 'runtime-gdb') return (text.match(/\[-?\d+\] = /g) ?? []).length; // {[k] = v, ...}
  return (text.match(/^\s*-?\d+: /gm) ?? []).length; // Delve: one "k: v," per line
}

// ---- one case: one map, every tool ----

async function runCase(c, tools, work) {
  const { impl, kind, n, mode } = c;
  const bin = tools.bigmaps[impl];
  const expr = EXPR[kind];
  const rows = [];
  const row = (tool, r, extra = {}) => {
    const status = r.timedOut ? 'timeout' : extra.status ?? (r.code === 0 ? 'ok' : `exit ${r.code}`);
    rows.push({ ...c, tool, status, seconds: r.seconds, rssMiB: r.rssMiB, firstOutput: r.firstOutput, ...extra });
  };
  let target, prog, core;
  if (mode === 'live') {
    prog = await startProgram(bin, kind, n);
    target = ['--pid', String(prog.pid)];
  } else {
    core = await makeCore(bin, kind, n, join(work, 'core'));
  }
  const gdbTarget = mode === 'live' ? ['-p', String(prog.pid)] : [bin, core];
  const out = (name) => join(work, `${name}.out`);
  try {
    // mapscope: every entry, buckets/groups and all, as JSON.
    const ms = await measure(`mapscope inspect --json`, 'node', [mapscopeMain, 'inspect', expr, ...(target ?? ['--core', core, '--exe', bin]), '--json'], { outFile: out('mapscope') });
    let seen = 0;
    try {
      seen = JSON.parse(ms.stdout.toString()).maps[0].entries.length;
    } catch {}
    row('mapscope', ms, { entriesSeen: seen });

    // --stats (the 300 MB target at 10^7). Exit 2 is mapscope's usage error: not supported yet.
    if (kind === 'int64' && mode === 'core') {
      const st = await measure(`mapscope inspect --stats`, 'node', [mapscopeMain, 'inspect', expr, '--core', core, '--exe', bin, '--stats'], { outFile: out('stats') });
      row('mapscope --stats', st, st.code === 2 ? { status: 'not supported' } : {});
    }

    if (options.peers.includes('floor')) {
      const fl = await measure('floor (gdb python read_memory)', 'gdb', ['-nx', '-batch', '-ex', `python FLOOR_EXPR='${expr}'`, '-x', join(root, 'bench/floor.py'), ...gdbTarget], { outFile: out('floor') });
      const m = /^FLOOR (\{.*\})$/m.exec(fl.stdout.toString());
      const f = m ? JSON.parse(m[1]) : undefined;
      row('floor', fl, f ? { readSeconds: f.seconds, bytes: f.bytes } : { status: fl.timedOut ? 'timeout' : 'error' });
    }

    const maxRuntimeGdb = mode === 'core' ? options.maxRuntimeGdbCore : options.maxRuntimeGdbLive;
    if (options.peers.includes('runtime-gdb') && n <= maxRuntimeGdb) {
      // runtime-gdb.py of the toolchain that built the binary, loaded by path (no auto-load).
      const script = join(tools.goroot[impl], 'src/runtime/runtime-gdb.py');
      const rg = await measure('runtime-gdb.py p m', 'gdb', ['-nx', '-batch', '-ex', `source ${script}`, '-ex', 'set print elements unlimited', '-ex', `p '${expr}'`, ...gdbTarget], { outFile: out('runtime-gdb') });
      const text = rg.stdout.toString() + rg.stderr;
      const seen = countEntries('runtime-gdb', kind, text);
      row('runtime-gdb.py', rg, { entriesSeen: seen, status: rg.timedOut ? 'timeout' : /<error reading variable/.test(text) ? 'error' : seen < n ? 'incomplete' : 'ok' });
    }

    const maxDelve = mode === 'core' ? options.maxDelveCore : options.maxDelveLive;
    if (options.peers.includes('delve') && n <= maxDelve) {
      // max-array-values bounds the entries Delve loads for a map too; raise it past n.
      const init = join(work, 'dlv.init');
      writeFileSync(init, `config max-array-values ${n * 2}\nprint ${expr}\nexit\n`);
      const dargs = mode === 'live' ? ['attach', String(prog.pid)] : ['core', bin, core];
      // --check-go-version=false: Delve 1.27 warns that Go 1.19 is "too old" but reads it.
      const dl = await measure(`dlv ${dargs[0]}`, tools.dlv, [...dargs, '--init', init, '--check-go-version=false', '--allow-non-terminal-interactive=true'], { outFile: out('delve') });
      const seen = countEntries('delve', kind, dl.stdout.toString());
      row('delve', dl, { entriesSeen: seen, status: dl.timedOut ? 'timeout' : seen < n ? 'incomplete' : 'ok' });
    }
  } finally {
    if (prog) stopProgram(prog);
    if (core) rmSync(dirname(core), { recursive: true, force: true });
  }
  return rows;
}

// ---- attach to a large binary (gopls): time to mapscope's first output ----

async function runGopls(tools, work) {
  if (!tools.gopls) return [];
  // `gopls serve` on an idle stdin stays up, with its package-level maps initialised.
  const p = spawn(tools.gopls, ['serve'], { stdio: ['pipe', 'ignore', 'ignore'] });
  await new Promise((r) => setTimeout(r, 1500));
  const rows = [];
  try {
    const c = { impl: 'swiss', kind: 'gopls', n: 0, mode: 'live' };
    const ls = await measure('mapscope list --json (gopls)', 'node', [mapscopeMain, 'list', '--pid', String(p.pid), '--json'], { outFile: join(work, 'gopls-list.out') });
    rows.push({ ...c, tool: 'mapscope list', status: ls.code === 0 ? 'ok' : `exit ${ls.code}`, seconds: ls.seconds, rssMiB: ls.rssMiB, firstOutput: ls.firstOutput });
    // Inspect the biggest listed map: the text output, whose first bytes are what a user waits for.
    let expr;
    try {
      const maps = JSON.parse(ls.stdout.toString()).maps ?? [];
      expr = maps.sort((a, b) => (b.count ?? 0) - (a.count ?? 0))[0]?.expr ?? maps[0]?.name;
    } catch {}
    if (expr) {
      const ins = await measure(`mapscope inspect ${expr} (gopls)`, 'node', [mapscopeMain, 'inspect', expr, '--pid', String(p.pid)], { outFile: join(work, 'gopls-inspect.out') });
      rows.push({ ...c, tool: `mapscope inspect ${expr}`, status: ins.code === 0 ? 'ok' : `exit ${ins.code}`, seconds: ins.seconds, rssMiB: ins.rssMiB, firstOutput: ins.firstOutput });
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
const work = join(cache, 'work');
mkdirSync(work, { recursive: true });
const tools = await ensureBinaries(cache, { delve: options.peers.includes('delve'), gopls: options.gopls });
const started = new Date();
const rows = [];
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

writeFileSync(join(cache, 'results.json'), JSON.stringify({ started, options, rows }, null, 2));
const md = renderResults({ rows, options, started, tools, goTools, argv, elapsed: (Date.now() - started) / 1000 });
writeFileSync(options.out, md);
process.stderr.write(`\nwrote ${relative(process.cwd(), options.out)} (${rows.length} rows)\n`);
