/**
 * What mapscope reads of a binary's DWARF itself, once per binary and process: its package-level
 * variables (dwarf-globals.ts) and its top-level types (dwarf-types.ts). A command may start a
 * read early, beside gdb's start-up, and find it done when it asks.
 *
 * The globals come from a pass over every compilation unit, which gathers the types on the way;
 * a command that asks only for types, before anyone asked for globals, gets them from the
 * runtime's units alone, a quarter of the work on a large binary.
 */
import { type DwarfGlobal, globalsFromDwarf } from './dwarf-globals.js';
import { dwarfSections } from './dwarf-reader.js';
import { DwarfTypes, typesFromDwarf } from './dwarf-types.js';

/** What one pass over every unit gives: the package-level variables, and the named types at the top level. */
interface DwarfScan {
  readonly globals: DwarfGlobal[];
  readonly types: DwarfTypes;
}

const scans = new Map<string, Promise<DwarfScan>>();
const typesOnly = new Map<string, Promise<DwarfTypes>>();

/** Started now, or already; never an unhandled rejection while nobody waits for it yet. */
function once<T>(cache: Map<string, Promise<T>>, path: string, read: () => Promise<T>): Promise<T> {
  let found = cache.get(path);
  if (!found) {
    found = read();
    found.catch(() => undefined);
    cache.set(path, found);
  }
  return found;
}

function scan(path: string): Promise<DwarfScan> {
  return once(scans, path, async () => {
    const { sections, littleEndian } = await dwarfSections(path);
    const types = new DwarfTypes();
    const globals = await globalsFromDwarf(sections, littleEndian, types);
    return { globals, types };
  });
}

function types(path: string): Promise<DwarfTypes> {
  const full = scans.get(path);
  if (full) return full.then((s) => s.types);
  return once(typesOnly, path, async () => {
    const { sections, littleEndian } = await dwarfSections(path);
    return (await typesFromDwarf(sections, littleEndian)) ?? (await scan(path)).types;
  });
}

/** The globals of the binary at `path`, each name once, in DWARF order. */
export function dwarfGlobals(path: string): Promise<DwarfGlobal[]> {
  return scan(path).then((s) => s.globals);
}

const packageScans = new Map<string, Promise<DwarfGlobal[]>>();

/**
 * The globals of one package (`main`, `github.com/x/y`) and of the runtime (whose
 * runtime.buildVersion places the rest), from their units alone: what a command that names one
 * global needs, without a pass over every unit. From the whole pass when one was begun.
 */
export function dwarfPackageGlobals(path: string, pkg: string): Promise<DwarfGlobal[]> {
  const full = scans.get(path);
  if (full) return full.then((s) => s.globals);
  return once(packageScans, `${path}\0${pkg}`, async () => {
    const { sections, littleEndian } = await dwarfSections(path);
    return globalsFromDwarf(sections, littleEndian, undefined, (name) => name === pkg || name === 'runtime');
  });
}

/**
 * Every type name at the top level of the binary's DWARF (`github.com/google/uuid.UUID`): the
 * runtime names types by package name only (`uuid.UUID`), and asking gdb which DWARF name ends
 * so took half a second a name, with the target stopped.
 */
export function dwarfTypeNames(path: string): Promise<ReadonlySet<string>> {
  return types(path).then((t) => t.names);
}

/**
 * By DWARF type name, the offset of the type's runtime descriptor from `moduledata.types`
 * (dwarf-types.ts): how the runtime GC mask of a map's buckets or groups is found.
 */
export function dwarfRuntimeTypes(path: string): Promise<ReadonlyMap<string, number>> {
  return types(path).then((t) => t.runtimeTypes);
}
