/**
 * Package-level variables of a gdb session: names from the symbol table, then addresses and Go
 * types from the bridge, described in batches so that no single answer carries the type graph
 * of a whole program.
 */
import { bridgeValues } from '../gdb/bridge.js';
import { type SymbolVariable, symbolTypes, symbolVariables } from '../gdb/variables.js';
import { GoTypeBuilder } from '../layout/dwarf.js';
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

/** The gdb expression for a global: quoted, since gdb would read `main` as a variable. */
function globalExpr(name: string): string {
  return `'${name}'`;
}

export class GdbVariables implements Variables {
  private symbols: Promise<SymbolVariable[]> | undefined;
  private readonly byName = new Map<string, Promise<PackageVariable | undefined>>();
  private readonly qualified = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly mi: MISession,
    private readonly pointerSize: number,
  ) {}

  async packageVariables(wanted: (name: string, typeName: string) => boolean): Promise<{ variables: PackageVariable[]; problems: VariableProblem[] }> {
    this.symbols ??= symbolVariables(this.mi);
    const names = (await this.symbols).filter((s) => !s.constant && isPackageLevelName(s.name) && wanted(s.name, s.typeName)).map((s) => s.name);
    names.sort();
    const variables: PackageVariable[] = [];
    const problems: VariableProblem[] = [];
    for (let i = 0; i < names.length; i += BATCH) await this.describe(names.slice(i, i + BATCH), variables, problems);
    return { variables, problems };
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

  qualifiedTypeName(shortName: string): Promise<string | undefined> {
    let found = this.qualified.get(shortName);
    if (!found) {
      found = (async () => {
        // gdb's regexes are POSIX basic ones: no alternation; the suffix is checked here.
        const regex = shortName.replace(/[.[\]*^$\\]/g, (c) => '\\' + c) + '$';
        const names = (await symbolTypes(this.mi, regex).catch(() => [])).filter((n) => n === shortName || n.endsWith('/' + shortName));
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
