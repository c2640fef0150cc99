// The services section of bench/RESULTS.md: its targets, rows and method, between two markers so
// that `npm run bench -- --services` rewrites it alone and a bigmaps run keeps it.
import { machine } from './report.mjs';
import { BOUNDS, FULL_PAUSE, SERVICES_SIZES, SMALL_OTHERS } from './services.mjs';

export const BEGIN = '<!-- services:begin (written by bench/run.mjs: `npm run bench -- --services` rewrites this section) -->';
export const END = '<!-- services:end -->';

const fmt = (x, d = 2) => (x === undefined || x === null || Number.isNaN(x) ? '' : x.toFixed(d));
const int = (x) => (x === undefined || x === null ? '' : Math.round(x).toLocaleString('en-US'));
const KIND = { string: 'map[string]string', int64: 'map[int64]int64' };

/** The section in `md` (markers included), or undefined. */
export function extractServices(md) {
  const a = md.indexOf(BEGIN);
  const b = md.indexOf(END);
  return a >= 0 && b > a ? md.slice(a, b + END.length) : undefined;
}

/** `md` with its services section replaced by `section`, or `section` put before "## Method" (or at the end). */
export function spliceServices(md, section) {
  const old = extractServices(md);
  if (old) return md.replace(old, () => section);
  const at = md.indexOf('\n## Method');
  return at >= 0 ? `${md.slice(0, at + 1)}${section}\n\n${md.slice(at + 1)}` : `${md.trimEnd()}\n\n${section}\n`;
}

const stopText = (ms) => (ms === undefined || ms === null ? '–' : `${int(ms)} ms`);
/** Every run of a row: wall (stopped), in the order they ran. */
const runsText = (r) => (r.runs ?? []).map((s, i) => `${fmt(s)} s${r.mode === 'live' ? ` (${stopText(r.stops?.[i])})` : ''}`).join(' / ');

function caseName(r) {
  switch (r.section) {
    case 'gocache':
      return `go-cache items \`${r.expr}\` (map[string]cache.Item)`;
    case 'mstr':
      return `map[string]string of the same size \`${r.expr}\``;
    case 'top':
      return `top over ${int(r.requests)} request maps, full budget`;
    case 'catalog':
      return `catalog \`${r.expr}\` (map[string]*main.Product)`;
    case 'html':
      return `--html of ${int(r.n)}-entry ${KIND[r.kind]}`;
    default:
      return r.section.startsWith('top ') ? `top, ${r.section.slice(4)} ${BOUNDS.find((b) => `top ${b.option}` === r.section)?.value ?? ''}` : r.section;
  }
}

function resultsTable(rows, buildOf) {
  const lines = [
    '| impl | case | program | mode | command | status | wall s | stopped ms | seen / expected | µs per entry (map) | start-up ms | node peak MiB | gdb peak MiB | runs: wall (stopped) | notes |',
    '|---|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const r of rows) {
    if (r.tool === 'harness') {
      lines.push(`| ${r.impl ?? ''} | ${r.section}${r.kind ? ` ${r.kind}` : ''} |  | ${r.mode ?? ''} |  | ${r.status} |  |  |  |  |  |  |  |  |  |`);
      continue;
    }
    const notes = [];
    if (r.section === 'gocache' && r.ratio) notes.push(`÷ map[string]string: wall ${fmt(r.ratio.wall, 1)}×, after target open ${fmt(r.ratio.afterOpen, 1)}×, stop ${fmt(r.ratio.stop, 1)}× (medians of the ${r.ratio.pairs.length} pairs)`);
    if (r.walk) notes.push(`walk: ${int(r.walk.objects)} objects in ${int(r.walk.elapsedMs)} ms${r.walk.stoppedBy ? `, stopped by ${r.walk.stoppedBy}` : ''}; ${int(r.mapsListed)} maps listed`);
    if (r.bound) notes.push(`bound ${r.bound.option} ${r.bound.value}: worst run ${r.bound.on === 'stop' ? `stopped ${int(r.bound.worstMs)} ms` : `wall ${fmt(r.bound.worstMs / 1000)} s`}, ${r.bound.held ? 'held' : 'NOT held'}`);
    if (r.htmlMiB) notes.push(`HTML ${fmt(r.htmlMiB, 0)} MiB`);
    if (r.distChanged) notes.push('dist/ was rebuilt during a run (that run was run again)');
    const build = buildOf(r);
    if (build) notes.push(`build: ${build}`);
    lines.push(
      `| ${r.impl} | ${caseName(r)} | \`${r.program}\` | ${r.mode} | \`${r.command}\` | ${r.status} | ${fmt(r.seconds)} | ${r.mode === 'live' ? int(r.stoppedMs) : '–'} | ${int(r.entriesSeen)} / ${int(r.expected)} | ${fmt((r.seconds * 1e6) / r.expected, 2)} | ${int(r.startupMs)} | ${fmt(r.nodeRssMiB, 0)} | ${fmt(r.gdbRssMiB, 0)} | ${runsText(r)} | ${notes.join('; ')} |`,
    );
  }
  return lines.join('\n');
}

function targetsTable(rows, judged) {
  const out = [];
  const verdict = (ok, words = ['met', 'NOT met']) => (judged ? (ok ? words[0] : words[1]) : 'not judged (--quick sizes)');
  const line = (name, r, measured, ok, words) => out.push(`| ${name} | ${r ? measured : 'not measured in this run'} | ${r ? verdict(ok, words) : ''} |`);
  const find = (impl, section, extra = () => true) => rows.find((r) => r.tool === 'mapscope' && r.impl === impl && r.section === section && extra(r));
  const impls = [...new Set(rows.map((r) => r.impl).filter(Boolean))];
  for (const impl of impls) {
    const g = find(impl, 'gocache');
    const m = find(impl, 'mstr');
    const ok = (r) => r?.status === 'ok';
    const name = `${impl}: go-cache map of ${int(g?.n ?? SERVICES_SIZES.full.objects)} entries, live, \`inspect --json\``;
    line(`${name}: ≤ 2 s wall`, g, g && `${fmt(g.seconds)} s (${g.status})`, ok(g) && g.seconds <= 2);
    line(`  same: target stopped ≤ 0.3 s`, g, g && `${stopText(g.stoppedMs)} (${g.status})`, ok(g) && g.stoppedMs <= 300);
    line(
      `  same: per entry within 3× of \`map[string]string\` of the same size, read the same way (wall ÷ wall, run in pairs)`,
      g && m,
      g && m && `${fmt(g.ratio?.wall, 1)}× (pairs ${g.ratio?.pairs.map((p) => fmt(p.wall, 1)).join(' / ')}); after target open ${fmt(g.ratio?.afterOpen, 1)}×; map[string]string ${fmt(m.seconds)} s, stopped ${stopText(m.stoppedMs)} (${m.status})`,
      ok(g) && ok(m) && g.ratio?.wall <= 3,
    );
    const t = find(impl, 'top');
    line(`${impl}: \`top --json\`, ${int(t?.requests ?? SERVICES_SIZES.full.requests)} request maps behind a map of pointers, live: ≤ 5 s wall`, t, t && `${fmt(t.seconds)} s; found ${int(t.entriesSeen)} of the ${int(t.expected)} maps the program says a walk must find (${t.status})`, ok(t) && t.seconds <= 5);
    line(`  same: target stopped ≤ 1 s`, t, t && `${stopText(t.stoppedMs)} (${t.status})`, ok(t) && t.stoppedMs <= 1000);
    for (const b of BOUNDS) {
      const r = find(impl, `top ${b.option}`);
      const what = b.on === 'stop' ? `target stopped ≤ ${b.value} in every run` : `wall ≤ ${b.value} in every run`;
      line(
        `  \`top --json ${b.option} ${b.value}\`: ${what}`,
        r,
        r && `worst ${b.on === 'stop' ? stopText(r.bound?.worstMs) : `${fmt(r.bound?.worstMs / 1000)} s`}; median run: wall ${fmt(r.seconds)} s, stopped ${stopText(r.stoppedMs)}, found ${int(r.entriesSeen)} of ${int(r.expected)} maps; output: ${r.status}`,
        r?.bound?.held,
        ['held', 'NOT held'],
      );
    }
    const c = find(impl, 'catalog');
    out.push(`| ${impl}: \`inspect --json\` of the ${int(c?.n ?? SERVICES_SIZES.full.catalog)}-entry catalog (map of pointers), live | ${c ? `${fmt(c.seconds)} s, stopped ${stopText(c.stoppedMs)} (${c.status})` : 'not measured in this run'} | ${c ? 'measured (no target)' : ''} |`);
    for (const kind of ['string', 'int64'])
      for (const mode of ['core', 'live']) {
        const h = find(impl, 'html', (r) => r.kind === kind && r.mode === mode);
        line(`${impl}: \`inspect --html FILE\`, ${int(h?.n ?? SERVICES_SIZES.full.html)}-entry ${KIND[kind]}, ${mode}: ≤ 3 s wall`, h, h && `${fmt(h.seconds)} s${mode === 'live' ? `, stopped ${stopText(h.stoppedMs)}` : ''} (${h.status})`, ok(h) && h.seconds <= 3);
      }
  }
  return ['| target | measured | |', '|---|---|---|', ...out].join('\n');
}

const gitText = (g) => `\`${g.commit}\`${g.dirty ? ` with ${g.dirty} uncommitted change${g.dirty > 1 ? 's' : ''} in src/ or gdb-scripts/` : ''}, dist/ ${g.dist}`;

export function renderServices({ rows, started, elapsed, argv, mapscope = 'dist/cli/main.js', sizes, repeat, gitStart, gitEnd, versions }) {
  const judged = JSON.stringify(sizes) === JSON.stringify(SERVICES_SIZES.full);
  // Rows measured on another build than the run began with say so.
  const buildOf = (r) => (r.commit && (r.commit !== gitStart.commit || r.dist !== gitStart.dist) ? `${r.commit.split(' ')[0]}, dist/ ${r.dist}${r.dirty !== gitStart.dirty ? `, ${r.dirty} uncommitted` : ''}` : '');
  const go = Object.entries(versions ?? {})
    .filter(([k]) => k.startsWith('go ('))
    .map(([k, v]) => `${k.slice(4, -1)}: ${v.replace(/^go version /, '')}`)
    .join('; ');
  return `${BEGIN}
## The maps services hold (issue 16)

Generated by \`npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}\` on ${new Date(started).toISOString()} in ${fmt(elapsed / 60, 1)} min.
mapscope (\`${mapscope}\`) built with \`npx tsup\` from ${gitText(gitStart)} at the start${gitEnd.commit !== gitStart.commit || gitEnd.dist !== gitStart.dist ? `; ${gitText(gitEnd)} at the end (rows measured on another build say which)` : ' and at the end'}.

${machine()}; ${go}.

### Targets

${targetsTable(rows, judged)}

### Results

Wall is from spawning the command to its exit, the median of ${repeat} runs; *stopped* is the median run's
\`target.stoppedMs\` (for \`--html\`, whose output is text, its \`target resumed after N ms stopped\` phase stamp).
A row is ok only if every run exited 0, was not cut short and gave every entry (or found every map).

${resultsTable(rows, buildOf)}

### Method

- **Program.** \`test/programs/services\` (go-cache v2.1.0, golang-lru/v2 v2.0.7, google/uuid v1.6.0; see its README), built
  into \`bench/.cache/bin/services-IMPL\` with CGO_ENABLED=0 as the suite builds it, by the same toolchains as bigmaps
  (classic: Go 1.19, swiss: Go 1.26), started live (\`-truth FILE -mode live\`); the rows run once it printed READY.
  Its truth file gives what each row is checked against: the map's count (\`maps[].count\`) and the maps a walk from
  the globals must find (\`found[]\`, by address).
- **(1) go-cache.** Process A: \`services -objects ${sizes.objects} ${SMALL_OTHERS.join(' ')}\` (its other
  maps kept small: they are not read). \`mapscope inspect main.objects.cache.items --pid P --json --max-pause ${FULL_PAUSE}\`: every entry,
  \`Item{Object interface{}, Expiration int64}\` with five dynamic types. Beside it, bigmaps \`-kind string -n ${sizes.objects}\` and
  \`inspect main.mstr --pid P --json --max-pause ${FULL_PAUSE}\`, the same way. The two run in pairs (go-cache, then map[string]string,
  ${repeat} times) and the ratio is the median of the pairs' ratios: the machine's speed swings from one minute to the next.
  *After target open*: each run's wall less its start-up (spawn → \`target open\`: node, gdb, symbols, attach), which is not per entry.
- **(2) top.** Process B: \`services -requests ${sizes.requests} -catalog ${sizes.catalog}\` (the rest at the program's defaults:
  10,000 go-cache items, 10,000 sessions, 50 clients). \`mapscope top --pid P --json\` with \`--max-pause ${FULL_PAUSE} --max-time\` the per-command cap less 20 s (280 s by default)
  (the full work; top's defaults are 1 s and 10 s), then with \`--max-pause 200ms\` alone and \`--max-time 2s\` alone. Found = the maps of the
  truth's \`found\` whose address top printed; a walk stopped by a bound (\`walk.stoppedBy\`) is a cut-short output like
  \`target.partial\`. A bound row is expected to be cut short: it is judged on the bound, in its worst run — for \`--max-pause\`,
  \`target.stoppedMs\`; for \`--max-time\`, the wall from spawn (node's start-up included).
- **(3) catalog.** On process B: \`inspect main.catalog --pid P --json --max-pause ${FULL_PAUSE}\`.
- **(4) --html.** bigmaps \`-kind string|int64 -n ${sizes.html}\` live (\`--pid P --max-pause ${FULL_PAUSE}\`) and on its kernel core
  (\`--core C --exe E\`; made as for the bigmaps rows): \`inspect EXPR --html FILE\`, stdout (text) to a file. Seen = the entries embedded
  in the report (one \`{"key":…}\` each); the file must end in \`</html>\`.
- **Runs, memory, phases** as for the bigmaps rows (see Method, below): each command ${repeat} times in a row, the row is the median run by
  wall, \`MAPSCOPE_TRACE=phases\`, node's and gdb's own peaks. The commit and a hash of \`dist/cli/{main.js,run.cjs}\` are taken at
  each row; a run during which \`dist/\` changed (someone else's build) is run again.
- Raw rows: \`bench/.cache/results.services.json\`; \`npm run bench -- --render-only\` writes this section again from them.
${END}`;
}
