// The maps real services hold (issue 16), beside the bigmaps rows and measured the same way:
// mapscope on test/programs/services (go-cache, golang-lru/v2, google/uuid), live, and
// `inspect --html` of 1M bigmaps maps, live and on cores. Each row also gives how long a live
// target was kept stopped (target.stoppedMs, or the "target resumed after N ms stopped" phase for
// the text output of --html) and whether the output was cut short (target.partial, top's
// walk.stoppedBy): a cut-short run is never "ok".
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { eachLine, limits, makeCore, mapscope, msFields, startProgram, stopProgram } from './measure.mjs';


/** The sizes the issue names; with --quick, smaller ones that check the harness in a few minutes. */
export const SERVICES_SIZES = {
  full: { objects: 200_000, requests: 100_000, catalog: 300_000, html: 1_000_000 },
  quick: { objects: 20_000, requests: 10_000, catalog: 30_000, html: 100_000 },
};

/**
 * The budget of the rows that measure the full work: far above what they take, so that what is
 * measured is the whole reading and the stop time is reported, not cut (the default --max-pause
 * is 1 s, and top's default --max-time 10 s).
 */
export const FULL_PAUSE = '60s';
/** top's --max-time for the full-work rows: under the harness's per-command cap. */
const fullTime = () => `${Math.max(10, limits.timeoutS - 20)}s`;
/** The bound rows: top as a user who sets a budget runs it. */
export const BOUNDS = [
  { option: '--max-pause', value: '200ms', limitMs: 200, on: 'stop' },
  { option: '--max-time', value: '2s', limitMs: 2000, on: 'wall' },
];
/** Process A holds the big go-cache; its other shapes are kept small (they are not read). */
export const SMALL_OTHERS = ['-requests', '1000', '-catalog', '1000'];

// ---- which build was measured ----

/** The bundle mapscope runs from: a rebuild by someone else during a run changes it. */
function distStamp() {
  const h = createHash('sha1');
  for (const f of ['dist/cli/main.js', 'dist/cli/run.cjs']) {
    const p = join(limits.mapscopeRoot, f);
    if (existsSync(p)) h.update(readFileSync(p));
  }
  return h.digest('hex').slice(0, 10);
}

/** Of the checkout measured: `git log --oneline -1`, and whether src/ or gdb-scripts/ differ from it (dist/ may be built from them). */
export function gitState() {
  const git = (...a) => execFileSync('git', ['-C', limits.mapscopeRoot, ...a], { encoding: 'utf8' }).trim();
  try {
    const dirty = git('status', '--porcelain', '--', 'src', 'gdb-scripts').split('\n').filter(Boolean).length;
    return { commit: git('log', '--oneline', '-1'), dirty, dist: distStamp() };
  } catch {
    return { commit: '?', dirty: 0, dist: distStamp() };
  }
}

// ---- the services program, live ----

/**
 * Starts services live with `flags` and waits for READY (it writes its truth first, which at these
 * sizes takes seconds); gives the process and what the rows check against: each map's count by
 * expression, and the addresses of the maps a walk from the globals must find (top).
 */
function startServices(bin, flags, dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const truthFile = join(dir, 'truth.json');
  return new Promise((resolve, reject) => {
    const p = spawn(bin, ['-truth', truthFile, '-mode', 'live', ...flags], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    const timer = setTimeout(() => {
      stopProgram(p);
      reject(new Error(`services ${flags.join(' ')} did not print READY within 300 s`));
    }, 300_000);
    p.on('error', reject);
    p.on('exit', (c) => {
      clearTimeout(timer);
      reject(new Error(`services exited (${c}) before READY: ${err.slice(-500)}`));
    });
    p.stderr.on('data', (d) => (err = (err + d).slice(-2000)));
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
      if (!out.includes('READY')) return;
      clearTimeout(timer);
      const t = JSON.parse(readFileSync(truthFile, 'utf8'));
      rmSync(dir, { recursive: true, force: true });
      resolve({ proc: p, pid: p.pid, counts: new Map(t.maps.map((m) => [m.expr, m.count])), found: new Set(t.found.map((f) => f.address)), goVersion: t.goVersion });
    });
  });
}

// ---- what one run printed ----

/** The last "target resumed after N ms stopped" phase stamp: the stop time of a command without JSON. */
function stoppedFromPhases(r) {
  let ms;
  for (const p of r.phases) {
    const m = /^target resumed after (\d+) ms stopped$/.exec(p.what);
    if (m) ms = Number(m[1]);
  }
  return ms;
}

/** mapscope's own word that it read less than asked (stderr: "mapscope: warning: partial: …"). */
function partialFromStderr(r) {
  return /^mapscope: (?:warning: )?partial: (.*)$/m.exec(r.stderr)?.[1] ?? null;
}

function parseJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { bad: e.message.slice(0, 80) };
  }
}

/** inspect --json of one map: its entries, and target.stoppedMs and target.partial. */
const readInspect = (r) => {
  const j = parseJson(r.outFile);
  if (j.bad) return { bad: j.bad, stoppedMs: stoppedFromPhases(r), partial: partialFromStderr(r), seen: 0 };
  return { stoppedMs: j.target?.stoppedMs ?? undefined, partial: j.target?.partial ?? null, seen: j.maps?.[0]?.entries?.length ?? 0 };
};

/**
 * top --json: how many of the maps the program says a walk must find it found (by address), and
 * whether its walk stopped at a bound (walk.stoppedBy), which is a cut-short output as much as
 * target.partial is.
 */
const readTop = (found) => (r) => {
  const j = parseJson(r.outFile);
  if (j.bad) return { bad: j.bad, stoppedMs: stoppedFromPhases(r), partial: partialFromStderr(r), seen: 0 };
  const seen = (j.maps ?? []).reduce((k, m) => k + (found.has(m.address) ? 1 : 0), 0);
  const w = j.walk ?? {};
  const partial = j.target?.partial ?? (w.stoppedBy ? `walk stopped by ${w.stoppedBy} after ${w.objects} objects` : null);
  return { stoppedMs: j.target?.stoppedMs ?? undefined, partial, seen, mapsListed: j.maps?.length ?? 0, walk: { objects: w.objects, elapsedMs: w.elapsedMs, stoppedBy: w.stoppedBy ?? null } };
};

/** inspect --html FILE: the entries the report embeds (one `{"key":…}` line each), the stop from the phases. */
const readHtml = (html) => (r) => {
  let seen = 0;
  let closed = false;
  eachLine(html, (l) => {
    seen += l.split('{"key":').length - 1;
    if (l.startsWith('</html>')) closed = true;
  });
  const bytes = existsSync(html) ? readFileSync(html).length : 0;
  rmSync(html, { force: true });
  return { stoppedMs: stoppedFromPhases(r), partial: partialFromStderr(r), seen, htmlMiB: bytes / 2 ** 20, bad: closed || r.code !== 0 ? undefined : 'the HTML file is not complete' };
};

function statusOf(r, got, expected) {
  if (r.timedOut) return 'timeout';
  if (got.partial) return `partial: ${got.partial}`;
  if (got.bad) return `bad output: ${got.bad}`;
  if (r.code !== 0) return `exit ${r.code}`;
  if (got.seen < expected) return `incomplete: ${got.seen} of ${expected}`;
  return 'ok';
}

/**
 * One measured run of mapscope, read at once (outputs are removed as they are read). If dist/ was
 * rebuilt while it ran (another engineer's build), it runs once more: that run measured two builds.
 */
async function runOnce(label, args, outFile, read, expected) {
  for (let attempt = 1; ; attempt++) {
    const before = distStamp();
    const r = await mapscope(label, args, outFile);
    const after = distStamp();
    const got = read(r);
    rmSync(outFile, { force: true });
    const run = { ...r, ...got, status: statusOf(r, got, expected), dist: after, distChanged: before !== after };
    if (!run.distChanged || attempt === 2) return run;
    process.stderr.write('  dist/ was rebuilt during this run: running it again\n');
  }
}

/** The median run by wall time, every run kept (wall, stop, status) for the notes. */
function medianOf(all) {
  return [...all].sort((a, b) => a.seconds - b.seconds)[(all.length - 1) >> 1];
}

/**
 * A row: the median run, every run's wall and stop, and a status that is "ok" only if every run
 * was: a run cut short in any of the three is said in the row.
 */
function toRow(c, all, expected) {
  const med = medianOf(all);
  const bad = all.filter((r) => r.status !== 'ok');
  const status = bad.length === 0 ? 'ok' : med.status !== 'ok' ? (bad.length < all.length ? `${med.status} (${bad.length} of ${all.length} runs)` : med.status) : `${bad[0].status} (${bad.length} of ${all.length} runs)`;
  const git = gitState();
  return {
    ...c,
    tool: 'mapscope',
    status,
    seconds: med.seconds,
    stoppedMs: med.stoppedMs,
    partial: med.partial ?? null,
    runs: all.map((r) => r.seconds),
    stops: all.map((r) => r.stoppedMs),
    statuses: all.map((r) => r.status),
    expected,
    entriesSeen: med.seen,
    mapsListed: med.mapsListed,
    walk: med.walk,
    htmlMiB: med.htmlMiB,
    rssMiB: med.rssMiB,
    ...msFields(med),
    commit: git.commit,
    dirty: git.dirty,
    dist: med.dist,
    distChanged: all.some((r) => r.distChanged),
  };
}

const EXPR = { int64: 'main.m64', string: 'main.mstr' };

// ---- the rows ----

/**
 * Every services row for each impl in `options.impls`: (1) inspect --json of the go-cache map,
 * paired run by run with map[string]string of the same size; (2) top --json over the request maps,
 * with the full budget and with each bound; (3) inspect --json of the catalog; (4) inspect --html of
 * 1M map[string]string and map[int64]int64 (bigmaps), in each mode of `options.modes`.
 */
export async function runServices({ tools, services, work, options, sizes }) {
  const rows = [];
  const times = options.repeat;
  const out = (name) => join(work, `${name}.out`);
  const guard = async (c, f) => {
    try {
      await f();
    } catch (e) {
      process.stderr.write(`  case failed: ${e.message}\n`);
      rows.push({ ...c, tool: 'harness', status: `failed: ${e.message}` });
    }
  };
  for (const impl of options.impls) {
    const bin = services[impl];

    // (1) The go-cache map beside map[string]string of the same size, run in pairs (go-cache, then
    // map[string]string) so that both of a pair meet the machine at the same speed.
    await guard({ impl, mode: 'live', section: 'gocache' }, async () => {
      const flagsA = ['-objects', String(sizes.objects), ...SMALL_OTHERS];
      process.stderr.write(`services ${impl}: go-cache (${flagsA.join(' ')}) beside bigmaps map[string]string ${sizes.objects}\n`);
      const A = await startServices(bin, flagsA, join(work, 'services-a'));
      let B;
      try {
        B = await startProgram(tools.bigmaps[impl], 'string', sizes.objects);
        const expr = 'main.objects.cache.items';
        const n = A.counts.get(expr);
        const ga = [];
        const ms = [];
        for (let i = 0; i < times; i++) {
          ga.push(await runOnce('mapscope inspect --json (go-cache)', ['inspect', expr, '--pid', String(A.pid), '--json', '--max-pause', FULL_PAUSE], out('gocache'), readInspect, n));
          ms.push(await runOnce('mapscope inspect --json (map[string]string)', ['inspect', 'main.mstr', '--pid', String(B.pid), '--json', '--max-pause', FULL_PAUSE], out('mstr'), readInspect, sizes.objects));
        }
        const pairs = ga.map((g, i) => ({
          wall: g.seconds / ms[i].seconds,
          // Start-up (node, gdb, symbols of a bigger binary, attach) is not per entry: the rest of each run.
          afterOpen: g.startupMs !== undefined && ms[i].startupMs !== undefined ? (g.seconds - g.startupMs / 1000) / (ms[i].seconds - ms[i].startupMs / 1000) : undefined,
          stop: g.stoppedMs > 0 && ms[i].stoppedMs > 0 ? g.stoppedMs / ms[i].stoppedMs : undefined,
        }));
        const mid = (xs) => (xs.length ? [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1] : undefined);
        const ratio = {
          wall: mid(pairs.map((p) => p.wall)),
          afterOpen: mid(pairs.map((p) => p.afterOpen).filter((x) => x !== undefined)),
          stop: mid(pairs.map((p) => p.stop).filter((x) => x !== undefined)),
          pairs,
        };
        const base = { impl, mode: 'live', goVersion: A.goVersion };
        rows.push(toRow({ ...base, section: 'gocache', program: `services ${flagsA.join(' ')}`, expr, n, command: `inspect ${expr} --json --max-pause ${FULL_PAUSE}`, ratio }, ga, n));
        rows.push(toRow({ ...base, section: 'mstr', program: `bigmaps -kind string -n ${sizes.objects}`, expr: 'main.mstr', n: sizes.objects, command: `inspect main.mstr --json --max-pause ${FULL_PAUSE}` }, ms, sizes.objects));
      } finally {
        if (B) stopProgram(B);
        stopProgram(A.proc);
      }
    });

    // (2) and (3): the program at its defaults but for the sizes asked: 100,000 requests, each
    // with a small map of headers, behind map[uuid.UUID]*Request; a 300,000-entry catalog.
    await guard({ impl, mode: 'live', section: 'top' }, async () => {
      const flagsB = ['-requests', String(sizes.requests), '-catalog', String(sizes.catalog)];
      process.stderr.write(`services ${impl}: top and the catalog (${flagsB.join(' ')})\n`);
      const P = await startServices(bin, flagsB, join(work, 'services-b'));
      try {
        const base = { impl, mode: 'live', goVersion: P.goVersion, program: `services ${flagsB.join(' ')}`, n: P.found.size };
        const pid = ['--pid', String(P.pid)];
        const full = ['--max-pause', FULL_PAUSE, '--max-time', fullTime()];
        const top = async (section, budget) => {
          const all = [];
          for (let i = 0; i < times; i++) all.push(await runOnce(`mapscope top --json ${budget.join(' ')}`, ['top', ...pid, '--json', ...budget], out('top'), readTop(P.found), P.found.size));
          return toRow({ ...base, section, expr: '', command: `top --json ${budget.join(' ')}`, requests: sizes.requests }, all, P.found.size);
        };
        rows.push(await top('top', full));
        for (const b of BOUNDS) {
          const r = await top(`top ${b.option}`, [b.option, b.value]);
          // A bound is a promise for every run: the largest of the three is what is held to it.
          const measured = Math.max(...(b.on === 'stop' ? r.stops.map((x) => x ?? Infinity) : r.runs.map((s) => s * 1000)));
          rows.push({ ...r, bound: { ...b, worstMs: measured, held: measured <= b.limitMs } });
        }
        const expr = 'main.catalog';
        const n = P.counts.get(expr);
        const all = [];
        for (let i = 0; i < times; i++) all.push(await runOnce('mapscope inspect --json (catalog)', ['inspect', expr, ...pid, '--json', '--max-pause', FULL_PAUSE], out('catalog'), readInspect, n));
        rows.push(toRow({ ...base, section: 'catalog', expr, n, command: `inspect ${expr} --json --max-pause ${FULL_PAUSE}` }, all, n));
      } finally {
        stopProgram(P.proc);
      }
    });

    // (4) inspect --html of 1M-entry bigmaps maps, live and on a core.
    for (const kind of ['string', 'int64'])
      for (const mode of options.modes)
        await guard({ impl, mode, section: 'html', kind }, async () => {
          const n = sizes.html;
          process.stderr.write(`bigmaps ${impl} ${kind} ${n} ${mode}: inspect --html\n`);
          let prog, core, target;
          if (mode === 'live') {
            prog = await startProgram(tools.bigmaps[impl], kind, n);
            target = ['--pid', String(prog.pid), '--max-pause', FULL_PAUSE];
          } else {
            core = await makeCore(tools.bigmaps[impl], kind, n, join(work, 'core'));
            target = ['--core', core, '--exe', tools.bigmaps[impl]];
          }
          try {
            const html = join(work, 'report.html');
            const all = [];
            for (let i = 0; i < times; i++) all.push(await runOnce(`mapscope inspect --html (${kind}, ${mode})`, ['inspect', EXPR[kind], ...target, '--html', html], out('html'), readHtml(html), n));
            const shown = target.map((a) => (a === core ? 'CORE' : a === tools.bigmaps[impl] ? 'EXE' : a === String(prog?.pid) ? 'PID' : a));
            rows.push(toRow({ impl, mode, section: 'html', kind, program: `bigmaps -kind ${kind} -n ${n}`, expr: EXPR[kind], n, command: `inspect ${EXPR[kind]} ${shown.join(' ')} --html FILE` }, all, n));
          } finally {
            if (prog) stopProgram(prog);
            if (core) rmSync(dirname(core), { recursive: true, force: true });
          }
        });
  }
  return rows;
}
