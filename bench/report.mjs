// bench/RESULTS.md: the machine, versions, method, the targets and every measured row.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';

const fmt = (x, d = 2) => (x === undefined || Number.isNaN(x) ? '' : x.toFixed(d));
const sizeName = (n) => (n >= 1e3 && Number.isInteger(Math.log10(n)) ? `10^${Math.log10(n)}` : String(n));

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? '?';
  const nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  return `${nproc} CPUs (nproc), ${model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Linux ${release()}`;
}

/** mapscope's row for the same case, to put every other tool beside it. */
function baseline(rows, r) {
  return rows.find((m) => m.tool === 'mapscope' && m.impl === r.impl && m.kind === r.kind && m.n === r.n && m.mode === r.mode);
}

function perEntry(r) {
  const seen = r.entriesSeen ?? r.n;
  return r.status === 'ok' && seen > 0 ? (r.seconds * 1e6) / seen : undefined;
}

function table(rows) {
  const lines = [
    '| impl | kind | entries | mode | tool | status | wall s | peak RSS MiB | entries seen | µs/entry | vs mapscope | notes |',
    '|---|---|---:|---|---|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    if (r.kind === 'gopls') continue;
    const base = baseline(rows, r);
    let ratio = '';
    let notes = '';
    if (r.tool === 'floor') {
      // The floor is a lower bound: show how far above it mapscope is (the "within 3×" target).
      if (base && r.status === 'ok') ratio = `mapscope = ${fmt(base.seconds / r.seconds, 1)}× wall, ${fmt(base.seconds / r.readSeconds, 0)}× reads`;
      if (r.readSeconds !== undefined) notes = `reads ${fmt(r.readSeconds, 3)} s of ${(r.bytes / 2 ** 20).toFixed(1)} MiB`;
    } else if (r.tool !== 'mapscope' && base && perEntry(r) && perEntry(base)) {
      ratio = `${fmt(perEntry(r) / perEntry(base), 1)}× slower`;
    }
    const wall = r.status === 'timeout' ? `> ${fmt(r.seconds, 0)}` : r.status === 'not supported' ? '' : fmt(r.seconds);
    lines.push(`| ${r.impl} | ${r.kind} | ${sizeName(r.n)} | ${r.mode} | ${r.tool} | ${r.status} | ${wall} | ${r.status === 'not supported' ? '' : fmt(r.rssMiB, 0)} | ${r.entriesSeen ?? ''} | ${fmt(perEntry(r), 2)} | ${ratio} | ${notes} |`);
  }
  return lines.join('\n');
}

function targets(rows) {
  const find = (pred) => rows.find(pred);
  const out = [];
  const check = (name, row, ok, measured) => out.push(`| ${name} | ${row ? measured : 'not measured in this run'} | ${row ? (ok ? 'met' : 'NOT met') : ''} |`);
  for (const impl of ['classic', 'swiss']) {
    const m = find((r) => r.tool === 'mapscope' && r.impl === impl && r.kind === 'int64' && r.n === 1e6 && r.mode === 'core');
    check(`1M map[int64]int64, core, ${impl}: all entries + buckets as JSON ≤ 1.0 s`, m, m?.status === 'ok' && m.seconds <= 1.0, m && `${fmt(m.seconds)} s (${m.status})`);
    const f = find((r) => r.tool === 'floor' && r.impl === impl && r.kind === 'int64' && r.n === 1e6 && r.mode === 'core');
    check(`  same map: decode within 3× of the raw-read floor (mapscope wall ÷ floor gdb wall)`, m && f, m && f && m.seconds <= 3 * f.seconds, m && f && `${fmt(m.seconds / f.seconds, 1)}× (floor ${fmt(f.seconds)} s wall, ${fmt(f.readSeconds, 3)} s in reads)`);
  }
  // Per-entry speed-ups against the peers at the largest size each peer finished, on cores.
  for (const [tool, factor, impl] of [['runtime-gdb.py', 100, 'classic'], ['delve', 10, 'classic'], ['delve', 10, 'swiss']]) {
    const peer = rows
      .filter((r) => r.tool === tool && r.impl === impl && r.kind === 'int64' && r.mode === 'core' && perEntry(r))
      .sort((a, b) => b.n - a.n)[0];
    const base = peer && baseline(rows, peer);
    const x = peer && base && perEntry(peer) / perEntry(base);
    check(`per entry ≥ ${factor}× faster than ${tool} (${impl}, int64, core, largest size it finished)`, x, x >= factor, x && `${fmt(x, 1)}× at ${sizeName(peer.n)}`);
  }
  for (const impl of ['classic', 'swiss']) {
    const s = find((r) => r.tool === 'mapscope' && r.impl === impl && r.kind === 'string' && r.n === 1e6 && r.mode === 'core');
    check(`1M map[string]string, core, ${impl} ≤ 2 s`, s, s?.status === 'ok' && s.seconds <= 2, s && `${fmt(s.seconds)} s`);
  }
  for (const impl of ['classic', 'swiss']) {
    const st = find((r) => r.tool === 'mapscope --stats' && r.impl === impl && r.n === 1e7);
    check(`10M entries, --stats, ${impl}: peak memory ≤ 300 MB`, st, st?.status === 'ok' && st.rssMiB * 2 ** 20 <= 300e6, st && (st.status === 'not supported' ? 'not supported (exit 2: mapscope has no --stats yet)' : `${fmt(st.rssMiB, 0)} MiB (${st.status})`));
  }
  const g = rows.filter((r) => r.kind === 'gopls');
  for (const r of g) out.push(`| attach to first output, gopls (live): ${r.tool} | first output ${fmt(r.firstOutput)} s, done ${fmt(r.seconds)} s, ${fmt(r.rssMiB, 0)} MiB (${r.status}) | measured |`);
  if (!g.length) out.push('| attach to first output, gopls | not measured in this run | |');
  return ['| target | measured | |', '|---|---|---|', ...out].join('\n');
}

export function renderResults({ rows, options, started, tools, goTools, argv, elapsed }) {
  const versions = Object.entries(tools.versions).map(([k, v]) => `- ${k}: ${v}`).join('\n');
  return `# mapscope benchmark results

Generated by \`npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}\` on ${started.toISOString()} in ${fmt(elapsed / 60, 1)} min.

## Machine

${machine()}

## Versions

${versions}
- runtime-gdb.py: \`$GOROOT/src/runtime/runtime-gdb.py\` of the toolchain that built the binary (${Object.values(tools.goroot).join(', ')})

## Targets

${targets(rows)}

## Results

${table(rows)}

## Method

- **Maps.** \`bench/programs/bigmaps\` builds one map (\`-kind int64|string|ptr -n N\`): \`map[int64]int64\` (keys i·7919),
  \`map[string]string\` ("key/N" → "value-%08d"), \`map[string]*T\` (T: int64, string, float64), grown from empty
  without a size hint. *classic* is the binary built by ${goTools.classic} (hmap buckets), *swiss* the one built by
  ${goTools.swiss} (Swiss tables). Sizes: ${options.sizes.map(sizeName).join(', ')}; 10^7 only for int64 on a core.
- **live**: the program prints READY and sleeps; every tool attaches to it in turn (mapscope \`--pid\`, gdb \`-p\`, \`dlv attach\`).
  **core**: the program prints READY and crashes with GOTRACEBACK=crash and \`ulimit -c unlimited\`; the kernel core
  (core_pattern "core") is used by every tool (gdb \`gcore\` is the fallback if the kernel writes no core). The core was
  just written, so it is in the page cache for every tool alike.
- **Wall** is from spawning the command to its exit (process start-up, gdb/dlv start-up and symbol loading included).
  **Peak RSS** is \`/usr/bin/time -f %M\`: the largest resident set of the command or any one of its descendants
  (mapscope's node or the gdb it drives; not their sum). One run per tool per case, tools one after another.
- **mapscope**: \`node dist/cli/main.js inspect EXPR (--pid P | --core C --exe E) --json\`: every entry, the header and
  every bucket/tophash or table/group/ctrl byte. *Entries seen* is the length of \`maps[0].entries\`.
  \`--stats\` is tried on int64 cores; exit status 2 (usage error) is recorded as "not supported".
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
- **vs mapscope**: the peer's µs per entry seen ÷ mapscope's µs per entry on the same map (how many times slower).
  For the floor: mapscope's wall ÷ the floor's wall, and ÷ the floor's read time alone.
- Each command is capped at ${options.timeout} s; a capped run is "timeout" with wall "> ${options.timeout}".
- **gopls**: \`gopls serve\` (${tools.versions.gopls ?? 'not installed'}) is started idle; \`mapscope list --pid --json\` and
  then \`mapscope inspect\` (text) of its biggest listed map are timed, with the time to the first byte on stdout.
- Raw rows: \`bench/.cache/results.json\`.
`;
}
