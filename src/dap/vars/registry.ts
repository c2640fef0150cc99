/**
 * variablesReference ↔ node. The target never runs while the adapter holds it, so references
 * stay valid for the whole session (DAP allows them to outlive a stop when nothing changes);
 * nodes are keyed so that expanding the same value again reuses its reference instead of
 * growing the table.
 */
import type { VarNode } from './node.js';

/** DAP references are positive 32-bit integers. */
const MAX_REFERENCE = 2 ** 31 - 1;

export class VarRegistry {
  private readonly nodes: VarNode[] = [];
  private readonly byKey = new Map<string, number>();

  ref(node: VarNode): number {
    const known = this.byKey.get(node.key);
    if (known !== undefined) return known;
    if (this.nodes.length >= MAX_REFERENCE) throw new Error('out of variable references');
    this.nodes.push(node);
    const ref = this.nodes.length;
    this.byKey.set(node.key, ref);
    return ref;
  }

  get(ref: number): VarNode | undefined {
    return Number.isInteger(ref) && ref > 0 ? this.nodes[ref - 1] : undefined;
  }
}
