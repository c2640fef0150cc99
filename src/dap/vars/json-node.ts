/**
 * Plain JSON as variables: objects as named children, arrays as indexed children (paged), and
 * scalars as their JSON text, so that `JSON.parse(variable.value)` gives the figure back. Used
 * for a map's analysis, whose sections are data rather than Go values.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { JsonValue } from '../../values/json.js';
import type { VarContext } from './context.js';
import { type ChildQuery, type VarNode, indexedRange, leaf, wantsNamed } from './node.js';

const PREVIEW_KEYS = 6;

export class JsonNode implements VarNode {
  constructor(
    private readonly ctx: VarContext,
    readonly key: string,
    private readonly value: JsonValue,
  ) {}

  async children(q: ChildQuery): Promise<DebugProtocol.Variable[]> {
    const v = this.value;
    if (Array.isArray(v)) {
      const range = indexedRange(q, v.length);
      if (!range) return [];
      const out: DebugProtocol.Variable[] = [];
      for (let i = range.start; i < range.end; i++) out.push(jsonVariable(this.ctx, `${this.key}/${i}`, `[${i}]`, v[i]));
      return out;
    }
    if (v === null || typeof v !== 'object' || !wantsNamed(q)) return [];
    return Object.entries(v).map(([k, x]) => jsonVariable(this.ctx, `${this.key}/${k}`, k, x));
  }
}

export function jsonVariable(ctx: VarContext, key: string, name: string, v: JsonValue): DebugProtocol.Variable {
  if (v === null || typeof v !== 'object') return leaf(name, jsonScalar(v));
  const ref = ctx.registry.ref(new JsonNode(ctx, key, v));
  if (Array.isArray(v)) return { name, value: `[${v.length}]`, variablesReference: ref, indexedVariables: v.length };
  const keys = Object.keys(v);
  const shown = keys.slice(0, PREVIEW_KEYS).join(', ') + (keys.length > PREVIEW_KEYS ? ', …' : '');
  return { name, value: `{${shown}}`, variablesReference: ref, namedVariables: keys.length };
}

function jsonScalar(v: JsonValue): string {
  if (typeof v === 'number' && Object.is(v, -0)) return '-0';
  return JSON.stringify(v) ?? 'null';
}
