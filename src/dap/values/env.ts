/**
 * Everything value rendering needs from one target, made once per debug session: the memory
 * cache, the runtime's type descriptors (for interfaces) and the Go types resolved so far.
 *
 * The target never runs while the adapter holds it (a live process stays stopped until
 * disconnect, a core never changes), so one cache serves the whole session.
 */
import type { GoType } from '../../layout/gotype.js';
import { CachedMemory } from '../../target/cache.js';
import { type Target, lookUpTypes } from '../../target/target.js';
import type { RenderEnv } from '../../values/render.js';
import { loadRuntimeTypeInfo } from '../../values/rtype.js';

export class ValueEnv {
  readonly mem: CachedMemory;
  readonly typesByName = new Map<string, GoType | null>();
  private renderEnv: Promise<RenderEnv> | undefined;

  constructor(readonly target: Target) {
    this.mem = new CachedMemory(target);
  }

  get pointerSize(): 4 | 8 {
    return this.target.pointerSize;
  }

  render(): Promise<RenderEnv> {
    this.renderEnv ??= this.makeRenderEnv();
    return this.renderEnv;
  }

  private async makeRenderEnv(): Promise<RenderEnv> {
    const rtypes = await loadRuntimeTypeInfo(this.target).catch(() => undefined);
    // A map nested in a value shows its length, the header's first field: Swiss `used` is a
    // uint64, classic `count` an int. Classic binaries are the ones with runtime.hmap.
    const [hmap] = await this.target.typesByName(['runtime.hmap']).catch(() => [undefined]);
    return { mem: this.mem, rtypes, typesByName: this.typesByName, swissHeaders: hmap === undefined };
  }

  /** Go types by name through the shared cache (null: the binary has no such type). */
  async types(names: readonly string[]): Promise<(GoType | null)[]> {
    await lookUpTypes(this.target, this.typesByName, names);
    return names.map((n) => this.typesByName.get(n) ?? null);
  }
}
