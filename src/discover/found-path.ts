/**
 * Paths of found maps as expressions inspect accepts. Map keys are rendered here, for the paths
 * printed only, in one batch. A map reached through a key that has no Go literal (a struct, a
 * float, a pointer) is named by its raw header instead, which inspect accepts as well.
 */
import { hex } from '../target/bytes.js';
import type { DiscoverEnv } from './env.js';
import { keyLiterals } from './keys.js';
import { type IndexLiteral, formatIndex, formatStep } from './path.js';
import type { FoundMap, PathNode, WalkStep } from './walk.js';

export interface NamedMap {
  /** An expression `mapscope inspect` resolves to this map. */
  readonly path: string;
  /** False when the path is the raw `0xADDR:map[K]V` form; `route` then shows the way it was found. */
  readonly exact: boolean;
  readonly route: string;
}

type EntryStep = Extract<WalkStep, { kind: 'entry' }>;

function chain(p: PathNode): PathNode[] {
  const out: PathNode[] = [];
  for (let n: PathNode | null = p; n; n = n.up) out.push(n);
  return out.reverse();
}

export async function nameFoundMaps(env: DiscoverEnv, maps: readonly FoundMap[]): Promise<NamedMap[]> {
  const entrySteps = new Set<EntryStep>();
  for (const m of maps) for (const n of chain(m.path)) for (const s of n.steps) if (s.kind === 'entry') entrySteps.add(s);
  const steps = [...entrySteps];
  const literals = await keyLiterals(
    env,
    steps.map((s) => ({ type: s.keyType, address: s.keyAddress })),
  );
  const literalOf = new Map<EntryStep, IndexLiteral | undefined>(steps.map((s, i) => [s, literals[i]]));
  return maps.map((m) => {
    let text = '';
    let exact = true;
    for (const n of chain(m.path)) {
      if (n.root !== undefined) text += n.root;
      for (const s of n.steps) {
        if (s.kind !== 'entry') {
          text += formatStep(s);
          continue;
        }
        const lit = literalOf.get(s);
        if (lit === undefined) exact = false;
        text += lit === undefined ? `[<${s.keyType.name} at ${hex(s.keyAddress)}>]` : `[${formatIndex(lit)}]`;
      }
    }
    const raw = `${hex(m.header)}:map[${m.type.keyName}]${m.type.elemName}`;
    return { path: exact ? text : raw, exact, route: text };
  });
}
