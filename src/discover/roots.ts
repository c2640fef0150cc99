/**
 * Which package-level variables discovery starts from. By default the program's own packages
 * and the standard library's public ones: the runtime and `internal` packages hold thousands of
 * variables of their own bookkeeping and are left out unless asked for (--all).
 */

/** `net/http.DefaultServeMux` → `net/http`: the package path ends at the first dot after the last slash. */
export function packageOf(name: string): string {
  const slash = name.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  return dot < 0 ? name : name.slice(0, dot);
}

export interface RootFilter {
  /** Include the runtime and internal packages. */
  readonly all: boolean;
  /** Only these packages (and their sub-packages); empty for every package. */
  readonly packages: readonly string[];
}

function internalPackage(pkg: string): boolean {
  return pkg === 'runtime' || pkg.startsWith('runtime/') || pkg === 'internal' || pkg.startsWith('internal/') || pkg.includes('/internal/') || pkg.endsWith('/internal') || pkg.startsWith('vendor/');
}

export function wantedPackage(name: string, f: RootFilter): boolean {
  const pkg = packageOf(name);
  if (f.packages.length > 0) return f.packages.some((p) => pkg === p || pkg.startsWith(p + '/'));
  return f.all || !internalPackage(pkg);
}

/**
 * gdb's spellings of types that can hold no map, directly or through pointers: predeclared
 * scalars and strings, funcs, chans (their buffers are not walked), and arrays of those.
 * Anything else (named types, pointers, structs, slices, interfaces) is described and planned.
 */
const INERT = /^(?:\[\d+\])*(?:bool|u?int(?:8|16|32|64)?|uintptr|float(?:32|64)|complex(?:64|128)|string|byte|rune|void \*|unsafe\.Pointer|func\(.*|(?:<-)?chan(?:<-)?\s.*)$/;

export function mayLeadToMaps(typeName: string): boolean {
  return !INERT.test(typeName.trim());
}

/** A map type, or a named type that may be one (`main.Routes`): only these are described for list. */
export function mayBeMap(typeName: string): boolean {
  const t = typeName.trim();
  return t.startsWith('map[') || /^[^\s*[\](){}]+\.[\p{L}_][\p{L}\p{N}_]*$/u.test(t);
}
