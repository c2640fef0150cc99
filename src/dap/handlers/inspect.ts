/**
 * The custom request `mapscope/inspect` ({ expression: string | string[], limit?: number }):
 * exactly the JSON of `mapscope inspect --json` (shared/spec/inspect-json.md, with `analysis`),
 * from the same engine, so any DAP client can ask for it.
 */
import { contractJson } from '../../report/contract.js';
import { stringifyJson } from '../../values/json.js';
import type { Debuggee } from '../debuggee.js';
import { DapRequestError, ErrorCode } from '../errors.js';

export const INSPECT_REQUEST = 'mapscope/inspect';

export interface InspectArguments {
  readonly expression: string | string[];
  readonly limit?: number;
  /** Evaluate the expressions in this frame (its locals), as evaluate does. */
  readonly frameId?: number;
}

export function parseInspectArguments(args: unknown): InspectArguments & { expression: string[] } {
  const a = (args ?? {}) as { expression?: unknown; limit?: unknown; frameId?: unknown };
  const list = typeof a.expression === 'string' ? [a.expression] : a.expression;
  if (!Array.isArray(list) || list.length === 0 || !list.every((e): e is string => typeof e === 'string' && e.trim() !== '')) {
    throw new DapRequestError(ErrorCode.badArguments, `${INSPECT_REQUEST} needs "expression": a map expression or a non-empty list of them`);
  }
  if (a.limit !== undefined && (typeof a.limit !== 'number' || !Number.isInteger(a.limit) || a.limit < 0)) {
    throw new DapRequestError(ErrorCode.badArguments, `${INSPECT_REQUEST}: "limit" must be a non-negative integer`);
  }
  if (a.frameId !== undefined && typeof a.frameId !== 'number') throw new DapRequestError(ErrorCode.badArguments, `${INSPECT_REQUEST}: "frameId" must be a number`);
  return { expression: list, limit: a.limit as number | undefined, frameId: a.frameId };
}

/** The contract as JSON text (the session sends it verbatim, -0 and all). */
export async function inspectJson(d: Debuggee, args: InspectArguments & { expression: string[] }): Promise<string> {
  let at;
  if (args.frameId !== undefined) {
    at = d.frames.get(args.frameId);
    if (!at) throw new DapRequestError(ErrorCode.unknownReference, `unknown frame ${args.frameId}`, false);
  }
  const maps = await d.inspector(at).inspectAll(args.expression, { limit: args.limit, analyze: true });
  return stringifyJson(contractJson(d.target.info, maps));
}
