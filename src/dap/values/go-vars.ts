/**
 * Go values as DAP variables: a one-line preview, the Go type, the address as memoryReference,
 * and children where Go has them — struct fields, array and slice elements (paged), a pointer's
 * pointee, an interface's dynamic value, a map's entries and internals.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { GoArrayType, GoType } from '../../layout/gotype.js';
import { hex } from '../../target/bytes.js';
import type { JsonValue } from '../../values/json.js';
import type { VarContext } from '../vars/context.js';
import { goTypeNamed } from './dynamic.js';
import { ElementsNode, InterfaceNode, PointerNode, StructNode, visibleFields } from './go-nodes.js';
import { clipType } from './clip.js';
import { type ValueAt, renderValues } from './render-batch.js';
import { isObject, previewValue, renderError } from './preview.js';

export interface GoItem {
  readonly name: string;
  readonly type: GoType;
  readonly address: bigint;
  /** An expression that evaluates to this value again (globals and their fields). */
  readonly evaluateName?: string;
}

/** Elements of a slice shown in its preview. */
const PREVIEW_ELEMENTS = 16;

/** Renders a batch of values together (one set of round trips) and makes their variables. */
export async function goVariables(ctx: VarContext, items: readonly GoItem[]): Promise<DebugProtocol.Variable[]> {
  const env = ctx.env;
  const json = await renderValues(
    env,
    items.map((it) => ({ type: clipType(it.type), address: it.address })),
  );
  // A second, smaller batch for what the previews show beyond the values themselves.
  const extras: { index: number; kind: 'elements' | 'pointee'; at: ValueAt }[] = [];
  items.forEach((it, index) => {
    const x = previewExtra(it.type, json[index]);
    if (x) extras.push({ index, ...x });
  });
  const extraJson = await renderValues(env, extras.map((x) => x.at));
  const elements = new Map<number, JsonValue>();
  const pointees = new Map<number, JsonValue>();
  extras.forEach((x, i) => (x.kind === 'elements' ? elements : pointees).set(x.index, extraJson[i]));
  const typeOf = (name: string): GoType | undefined => lookupKnownType(ctx, name);
  return items.map((it, i) =>
    goVariable(ctx, it, json[i], previewValue(it.type, json[i], { top: true, elements: elements.get(i), pointee: pointees.get(i), typeOf })),
  );
}

/** Types already resolved (the renderer resolved every dynamic type it met). */
function lookupKnownType(ctx: VarContext, name: string): GoType | undefined {
  return ctx.env.typesByName.get(name) ?? undefined;
}

function previewExtra(t: GoType, v: JsonValue): { kind: 'elements' | 'pointee'; at: ValueAt } | undefined {
  if (t.kind === 'slice' && t.elem && isObject(v) && typeof v.len === 'number' && v.len > 0 && typeof v.data === 'string') {
    const length = Math.min(v.len, PREVIEW_ELEMENTS);
    const array: GoArrayType = { kind: 'array', name: `[${length}]${t.elem.name}`, size: length * t.elem.size, align: t.elem.align, elem: t.elem, length };
    return { kind: 'elements', at: { type: clipType(array), address: BigInt(v.data) } };
  }
  if (t.kind === 'pointer' && t.elem && (t.elem.kind === 'struct' || t.elem.kind === 'array') && typeof v === 'string') {
    return { kind: 'pointee', at: { type: clipType(t.elem), address: BigInt(v) } };
  }
  return undefined;
}

function goVariable(ctx: VarContext, it: GoItem, v: JsonValue, value: string): DebugProtocol.Variable {
  const t = it.type;
  const out: DebugProtocol.Variable = { name: it.name, value, type: t.name, variablesReference: 0, memoryReference: hex(it.address) };
  if (it.evaluateName !== undefined) out.evaluateName = it.evaluateName;
  if (renderError(t, v) !== undefined) return out;
  const reg = ctx.registry;
  switch (t.kind) {
    case 'struct': {
      const n = visibleFields(t).length;
      if (n > 0) {
        out.variablesReference = reg.ref(new StructNode(ctx, t, it.address, it.evaluateName));
        out.namedVariables = n;
      }
      break;
    }
    case 'array':
      if (t.length > 0) {
        out.variablesReference = reg.ref(new ElementsNode(ctx, t.elem, t.elem.name, it.address, t.length));
        out.indexedVariables = t.length;
      }
      break;
    case 'slice':
      if (isObject(v) && typeof v.len === 'number' && v.len > 0 && typeof v.data === 'string') {
        out.variablesReference = reg.ref(new ElementsNode(ctx, t.elem, t.name.slice(2), BigInt(v.data), v.len));
        out.indexedVariables = v.len;
      }
      break;
    case 'pointer':
      if (typeof v === 'string') {
        out.variablesReference = reg.ref(new PointerNode(ctx, t, BigInt(v), it.evaluateName));
        if (t.elem?.kind === 'struct') out.namedVariables = visibleFields(t.elem).length;
      }
      break;
    case 'eface':
    case 'iface':
      if (isObject(v)) {
        out.variablesReference = reg.ref(new InterfaceNode(ctx, t.kind, t.name, it.address));
        out.namedVariables = 1;
      }
      break;
    case 'map':
      if (isObject(v) && typeof v.map === 'string') {
        const header = BigInt(v.map);
        const count = typeof v.len === 'number' ? v.len : undefined;
        out.variablesReference = reg.ref(ctx.mapNode(t, header));
        if (count !== undefined) out.indexedVariables = count;
        out.namedVariables = 1;
        // The header is what a memory view of a map is about, not the pointer to it.
        out.memoryReference = hex(header);
      }
      break;
    default:
      break;
  }
  return out;
}

/** Resolves an element or pointee type the bridge did not describe (it stops after a few pointer hops). */
export async function typeOrNamed(ctx: VarContext, t: GoType | undefined, name: string): Promise<GoType | null> {
  return t ?? goTypeNamed(ctx.env, name);
}
