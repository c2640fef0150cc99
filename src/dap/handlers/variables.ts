/** variables: the children of a node, one page at a time (filter/start/count as the client asks). */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Debuggee } from '../debuggee.js';
import { DapRequestError, ErrorCode } from '../errors.js';

export async function variables(d: Debuggee, args: DebugProtocol.VariablesArguments): Promise<DebugProtocol.VariablesResponse['body']> {
  const node = d.registry.get(args.variablesReference);
  if (!node) throw new DapRequestError(ErrorCode.unknownReference, `unknown variablesReference ${args.variablesReference}`, false);
  const filter = args.filter === 'indexed' || args.filter === 'named' ? args.filter : undefined;
  return { variables: await node.children({ filter, start: args.start ?? 0, count: args.count }) };
}
