/**
 * Paths of found maps as expressions inspect accepts. Map keys are rendered here, for the paths
 * printed only, in one batch. A map reached through a key that has no Go literal (a struct, a
 * float, a pointer) is named by its raw header instead, which inspect accepts as well.
 */
import { hex } from '../target/bytes.js';
import type { DiscoverEnv } from './env.js';
import { keyHasLiteral, keyLiterals } from './keys.js';
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

/** The key literals of the map entries the found maps' paths go through: read while the target is stopped. */
export type KeyLiterals = ReadonlyMap<EntryStep, IndexLiteral | undefined>;

export async function readKeyLiterals(env: DiscoverEnv, maps: readonly FoundMap[]): Promise<KeyLiterals> {
  const entrySteps = new Set<EntryStep>();
  // Only keys a path can spell need reading; a path node shared by many maps is looked at once.
  const seen = new Set<PathNode>();
  for (const m of maps) {
    for (let n: PathNode | null = m.path; n && !seen.has(n); n = n.up) {
      seen.add(n);
      for (const s of n.steps) if (s.kind === 'entry' && keyHasLiteral(s.keyType)) entrySteps.add(s);
    }
  }
  const steps = [...entrySteps];
  const literals = await keyLiterals(
    env,
    steps.map((s) => ({ type: s.keyType, address: s.keyAddress })),
  );
  return new Map<EntryStep, IndexLiteral | undefined>(steps.map((s, i) => [s, literals[i]]));
}

/** Each found map's path, from what readKeyLiterals read: no memory is read here. */
export function nameFoundMaps(maps: readonly FoundMap[], literalOf: KeyLiterals): NamedMap[] {
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
    // Flat strings: built by +=, a path is a rope, and sorting 100,000 of them flattened each again and again.
    return { path: flat(exact ? text : raw), exact, route: flat(text) };
  });
}

/** The string as one flat sequence (V8 keeps concatenations as ropes until something flattens them). */
function flat(s: string): string {
  return s.length === 0 ? s : (' ' + s).slice(1);
}
