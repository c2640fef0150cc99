// bench/RESULTS.md: the machine, versions, method, the targets and every measured row.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';

const fmt = (x, d = 2) => (x === undefined || x === null || Number.isNaN(x) ? '' : x.toFixed(d));
const ms = (x) => fmt(x, 0);
const sizeName = (n) => (n >= 1e3 && Number.isInteger(Math.log10(n)) ? `10^${Math.log10(n)}` : String(n));

export function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? '?';
  const nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  // The bin asks malloc for transparent huge pages (src/cli/main.ts): whether it gets them is the kernel's THP mode.
  let thp = '?';
  try {
    thp = /\[(\w+)\]/.exec(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'))?.[1] ?? '?';
  } catch {
    // No THP in this kernel.
    thp = 'absent';
  }
  return `${nproc} CPUs (nproc), ${model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Linux ${release()}, transparent huge pages: ${thp}`;
}

/** Rows impl by impl (classic, swiss, split), each impl's in the order they ran. */
const IMPL_ORDER = ['classic', 'swiss', 'split'];
const byImpl = (rows) => rows.map((r, i) => [r, i]).sort(([a, i], [b, j]) => ((IMPL_ORDER.indexOf(a.impl) + 1 || 99) - (IMPL_ORDER.indexOf(b.impl) + 1 || 99)) || i - j).map(([r]) => r);

const same = (a, b) => a.impl === b.impl && a.kind === b.kind && a.n === b.n && a.mode === b.mode;

/** mapscope's row for the same case, to put every other tool beside it. */
function baseline(rows, r) {
  return rows.find((m) => m.tool === 'mapscope' && same(m, r));
}

function perEntry(r) {
  const seen = r.entriesSeen ?? r.n;
  return r.status === 'ok' && seen > 0 ? (r.seconds * 1e6) / seen : undefined;
}

/**
 * The marginal cost per entry of `tool` on one impl/kind/mode: (wall(n2) − wall(n1)) / (n2 − n1)
 * between the two largest sizes it finished ("ok"), beside mapscope's between the same sizes.
 * Start-up (gdb or dlv loading the binary, node loading mapscope) cancels out; what is left is
 * what each further entry costs.
 */
function marginal(rows, tool, impl, kind, mode) {
  const done = rows.filter((r) => r.tool === tool && r.impl === impl && r.kind === kind && r.mode === mode && r.status === 'ok').sort((a, b) => a.n - b.n);
  if (done.length < 2) return undefined;
  const [a, b] = done.slice(-2);
  const ma = baseline(rows, a);
  const mb = baseline(rows, b);
  const dn = b.n - a.n;
  const peerUs = ((b.seconds - a.seconds) * 1e6) / dn;
  const res = { tool, impl, kind, mode, n1: a.n, n2: b.n, peerUs, peerAt: b };
  if (ma?.status === 'ok' && mb?.status === 'ok') {
    res.mapscopeUs = ((mb.seconds - ma.seconds) * 1e6) / dn;
    // A mapscope whose wall did not grow between the sizes (its growth is below the noise) gives
    // no ratio; what each further entry costs it is then at most its whole wall at n2 spread
    // over the entries added, so the peer's growth over that wall bounds the ratio from below.
    res.ratio = res.mapscopeUs > 0 ? peerUs / res.mapscopeUs : undefined;
    res.ratioAtLeast = res.ratio === undefined ? (b.seconds - a.seconds) / mb.seconds : undefined;
    const pa = perEntry(b);
    const pb = perEntry(mb);
    res.sameSize = pa && pb ? pa / pb : undefined;
  }
  return res;
}

const isMapscope = (r) => r.tool.startsWith('mapscope');
/** A row that is the median of several runs: all of them, in the order they ran. */
const runsNote = (r) => (r.runs?.length > 1 && r.tool !== 'floor' ? `median of ${r.runs.map((x) => fmt(x)).join(' / ')} s` : '');
const peakNotes = (r) => (isMapscope(r) && (r.nodeRssMiB >= 0 || r.gdbRssMiB >= 0) ? `node ${fmt(r.nodeRssMiB, 0)} MiB, gdb ${fmt(r.gdbRssMiB, 0)} MiB` : '');

function table(rows) {
  const lines = [
    '| impl | kind | entries | mode | tool | status | wall s | peak RSS MiB | entries seen | µs/entry | vs mapscope | notes |',
    '|---|---|---:|---|---|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of byImpl(rows)) {
    if (r.kind === 'gopls') continue;
    const base = baseline(rows, r);
    let ratio = '';
    let notes = [peakNotes(r), runsNote(r)].filter((x) => x).join('; ');
    if (r.tool === 'floor') {
      // The floor is a lower bound: show how far above it mapscope is (the "within 3×" target).
      if (base && r.status === 'ok') {
        const dec = base.decodeMs !== undefined && r.readSeconds > 0 ? `mapscope decode = ${fmt(base.decodeMs / 1000 / r.readSeconds, 1)}× reads, ` : '';
        ratio = `${dec}wall ${fmt(base.seconds / r.seconds, 1)}×`;
      }
      if (r.readSeconds !== undefined) notes = `reads ${fmt(r.readSeconds, 3)} s of ${(r.bytes / 2 ** 20).toFixed(1)} MiB${r.runs?.length > 1 ? ` (median of ${r.runs.map((x) => fmt(x, 3)).join(' / ')})` : ''}`;
    } else if (!isMapscope(r) && base && perEntry(r) && perEntry(base)) {
      const x = perEntry(r) / perEntry(base);
      ratio = x >= 1 ? `${fmt(x, 1)}× slower` : `${fmt(1 / x, 1)}× faster`;
    }
    const wall = r.status === 'timeout' ? `> ${fmt(r.seconds, 0)}` : r.status === 'not supported' ? '' : fmt(r.seconds);
    lines.push(`| ${r.impl} | ${r.kind} | ${sizeName(r.n)} | ${r.mode} | ${r.tool} | ${r.status} | ${wall} | ${r.status === 'not supported' ? '' : fmt(r.rssMiB, 0)} | ${r.entriesSeen ?? ''} | ${fmt(perEntry(r), 2)} | ${ratio} | ${notes} |`);
  }
  return lines.join('\n');
}

const COMMAND = { mapscope: 'inspect --json', 'mapscope --stats': 'inspect --stats --json', 'mapscope --jsonl': 'inspect --jsonl' };

/** Per mapscope command: where its wall time went, from its phase stamps, and node's and gdb's peaks apart. */
function phasesTable(rows) {
  const lines = [
    '| impl | kind | entries | mode | mapscope | status | wall s | start-up ms | open / gdb started / symbols loaded / target open | decode ms | output ms | of which writing ms | after written ms | node peak MiB | gdb peak MiB |',
    '|---|---|---:|---|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of byImpl(rows)) {
    if (r.kind === 'gopls' || !isMapscope(r) || r.status === 'not supported') continue;
    const P = r.phaseMs ?? {};
    const stamps = ['open', 'gdb started', 'symbols loaded', 'target open'].map((k) => ms(P[k]) || '–').join(' / ');
    const writing = P.read !== undefined && P.written !== undefined ? P.written - P.read : undefined;
    const after = P.written !== undefined ? r.seconds * 1000 - P.written : undefined;
    lines.push(
      `| ${r.impl} | ${r.kind} | ${sizeName(r.n)} | ${r.mode} | ${COMMAND[r.tool] ?? r.tool} | ${r.status} | ${fmt(r.seconds)} | ${ms(r.startupMs)} | ${stamps} | ${ms(r.decodeMs)} | ${ms(r.outputMs)} | ${ms(writing)} | ${ms(after)} | ${fmt(r.nodeRssMiB, 0)} | ${fmt(r.gdbRssMiB, 0)} |`,
    );
  }
  return lines.length > 2 ? lines.join('\n') : 'No mapscope rows in this run.';
}

/** Every peer with two finished sizes: its marginal cost per entry beside mapscope's. */
function marginalTable(rows) {
  const lines = [
    '| impl | kind | mode | peer | between | peer µs/entry (marginal) | mapscope µs/entry (marginal) | marginal ratio | same-size ratio at the larger size |',
    '|---|---|---|---|---|---:|---:|---:|---:|',
  ];
  const keys = new Set(rows.filter((r) => r.tool === 'runtime-gdb.py' || r.tool === 'delve').map((r) => `${r.impl}|${r.kind}|${r.mode}|${r.tool}`));
  for (const k of keys) {
    const [impl, kind, mode, tool] = k.split('|');
    const m = marginal(rows, tool, impl, kind, mode);
    if (!m) continue;
    lines.push(`| ${impl} | ${kind} | ${mode} | ${tool} | ${sizeName(m.n1)} → ${sizeName(m.n2)} | ${fmt(m.peerUs, 2)} | ${fmt(m.mapscopeUs, 2)} | ${m.ratio ? `${fmt(m.ratio, 1)}×` : m.ratioAtLeast !== undefined ? `≥ ${fmt(m.ratioAtLeast, 1)}× (mapscope did not grow)` : ''} | ${m.sameSize ? `${fmt(m.sameSize, 1)}×` : ''} |`);
  }
  return lines.length > 2 ? lines.join('\n') : 'No peer finished two sizes in this run.';
}

/** gopls rows' phases, in ms from spawn, with the first byte on stdout among them. */
function goplsSteps(r) {
  const P = r.phaseMs ?? {};
  const steps = Object.entries(P).map(([what, t]) => ({ what, t }));
  if (r.firstOutput !== undefined) steps.push({ what: 'first output', t: r.firstOutput * 1000 });
  steps.sort((a, b) => a.t - b.t);
  // The largest step up to the first output: what a user waits on.
  let prev = { what: 'spawn', t: 0 };
  let largest;
  for (const s of steps) {
    if (s.t > (r.firstOutput ?? Infinity) * 1000) break;
    const d = s.t - prev.t;
    if (!largest || d > largest.d) largest = { from: prev.what, to: s.what, d };
    prev = s;
  }
  return largest;
}

function goplsTable(rows) {
  const g = rows.filter((r) => r.kind === 'gopls');
  if (!g.length) return 'Not measured in this run.';
  const lines = [
    '| run | command | status | open | files checked | gdb started | symbols loaded | target open | decoded | read | first output | written | exit | node MiB | gdb MiB | largest step to first output |',
    '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of g) {
    const P = r.phaseMs ?? {};
    const big = goplsSteps(r);
    lines.push(
      `| ${r.run ?? ''} | ${r.tool} | ${r.status} | ${ms(P.open)} | ${ms(P['files checked'])} | ${ms(P['gdb started'])} | ${ms(P['symbols loaded'])} | ${ms(P['target open'])} | ${ms(P.decoded)} | ${ms(P.read)} | ${ms(r.firstOutput === undefined ? undefined : r.firstOutput * 1000)} | ${ms(P.written)} | ${ms(r.seconds * 1000)} | ${fmt(r.nodeRssMiB, 0)} | ${fmt(r.gdbRssMiB, 0)} | ${big ? `${big.from} → ${big.to}: ${ms(big.d)} ms` : ''} |`,
    );
  }
  return lines.join('\n');
}

/**
 * Issue 17: on Go 1.27's split groups mapscope is as fast as on Go 1.26's interleaved ones. Each
 * mapscope command's split row within 1.25× of its swiss row, same kind, size and mode (wall, the
 * median run of each): always at 1M int64 and string, core and live, and at every other size from
 * 1M up that has both. The floor of the same two maps is shown beside it (same bytes to read?),
 * not judged: it is gdb's speed, not mapscope's.
 */
const SPLIT_FACTOR = 1.25;
function splitTargets(rows, skipped) {
  const out = [];
  const key = (r) => `${r.tool}|${r.kind}|${r.n}|${r.mode}`;
  const pairs = new Map();
  for (const tool of ['mapscope'])
    for (const kind of ['int64', 'string'])
      for (const mode of ['core', 'live']) pairs.set(key({ tool, kind, n: 1e6, mode }), { tool, kind, n: 1e6, mode });
  for (const r of rows) if (r.impl === 'split' && isMapscope(r) && r.n >= 1e6 && rows.some((s) => s.impl === 'swiss' && key(s) === key(r))) pairs.set(key(r), r);
  const find = (impl, tool, c) => rows.find((r) => r.impl === impl && r.tool === tool && r.kind === c.kind && r.n === c.n && r.mode === c.mode);
  for (const c of pairs.values()) {
    const name = `split within ${SPLIT_FACTOR}× of swiss: ${KIND[c.kind] ?? c.kind}, ${sizeName(c.n)}, ${c.mode}, ${COMMAND[c.tool] ?? c.tool} (wall, median)`;
    const sp = find('split', c.tool, c);
    const sw = find('swiss', c.tool, c);
    if (!sp || !sw) {
      const skip = rows.find((r) => r.impl === 'split' && r.tool === 'harness' && r.kind === c.kind && r.n === c.n && r.mode === c.mode);
      const why = skip?.status ?? (skipped?.split && `skipped: ${skipped.split}`);
      out.push(`| ${name} | not measured in this run${why ? ` (split ${why})` : !sw && sp ? ' (no swiss row)' : ''} | |`);
      continue;
    }
    const both = sp.status === 'ok' && sw.status === 'ok';
    const x = sp.seconds / sw.seconds;
    const fs = find('split', 'floor', c);
    const fw = find('swiss', 'floor', c);
    const floor =
      fs?.readSeconds !== undefined && fw?.readSeconds !== undefined
        ? `; floor reads: split ${ms(fs.readSeconds * 1000)} ms of ${(fs.bytes / 2 ** 20).toFixed(1)} MiB, swiss ${ms(fw.readSeconds * 1000)} ms of ${(fw.bytes / 2 ** 20).toFixed(1)} MiB`
        : '';
    const dec = sp.decodeMs !== undefined && sw.decodeMs !== undefined ? `; decode phase split ${ms(sp.decodeMs)} ms, swiss ${ms(sw.decodeMs)} ms` : '';
    out.push(
      `| ${name} | ${both ? `${fmt(x)}× (split ${fmt(sp.seconds)} s, swiss ${fmt(sw.seconds)} s)` : `split ${sp.status}, swiss ${sw.status}`}${dec}${floor} | ${both && x <= SPLIT_FACTOR ? 'met' : 'NOT met'} |`,
    );
  }
  return out;
}

const KIND = { int64: 'map[int64]int64', string: 'map[string]string', ptr: 'map[string]*T' };

function targets(rows, skipped) {
  const find = (pred) => rows.find(pred);
  const out = [];
  const check = (name, row, ok, measured) => out.push(`| ${name} | ${row ? measured : 'not measured in this run'} | ${row ? (ok ? 'met' : 'NOT met') : ''} |`);
  const at1M = (tool, impl, kind) => find((r) => r.tool === tool && r.impl === impl && r.kind === kind && r.n === 1e6 && r.mode === 'core');
  // The targets of every impl hold for split too, when the run has split rows (rows from before it have none).
  const impls = ['classic', 'swiss', ...(rows.some((r) => r.impl === 'split' && r.tool !== 'harness') ? ['split'] : [])];
  for (const impl of impls) {
    const m = at1M('mapscope', impl, 'int64');
    check(`1M map[int64]int64, core, ${impl}: all entries + buckets as JSON ≤ 1.0 s (wall)`, m, m?.status === 'ok' && m.seconds <= 1.0, m && `${fmt(m.seconds)} s (${m.status})`);
    // The decode phase once gdb is ready (target open → decoded EXPR) against the floor's reads.
    const f = at1M('floor', impl, 'int64');
    const dec = m?.decodeMs !== undefined && f?.readSeconds > 0 ? m.decodeMs / 1000 / f.readSeconds : undefined;
    check(
      `  same map: decode phase after gdb is ready within 3× of the raw-read floor (decode ÷ floor reads)`,
      m && f,
      m?.status === 'ok' && dec !== undefined && dec <= 3,
      m && f && (dec !== undefined ? `${fmt(dec, 1)}× (decode ${ms(m.decodeMs)} ms, floor reads ${ms(f.readSeconds * 1000)} ms); wall: mapscope ${fmt(m.seconds)} s ÷ floor ${fmt(f.seconds)} s = ${fmt(m.seconds / f.seconds, 1)}×` : `no decode phase recorded (${m.status}, floor ${f.status})`),
    );
  }
  // Per entry against the peers: the marginal cost per entry between the two largest sizes each
  // peer finished decides; the ratio at the same size (start-up included) is shown beside it.
  for (const [tool, factor, impl] of [['runtime-gdb.py', 100, 'classic'], ['delve', 10, 'classic'], ['delve', 10, 'swiss']]) {
    const mg = marginal(rows, tool, impl, 'int64', 'core');
    const name = `per entry ≥ ${factor}× faster than ${tool} (${impl}, int64, core): **marginal** cost per entry between the two largest sizes it finished`;
    if (!mg || mg.mapscopeUs === undefined) {
      // Fewer than two sizes: only the same-size ratio, which cannot decide the target.
      const peer = rows.filter((r) => r.tool === tool && r.impl === impl && r.kind === 'int64' && r.mode === 'core' && perEntry(r)).sort((a, b) => b.n - a.n)[0];
      const base = peer && baseline(rows, peer);
      const x = peer && base && perEntry(base) && perEntry(peer) / perEntry(base);
      out.push(`| ${name} | ${x ? `no marginal (fewer than two sizes finished); same size: ${fmt(x, 1)}× at ${sizeName(peer.n)}` : 'not measured in this run'} | |`);
      continue;
    }
    const span = `${sizeName(mg.n1)} → ${sizeName(mg.n2)}`;
    check(
      name,
      mg,
      (mg.ratio ?? mg.ratioAtLeast ?? 0) >= factor,
      `${mg.ratio !== undefined ? `${fmt(mg.ratio, 1)}×` : `≥ ${fmt(mg.ratioAtLeast, 1)}× (mapscope's wall did not grow: its marginal cost is below the noise; bound: ${tool}'s growth ÷ mapscope's whole wall at ${sizeName(mg.n2)})`} (${tool} ${fmt(mg.peerUs, 2)} µs/entry, mapscope ${fmt(mg.mapscopeUs, 2)} µs/entry, ${span}); same size: ${mg.sameSize ? `${fmt(mg.sameSize, 1)}×` : '?'} at ${sizeName(mg.n2)}`,
    );
  }
  for (const impl of impls) {
    const s = at1M('mapscope', impl, 'string');
    check(`1M map[string]string, core, ${impl} ≤ 2 s (wall)`, s, s?.status === 'ok' && s.seconds <= 2, s && `${fmt(s.seconds)} s (${s.status})`);
  }
  for (const impl of ['classic', 'swiss']) {
    const st = find((r) => r.tool === 'mapscope --stats' && r.impl === impl && r.n === 1e7);
    check(
      `10M entries, --stats, ${impl}: peak memory ≤ 300 MB (mapscope's node process)`,
      st,
      st?.status === 'ok' && st.nodeRssMiB * 2 ** 20 <= 300e6,
      st &&
        (st.status === 'not supported'
          ? 'not supported (exit 2: mapscope has no --stats)'
          : `node ${fmt(st.nodeRssMiB, 0)} MiB = ${fmt((st.nodeRssMiB * 2 ** 20) / 1e6, 0)} MB; gdb apart ${fmt(st.gdbRssMiB, 0)} MiB; largest process of the tree ${fmt(st.rssMiB, 0)} MiB (${st.status})`),
    );
  }
  out.push(...splitTargets(rows, skipped));
  const g = rows.filter((r) => r.kind === 'gopls');
  for (const r of g) {
    const big = goplsSteps(r);
    out.push(`| attach to first output, gopls (live), run ${r.run}: ${r.tool} | first output ${fmt(r.firstOutput)} s, done ${fmt(r.seconds)} s (${r.status})${big ? `; largest step ${big.from} → ${big.to} ${fmt(big.d / 1000)} s` : ''} | measured |`);
  }
  if (!g.length) out.push('| attach to first output, gopls | not measured in this run | |');
  return ['| target | measured | |', '|---|---|---|', ...out].join('\n');
}

export function renderResults({ rows, options, started, tools, goTools, argv, elapsed, rawFile }) {
  const versions = Object.entries(tools.versions).map(([k, v]) => `- ${k}: ${v}`).join('\n');
  return `# mapscope benchmark results

Generated by \`npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}\` on ${started.toISOString()} in ${fmt(elapsed / 60, 1)} min.

## Machine

${machine()}

## Versions

${versions}
- runtime-gdb.py: \`$GOROOT/src/runtime/runtime-gdb.py\` of the toolchain that built the binary (${Object.values(tools.goroot).join(', ')})

## Targets

${targets(rows, tools.skipped)}

## Results

${table(rows)}

## mapscope's phases and memory

Milliseconds from spawning the command (see Method). *start-up*: spawn → \`target open\` (node start-up,
gdb start-up, symbols, attach or core open); *decode*: \`target open\` → \`decoded EXPR\` (for --stats and
--jsonl, which decode as they read: \`target open\` → \`read\`, writing the lines included for --jsonl);
*output*: \`decoded EXPR\` → \`written\` (rendering the entries, the analysis, detaching and writing the JSON;
*of which writing*: \`read\` → \`written\`); *after written*: until the process had exited (gdb ending).

${phasesTable(rows)}

## Marginal cost per entry

(wall(n2) − wall(n1)) / (n2 − n1) between the two largest sizes each peer finished, beside mapscope's between the
same sizes: what one more entry costs, start-up cancelled out (see Method). The per-entry targets use the marginal ratio.

${marginalTable(rows)}

## Attach to first output: gopls

Milliseconds from spawning \`mapscope\` (on gopls, live); *first output* is the first byte on its stdout.

${goplsTable(rows)}

## Method

- **Maps.** \`bench/programs/bigmaps\` builds one map (\`-kind int64|string|ptr -n N\`): \`map[int64]int64\` (keys i·7919),
  \`map[string]string\` ("key/N" → "value-%08d"), \`map[string]*T\` (T: int64, string, float64), grown from empty
  without a size hint. *classic* is the binary built by ${goTools.classic.go} (hmap buckets), *swiss* the one built by
  ${goTools.swiss.go} (Swiss tables, groups of interleaved slots \`{ctrl; slots [8]{key; elem}}\`), *split* the one built by
  Go 1.27.3 (${goTools.split.go}) with \`GOEXPERIMENT=mapsplitgroup\` (Swiss tables whose groups are \`{ctrl; keys [8]K; elems [8]V}\`:
  the same ctrl word, the same group size up to padding, keys and elems in two arrays; issue 17). Go 1.27 comes from the Go
  module proxy as the toolchain module (\`GOTOOLCHAIN=go1.27.3 go version\` fetches it); without it the split rows are
  skipped with that reason. Sizes: ${options.sizes.map(sizeName).join(', ')}; 10^7 only for int64 on a core.
  ${options.impls.includes('split') ? `Split rows: ${(options.splitKinds ?? options.kinds).join(', ')} at ${(options.splitSizes ?? options.sizes).map(sizeName).join(', ')} (by default int64 and string below 10^7: they are there to set beside swiss).` : 'No split rows in this run.'}
- **live**: the program prints READY and sleeps; every tool attaches to it in turn (mapscope \`--pid\`, gdb \`-p\`, \`dlv attach\`).
  **core**: the program prints READY and crashes with GOTRACEBACK=crash and \`ulimit -c unlimited\`; the kernel core
  (core_pattern "core") is used by every tool (gdb \`gcore\` is the fallback if the kernel writes no core). The core was
  just written, so it is in the page cache for every tool alike.
- **Wall** is from spawning the command to its exit (process start-up, gdb/dlv start-up and symbol loading included).
  Every tool's stdout goes straight to a file (no pipe; the harness reads the file afterwards to count entries).
  Each mapscope command and the floor run ${options.repeat ?? 1} times in a row per case below 10^7 (10^7 once): the row is the
  median run (by wall time; the floor's by its reads), with its phases, and its notes list every run. The VM's speed
  swings by half from one minute to the next, and one run decided a target by the minute it fell in. runtime-gdb.py
  and Delve run once (a minute or more each); tools one after another. Cases run kind by kind, size by size, mode by
  mode, and the impls of one case one after the other, so that swiss and split of a case meet the machine at the same minute.
- **Peak RSS** is \`/usr/bin/time -f %M\`: the largest resident set of the command or any one of its descendants
  (mapscope's node or the gdb it drives; not their sum). For mapscope the two are also measured apart:
  **node peak** is node's own \`getrusage(RUSAGE_SELF)\` maximum, written at exit by a module preloaded with
  \`NODE_OPTIONS=--import=…\` (\`bench/.cache/bin/node-rss.mjs\`); **gdb peak** is gdb's own \`VmHWM\`, which mapscope reads
  from \`/proc\` and stamps on stderr (\`gdb peak N KiB\`) just before it ends gdb. The 300 MB target is node's peak.
- **Phases.** mapscope runs with \`MAPSCOPE_TRACE=phases\` and stamps on stderr the end of each phase (\`open\`, \`files checked\`,
  \`gdb started\`, \`symbols loaded\`, \`target open\`, \`decoded EXPR\`, \`read\`, \`written\`) in ms since node started; the
  preloaded module's \`performance.timeOrigin\` puts them on the harness's clock, ms since spawn.
- **mapscope**: \`dist/cli/main.js inspect EXPR (--pid P | --core C --exe E) --json\`: every entry, the header and
  every bucket/tophash or table/group/ctrl byte. *Entries seen* are the lines of \`maps[0].entries\` in the output.
  On int64 cores also \`inspect --stats --json\` (statistics only, read chunk by chunk; entries seen = the full/live
  slots it counted; checked to be mapscope/stats@1) and \`inspect --jsonl\` (entries streamed as JSON Lines; entries seen =
  the entry lines, checked against its end line). A mapscope row is ok when it exited 0 and saw every entry.
  Node compiles mapscope from its V8 code cache and gdb starts with mapscope's light data directory and the bridge's
  bytecode (all in \`~/.cache/mapscope\`), which the first run of each command writes (here the \`--version\` probe and
  the first, 10^4, inspect): every measured run has them, as every run after a user's first does.
- **runtime-gdb.py**: \`gdb -nx -batch -ex 'source …/runtime-gdb.py' -ex 'set print elements unlimited' -ex "p 'main.mXX'"\`,
  up to ${sizeName(options.maxRuntimeGdbCore)} entries on cores and ${sizeName(options.maxRuntimeGdbLive)} live (it prints entry by entry through gdb.Value; larger sizes take too long).
  Entries seen are counted in its output; "error" means it printed \`<error reading variable …>\` part-way.
- **Delve**: \`dlv core BIN CORE\` / \`dlv attach PID\` with \`--init\` running \`config max-array-values 2N\` (the limit Delve
  applies to map entries too), \`print main.mXX\`, \`exit\`; with \`--check-go-version=false\` (Delve refuses Go < 1.25
  otherwise) and \`--allow-non-terminal-interactive=true\`. After \`dlv attach\`, \`exit\` asks whether to kill the
  process and reads EOF, so dlv exits 2 and leaves it running; the status comes from the entries printed, not the exit code. Up to ${sizeName(options.maxDelveCore)} entries on cores and
  ${sizeName(options.maxDelveLive)} live. Entries seen are counted in its output.
- **Floor**: \`bench/floor.py\` in gdb's Python locates the classic bucket array (2^B buckets, plus oldbuckets while
  growing) or every distinct Swiss table's group array ((lengthMask+1) × group size) from the map header and reads
  them with \`gdb.selected_inferior().read_memory\` in 16 MiB pieces. "reads" is the time of locating and reading only;
  "wall" includes gdb's start-up. Classic overflow buckets are not followed, so the floor is slightly low.
- **Decode within 3× of the floor** (target): mapscope's decode phase (\`target open\` → \`decoded EXPR\`: locating the map
  and reading and decoding its buckets or groups, once gdb is up with the target open) ÷ the floor's read time
  (locating and reading the same arrays, gdb likewise up) on the same 1M int64 core. Wall ÷ floor wall is shown beside it.
- **split within ${SPLIT_FACTOR}× of swiss** (target): mapscope's wall on the split map ÷ its wall on the swiss map of the same
  kind, size and mode, each the median of its runs, in the same run; at 1M int64 and string, core and live (and any other
  size from 1M up that has both). The two binaries differ in the Go release (1.27 against 1.26) as well as in the group layout,
  and the release has a fixed cost of its own: gdb 13's first lookup of \`main.m64\` in a Go 1.27 binary expands 9 compile units
  (internal/runtime/maps, internal/abi, … besides main and runtime) where 1.26's expands 4, about 150-200 ms more here, paid in
  mapscope's decode phase and the floor's reads alike, and the same for a go1.27.3 build without the experiment (interleaved).
  The floor's reads of the two maps are shown beside it, not judged. The machine is shared, so a ratio near the factor is noise as much as layout.
- **runtime-gdb.py and Delve on split**: runtime-gdb.py is Go 1.27.3's own, which knows both group layouts (and, as on
  swiss, stops part-way with \`<error reading variable>\`). Delve runs on split as on the others: Delve 1.27.2 supports
  Go 1.25 to 1.27 (its Go version check passes on the 1.27.3 binary without \`--check-go-version=false\`) and reads the split
  groups (checked against the program's keys when this row was added).
- **vs mapscope** (Results): the peer's µs per entry seen ÷ mapscope's µs per entry on the same map, walls including
  start-up (N× slower, or N× faster where the peer is faster, at that size). For the floor: mapscope's decode phase ÷ the floor's reads, and wall ÷ wall.
- **Marginal cost per entry**: for each peer and impl/kind/mode, (wall(n2) − wall(n1)) / (n2 − n1) between the two largest
  sizes it finished (status ok), and mapscope's between the same two sizes of the same impl/kind/mode; the marginal ratio is
  the peer's ÷ mapscope's. Fixed costs (starting gdb, dlv or node, loading symbols, opening the target) cancel out, so
  this is what one more entry costs each tool. The per-entry targets are judged on the marginal ratio; the same-size
  ratio at n2 (start-up included) is printed beside it. At 10^4 → 10^5 mapscope's difference is a second or less, so
  noise on a busy machine weighs on it.
- Each command is capped at ${options.timeout} s; a capped run is "timeout" with wall "> ${options.timeout}".
- **gopls**: \`gopls serve\` (${tools.versions.gopls ?? 'not installed'}) is started idle; \`mapscope list --pid --json\` and
  then \`mapscope inspect\` (text) of its biggest listed map are timed with their phases and the time to the first
  byte on stdout (stdout piped for these). Both are run twice on the same gopls; the second run finds the binary
  in the page cache; gdb's index cache (\`~/.cache/gdb\`) helps only if it is on, and it is ${tools.versions['gdb index-cache'] ?? '?'}
  in this gdb's default, which mapscope (gdb -nx) keeps.
- Raw rows: \`${rawFile ?? 'bench/.cache/results.json'}\`.
`;
}
