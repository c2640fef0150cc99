/** scopes: a frame's Locals, and the main package's Globals (the same node for every frame). */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Debuggee } from '../debuggee.js';
import { DapRequestError, ErrorCode } from '../errors.js';
import { GlobalsNode } from '../scopes/globals.js';
import { LocalsNode } from '../scopes/locals.js';

export function scopes(d: Debuggee, args: DebugProtocol.ScopesArguments): DebugProtocol.ScopesResponse['body'] {
  const frame = d.frames.get(args.frameId);
  if (!frame) throw new DapRequestError(ErrorCode.unknownReference, `unknown frame ${args.frameId}`, false);
  return {
    scopes: [
      { name: 'Locals', presentationHint: 'locals', variablesReference: d.registry.ref(new LocalsNode(d.vars, d.mi, frame)), expensive: false },
      { name: 'Globals', variablesReference: d.registry.ref(new GlobalsNode(d.vars, d.mi)), expensive: false },
    ],
  };
}
