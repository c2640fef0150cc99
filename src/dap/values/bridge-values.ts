/**
 * The bridge's answer about values (-mapscope-values, -mapscope-frame-vars) → variables: values
 * in memory through the Go value machinery, the others (register variables, computed results)
 * with gdb's own text.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { BridgeValue, BridgeValues } from '../../gdb/bridge.js';
import { GoTypeBuilder } from '../../layout/dwarf.js';
import type { GoType } from '../../layout/gotype.js';
import type { VarContext } from '../vars/context.js';
import { errorText } from '../vars/error-text.js';
import { leaf } from '../vars/node.js';
import { type GoItem, goVariables } from './go-vars.js';

export type ResolvedValue =
  | { readonly kind: 'memory'; readonly type: GoType; readonly address: bigint }
  | { readonly kind: 'text'; readonly text: string; readonly typeName: string }
  | { readonly kind: 'error'; readonly message: string };

/** Builds each value's Go type; one value whose type cannot be built does not spoil the others. */
export function resolveValues(answer: BridgeValues, pointerSize: number): ResolvedValue[] {
  let builder = new GoTypeBuilder(answer.types, pointerSize);
  return answer.values.map((v): ResolvedValue => {
    if (v.error !== undefined && v.address === undefined && v.text === undefined) return { kind: 'error', message: v.error };
    if (v.address !== undefined && v.root !== undefined) {
      try {
        return { kind: 'memory', type: builder.type(v.root), address: v.address };
      } catch (e) {
        // A builder that failed half-way may hold half-built types: the next value starts afresh.
        builder = new GoTypeBuilder(answer.types, pointerSize);
        return { kind: 'error', message: `${v.typeName}: ${errorText(e)}` };
      }
    }
    if (v.text !== undefined) return { kind: 'text', text: v.text, typeName: v.typeName };
    return { kind: 'error', message: v.error ?? `cannot describe ${v.typeName}` };
  });
}

export interface NamedValue {
  readonly name: string;
  readonly value: ResolvedValue;
  readonly evaluateName?: string;
}

/** Variables for named values, the ones in memory rendered together in one batch. */
export async function namedVariables(ctx: VarContext, values: readonly NamedValue[]): Promise<DebugProtocol.Variable[]> {
  const inMemory: GoItem[] = [];
  const slots: number[] = [];
  values.forEach((nv, i) => {
    if (nv.value.kind === 'memory') {
      inMemory.push({ name: nv.name, type: nv.value.type, address: nv.value.address, evaluateName: nv.evaluateName });
      slots.push(i);
    }
  });
  const rendered = await goVariables(ctx, inMemory);
  const out: DebugProtocol.Variable[] = values.map((nv) => {
    const v = nv.value;
    if (v.kind === 'text') return leaf(nv.name, v.text, { type: v.typeName });
    if (v.kind === 'error') return leaf(nv.name, `<${v.message}>`);
    return leaf(nv.name, '');
  });
  slots.forEach((i, j) => (out[i] = rendered[j]));
  return out;
}

export type { BridgeValue };
