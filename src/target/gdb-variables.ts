/**
 * Package-level variables of a gdb session: names, type names and addresses from the binary's
 * DWARF (elf/dwarf-globals.ts: gdb's own listing expands every compilation unit, which takes
 * seconds on a large binary), then Go types from the bridge, described in batches so that no
 * single answer carries the type graph of a whole program. Where the DWARF cannot be read here,
 * gdb lists the variables, as it does the few whose address or type only gdb can work out.
 */
import { bridgeDescribe, bridgeValues } from '../gdb/bridge.js';
import { loadedProgram } from '../gdb/program.js';
import { tracePhase } from '../gdb/trace-log.js';
import { type SymbolVariable, symbolTypes, symbolVariables } from '../gdb/variables.js';
import type { DwarfGlobal } from '../elf/dwarf-globals.js';
import { dwarfGlobals, dwarfPackageGlobals, dwarfRuntimeTypes, dwarfTypeNames } from '../elf/dwarf-index.js';
import { elfSymbolValues } from '../elf/symtab.js';
import { GoTypeBuilder } from '../layout/dwarf.js';
import type { GoType } from '../layout/gotype.js';
import { MICommandError, type MISession } from '../mi/index.js';
import type { PackageVariable, VariableProblem, Variables } from './target.js';

/** Globals described per bridge call: the describer refuses graphs over 20,000 types. */
const BATCH = 128;
const VALUES_TIMEOUT_MS = 120_000;

/**
 * `pkg/path.Name`: a package path (slashes allowed, dots only before the last slash, as in
 * `github.com/x/y`), one dot, an identifier. Leaves out what the compiler adds to packages:
 * `main..inittask`, `main.init.0.x`, `go:itab.*`, `type:*`.
 */
const PACKAGE_LEVEL = /^(?:[^\s/]+\/)*[^\s./:]+\.[\p{L}_][\p{L}\p{N}_]*$/u;

export function isPackageLevelName(name: string): boolean {
  return PACKAGE_LEVEL.test(name);
}

/** The package of a package-level name (`main.m`, `github.com/x/y.Cache`); undefined for any other name. */
export function packageOfGlobal(name: string): string | undefined {
  return isPackageLevelName(name) ? name.slice(0, name.lastIndexOf('.')) : undefined;
}

/** The gdb expression for a global: quoted, since gdb would read `main` as a variable. */
function globalExpr(name: string): string {
  return `'${name}'`;
}

/** A global as listed: gdb's spelling of its type, and its address where the DWARF gives it plainly. */
interface ListedVariable extends SymbolVariable {
  /** Where it is in the target (link-time address moved as gdb moved runtime.buildVersion). */
  readonly address?: bigint;
  /** The DWARF name of its type, to look the type up by; absent when it cannot be. */
  readonly lookupType?: string;
  /** Whether its type is a pointer under its typedefs; absent when only gdb listed it. */
  readonly pointerShaped?: boolean;
}

/** gdb spells Go pointer types C's way (`main.T *`), and unsafe.Pointer as `void *`. */
export function gdbTypeSpelling(dwarfName: string): string {
  const base = dwarfName.replace(/^\*+/, '');
  const stars = dwarfName.length - base.length;
  if (base === 'unsafe.Pointer') return 'void ' + '*'.repeat(stars + 1);
  return stars === 0 ? base : `${base} ${'*'.repeat(stars)}`;
}

/**
 * Types gdb finds by their DWARF name (the bridge's `_lookup_go_type`): named types, maps,
 * slices and `error`, and pointers to those, which gdb builds itself. Go's linker names each type after its
 * unique type symbol, so the type found is the one the variable has. Arrays, funcs, chans and
 * literal structs have no symbol in gdb: such variables are evaluated by name.
 */
function lookupable(dwarfName: string): boolean {
  const base = dwarfName.replace(/^\*+/, '');
  // `error` is a DWARF typedef; other bare names may be gdb's own primitives, sized its way.
  if (base.startsWith('map[') || base.startsWith('[]') || base === 'error') return true;
  return /^[^\s*[\](){}]+\.[\p{L}_][\p{L}\p{N}_]*(?:\[.*\])?$/u.test(base) && !base.startsWith('func(');
}

/** Globals as the DWARF lists them, their addresses moved to where gdb found the program. */
function fromDwarf(globals: readonly DwarfGlobal[], buildVersionAddress: bigint | undefined, pointerSize: number): ListedVariable[] {
  const linked = globals.find((g) => g.name === 'runtime.buildVersion')?.address;
  const mask = (1n << BigInt(8 * pointerSize)) - 1n;
  const bias = linked !== undefined && buildVersionAddress !== undefined ? buildVersionAddress - linked : undefined;
  return globals.map((g) => {
    const address = bias !== undefined && g.address !== undefined && !g.constant ? (g.address + bias) & mask : undefined;
    return {
      name: g.name,
      typeName: gdbTypeSpelling(g.typeName),
      constant: g.constant,
      address,
      lookupType: address !== undefined && lookupable(g.typeName) ? g.typeName : undefined,
      pointerShaped: g.pointerShaped,
    };
  });
}

/** A package path and its final slash, as DWARF names prefix a type: `github.com/google/`. */
const PACKAGE_PATH = /^[\p{L}\p{N}_.~+-]+(?:\/[\p{L}\p{N}_.~+-]+)*\/$/u;

export class GdbVariables implements Variables {
  private symbols: Promise<ListedVariable[]> | undefined;
  private readonly byName = new Map<string, Promise<PackageVariable | undefined>>();
  private readonly qualified = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly mi: MISession,
    private readonly pointerSize: number,
  ) {}

  async packageVariables(
    wanted: (name: string, typeName: string, pointerShaped?: boolean) => boolean,
  ): Promise<{ variables: PackageVariable[]; problems: VariableProblem[] }> {
    this.symbols ??= this.listVariables();
    const chosen = (await this.symbols).filter((s) => !s.constant && isPackageLevelName(s.name) && wanted(s.name, s.typeName, s.pointerShaped));
    chosen.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const variables: PackageVariable[] = [];
    const problems: VariableProblem[] = [];
    // Those whose address and type name the DWARF gives: described by type, a few hundred types
    // for thousands of variables, with no compilation unit expanded but the one of the types.
    const byName: string[] = [];
    await this.describeByType(
      chosen.filter((s) => s.lookupType !== undefined),
      variables,
      problems,
      byName,
    );
    byName.push(...chosen.filter((s) => s.lookupType === undefined).map((s) => s.name));
    byName.sort();
    for (let i = 0; i < byName.length; i += BATCH) await this.describe(byName.slice(i, i + BATCH), variables, problems);
    const order = new Map(chosen.map((s, i) => [s.name, i]));
    const rank = (name: string) => order.get(name) ?? 0;
    variables.sort((a, b) => rank(a.name) - rank(b.name));
    problems.sort((a, b) => rank(a.name) - rank(b.name));
    return { variables, problems };
  }

  /**
   * A package-level variable found by name in its package's DWARF unit: where it is, the name of
   * its type (one gdb finds by name) and whether that is a pointer underneath (every map is);
   * undefined when the DWARF does not say plainly, or is not read here. gdb's own lookup of the
   * name expands the package's unit and every unit its inlined calls come from: on Go 1.27, whose
   * user code inlines the runtime's map functions, that is the runtime's, 0.1-0.4 s against 15 ms
   * on Go 1.26.
   */
  async packageGlobal(name: string): Promise<{ address: bigint; typeName: string; pointerShaped: boolean } | undefined> {
    const program = loadedProgram(this.mi);
    const pkg = packageOfGlobal(name);
    if (!program || pkg === undefined) return undefined;
    let globals: DwarfGlobal[];
    try {
      globals = await dwarfPackageGlobals(program.exe, pkg);
    } catch {
      return undefined;
    }
    const v = fromDwarf(globals, program.buildVersionAddress, this.pointerSize).find((g) => g.name === name);
    return v?.address !== undefined && v.lookupType !== undefined && !v.constant ? { address: v.address, typeName: v.lookupType, pointerShaped: v.pointerShaped === true } : undefined;
  }

  /** The globals from the binary's DWARF; from gdb's symbol table when that cannot be read. */
  private async listVariables(): Promise<ListedVariable[]> {
    const program = loadedProgram(this.mi);
    if (program) {
      try {
        return fromDwarf(await dwarfGlobals(program.exe), program.buildVersionAddress, this.pointerSize);
      } catch (e) {
        tracePhase(`globals from gdb: the DWARF of ${program.exe} was not read here (${e instanceof Error ? e.message : String(e)})`);
      }
    }
    return symbolVariables(this.mi);
  }

  /**
   * Describes variables by their types' names, in batches of types. A variable whose type gdb
   * does not find by that name goes to `byName`, to be evaluated as before.
   */
  private async describeByType(vars: readonly ListedVariable[], out: PackageVariable[], problems: VariableProblem[], byName: string[]): Promise<void> {
    const byType = new Map<string, ListedVariable[]>();
    for (const v of vars) {
      const t = v.lookupType as string;
      const list = byType.get(t);
      if (list) list.push(v);
      else byType.set(t, [v]);
    }
    const names = [...byType.keys()].sort();
    const describe = async (batch: readonly string[]): Promise<void> => {
      let answer;
      try {
        answer = await bridgeDescribe(this.mi, batch);
      } catch (e) {
        if (!(e instanceof MICommandError)) throw e;
        if (batch.length === 1) {
          for (const v of byType.get(batch[0]) ?? []) byName.push(v.name);
          return;
        }
        const half = Math.ceil(batch.length / 2);
        await describe(batch.slice(0, half));
        await describe(batch.slice(half));
        return;
      }
      const builder = new GoTypeBuilder(answer.types, this.pointerSize);
      batch.forEach((typeName, i) => {
        const root = answer.roots[i];
        const holders = byType.get(typeName) ?? [];
        if (root === undefined) {
          for (const v of holders) byName.push(v.name);
          return;
        }
        let type: GoType;
        try {
          type = builder.type(root);
        } catch (e) {
          for (const v of holders) problems.push({ name: v.name, error: e instanceof Error ? e.message : String(e) });
          return;
        }
        for (const v of holders) out.push({ name: v.name, address: v.address as bigint, type });
      });
    };
    for (let i = 0; i < names.length; i += BATCH) await describe(names.slice(i, i + BATCH));
  }

  variable(name: string): Promise<PackageVariable | undefined> {
    let found = this.byName.get(name);
    if (!found) {
      found = (async () => {
        const variables: PackageVariable[] = [];
        await this.describe([name], variables, []);
        return variables[0];
      })();
      this.byName.set(name, found);
    }
    return found;
  }

  /**
   * From the ELF symbol table of the file gdb loaded, moved by the distance gdb moved
   * runtime.buildVersion (PIE); undefined when the file cannot tell.
   */
  async symbolAddress(name: string): Promise<bigint | undefined> {
    const program = loadedProgram(this.mi);
    if (!program || program.buildVersionAddress === undefined) return undefined;
    let values: (bigint | undefined)[];
    try {
      values = await elfSymbolValues(program.exe, ['runtime.buildVersion', name]);
    } catch {
      return undefined;
    }
    const [linked, value] = values;
    if (linked === undefined || value === undefined) return undefined;
    return (value + program.buildVersionAddress - linked) & ((1n << BigInt(8 * this.pointerSize)) - 1n);
  }

  /** The binary's DWARF type names, read by mapscope itself; undefined where that cannot be done (gdb is asked). */
  private typeNamesFromDwarf(): Promise<ReadonlySet<string> | undefined> {
    const program = loadedProgram(this.mi);
    if (!program) return Promise.resolve(undefined);
    return dwarfTypeNames(program.exe).catch(() => undefined);
  }

  /**
   * The offset of a type's runtime descriptor from moduledata.types, as the binary's DWARF
   * records it; undefined where it records none, or the DWARF cannot be read here.
   */
  async runtimeTypeOffset(dwarfName: string): Promise<number | undefined> {
    const program = loadedProgram(this.mi);
    if (!program) return undefined;
    const offsets = await dwarfRuntimeTypes(program.exe).catch(() => undefined);
    return offsets?.get(dwarfName);
  }

  qualifiedTypeName(shortName: string): Promise<string | undefined> {
    let found = this.qualified.get(shortName);
    if (!found) {
      found = (async () => {
        const fromDwarf = await this.typeNamesFromDwarf();
        // Named types only: `*x/uuid.UUID` and `[]x/uuid.UUID` end alike but are other types.
        const names = fromDwarf
          ? [...fromDwarf].filter((n) => n === shortName || (n.endsWith('/' + shortName) && PACKAGE_PATH.test(n.slice(0, n.length - shortName.length))))
          : // gdb's regexes are POSIX basic ones: no alternation; the suffix is checked here.
            (await symbolTypes(this.mi, shortName.replace(/[.[\]*^$\\]/g, (c) => '\\' + c) + '$').catch(() => [])).filter(
              (n) => n === shortName || n.endsWith('/' + shortName),
            );
        return names.length === 1 ? names[0] : undefined;
      })();
      this.qualified.set(shortName, found);
    }
    return found;
  }

  /** Describes a batch; a batch the bridge refuses (a type graph too large) is split until it passes. */
  private async describe(names: readonly string[], out: PackageVariable[], problems: VariableProblem[]): Promise<void> {
    let answer;
    try {
      answer = await bridgeValues(this.mi, names.map(globalExpr), undefined, VALUES_TIMEOUT_MS);
    } catch (e) {
      if (!(e instanceof MICommandError)) throw e;
      if (names.length === 1) {
        problems.push({ name: names[0], error: e.msg });
        return;
      }
      const half = Math.ceil(names.length / 2);
      await this.describe(names.slice(0, half), out, problems);
      await this.describe(names.slice(half), out, problems);
      return;
    }
    const builder = new GoTypeBuilder(answer.types, this.pointerSize);
    answer.values.forEach((v, i) => {
      const name = names[i];
      // No address: a constant the symbol table did not mark, or a variable optimised away.
      if (v.error !== undefined || v.address === undefined || v.root === undefined) {
        if (v.error !== undefined && v.address !== undefined) problems.push({ name, error: v.error });
        return;
      }
      try {
        out.push({ name, address: v.address, type: builder.type(v.root) });
      } catch (e) {
        problems.push({ name, error: e instanceof Error ? e.message : String(e) });
      }
    });
  }
}
