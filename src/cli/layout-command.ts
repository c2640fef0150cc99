/**
 * `mapscope layout`: the memory layout of the map runtime's structs and of map types' buckets or
 * groups, from a binary's DWARF alone (no process, no core), for any architecture gdb-multiarch
 * reads; and the same structs side by side across builds of one program.
 */
import { DwarfTypeError } from '../layout/dwarf.js';
import type { GoStructType } from '../layout/gotype.js';
import { type StructLayout, StructWalkError, mapStructs, structLayout } from '../layout/struct-layout.js';
import { GdbSession } from '../gdb/session.js';
import { MICommandError } from '../mi/index.js';
import { compareText, layoutText } from '../report/layout-text.js';
import { GdbTarget } from '../target/gdb-target.js';
import type { TargetInfo } from '../target/target.js';
import { EXIT_OK, EXIT_SOME_FAILED, UsageError } from './exit.js';
import { writeOut } from './inspect-command.js';
import { parseCommandArgs } from './parse-args.js';
import { traceLog } from '../gdb/trace-log.js';

export const LAYOUT_HELP = `Usage:
  mapscope layout --exe BIN [TYPE...] [--json] [--cacheline N]
  mapscope layout --compare BIN BIN... [-- TYPE...] [--json] [--cacheline N]

Prints struct layouts as pahole does: every field's offset, size and alignment, the holes
between fields, the tail padding and the cache-line boundaries. Only the binary is read (its
DWARF); it may be built for any architecture (amd64, arm64, 386, ...): binaries gdb cannot
read natively are opened with gdb-multiarch.

Without TYPE: the runtime's map structs the binary has (runtime.hmap and runtime.mapextra for
classic maps; internal/runtime/maps.Map, table and groupsReference for Swiss maps).

TYPE is a Go type name:
  map[string]int       a map type: the runtime structs, then its header and its bucket
                       (classic) or its table, group reference, group and slot (Swiss)
  main.Routes          a named map type, likewise
  main.Config          any struct type: just that struct

Options:
  --exe BIN          the binary to read
  --compare BIN...   builds of one program for different architectures or Go versions, side
                     by side (TYPEs after --)
  --json             JSON on stdout: {arch, pointerSize, structs: [{name, size, align,
                     fields: [{name, type, offset, size, align}], holes: [{offset, size}],
                     tailPadding}]}; with --compare {binaries: [{exe, arch, pointerSize}],
                     structs: [{name, per: [layout or null, ...]}]}
  --cacheline N      cache-line size in bytes (default 64)
  --gdb PATH         the gdb to run (default: gdb, or gdb-multiarch for a foreign binary)

Exit status: 0 every TYPE printed; 1 some TYPE is not in the binary (the others are printed);
2 usage error or a binary cannot be opened (the reason on stderr).
`;

/** The runtime's own map structs, classic then Swiss; a binary has one set or the other. */
const RUNTIME_STRUCTS: readonly string[] = [
  'runtime.hmap',
  'runtime.mapextra',
  'internal/runtime/maps.Map',
  'internal/runtime/maps.table',
  'internal/runtime/maps.groupsReference',
];

export interface LayoutArgs {
  readonly exes: readonly string[];
  readonly compare: boolean;
  readonly types: readonly string[];
  readonly json: boolean;
  readonly cacheLine: number;
  readonly gdb: string | undefined;
}

export function parseLayoutArgs(argv: string[]): LayoutArgs {
  const parsed = parseCommandArgs(
    'layout',
    argv,
    {
      exe: { type: 'string' },
      compare: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      cacheline: { type: 'string' },
      gdb: { type: 'string' },
    },
    true,
  );
  const v = parsed.values;
  let cacheLine = 64;
  if (v.cacheline !== undefined) {
    if (!/^[1-9]\d*$/.test(v.cacheline)) throw new UsageError(`--cacheline needs a positive number of bytes, not ${JSON.stringify(v.cacheline)}`);
    cacheLine = Number(v.cacheline);
  }
  const common = { json: v.json ?? false, cacheLine, gdb: v.gdb };
  if (v.compare) {
    if (v.exe !== undefined) throw new UsageError('--compare takes its binaries as arguments, not --exe');
    // Binaries come first; TYPEs, which are not file names, follow `--`.
    const end = parsed.tokens.find((t) => t.kind === 'option-terminator')?.index ?? Infinity;
    const positionals = parsed.tokens.filter((t) => t.kind === 'positional');
    const exes = positionals.filter((t) => t.index < end).map((t) => t.value);
    if (exes.length < 2) throw new UsageError('--compare needs two or more binaries');
    return { ...common, compare: true, exes, types: positionals.filter((t) => t.index > end).map((t) => t.value) };
  }
  if (v.exe === undefined) throw new UsageError('give the binary: --exe BIN (or --compare BIN BIN...)');
  return { ...common, compare: false, exes: [v.exe], types: parsed.positionals };
}

/** What one binary says: its identity, the layouts found, and why any TYPE was not. */
interface BinaryLayouts {
  readonly info: TargetInfo;
  readonly layouts: StructLayout[];
  readonly missing: { type: string; why: string }[];
}

export async function runLayout(args: LayoutArgs, onSession: (s: GdbSession | undefined) => void): Promise<number> {
  const all: BinaryLayouts[] = [];
  for (const exe of args.exes) {
    const session = await GdbSession.open({ kind: 'exe', exe }, { gdbPath: args.gdb, log: traceLog() }, onSession);
    try {
      all.push(await readLayouts(await GdbTarget.create(session), args.types, args.cacheLine));
    } finally {
      await session.close();
      onSession(undefined);
    }
  }
  if (args.compare) return printCompare(args, all);
  const [one] = all;
  if (args.json) await writeOut(JSON.stringify({ arch: one.info.arch, pointerSize: one.info.pointerSize, structs: one.layouts.map(layoutJson) }, null, 2) + '\n');
  else await writeOut(layoutText(one.info, one.layouts));
  for (const m of one.missing) process.stderr.write(`mapscope: ${m.type}: ${m.why}\n`);
  return one.missing.length > 0 ? EXIT_SOME_FAILED : EXIT_OK;
}

async function printCompare(args: LayoutArgs, all: readonly BinaryLayouts[]): Promise<number> {
  const names: string[] = [];
  for (const b of all) for (const l of b.layouts) if (!names.includes(l.name)) names.push(l.name);
  const structs = names.map((name) => ({ name, per: all.map((b) => b.layouts.find((l) => l.name === name)) }));
  if (args.json) {
    const binaries = all.map((b) => ({ exe: b.info.exe, arch: b.info.arch, pointerSize: b.info.pointerSize }));
    const out = { binaries, structs: structs.map((s) => ({ name: s.name, per: s.per.map((l) => (l ? layoutJson(l) : null)) })) };
    await writeOut(JSON.stringify(out, null, 2) + '\n');
  } else {
    await writeOut(compareText(all.map((b) => b.info), structs));
  }
  // A TYPE counts as missing only when no binary has it: builds differ (classic vs Swiss).
  const missing = args.types.filter((t) => all.every((b) => b.missing.some((m) => m.type === t)));
  for (const t of missing) process.stderr.write(`mapscope: ${t}: ${all[0].missing.find((m) => m.type === t)?.why ?? 'not found'}\n`);
  return missing.length > 0 ? EXIT_SOME_FAILED : EXIT_OK;
}

async function readLayouts(target: GdbTarget, types: readonly string[], cacheLine: number): Promise<BinaryLayouts> {
  const structs: GoStructType[] = [];
  const missing: { type: string; why: string }[] = [];
  const add = (s: GoStructType) => {
    if (!structs.some((x) => x.name === s.name)) structs.push(s);
  };
  // Each TYPE on its own, so that one the bridge cannot describe does not hide the others.
  const found: GoStructType[][] = [];
  let anyMap = false;
  for (const type of types) {
    try {
      const [t] = await target.typesByName([type]);
      if (!t) missing.push({ type, why: `no such type in ${target.info.exe}` });
      else if (t.kind === 'map') {
        anyMap = true;
        found.push(mapStructs(t));
      } else if (t.kind === 'struct') found.push([t]);
      else missing.push({ type, why: `not a struct or map type (its kind is ${t.kind})` });
    } catch (e) {
      if (e instanceof DwarfTypeError || e instanceof StructWalkError || e instanceof MICommandError) missing.push({ type, why: e instanceof MICommandError ? e.msg : e.message });
      else throw e;
    }
  }
  if (types.length === 0 || anyMap) {
    for (const t of await target.typesByName(RUNTIME_STRUCTS)) if (t?.kind === 'struct') add(t);
  }
  for (const list of found) list.forEach(add);
  return { info: target.info, layouts: structs.map((s) => structLayout(s, cacheLine)), missing };
}

function layoutJson(l: StructLayout) {
  return {
    name: l.name,
    size: l.size,
    align: l.align,
    fields: l.fields.map((f) => ({ name: f.name, type: f.type, offset: f.offset, size: f.size, align: f.align })),
    holes: l.holes.map((h) => ({ offset: h.offset, size: h.size })),
    tailPadding: l.tailPadding,
  };
}

