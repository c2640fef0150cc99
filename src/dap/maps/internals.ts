/**
 * A map's `[internals]`: the header as a Go struct, the buckets (classic) or the small group and
 * tables (Swiss) with their tophash or control bytes, and the analysis — all as structured
 * children, paged where they are many. Figures come from the same snapshot and analysis as
 * `mapscope inspect --json`.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { SwissLayout } from '../../layout/map-layout.js';
import type { ClassicBucket, ClassicBucketChain, SwissGroup, SwissTable } from '../../maps/snapshot.js';
import { hex } from '../../target/bytes.js';
import type { JsonValue } from '../../values/json.js';
import { goVariables } from '../values/go-vars.js';
import type { VarContext } from '../vars/context.js';
import { JsonNode } from '../vars/json-node.js';
import { type ChildQuery, type VarNode, indexedRange, leaf, wantsNamed } from '../vars/node.js';
import { ctrlCells, ctrlName, tophashCells, tophashName } from './cells.js';
import type { MapView } from './map-cache.js';

const ANALYSIS_SECTIONS = ['occupancy', 'memory', 'gc', 'cacheLines', 'findings'];

export function internalsVariable(ctx: VarContext, view: MapView): DebugProtocol.Variable {
  const node = new InternalsNode(ctx, view);
  return {
    name: '[internals]',
    value: internalsSummary(view),
    type: view.layout.kind === 'classic' ? view.layout.hmap.name : view.layout.map.name,
    variablesReference: ctx.registry.ref(node),
    namedVariables: view.layout.kind === 'classic' ? 4 : 5,
    presentationHint: { kind: 'virtual' },
    memoryReference: hex(view.header),
  };
}

function internalsSummary(view: MapView): string {
  const s = view.snapshot;
  if (s.implementation === 'classic') {
    const overflow = s.buckets.reduce((n, c) => n + c.overflow.length, 0);
    const grow = s.oldbuckets ? `, growing from ${s.oldbuckets.length} old buckets` : '';
    return `classic: count ${s.count}, B ${s.B}, ${s.buckets.length} buckets, ${overflow} overflow${grow}`;
  }
  if (s.dirLen === 0) return `swiss: used ${s.used}, small map${s.smallGroup ? ', 1 group' : ', no group yet'}`;
  const groups = s.tables.reduce((n, t) => n + t.groups.length, 0);
  return `swiss: used ${s.used}, dirLen ${s.dirLen}, ${s.tables.length} tables, ${groups} groups`;
}

class InternalsNode implements VarNode {
  readonly key: string;
  constructor(
    private readonly ctx: VarContext,
    private readonly view: MapView,
  ) {
    this.key = `internals:${view.type.name}@${hex(view.header)}`;
  }

  async children(q: ChildQuery): Promise<DebugProtocol.Variable[]> {
    if (!wantsNamed(q)) return [];
    const { ctx, view } = this;
    const out: DebugProtocol.Variable[] = [];
    const header = view.type.header;
    if (header) out.push(...(await goVariables(ctx, [{ name: 'header', type: header, address: view.header }])));
    const s = view.snapshot;
    if (s.implementation === 'classic') {
      out.push(chainsVariable(ctx, `${this.key}/buckets`, 'buckets', s.buckets));
      out.push(s.oldbuckets ? chainsVariable(ctx, `${this.key}/oldbuckets`, 'oldbuckets', s.oldbuckets) : leaf('oldbuckets', 'nil'));
    } else {
      if (view.layout.kind === 'swiss') out.push(groupLayoutVariable(view.layout));
      out.push(s.smallGroup ? groupVariable(ctx, `${this.key}/smallGroup`, 'smallGroup', s.smallGroup) : leaf('smallGroup', 'nil'));
      out.push(tablesVariable(ctx, `${this.key}/tables`, s.tables));
    }
    out.push({
      name: 'analysis',
      value: `{${ANALYSIS_SECTIONS.join(', ')}}`,
      variablesReference: ctx.registry.ref(new AnalysisNode(ctx, view, `${this.key}/analysis`)),
      namedVariables: ANALYSIS_SECTIONS.length,
    });
    return out;
  }
}

/** The analysis is computed on first expansion: it walks every entry. */
class AnalysisNode implements VarNode {
  constructor(
    private readonly ctx: VarContext,
    private readonly view: MapView,
    readonly key: string,
  ) {}

  async children(q: ChildQuery): Promise<DebugProtocol.Variable[]> {
    const analysis = await this.ctx.maps.analysis(this.view);
    return new JsonNode(this.ctx, this.key, analysis as unknown as JsonValue).children(q);
  }
}

/** A list of things shown as `[i]`, paged. */
class ListNode<T> implements VarNode {
  constructor(
    readonly key: string,
    private readonly items: readonly T[],
    private readonly variable: (key: string, name: string, item: T, index: number) => DebugProtocol.Variable,
  ) {}

  async children(q: ChildQuery): Promise<DebugProtocol.Variable[]> {
    const range = indexedRange(q, this.items.length);
    if (!range) return [];
    const out: DebugProtocol.Variable[] = [];
    for (let i = range.start; i < range.end; i++) out.push(this.variable(`${this.key}/${i}`, `[${i}]`, this.items[i], i));
    return out;
  }
}

/** Fixed named children, made on expansion. */
class FieldsNode implements VarNode {
  constructor(
    readonly key: string,
    private readonly make: () => DebugProtocol.Variable[],
  ) {}

  async children(q: ChildQuery): Promise<DebugProtocol.Variable[]> {
    return wantsNamed(q) ? this.make() : [];
  }
}

function listVariable<T>(
  ctx: VarContext,
  key: string,
  name: string,
  value: string,
  items: readonly T[],
  variable: (key: string, name: string, item: T, index: number) => DebugProtocol.Variable,
): DebugProtocol.Variable {
  if (items.length === 0) return leaf(name, value);
  return { name, value, variablesReference: ctx.registry.ref(new ListNode(key, items, variable)), indexedVariables: items.length };
}

function addressVariable(address: bigint): DebugProtocol.Variable {
  return leaf('address', hex(address), { memoryReference: hex(address) });
}

/** 8 raw bytes as `[0]`..`[7]`, each in decimal with its meaning as the type. */
function bytesVariable(ctx: VarContext, key: string, name: string, bytes: readonly number[], cells: string, meaning: (b: number) => string): DebugProtocol.Variable {
  return listVariable(ctx, key, name, cells, bytes, (_k, n, b) => leaf(n, String(b), { type: meaning(b) }));
}

function chainsVariable(ctx: VarContext, key: string, name: string, chains: readonly ClassicBucketChain[]): DebugProtocol.Variable {
  const overflow = chains.reduce((n, c) => n + c.overflow.length, 0);
  return listVariable(ctx, key, name, `${chains.length} buckets, ${overflow} overflow`, chains, (k, n, c) => bucketVariable(ctx, k, n, c, c.overflow));
}

function bucketVariable(ctx: VarContext, key: string, name: string, b: ClassicBucket, overflow?: readonly ClassicBucket[]): DebugProtocol.Variable {
  const chain = overflow && overflow.length > 0 ? ` → ${overflow.length} overflow` : '';
  const node = new FieldsNode(key, () => {
    const out = [addressVariable(b.address), bytesVariable(ctx, `${key}/tophash`, 'tophash', b.tophash, tophashCells(b.tophash), tophashName)];
    if (overflow) {
      out.push(listVariable(ctx, `${key}/overflow`, 'overflow', `${overflow.length} buckets`, overflow, (k, n, o) => bucketVariable(ctx, k, n, o)));
    }
    return out;
  });
  return {
    name,
    value: `@${hex(b.address)} ${tophashCells(b.tophash)}${chain}`,
    variablesReference: ctx.registry.ref(node),
    namedVariables: overflow ? 3 : 2,
    memoryReference: hex(b.address),
  };
}

function groupVariable(ctx: VarContext, key: string, name: string, g: SwissGroup): DebugProtocol.Variable {
  const node = new FieldsNode(key, () => [addressVariable(g.address), bytesVariable(ctx, `${key}/ctrl`, 'ctrl', g.ctrl, ctrlCells(g.ctrl), ctrlName)]);
  return {
    name,
    value: `@${hex(g.address)} ${ctrlCells(g.ctrl)}`,
    variablesReference: ctx.registry.ref(node),
    namedVariables: 2,
    memoryReference: hex(g.address),
  };
}

/**
 * How every group of this map holds its keys and elems: interleaved slots, or (Go 1.27
 * mapsplitgroup) a keys array then an elems array; with offsets, as the runtime finds key i.
 */
function groupLayoutVariable(l: SwissLayout): DebugProtocol.Variable {
  const g = l.group;
  const arrays = g.arrays.map((a) => `${a.name}@${a.offset} (stride ${a.stride})`).join(', ');
  return leaf('groupLayout', `${g.arrangement}: ctrl@${g.ctrl.offset}, ${arrays}; key i at ${g.keysOff} + ${g.keyStride}·i, elem i at ${g.elemsOff} + ${g.elemStride}·i`, {
    type: `${g.name} (${g.size} bytes)`,
  });
}

const TABLE_FIELDS = ['index', 'localDepth', 'capacity', 'used', 'growthLeft'] as const;

function tablesVariable(ctx: VarContext, key: string, tables: readonly SwissTable[]): DebugProtocol.Variable {
  return listVariable(ctx, key, 'tables', `${tables.length} tables`, tables, (k, n, t) => tableVariable(ctx, k, n, t));
}

function tableVariable(ctx: VarContext, key: string, name: string, t: SwissTable): DebugProtocol.Variable {
  const node = new FieldsNode(key, () => [
    addressVariable(t.address),
    ...TABLE_FIELDS.map((f) => leaf(f, String(t[f]))),
    listVariable(ctx, `${key}/groups`, 'groups', `${t.groups.length} groups`, t.groups, (k, n, g) => groupVariable(ctx, k, n, g)),
  ]);
  return {
    name,
    value: `@${hex(t.address)} ${TABLE_FIELDS.map((f) => `${f} ${t[f]}`).join(' ')}`,
    variablesReference: ctx.registry.ref(node),
    namedVariables: 2 + TABLE_FIELDS.length,
    memoryReference: hex(t.address),
  };
}
