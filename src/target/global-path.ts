/**
 * A map reached from a package-level variable by field names alone (`main.svc.sessions`,
 * `'github.com/x/y.Cache'.items`), followed here instead of by gdb's expression evaluator.
 *
 * gdb's lookup of a global's name expands the compilation unit of its package and every unit
 * that unit's inlined calls come from (the runtime's, on Go 1.27): 0.1-0.4 s, paid again by every
 * command. The variable's address and type name come from the binary's DWARF (its package's unit
 * alone, GdbVariables.packageGlobal); its type, each pointee's and the map's are described by
 * name, which gdb finds in the unit of the types alone. Fields are followed as Go selects them:
 * through pointers, a field of the struct itself (promoted fields of embedded structs are left
 * to gdb, as is everything else an expression may hold).
 *
 * Anything this does not follow plainly gives undefined, and gdb evaluates the expression as
 * before: its answers, and its words for what is wrong, stay the reference.
 */
import type { GoType } from '../layout/gotype.js';

/** `pkg/path.Name` then `.field`s, or `'pkg/path.Name'` then `.field`s. */
export interface GlobalPath {
  readonly global: string;
  readonly fields: readonly string[];
}

const IDENT = /^[\p{L}_][\p{L}\p{N}_]*$/u;
/** An import path's elements before the last, each with its slash (`github.com/x/`). */
const PATH_HEAD = /^(?:[^\s'"()[\]*/]+\/)*$/u;
/** The last element (escaped as the linker does: `yaml%2ev3`), a dot, the variable. */
const PACKAGE_AND_NAME = /^[\p{L}\p{N}_%~+-]+\.[\p{L}_][\p{L}\p{N}_]*$/u;

function isGlobalName(name: string): boolean {
  const slash = name.lastIndexOf('/');
  return PATH_HEAD.test(name.slice(0, slash + 1)) && PACKAGE_AND_NAME.test(name.slice(slash + 1));
}

/** The global and the fields an expression names, or undefined for any other expression. */
export function parseGlobalPath(expr: string): GlobalPath | undefined {
  let global: string;
  let rest: string[];
  if (expr.startsWith("'")) {
    const close = expr.indexOf("'", 1);
    if (close < 0) return undefined;
    global = expr.slice(1, close);
    const tail = expr.slice(close + 1);
    if (tail !== '' && !tail.startsWith('.')) return undefined;
    rest = tail === '' ? [] : tail.slice(1).split('.');
  } else {
    // The package path may hold dots before its last slash (github.com/x/y); after it, the
    // package's name, the variable's, then fields.
    const slash = expr.lastIndexOf('/');
    const parts = expr.slice(slash + 1).split('.');
    if (parts.length < 2) return undefined;
    global = `${expr.slice(0, slash + 1)}${parts[0]}.${parts[1]}`;
    rest = parts.slice(2);
  }
  if (!isGlobalName(global) || !rest.every((f) => IDENT.test(f))) return undefined;
  return { global, fields: rest };
}

/** What following a path needs of the target. */
export interface PathSteps {
  /** The Go type of this DWARF name, described by name; undefined if gdb finds none. */
  describe(name: string): Promise<GoType | undefined>;
  /** The pointer stored at an address; undefined if unreadable (or not wanted: types only). */
  readPointer(address: bigint): Promise<bigint | undefined>;
}

/** Where a path ends: the map's type name and, when memory was read, the map header's address. */
export interface PathEnd {
  readonly mapTypeName: string;
  readonly header: bigint | undefined;
}

/** Pointers followed at most in one path, a cycle of named pointer types included. */
const MAX_STEPS = 64;

/**
 * Follows `fields` from a variable at `address` of type `typeName`; `read` false follows types
 * alone (before a live target is stopped). Undefined wherever gdb should say what happens.
 */
export async function followGlobalPath(typeName: string, address: bigint, fields: readonly string[], steps: PathSteps, read: boolean): Promise<PathEnd | undefined> {
  let type = await steps.describe(typeName);
  let at: bigint | undefined = address;
  let hops = 0;
  const deref = async (): Promise<boolean> => {
    while (type?.kind === 'pointer') {
      if (++hops > MAX_STEPS) return false;
      if (read) {
        const p: bigint | undefined = at === undefined ? undefined : await steps.readPointer(at);
        // A nil pointer on the way: gdb's error says which.
        if (p === undefined || p === 0n) return false;
        at = p;
      }
      type = type.elem ?? (type.name.startsWith('*') ? await steps.describe(type.name.slice(1)) : undefined);
    }
    return type !== undefined;
  };
  for (const name of fields) {
    if (!(await deref()) || type?.kind !== 'struct') return undefined;
    const field = type.fields.find((f) => f.name === name);
    if (!field) return undefined;
    type = field.type;
    if (at !== undefined) at += BigInt(field.offset);
  }
  if (type?.kind !== 'map') return undefined;
  if (!read) return { mapTypeName: type.name, header: undefined };
  const header = at === undefined ? undefined : await steps.readPointer(at);
  return header === undefined ? undefined : { mapTypeName: type.name, header };
}
