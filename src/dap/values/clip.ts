/**
 * Bounded stand-ins for big types, for one-line previews: a `[1<<20]byte` global or a struct
 * holding one must not be read whole to show its first few elements. Arrays keep their element
 * type (the stride must not change) but lose elements past a byte budget; structs keep their
 * field offsets and shrink to the end of their clipped fields. The preview shows `…` where an
 * array was cut.
 */
import type { GoArrayType, GoField, GoStructType, GoType } from '../../layout/gotype.js';

/** Bytes a preview reads for one value, at most (an element larger than this is still read once). */
export const PREVIEW_BYTES = 4096;

const clipped = new WeakMap<GoType, GoType>();

export function clipType(t: GoType): GoType {
  if (t.size <= PREVIEW_BYTES) return t;
  const done = clipped.get(t);
  if (done) return done;
  let out: GoType = t;
  if (t.kind === 'array') out = clipArray(t);
  else if (t.kind === 'struct') out = clipStruct(t);
  clipped.set(t, out);
  return out;
}

function clipArray(t: GoArrayType): GoArrayType {
  const es = t.elem.size;
  const length = es === 0 ? t.length : Math.max(1, Math.min(t.length, Math.floor(PREVIEW_BYTES / es)));
  return { ...t, length, size: length * es };
}

function clipStruct(t: GoStructType): GoStructType {
  let end = 0;
  const fields: GoField[] = t.fields.map((f) => {
    const ft = clipType(f.type);
    end = Math.max(end, f.offset + ft.size);
    return ft === f.type ? f : { ...f, type: ft };
  });
  return { ...t, fields, size: end };
}
