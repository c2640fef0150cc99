/**
 * A map variable: its entries as indexed children `[i]` in memory order, paged, and one named
 * child `[internals]`. The structure is decoded once (MapCache); a page renders only its own
 * entries.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { GoMapType, GoType } from '../../layout/gotype.js';
import { hex } from '../../target/bytes.js';
import { goVariables } from '../values/go-vars.js';
import { previewEntry } from '../values/preview.js';
import type { VarContext } from '../vars/context.js';
import { type ChildQuery, type VarNode, indexedRange, leaf, wantsNamed } from '../vars/node.js';
import { errorText } from '../vars/error-text.js';
import { internalsVariable } from './internals.js';
import type { MapView } from './map-cache.js';

/** Kinds whose values have children worth a `key`/`value` pair under the entry. */
const COMPOUND: ReadonlySet<GoType['kind']> = new Set(['struct', 'array', 'slice', 'pointer', 'eface', 'iface', 'map']);

export class MapNode implements VarNode {
  readonly key: string;
  constructor(
    private readonly ctx: VarContext,
    private readonly type: GoMapType,
    private readonly header: bigint,
  ) {
    this.key = `map:${type.name}@${hex(header)}`;
  }

  async children(q: ChildQuery): Promise<DebugProtocol.Variable[]> {
    let view: MapView;
    try {
      view = await this.ctx.maps.view(this.type, this.header);
    } catch (e) {
      // A map that cannot be decoded still says why, where its children would be.
      return wantsNamed(q) ? [leaf('[internals]', `<${errorText(e)}>`, { presentationHint: { kind: 'virtual' } })] : [];
    }
    const out: DebugProtocol.Variable[] = [];
    if (wantsNamed(q)) out.push(internalsVariable(this.ctx, view));
    const range = indexedRange(q, view.snapshot.entries.length);
    if (range && range.end > range.start) out.push(...(await this.entries(view, range.start, range.end)));
    return out;
  }

  private async entries(view: MapView, start: number, end: number): Promise<DebugProtocol.Variable[]> {
    const rendered = await this.ctx.maps.entries(view, start, end);
    const { key, elem } = view.layout;
    const compound = COMPOUND.has(key.kind) || COMPOUND.has(elem.kind);
    const typeOf = (name: string) => this.ctx.env.typesByName.get(name) ?? undefined;
    return rendered.map((e, j) => {
      const i = start + j;
      const v: DebugProtocol.Variable = {
        name: `[${i}]`,
        value: previewEntry(key, e.key, elem, e.value, typeOf),
        type: `${view.type.keyName}: ${view.type.elemName}`,
        variablesReference: 0,
      };
      if (compound) v.variablesReference = this.ctx.registry.ref(new EntryNode(this.ctx, view, i));
      if (compound) v.namedVariables = 2;
      return v;
    });
  }
}

/** One entry's key and value, for entries whose key or value has children of its own. */
class EntryNode implements VarNode {
  readonly key: string;
  constructor(
    private readonly ctx: VarContext,
    private readonly view: MapView,
    private readonly index: number,
  ) {
    this.key = `entry:${view.type.name}@${hex(view.header)}:${index}`;
  }

  async children(q: ChildQuery): Promise<DebugProtocol.Variable[]> {
    if (!wantsNamed(q)) return [];
    const e = this.view.snapshot.entries[this.index];
    const { key, elem } = this.view.layout;
    return goVariables(this.ctx, [
      { name: 'key', type: key, address: e.key },
      { name: 'value', type: elem, address: e.value },
    ]);
  }
}
