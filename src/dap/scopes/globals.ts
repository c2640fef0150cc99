/**
 * The Globals scope: the main package's variables, where a Go program keeps the maps worth
 * looking at. Bounded: at most MAX_GLOBALS, described in one bridge call and rendered in one
 * batch. The target does not run, so the list is made once.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { bridgeValues } from '../../gdb/bridge.js';
import type { MISession } from '../../mi/index.js';
import { globalNames } from '../gdb-mi.js';
import { type NamedValue, namedVariables, resolveValues } from '../values/bridge-values.js';
import type { VarContext } from '../vars/context.js';
import { type ChildQuery, type VarNode, wantsNamed } from '../vars/node.js';

export const MAX_GLOBALS = 500;
const GLOBALS_TIMEOUT_MS = 60_000;
/** `main.x`, not the compiler's own symbols (`main..inittask`, `main.init.0`'s statics). */
const USER_GLOBAL = /^main\.[\p{L}_][\p{L}\p{N}_]*$/u;

export class GlobalsNode implements VarNode {
  readonly key = 'globals:main';
  private values: Promise<NamedValue[]> | undefined;

  constructor(
    private readonly ctx: VarContext,
    private readonly mi: MISession,
  ) {}

  async children(q: ChildQuery): Promise<DebugProtocol.Variable[]> {
    if (!wantsNamed(q)) return [];
    this.values ??= this.load();
    return namedVariables(this.ctx, await this.values);
  }

  private async load(): Promise<NamedValue[]> {
    const names = [...new Set((await globalNames(this.mi, '^main\\.', MAX_GLOBALS)).filter((n) => USER_GLOBAL.test(n)))].sort();
    const answer = await bridgeValues(this.mi, names.map((n) => `'${n}'`), undefined, GLOBALS_TIMEOUT_MS);
    const resolved = resolveValues(answer, this.ctx.env.pointerSize);
    return names.map((name, i) => ({ name, value: resolved[i], evaluateName: name }));
  }
}
