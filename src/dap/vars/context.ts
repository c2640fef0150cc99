/** What every variables node needs: the target's values, the reference table, decoded maps. */
import type { GoMapType } from '../../layout/gotype.js';
import type { MapCache } from '../maps/map-cache.js';
import type { ValueEnv } from '../values/env.js';
import type { VarNode } from './node.js';
import type { VarRegistry } from './registry.js';

export interface VarContext {
  readonly env: ValueEnv;
  readonly registry: VarRegistry;
  readonly maps: MapCache;
  /**
   * The node of a map value. Injected rather than imported: map entries are Go values again,
   * so value nodes and map nodes refer to each other.
   */
  mapNode(type: GoMapType, header: bigint): VarNode;
}
