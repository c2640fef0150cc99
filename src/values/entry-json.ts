/**
 * Entries as JSON, `{"key":K,"value":V}`, for the JSON outputs: compiled emitters (./emit.ts)
 * where the types allow, the general renderer where they do not (interfaces, indirect slots),
 * with every scattered read of a batch (string data) gathered, sorted and merged first.
 */
import type { GoType } from '../layout/gotype.js';
import type { EntrySlots } from '../maps/slots.js';
import { RangeList } from '../target/range-list.js';
import type { TypeSource } from '../target/target.js';
import { type Emitter, compileEmitter } from './emit.js';
import { fetchRanges, renderMany } from './entries.js';
import { Ascii, type JsonOut } from './json-out.js';
import { type JsonItems, type JsonValue, writeJsonBytesTo } from './json.js';
import type { RenderEnv } from './render.js';

/**
 * Entries [from, to) of `slots`, ready to be written: everything they need from memory is read
 * here, so writing them (JsonItems.writeItem) is synchronous.
 */
export async function entryJson(
  slots: EntrySlots,
  from: number,
  to: number,
  keyType: GoType,
  elemType: GoType,
  env: RenderEnv,
  types: TypeSource,
): Promise<JsonItems> {
  const ke = slots.indirectKey ? undefined : compileEmitter(keyType, env);
  const ve = slots.indirectElem ? undefined : compileEmitter(elemType, env);
  // Room for a string's data per key and per elem, the usual case of many ranges.
  const ranges = new RangeList(ke?.gather || ve?.gather ? 2 * (to - from) : 0);
  gather(ke, slots, from, to, (i) => slots.keyOffset(i), ranges);
  gather(ve, slots, from, to, (i) => slots.elemOffset(i), ranges);
  await fetchRanges(env.mem, ranges);
  const keys = ke ? undefined : await general(keyType, from, to, (i) => slots.keyAddress(i), env, types);
  const elems = ve ? undefined : await general(elemType, from, to, (i) => slots.elemAddress(i), env, types);
  return {
    length: to - from,
    writeItem(j: number, out: JsonOut): void {
      const i = from + j;
      const b = slots.block(i);
      out.ascii(KEY);
      if (ke) ke.emit(b, slots.keyOffset(i), out);
      else writeJsonBytesTo((keys as JsonValue[])[j], out);
      out.ascii(VALUE);
      if (ve) ve.emit(b, slots.elemOffset(i), out);
      else writeJsonBytesTo((elems as JsonValue[])[j], out);
      out.ascii(CLOSE);
    },
  };
}

const KEY = new Ascii('{"key":');
const VALUE = new Ascii(',"value":');
const CLOSE = new Ascii('}');

function gather(e: Emitter | undefined, slots: EntrySlots, from: number, to: number, offset: (i: number) => number, out: RangeList): void {
  const g = e?.gather;
  if (!g) return;
  for (let i = from; i < to; i++) g(slots.block(i), offset(i), out);
}

/** Values the general renderer makes, written into the output as each item is (no text in between). */
async function general(type: GoType, from: number, to: number, address: (i: number) => bigint, env: RenderEnv, types: TypeSource): Promise<JsonValue[]> {
  const values = [];
  for (let i = from; i < to; i++) values.push({ type, address: address(i) });
  return renderMany(values, env, types);
}
