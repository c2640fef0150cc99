/**
 * Each map's structure decoded once per session: header, buckets or tables and groups, and the
 * address of every entry. Pages of entries are then rendered from that list, so showing entries
 * 100..149 of a million reads only those fifty keys and values (most already in the cached
 * bucket or group arrays), never the rest.
 */
import { analyzeMap } from '../../analyze/analyze.js';
import type { MapAnalysis } from '../../analyze/types.js';
import type { GoMapType } from '../../layout/gotype.js';
import { type MapLayout, MapLayoutError, mapLayout } from '../../layout/map-layout.js';
import { decodeClassic } from '../../maps/classic/decode.js';
import type { MapSnapshot } from '../../maps/snapshot.js';
import { decodeSwiss } from '../../maps/swiss/decode.js';
import { hex } from '../../target/bytes.js';
import { renderEntries, type RenderedEntry } from '../../values/entries.js';
import { clipType } from '../values/clip.js';
import type { ValueEnv } from '../values/env.js';

export interface MapView {
  /** The map type with its header described (re-resolved by name when it came without). */
  readonly type: GoMapType;
  readonly layout: MapLayout;
  readonly header: bigint;
  readonly snapshot: MapSnapshot;
}

export class MapCache {
  private readonly views = new Map<string, Promise<MapView>>();
  private readonly analyses = new Map<string, Promise<MapAnalysis>>();

  constructor(private readonly env: ValueEnv) {}

  view(type: GoMapType, header: bigint): Promise<MapView> {
    const key = `${type.name}@${hex(header)}`;
    let v = this.views.get(key);
    if (!v) {
      v = this.decode(type, header);
      this.views.set(key, v);
    }
    return v;
  }

  private async decode(type: GoMapType, header: bigint): Promise<MapView> {
    const full = await this.described(type);
    const layout = mapLayout(full);
    const mem = this.env.mem;
    const snapshot = layout.kind === 'classic' ? await decodeClassic(mem, layout, header) : await decodeSwiss(mem, layout, header);
    return { type: full, layout, header, snapshot };
  }

  /**
   * A map type reached deep inside another value may come without its header: the bridge
   * stops following pointers after a few hops. Asked for by name, it comes whole.
   */
  private async described(type: GoMapType): Promise<GoMapType> {
    try {
      mapLayout(type);
      return type;
    } catch (e) {
      if (!(e instanceof MapLayoutError)) throw e;
      const [again] = await this.env.target.typesByName([type.name]);
      if (again?.kind !== 'map') throw e;
      return again;
    }
  }

  /** Entries [start, end) in memory order, rendered as contract JSON. */
  async entries(view: MapView, start: number, end: number): Promise<RenderedEntry[]> {
    const refs = view.snapshot.entries.slice(start, end);
    // Clipped types: a page of maps with megabyte-sized values must not read megabytes per entry.
    return renderEntries(refs, clipType(view.layout.key), clipType(view.layout.elem), await this.env.render(), this.env.target);
  }

  /** The analysis of docs/analysis.md; it walks every entry, so it is computed only when asked for. */
  analysis(view: MapView): Promise<MapAnalysis> {
    const key = `${view.type.name}@${hex(view.header)}`;
    let a = this.analyses.get(key);
    if (!a) {
      a = this.analyze(view);
      this.analyses.set(key, a);
    }
    return a;
  }

  private async analyze(view: MapView): Promise<MapAnalysis> {
    const r = await this.env.render();
    return analyzeMap({
      target: this.env.target,
      mem: this.env.mem,
      rtypes: r.rtypes,
      typesByName: this.env.typesByName,
      type: view.type,
      layout: view.layout,
      snapshot: view.snapshot,
    });
  }
}
