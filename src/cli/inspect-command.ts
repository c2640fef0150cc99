/** `mapscope inspect`: read maps from a live process or a core dump. */
import { closeSync, openSync, writeSync } from 'node:fs';
import { GdbSession, type TargetSpec } from '../gdb/session.js';
import { Inspector } from '../inspect/inspect.js';
import { CachedMemory } from '../target/cache.js';
import type { StopBudget } from '../target/stop-window.js';
import { BUDGET_HELP, BUDGET_OPTIONS, stopBudget } from './budget-args.js';
import { copyProcess, copyRoom } from './copy-process.js';
import { contractJson } from '../report/contract.js';
import { writeHtmlReport } from '../report/html/report.js';
import { textReport } from '../report/text.js';
import { GdbTarget } from '../target/gdb-target.js';
import { packageOfGlobal } from '../target/gdb-variables.js';
import { parseGlobalPath } from '../target/global-path.js';
import type { GoroutineFrameSelector } from '../goroutines/bridge.js';
import { goroutineFrameTarget } from '../goroutines/frame-target.js';
import { writeJsonBytes, writeJsonBytesTo } from '../values/json.js';
import { JsonOut } from '../values/json-out.js';
import { type StreamedMap, streamMap } from '../inspect/stream.js';
import { endJson, entriesHeadJson, statsJson, statsText, streamedMapJson } from '../report/stream.js';
import { Progress } from './progress.js';
import { writeAllSync } from './stdout.js';
import { EXIT_OK, EXIT_SOME_FAILED, UsageError } from './exit.js';
import { nonNegativeInt, targetSpec } from './target-args.js';
import { parseCommandArgs } from './parse-args.js';
import { traceLog, tracePhase } from '../gdb/trace-log.js';

export const INSPECT_HELP = `Usage:
  mapscope inspect EXPR [EXPR...] --pid PID             [--json | --jsonl] [--stats] [--html FILE] [--limit N]
  mapscope inspect EXPR [EXPR...] --core CORE --exe EXE [--json | --jsonl] [--stats] [--html FILE] [--limit N]
  mapscope inspect EXPR [EXPR...] (--pid PID | --core CORE --exe EXE) --goroutine G [--frame F] ...

Reads Go maps, exactly as they are in memory: the header (hmap or Map), every bucket with its
tophash bytes and overflow chain (or every table, group and control byte), and the entries.

EXPR names a map as Go code and gdb do:
  main.routes                      a package-level variable
  main.cfg.byName, (*main.srv).m   a field path, through pointers too
  net/http.DefaultServeMux.m       any package path (this field is Go 1.19-1.21's; from
                                   Go 1.22: net/http.DefaultServeMux.index.segments)
  main.box.v                       an interface (any, or another) holding a map
  0xc000012345:map[string]int      a raw map header address with its Go type
  m, cfg.byName                    with --goroutine: a local or parameter of that goroutine's
                                   frame, or a field path from one

Target (exactly one):
  --pid PID          attach read-only, read, detach: the process runs on unharmed
  --core CORE        a core dump, with
  --exe EXE          the binary that produced it

Where (default: package-level variables):
  --goroutine G      read EXPR in goroutine G (as 'mapscope goroutines' lists them), parked
                     or running, without changing its registers
  --frame F          in its frame F (0 innermost; default: the innermost frame that has a
                     local or parameter named as EXPR begins)

Output:
  --json             the mapscope/inspect@1 JSON contract on stdout
  --jsonl            entries streamed as JSON Lines (mapscope/entries@1) while the map is read:
                     a line for the map, one per entry, one at its end; memory stays flat
  --stats            statistics only: header and analysis (occupancy, chains, tombstones,
                     memory, GC, cache lines), counted as the map is read, in memory that does
                     not grow with the map (mapscope/stats@1 with --json; with --jsonl, in each
                     map's end line)
  --html FILE        also write a self-contained HTML report (slot heatmaps, charts) to FILE
  --limit N          at most N entries per map (default: all with --json and --jsonl, 20 in
                     text); with --jsonl alone, reading stops there
  --rows N           rows drawn per map in text: buckets, tables and groups (default 32);
                     what is left out is counted in one line
  --gdb PATH         the gdb to run (default: gdb on PATH, or $MAPSCOPE_GDB)

${BUDGET_HELP}

A progress line is drawn on stderr while a big map is read, when stderr is a terminal.

Exit status: 0 all maps read; 1 some map could not be read (its entry says why), or the
reading was cut short by --max-pause or --max-time (the output is marked partial);
2 usage error or the target cannot be opened (the reason on stderr).
`;

export interface InspectArgs {
  readonly exprs: string[];
  readonly spec: TargetSpec;
  readonly json: boolean;
  readonly jsonl: boolean;
  readonly stats: boolean;
  /** Where to write the HTML report, besides the text or JSON on stdout. */
  readonly html: string | undefined;
  readonly limit: number | undefined;
  readonly rows: number;
  readonly gdb: string | undefined;
  /** Read EXPRs in a goroutine's frame (`--goroutine G [--frame F]`) rather than as globals. */
  readonly at: GoroutineFrameSelector | undefined;
  readonly budget: StopBudget;
}


export function parseInspectArgs(argv: string[]): InspectArgs {
  const parsed = parseCommandArgs(
    'inspect',
    argv,
    {
      pid: { type: 'string' },
      core: { type: 'string' },
      exe: { type: 'string' },
      json: { type: 'boolean', default: false },
      jsonl: { type: 'boolean', default: false },
      stats: { type: 'boolean', default: false },
      html: { type: 'string' },
      limit: { type: 'string' },
      rows: { type: 'string' },
      gdb: { type: 'string' },
      goroutine: { type: 'string' },
      frame: { type: 'string' },
      ...BUDGET_OPTIONS,
    },
    true,
  );
  const v = parsed.values;
  const exprs = parsed.positionals;
  if (exprs.length === 0) throw new UsageError('name at least one map (EXPR)');
  if (v.html === '') throw new UsageError('--html needs a file name');
  if (v.json && v.jsonl) throw new UsageError('--json and --jsonl are two outputs: choose one');
  if ((v.stats || v.jsonl) && v.html !== undefined) throw new UsageError('--html draws every bucket: it does not go with --stats or --jsonl');
  const spec = targetSpec(v);
  const goroutine = nonNegativeInt('goroutine', v.goroutine);
  const frame = nonNegativeInt('frame', v.frame);
  if (frame !== undefined && goroutine === undefined) throw new UsageError('--frame goes with --goroutine');
  return {
    exprs,
    spec,
    at: goroutine === undefined ? undefined : { goroutine, frame },
    json: v.json ?? false,
    jsonl: v.jsonl ?? false,
    stats: v.stats ?? false,
    html: v.html,
    limit: nonNegativeInt('limit', v.limit),
    rows: nonNegativeInt('rows', v.rows) ?? 32,
    gdb: v.gdb,
    budget: stopBudget(v),
  };
}

/** The packages of the globals the expressions begin with, each once. */
function packagesNamed(exprs: readonly string[]): string[] {
  return [...new Set(exprs.flatMap((e) => {
    const path = parseGlobalPath(e);
    return (path && packageOfGlobal(path.global)) ?? [];
  }))];
}

export async function runInspect(args: InspectArgs, onSession: (s: GdbSession | undefined) => void): Promise<number> {
  // A live process is attached only once everything the binary alone can say is ready (stop()).
  // The DWARF's types are read beside gdb's start-up: the analysis finds map type descriptors
  // through them (analyze/gc-runtime.ts), and a live target must not wait for them stopped.
  // --stats and --jsonl read chunk by chunk, never a copy: no room is made for one.
  const room = args.stats || args.jsonl ? Promise.resolve(undefined) : copyRoom(args.spec, args.budget);
  const session = await GdbSession.open(args.spec, { gdbPath: args.gdb, log: traceLog(), prefetchTypes: true, prefetchPackages: packagesNamed(args.exprs), deferAttach: true, budget: args.budget }, onSession);
  const progress = Progress.forStderr();
  try {
    const base = await GdbTarget.create(session);
    const target = args.at ? goroutineFrameTarget(base, session.mi, args.at) : base;
    const inspector = new Inspector(target);
    // Frames exist only in a stopped process: an expression in one is looked at once stopped.
    if (!args.at) await inspector.prepare(args.exprs);
    const made = await room;
    await session.stop();
    if (args.stats || args.jsonl) return await runStreamed(args, session, inspector, progress, onSession);
    // The page shows keys in its hovers, so it wants every entry rendered, as the JSON does.
    const limit = args.limit ?? (args.json || args.html !== undefined ? undefined : 20);
    const maps = await inspector.inspectAll(
      args.exprs,
      {
        limit,
        analyze: true,
        // The JSON and the page get their entries from compiled emitters; the text report wants values.
        texts: args.json || args.html !== undefined,
        values: args.json ? 0 : (args.limit ?? 20),
        // Only a progress line wants the map read in chunks: without one it is read whole, in fewer requests.
        progress: progress.enabled ? (expr, done, total) => progress.update(expr, done, total) : undefined,
      },
      {
        // Everything is read: a live process runs again before anything is rendered or written.
        resume: () => session.resume(),
        // The room is let go once the copy is made or not: it holds the process's size.
        copy: (entries) => copyProcess(session, (regions, runs, withinMs) => inspector.copy(regions, runs, withinMs, made), entries).finally(() => made?.close()),
      },
    );
    // A core has nothing to let go of: gdb exits while the output is written (waited for by the close() below).
    await session.release();
    onSession(undefined);
    tracePhase('read');
    progress.done();
    warn(maps.map((m) => ({ expr: m.expr, warnings: m.snapshot?.warnings ?? [] })));
    warnTarget(target);
    const info = target.info;
    if (args.html !== undefined) writeHtmlFile(args.html, (sink) => writeHtmlReport(info, maps, sink));
    if (args.json) {
      progress.step('writing JSON');
      // Entries, buckets and groups one per line (nested four deep: root, maps, map, list).
      writeJsonBytes(contractJson(info, maps, { lazy: true }), writeAllSync, 2, 4);
      writeAllSync('\n');
      progress.done();
    } else await writeOut(textReport(info, maps, { maxRows: args.rows, maxEntries: args.limit ?? 20 }));
    tracePhase('written');
    return maps.some((m) => m.error !== undefined) || target.partial !== undefined ? EXIT_SOME_FAILED : EXIT_OK;
  } finally {
    progress.done();
    (await room)?.close();
    await session.close();
  }
}

/**
 * --stats and --jsonl: each map read chunk by chunk, JSON Lines written as they come, statistics
 * once each map is counted; memory stays flat. A live process is not kept stopped while anything
 * is written: its maps are walked once to read (the bytes kept), it is let go, and the same walk
 * then runs over what was read.
 */
async function runStreamed(args: InspectArgs, session: GdbSession, inspector: Inspector, progress: Progress, onSession: (s: GdbSession | undefined) => void): Promise<number> {
  const target = inspector.target;
  const opts = (expr: string) => ({
    stats: args.stats,
    limit: args.jsonl ? args.limit : 0,
    chunkBytes: CHUNK_BYTES,
    progress: (done: number, total: number) => progress.update(expr, done, total),
  });
  let read: StreamedMap[] | undefined;
  let recorded: CachedMemory | undefined;
  if (target.info.kind === 'live') {
    recorded = new CachedMemory(target);
    read = [];
    for (const expr of args.exprs) {
      read.push(await streamMap(inspector, expr, { ...opts(expr), readOnly: true, source: recorded }, args.jsonl ? { entries: () => undefined } : {}));
      progress.done();
    }
  }
  await session.resume();
  const out = new JsonOut(writeAllSync);
  const line = (v: unknown) => {
    writeJsonBytesTo(v, out);
    out.text('\n');
  };
  if (args.jsonl) line(entriesHeadJson(target.info));
  const maps: StreamedMap[] = [];
  for (const [i, expr] of args.exprs.entries()) {
    // A map not found while the target was stopped is reported as it was then.
    const located = read?.[i].located;
    const m =
      read && !located
        ? read[i]
        : await streamMap(
            inspector,
            expr,
            { ...opts(expr), source: recorded, located },
            args.jsonl
              ? {
                  start: (s) => line({ map: streamedMapJson(s) }),
                  entries: (items) => {
                    progress.done();
                    for (let j = 0; j < items.length; j++) {
                      items.writeItem(j, out);
                      out.text('\n');
                    }
                  },
                }
              : {},
          );
    progress.done();
    if (args.jsonl) line(endJson(m, args.stats));
    out.flush();
    maps.push(m);
  }
  await session.release();
  onSession(undefined);
  tracePhase('read');
  warn(maps);
  warnTarget(target);
  if (!args.jsonl) {
    if (args.json) {
      writeJsonBytes(statsJson(target.info, maps), writeAllSync, 2);
      writeAllSync('\n');
    } else await writeOut(statsText(target.info, maps));
  }
  tracePhase('written');
  return maps.some((m) => m.error !== undefined) || target.partial !== undefined ? EXIT_SOME_FAILED : EXIT_OK;
}

/**
 * Once each, on stderr: the budget cut the reading short (the output says which values are
 * missing); the target's own warnings (a Go newer than tested, a runtime struct without a field
 * mapscope reads), which the JSON's target.warnings also has.
 */
export function warnTarget(target: { readonly partial?: string; readonly info: { readonly warnings?: readonly string[] } }): void {
  for (const w of target.info.warnings ?? []) process.stderr.write(`mapscope: warning: ${w}\n`);
  if (target.partial !== undefined) process.stderr.write(`mapscope: warning: partial: ${target.partial}\n`);
}

/** Warnings go to stderr as well, so that a script reading only the JSON is still told. */
function warn(maps: readonly { expr: string; warnings: readonly string[] }[]): void {
  for (const m of maps) for (const w of m.warnings) process.stderr.write(`mapscope: warning: ${m.expr}: ${w}\n`);
}

/** Bytes of bucket or group arrays per streamed chunk; MAPSCOPE_CHUNK_BYTES lets tests cut maps into many small chunks. */
const CHUNK_BYTES = Number(process.env.MAPSCOPE_CHUNK_BYTES) > 0 ? Number(process.env.MAPSCOPE_CHUNK_BYTES) : undefined;

/**
 * The page written in pieces as it is made (never held whole: a million entries are 50 MB of it).
 * A report that cannot be written is the user's to fix (a wrong directory, no permission): a usage error.
 */
function writeHtmlFile(file: string, write: (sink: (bytes: Uint8Array) => void) => void): void {
  let fd: number;
  try {
    fd = openSync(file, 'w');
  } catch (e) {
    throw new UsageError(`cannot write --html ${file}: ${(e as Error).message}`);
  }
  try {
    write((b) => {
      for (let at = 0; at < b.length; ) at += writeSync(fd, b, at);
    });
  } finally {
    closeSync(fd);
  }
}

/** Resolves once stdout has taken the text: writes to a pipe are asynchronous, and exiting earlier cuts them off. */
export function writeOut(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve())));
}

