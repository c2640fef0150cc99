/**
 * Entries as JSON, `{"key":K,"value":V}`, for the JSON outputs: compiled emitters (./emit.ts)
 * where they write exactly what the general renderer would, the general renderer for the rest
 * (indirect slots, types no emitter handles, values an emitter gave up on), with every read of
 * the batch gathered in rounds first (./gather.ts).
 */
import type { GoType } from '../layout/gotype.js';
import type { EntrySlots } from '../maps/slots.js';
import type { TypeSource } from '../target/target.js';
import { renderMany } from './entries.js';
import { ELEM, type EntryEmitters, KEY, gatherEntries } from './gather.js';
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
  /** Entries [from, to) gathered already (a live target's read phase): not gathered again. */
  gathered?: EntryEmitters,
): Promise<JsonItems> {
  const { key: ke, elem: ve, givenUp } = gathered ?? (await gatherEntries(slots, from, to, { key: keyType, elem: elemType }, env, types, { strings: true }));
  // The general renderer's values, for the parts no emitter writes: by entry, in order.
  const generalKeys = new Map<number, JsonValue>();
  const generalElems = new Map<number, JsonValue>();
  const wanted: { type: GoType; address: bigint; into: Map<number, JsonValue>; j: number }[] = [];
  for (let i = from; i < to; i++) {
    const j = i - from;
    if (!ke || givenUp[j] & KEY) wanted.push({ type: keyType, address: slots.keyAddress(i), into: generalKeys, j });
    if (!ve || givenUp[j] & ELEM) wanted.push({ type: elemType, address: slots.elemAddress(i), into: generalElems, j });
  }
  if (wanted.length > 0) {
    const values = await renderMany(wanted, env, types);
    wanted.forEach((w, k) => w.into.set(w.j, values[k]));
  }
  return {
    length: to - from,
    writeItem(j: number, out: JsonOut): void {
      const i = from + j;
      const b = slots.block(i);
      out.ascii(KEY_OPEN);
      const k = generalKeys.get(j);
      if (k !== undefined || !ke) writeJsonBytesTo(k ?? null, out);
      else ke.emit(b, slots.keyOffset(i), out);
      out.ascii(VALUE);
      const v = generalElems.get(j);
      if (v !== undefined || !ve) writeJsonBytesTo(v ?? null, out);
      else ve.emit(b, slots.elemOffset(i), out);
      out.ascii(CLOSE);
    },
  };
}

const KEY_OPEN = new Ascii('{"key":');
const VALUE = new Ascii(',"value":');
const CLOSE = new Ascii('}');
