#!/usr/bin/env node
// mapscope's benchmark harness: mapscope beside its peers on the same big maps, in the same run.
//
//   npm run bench                         the default run (10^4..10^6 all kinds, 10^7 int64 on a core,
//                                         split: 10^4..10^6 int64 and string; then the services rows;
//                                         about 40-60 min on a quiet 2-CPU machine)
//   npm run bench -- --quick              10^4 and 10^5 only, to check the harness (about 10 min)
//   npm run bench -- --impl swiss,split --sizes 1e6 --peers floor --out /tmp/split.md
//                                         Go 1.27's split groups beside Go 1.26's interleaved ones
//   npm run bench -- --sizes 1e4,1e6 --kinds int64 --impl swiss --mode core --peers floor
//   npm run bench -- --services           only the services rows (about 6-11 min)
//
// The services rows (issue 16; bench/services.mjs), the shapes real services hold, live, each with
// how long the target was kept stopped (target.stoppedMs) and whether the output was cut short:
//   1. inspect --json of the 200,000-entry go-cache map (map[string]cache.Item) of
//      test/programs/services, beside inspect --json of a 200,000-entry map[string]string (bigmaps),
//      run in pairs, and the ratio of the two;
//   2. top --json over the program's 100,000 request maps (-requests 100000 -catalog 300000): with a
//      budget that lets it finish, then with --max-pause 200ms and with --max-time 2s, judged on them;
//   3. inspect --json of its 300,000-entry map[string]*Product (main.catalog);
//   4. inspect --html FILE of 1M map[string]string and map[int64]int64 (bigmaps), live and on cores.
// They are part of the default run (not of --quick); their section of --out is rewritten on its own.
//
// The impls are the toolchains that build the bigmaps program (bench/tools.mjs; BENCH_GO_CLASSIC,
// BENCH_GO_SWISS, BENCH_GO_SPLIT override their go):
//   classic  Go 1.19: hmap buckets
//   swiss    Go 1.26: Swiss tables, each group {ctrl; slots [8]{key K; elem V}}
//   split    Go 1.27.3 with GOEXPERIMENT=mapsplitgroup (issue 17): Swiss tables whose groups are
//            {ctrl; keys [8]K; elems [8]V}. Go 1.27 comes from the module proxy's toolchain module
//            (`GOTOOLCHAIN=go1.27.3 go version` fetches it); without it the split rows are skipped,
//            with that reason, and the run goes on. Its rows are there to set beside swiss (the target
//            "split within 1.25x of swiss"): unless --sizes / --kinds are given, split runs int64 and
//            string at the sizes below 10^7.
//
// Options (lists are comma-separated):
//   --sizes 1e4,1e5,...     map sizes (default 1e4,1e5,1e6,1e7; 1e7 runs int64 on a core only)
//   --quick                 --sizes 1e4,1e5, and no services rows (unless --services)
//   --kinds int64,string,ptr
//   --impl classic,swiss,split   classic = built with Go 1.19, swiss = with Go 1.26, split = with
//                           Go 1.27.3 and GOEXPERIMENT=mapsplitgroup (see above). The services rows run
//                           classic,swiss unless --impl is given
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
//                           or with --out FILE beside it (FILE's .md replaced by .json). A partial run
//                           (--impl, --sizes, --quick ...) belongs in --out /tmp/...: RESULTS.md is the full run's
//   --render-only           measure nothing: write --out again from the raw rows of the last run
//                           (after a change to how results are judged or shown)
//   --services              run only the services rows (with --quick: at a tenth of their sizes, to check
//                           the harness; targets are then not judged). --impl, --mode (for the --html
//                           rows; the others are live only), --repeat and --timeout apply to them
//   --no-services           leave the services rows out of a full run (the section in --out is kept)
//   --mapscope DIR          measure DIR/dist/cli/main.js rather than this checkout's: e.g. a clone of HEAD
//                           built once (git clone -q . DIR; ln -s $PWD/node_modules DIR; cd DIR; npx tsup),
//                           which no one rebuilds during the run. The services section records DIR's
//                           commit and a hash of its dist/ at each row; a run during which dist/ changed
//                           is run again
//
// Each case runs `mapscope inspect --json`; on int64 cores also `--stats --json` and `--jsonl`;
// then the floor, runtime-gdb.py and Delve (up to their sizes). Every mapscope command runs with
// MAPSCOPE_TRACE=phases (start-up, decode and output times come from its phase stamps, and gdb's
// own peak RSS from the stamp mapscope writes before it ends gdb), node's peak RSS taken by
// bench/.cache/bin/node-rss.mjs, preloaded through NODE_OPTIONS.
// Everything built or installed (the bigmaps and services binaries, dlv, gopls, the node-rss.mjs probe) lives in
// bench/.cache, which worktrees share: each run works in its own bench/.cache/work/run-PID
// (outputs and cores, removed at the end). Cores are deleted after their case (they reach
// gigabytes at 10^7).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBinaries, ensureServices, goTools } from './tools.mjs';
import { renderResults } from './report.mjs';
import { runServices, SERVICES_SIZES, gitState } from './services.mjs';
import { extractServices, renderServices, spliceServices } from './services-report.mjs';
import { countJsonEntries, eachLine, limits, makeCore, mapscope, mapscopeMain, measure, median, msFields, startProgram, stopProgram, writeProbes } from './measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, 'bench/.cache');

// ---- options ----
const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  // The usage is this file's header comment.
  const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1);
  const header = lines.slice(0, lines.findIndex((l) => !l.startsWith('//')));
  process.stdout.write(header.map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
  process.exit(0);
}
const known = new Set(['sizes', 'quick', 'kinds', 'impl', 'mode', 'peers', 'max-runtime-gdb', 'max-delve', 'timeout', 'repeat', 'no-gopls', 'out', 'render-only', 'services', 'no-services', 'mapscope']);
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
const sizeList = list(opt('sizes', quick ? '1e4,1e5' : '1e4,1e5,1e6,1e7')).map(num);
const kindList = list(opt('kinds', 'int64,string,ptr'));
const options = {
  sizes: sizeList,
  kinds: kindList,
  impls: list(opt('impl', 'classic,swiss,split')),
  // split is measured to be set beside swiss: by default on the kinds and sizes its target names.
  splitSizes: opt('sizes') ? sizeList : sizeList.filter((n) => n < 10_000_000),
  splitKinds: opt('kinds') ? kindList : kindList.filter((k) => k === 'int64' || k === 'string'),
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
  // Only the services rows; or the bigmaps rows and (unless --quick or --no-services) the services rows.
  servicesOnly: flag('services'),
  services: flag('services') || (!quick && !flag('no-services')),
};
limits.timeoutS = options.timeout;
for (const impl of options.impls) {
  if (!goTools[impl]) {
    process.stderr.write(`bench: unknown --impl ${impl}; one of ${Object.keys(goTools).join(', ')}\n`);
    process.exit(2);
  }
}
// The services rows' programs are built by classic and swiss unless --impl names the impls.
const servicesImpls = opt('impl') ? options.impls : ['classic', 'swiss'];
if (opt('mapscope')) limits.mapscopeRoot = resolve(opt('mapscope'));

const EXPR = { int64: 'main.m64', string: 'main.mstr', ptr: 'main.mptr' };
// 10^7 maps take most of the run's time and memory: only the int64 map on a core, where
// the 300 MB --stats target lives, and only mapscope and the floor.
const HUGE = 10_000_000;
const wanted = (size, kind, mode) => size < HUGE || (kind === 'int64' && mode === 'core');

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
    // These rows time the whole read, not the pause budget: a big map takes longer than the
    // default second (the services rows time the budget; msFields gives the stop time).
    target = ['--pid', String(prog.pid), '--max-pause', '600s'];
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

if (!existsSync(mapscopeMain())) {
  console.error(`bench: ${mapscopeMain()} is missing; build it first (npx tsup).`);
  process.exit(2);
}
mkdirSync(cache, { recursive: true });
const rawFile = resolve(options.out) === join(root, 'bench/RESULTS.md') ? join(cache, 'results.json') : resolve(options.out).replace(/(\.md)?$/, '.json');
// The services rows have raw rows of their own, and a section of --out that is rewritten alone.
const servicesRaw = rawFile.replace(/\.json$/, '.services.json');
const current = existsSync(options.out) ? readFileSync(options.out, 'utf8') : undefined;
const withServices = (md, raw) => {
  const section = raw ? renderServices(raw) : current && extractServices(current);
  return section ? spliceServices(md, section) : md;
};
if (flag('render-only')) {
  let md = current ?? '# mapscope benchmark results\n';
  if (existsSync(rawFile)) {
    const raw = JSON.parse(readFileSync(rawFile, 'utf8'));
    // Rows from before split (issue 17) have only classic and swiss; build and name only the impls the rows have.
    const tools = await ensureBinaries(cache, { delve: raw.options.peers.includes('delve'), gopls: raw.options.gopls, impls: raw.options.impls.filter((i) => goTools[i]) });
    md = renderResults({ ...raw, started: new Date(raw.started), tools: { ...tools, skipped: raw.skipped ?? {} }, goTools, argv: raw.argv ?? argv, rawFile: relative(root, rawFile) });
    process.stderr.write(`read ${relative(process.cwd(), rawFile)} (${raw.rows.length} rows)\n`);
  }
  const svc = existsSync(servicesRaw) ? JSON.parse(readFileSync(servicesRaw, 'utf8')) : undefined;
  if (svc) process.stderr.write(`read ${relative(process.cwd(), servicesRaw)} (${svc.rows.length} rows)\n`);
  writeFileSync(options.out, withServices(md, svc));
  process.stderr.write(`wrote ${relative(process.cwd(), options.out)}\n`);
  process.exit(0);
}
// bench/.cache is shared by every worktree: each run writes its outputs and cores apart.
const work = join(cache, 'work', `run-${process.pid}`);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const bigmaps = !options.servicesOnly;
const tools = await ensureBinaries(cache, {
  delve: bigmaps && options.peers.includes('delve'),
  gopls: bigmaps && options.gopls,
  impls: [...new Set([...(bigmaps ? options.impls : []), ...(options.services ? servicesImpls : [])])],
  mapscopeMain: mapscopeMain(),
});
// An impl whose toolchain is absent has no services rows either.
const servicesBins = options.services ? ensureServices(cache, servicesImpls.filter((i) => tools.bigmaps[i])) : undefined;
writeProbes(cache);
const started = new Date();
const rows = [];
let svc;
try {
  if (bigmaps) {
    // The impls of one case run one after the other, so that swiss and split (whose target is their
    // ratio) meet the machine at the same minute; the report lists the rows impl by impl.
    for (const kind of options.kinds)
      for (const n of options.sizes)
        for (const mode of options.modes)
          for (const impl of options.impls) {
            if (!wanted(n, kind, mode)) continue;
            if (impl === 'split' && !(options.splitKinds.includes(kind) && options.splitSizes.includes(n))) continue;
            if (tools.skipped[impl]) {
              rows.push({ impl, kind, n, mode, tool: 'harness', status: `skipped: ${tools.skipped[impl]}` });
              continue;
            }
            process.stderr.write(`${impl} ${kind} ${n} ${mode}\n`);
            try {
              rows.push(...(await runCase({ impl, kind, n, mode }, tools, work)));
            } catch (e) {
              process.stderr.write(`  case failed: ${e.message}\n`);
              rows.push({ impl, kind, n, mode, tool: 'harness', status: `failed: ${e.message}` });
            }
          }
    if (options.gopls) rows.push(...(await runGopls(tools, work)));
  }
  if (options.services) {
    const t0 = new Date();
    const gitStart = gitState();
    const sizes = quick ? SERVICES_SIZES.quick : SERVICES_SIZES.full;
    const svcRows = await runServices({ tools, services: servicesBins, work, options: { ...options, impls: Object.keys(servicesBins) }, sizes });
    svc = { started: t0, elapsed: (Date.now() - t0) / 1000, argv, mapscope: mapscopeMain().startsWith(`${root}/`) ? relative(root, mapscopeMain()) : mapscopeMain(), sizes, repeat: options.repeat, gitStart, gitEnd: gitState(), versions: tools.versions, rows: svcRows };
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const elapsed = (Date.now() - started) / 1000;
let md = current ?? '# mapscope benchmark results\n';
const wrote = [];
if (bigmaps) {
  writeFileSync(rawFile, JSON.stringify({ started, options, rows, elapsed, argv, skipped: tools.skipped }, null, 2));
  md = renderResults({ rows, options, started, tools, goTools, argv, elapsed, rawFile: relative(root, rawFile) });
  wrote.push(`${relative(process.cwd(), rawFile)} (${rows.length} rows)`);
}
if (svc) {
  writeFileSync(servicesRaw, JSON.stringify(svc, null, 2));
  wrote.push(`${relative(process.cwd(), servicesRaw)} (${svc.rows.length} rows)`);
}
writeFileSync(options.out, withServices(md, svc));
process.stderr.write(`\nwrote ${relative(process.cwd(), options.out)} and ${wrote.join(' and ')}\n`);
