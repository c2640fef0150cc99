/**
 * evaluate: a Go expression (as in `mapscope inspect`: `main.routes`, `main.cfg.byName`,
 * `(*main.srv).cache`, a local, or `0xADDR:map[K]V`) → a variable through the same machinery as
 * the Variables view.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { bridgeValues } from '../../gdb/bridge.js';
import { parseRawMapExpr } from '../../gdb/expr.js';
import { MICommandError } from '../../mi/index.js';
import { hex } from '../../target/bytes.js';
import type { Debuggee } from '../debuggee.js';
import { DapRequestError, ErrorCode } from '../errors.js';
import { gdbExpressionIn } from '../frame-expr.js';
import { namedVariables, resolveValues } from '../values/bridge-values.js';
import { previewValue } from '../values/preview.js';
import { errorText } from '../vars/error-text.js';

const EVALUATE_TIMEOUT_MS = 30_000;

export async function evaluate(d: Debuggee, args: DebugProtocol.EvaluateArguments): Promise<DebugProtocol.EvaluateResponse['body']> {
  const expr = args.expression.trim();
  if (!expr) throw new DapRequestError(ErrorCode.evaluateFailed, 'nothing to evaluate', false);
  if (parseRawMapExpr(expr)) return rawMap(d, expr);
  let at;
  if (args.frameId !== undefined) {
    at = d.frames.get(args.frameId);
    if (!at) throw new DapRequestError(ErrorCode.unknownReference, `unknown frame ${args.frameId}`, false);
  }
  let value;
  try {
    const answer = await bridgeValues(d.mi, [await gdbExpressionIn(d.mi, expr, at)], at, EVALUATE_TIMEOUT_MS);
    [value] = resolveValues(answer, d.env.pointerSize);
  } catch (e) {
    if (e instanceof MICommandError) throw new DapRequestError(ErrorCode.evaluateFailed, e.msg, false);
    throw e;
  }
  if (!value || value.kind === 'error') throw new DapRequestError(ErrorCode.evaluateFailed, value ? value.message : `cannot evaluate ${expr}`, false);
  const [v] = await namedVariables(d.vars, [{ name: expr, value, evaluateName: expr }]);
  return {
    result: v.value,
    type: v.type,
    variablesReference: v.variablesReference,
    namedVariables: v.namedVariables,
    indexedVariables: v.indexedVariables,
    memoryReference: v.memoryReference,
  };
}

/** `0xc000012345:map[string]int`: a map header at a raw address, as the CLI accepts it. */
async function rawMap(d: Debuggee, expr: string): Promise<DebugProtocol.EvaluateResponse['body']> {
  let found;
  try {
    found = await d.target.evalMap(expr);
  } catch (e) {
    throw new DapRequestError(ErrorCode.evaluateFailed, errorText(e), false);
  }
  const { header, type } = found;
  if (header === 0n) return { result: previewValue(type, null, { top: true }), type: type.name, variablesReference: 0 };
  const view = await d.vars.maps.view(type, header);
  const count = view.snapshot.entries.length;
  return {
    result: previewValue(type, { map: hex(header), len: count }, { top: true }),
    type: type.name,
    variablesReference: d.registry.ref(d.vars.mapNode(type, header)),
    indexedVariables: count,
    namedVariables: 1,
    memoryReference: hex(header),
  };
}
