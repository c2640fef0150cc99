/**
 * The dynamic value inside an interface: its type, read from the runtime's type descriptor the
 * interface points at, and where the value lives. Same rules as the value renderer
 * (../../values/render.ts): pointer-shaped values sit in the data word itself, everything else
 * is pointed to by it.
 */
import { type GoType, predeclaredType } from '../../layout/gotype.js';
import { readUint } from '../../target/bytes.js';
import { readExact, type MemRange } from '../../target/target.js';
import { fetchRanges } from '../../target/fetch.js';
import type { DynamicType } from '../../values/rtype.js';
import type { ValueEnv } from './env.js';

export interface DynamicValue {
  readonly name: string;
  /** null: the binary has no DWARF type of that name. */
  readonly type: GoType | null;
  readonly address: bigint;
}

const MAX_ROUNDS = 4;

/** Resolves a Go type name: predeclared types are built, others looked up in DWARF. */
export async function goTypeNamed(env: ValueEnv, name: string): Promise<GoType | null> {
  const pre = predeclaredType(name, env.pointerSize);
  if (pre) return pre;
  const [t] = await env.types([name]);
  return t;
}

/** Null for a nil interface. */
export async function dynamicValue(env: ValueEnv, kind: 'eface' | 'iface', address: bigint): Promise<DynamicValue | null> {
  const ps = env.pointerSize;
  const words = await readExact(env.mem, address, 2 * ps);
  const word0 = readUint(words, 0, ps, env.mem);
  const data = readUint(words, ps, ps, env.mem);
  if (word0 === 0n) return null;
  const { rtypes } = await env.render();
  if (!rtypes) throw new Error('no runtime type information in this binary');
  let typeAddr = word0;
  if (kind === 'iface') {
    // itab{inter, _type, ...}: a non-empty interface reaches its dynamic type through the itab.
    const at = rtypes.itabType;
    if (at === undefined) throw new Error('no runtime type information for non-empty interfaces in this binary');
    typeAddr = readUint(await readExact(env.mem, word0 + BigInt(at), ps), 0, ps, env.mem);
  }
  let dyn: DynamicType | 'unreadable' | undefined;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const misses: MemRange[] = [];
    dyn = rtypes.read(env.mem, typeAddr, misses);
    if (dyn !== undefined) break;
    await fetchRanges(env.mem, misses);
  }
  if (dyn === undefined || dyn === 'unreadable') throw new Error(`unreadable type descriptor at 0x${typeAddr.toString(16)}`);
  const direct = dyn.size === ps && dyn.ptrBytes === ps;
  return { name: dyn.name, type: await goTypeNamed(env, dyn.name), address: direct ? address + BigInt(ps) : data };
}
