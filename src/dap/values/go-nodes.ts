/** The expandable Go values: structs, arrays and slices (paged), pointers and interfaces. */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { GoPointerType, GoStructType, GoType } from '../../layout/gotype.js';
import { hex } from '../../target/bytes.js';
import type { VarContext } from '../vars/context.js';
import { type ChildQuery, type VarNode, indexedRange, leaf, wantsNamed } from '../vars/node.js';
import { dynamicValue } from './dynamic.js';
import { goVariables, typeOrNamed } from './go-vars.js';

export function visibleFields(t: GoStructType) {
  return t.fields.filter((f) => f.name !== '_');
}

export class StructNode implements VarNode {
  readonly key: string;
  constructor(
    private readonly ctx: VarContext,
    private readonly type: GoStructType,
    private readonly address: bigint,
    private readonly evaluateName: string | undefined,
  ) {
    this.key = `struct:${type.name}@${hex(address)}`;
  }

  async children(q: ChildQuery): Promise<DebugProtocol.Variable[]> {
    if (!wantsNamed(q)) return [];
    const base = this.evaluateName;
    return goVariables(
      this.ctx,
      visibleFields(this.type).map((f) => ({
        name: f.name,
        type: f.type,
        address: this.address + BigInt(f.offset),
        evaluateName: base === undefined ? undefined : `${base}.${f.name}`,
      })),
    );
  }
}

/** Elements of an array, or of the array behind a slice: `[i]`, one page at a time. */
export class ElementsNode implements VarNode {
  readonly key: string;
  constructor(
    private readonly ctx: VarContext,
    private readonly elem: GoType | undefined,
    private readonly elemName: string,
    private readonly base: bigint,
    private readonly length: number,
  ) {
    this.key = `elements:${elemName}@${hex(base)}:${length}`;
  }

  async children(q: ChildQuery): Promise<DebugProtocol.Variable[]> {
    const range = indexedRange(q, this.length);
    if (!range || range.end <= range.start) return [];
    const elem = await typeOrNamed(this.ctx, this.elem, this.elemName);
    if (!elem) return [leaf(`[${range.start}]`, `<no DWARF type ${this.elemName}>`)];
    const items = [];
    for (let i = range.start; i < range.end; i++) items.push({ name: `[${i}]`, type: elem, address: this.base + BigInt(i) * BigInt(elem.size) });
    return goVariables(this.ctx, items);
  }
}

/** A non-nil pointer: a struct pointee's fields directly (as Go's p.X reads), else one child `*`. */
export class PointerNode implements VarNode {
  readonly key: string;
  constructor(
    private readonly ctx: VarContext,
    private readonly type: GoPointerType,
    private readonly target: bigint,
    private readonly evaluateName: string | undefined,
  ) {
    this.key = `pointer:${type.name}@${hex(target)}`;
  }

  async children(q: ChildQuery): Promise<DebugProtocol.Variable[]> {
    if (!wantsNamed(q)) return [];
    const elem = await typeOrNamed(this.ctx, this.type.elem, this.type.name.slice(1));
    if (!elem) return [leaf('*', `<no DWARF type ${this.type.name.slice(1)}>`)];
    if (elem.kind === 'struct') return new StructNode(this.ctx, elem, this.target, this.evaluateName).children(q);
    const evaluateName = this.evaluateName === undefined ? undefined : `*${this.evaluateName}`;
    return goVariables(this.ctx, [{ name: '*', type: elem, address: this.target, evaluateName }]);
  }
}

/** A non-nil interface: one child, `data`, the dynamic value with its dynamic type. */
export class InterfaceNode implements VarNode {
  readonly key: string;
  constructor(
    private readonly ctx: VarContext,
    private readonly kind: 'eface' | 'iface',
    typeName: string,
    private readonly address: bigint,
  ) {
    this.key = `iface:${typeName}@${hex(address)}`;
  }

  async children(q: ChildQuery): Promise<DebugProtocol.Variable[]> {
    if (!wantsNamed(q)) return [];
    const dyn = await dynamicValue(this.ctx.env, this.kind, this.address);
    if (!dyn) return [];
    if (!dyn.type) return [leaf('data', `<no DWARF type for ${dyn.name}>`, { type: dyn.name })];
    const [v] = await goVariables(this.ctx, [{ name: 'data', type: dyn.type, address: dyn.address }]);
    return [{ ...v, type: dyn.name }];
  }
}
