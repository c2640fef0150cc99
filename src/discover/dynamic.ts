/**
 * What interfaces hold: the dynamic type from the itab or type word (the runtime's own type
 * descriptor, ../values/rtype.ts), its DWARF type by the runtime's name for it, and where the
 * value lives. Resolved for many interfaces at once, in a few batched rounds of reads.
 */
import type { GoType } from '../layout/gotype.js';
import { hex, readUint } from '../target/bytes.js';
import type { MemRange } from '../target/target.js';
import { fetchRanges } from '../target/fetch.js';
import { type DynamicType, descriptorFault } from '../values/rtype.js';
import { type DiscoverEnv, knownType, resolveTypeNames } from './env.js';

/** An interface value in memory: its two words, already read. */
export interface InterfaceWords {
  readonly kind: 'eface' | 'iface';
  /** Where the interface itself lives (a pointer-shaped value is stored in its second word). */
  readonly address: bigint;
  /** The type word (eface) or itab pointer (iface); 0 for a nil interface. */
  readonly word0: bigint;
  readonly data: bigint;
}

export type Dynamic =
  | { readonly ok: true; readonly name: string; readonly type: GoType; readonly address: bigint }
  | { readonly ok: false; readonly name?: string; readonly error: string; /** Not resolved before the budget was spent. */ readonly late?: true };

/** Rounds of reads: itab word, descriptor, name header, name bytes. */
const ROUNDS = 6;

export async function resolveDynamic(env: DiscoverEnv, values: readonly InterfaceWords[]): Promise<Dynamic[]> {
  const mem = env.mem;
  const ps = mem.pointerSize;
  const rtypes = env.rtypes;
  const dyn: (DynamicType | string | undefined)[] = values.map((v) => (v.word0 === 0n ? 'nil interface' : rtypes ? undefined : 'no runtime type information'));
  for (let round = 0; round < ROUNDS; round++) {
    const misses: MemRange[] = [];
    values.forEach((v, i) => {
      if (dyn[i] !== undefined || !rtypes) return;
      let typeAddr = v.word0;
      if (v.kind === 'iface') {
        // itab{inter, _type, ...}: the dynamic type where the runtime's itab keeps it (values/rtype.ts).
        if (rtypes.itabType === undefined) return void (dyn[i] = 'no runtime type information');
        const at = v.word0 + BigInt(rtypes.itabType);
        const w = mem.peek(at, ps);
        if (w === 'unreadable') return void (dyn[i] = `unreadable itab at ${hex(v.word0)}`);
        if (!w) return void misses.push({ address: at, length: ps });
        typeAddr = readUint(w, 0, ps, mem);
      }
      const t = rtypes.read(mem, typeAddr, misses);
      if (t === 'unreadable') dyn[i] = `unreadable type descriptor at ${hex(typeAddr)}`;
      else if (t) dyn[i] = descriptorFault(t, ps) ?? t;
    });
    if (misses.length === 0) break;
    await fetchRanges(mem, misses);
  }
  const asked = await resolveTypeNames(env, dyn.flatMap((d) => (d !== undefined && typeof d !== 'string' ? [d.name] : [])));
  return values.map((v, i): Dynamic => {
    const d = dyn[i];
    if (d === undefined) return { ok: false, error: 'type descriptor not readable in time', late: true };
    if (typeof d === 'string') return { ok: false, error: d };
    const type = knownType(env, d.name);
    if (type === undefined && !asked) return { ok: false, name: d.name, error: env.stopReason() ?? 'type not looked up in time', late: true };
    if (!type || type.size !== d.size) return { ok: false, name: d.name, error: `no DWARF type for ${d.name}` };
    // Pointer-shaped values live in the data word itself; everything else is pointed to by it.
    const direct = d.size === ps && d.ptrBytes === ps;
    if (!direct && v.data === 0n) return { ok: false, name: d.name, error: 'nil data pointer' };
    return { ok: true, name: d.name, type, address: direct ? v.address + BigInt(ps) : v.data };
  });
}
