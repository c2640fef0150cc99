/** The Locals scope of one frame: its arguments first, then its locals, as gdb's DWARF sees them. */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { bridgeFrameVars, type FrameSelector } from '../../gdb/bridge.js';
import type { MISession } from '../../mi/index.js';
import { namedVariables, resolveValues } from '../values/bridge-values.js';
import type { VarContext } from '../vars/context.js';
import { type ChildQuery, type VarNode, wantsNamed } from '../vars/node.js';

const FRAME_VARS_TIMEOUT_MS = 30_000;

export class LocalsNode implements VarNode {
  readonly key: string;
  constructor(
    private readonly ctx: VarContext,
    private readonly mi: MISession,
    private readonly frame: FrameSelector,
  ) {
    this.key = `locals:${frame.thread}:${frame.frame}`;
  }

  async children(q: ChildQuery): Promise<DebugProtocol.Variable[]> {
    if (!wantsNamed(q)) return [];
    const answer = await bridgeFrameVars(this.mi, this.frame, FRAME_VARS_TIMEOUT_MS);
    const resolved = resolveValues(answer, this.ctx.env.pointerSize);
    const named = answer.values.map((v, i) => ({ name: v.name ?? '?', value: resolved[i], isArgument: v.isArgument, evaluateName: v.name }));
    named.sort((a, b) => Number(b.isArgument) - Number(a.isArgument));
    return namedVariables(this.ctx, named);
  }
}
