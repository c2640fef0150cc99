/**
 * The inspect pipeline of src/inspect/inspect.ts (decode → render → analyze) without its
 * catch-all, so that the fuzz tests see which error class escaped, and with nothing but the
 * Target it is given: a replayed image, corrupted or not.
 */
import { analyzeMap } from '../../../src/analyze/analyze.js';
import type { MapAnalysis } from '../../../src/analyze/types.js';
import { DwarfTypeError } from '../../../src/layout/dwarf.js';
import { mapLayout, MapLayoutError } from '../../../src/layout/map-layout.js';
import { decodeClassic } from '../../../src/maps/classic/decode.js';
import { CorruptMapError, type MapSnapshot } from '../../../src/maps/snapshot.js';
import { decodeSwiss } from '../../../src/maps/swiss/decode.js';
import { CachedMemory } from '../../../src/target/cache.js';
import { MemoryReadError, type Target } from '../../../src/target/target.js';
import { renderEntries, type RenderedEntry } from '../../../src/values/entries.js';
import type { GoType } from '../../../src/layout/gotype.js';
import { loadRuntimeTypeInfo } from '../../../src/values/rtype.js';

/** The errors a damaged target may legitimately cause: each names what it could not trust. */
export const TYPED_ERRORS = [CorruptMapError, MemoryReadError, MapLayoutError, DwarfTypeError] as const;

export function isTypedError(e: unknown): boolean {
  return TYPED_ERRORS.some((c) => e instanceof c);
}

export interface PipelineResult {
  readonly snapshot: MapSnapshot;
  readonly entries: RenderedEntry[];
  readonly analysis: MapAnalysis;
}

export async function runPipeline(target: Target, expr: string, limit?: number): Promise<PipelineResult> {
  const mem = new CachedMemory(target);
  const { header, type } = await target.evalMap(expr);
  const layout = mapLayout(type);
  const snapshot = layout.kind === 'classic' ? await decodeClassic(mem, layout, header) : await decodeSwiss(mem, layout, header);
  const rtypes = await loadRuntimeTypeInfo(target);
  const typesByName = new Map<string, GoType | null>();
  const env = { mem, rtypes, typesByName, swissHeaders: layout.kind === 'swiss' };
  const wanted = limit === undefined ? snapshot.entries : snapshot.entries.slice(0, limit);
  const entries = await renderEntries(wanted, layout.key, layout.elem, env, target);
  const analysis = await analyzeMap({ target, mem, rtypes, typesByName, type, layout, snapshot });
  return { snapshot, entries, analysis };
}
