/**
 * Which words of a type hold pointers, derived from its DWARF description the way the Go
 * compiler builds a type's GC bitmap: pointers, unsafe.Pointer, chans, funcs and maps; the data
 * word of strings, slices and interfaces (an interface's first word points at a type or itab,
 * which the GC never needs to mark); structs and arrays walked.
 */
import type { GoType } from '../layout/gotype.js';

/** Byte offsets of the pointer words of `t` placed at `base`, appended to `out` in order. */
export function pointerOffsets(t: GoType, base: number, ptrSize: number, out: number[]): void {
  switch (t.kind) {
    case 'pointer':
    case 'unsafe.Pointer':
    case 'chan':
    case 'func':
    case 'map':
    case 'string':
    case 'slice':
      out.push(base);
      return;
    case 'eface':
    case 'iface':
      out.push(base + ptrSize);
      return;
    case 'struct':
      for (const f of t.fields) pointerOffsets(f.type, base + f.offset, ptrSize, out);
      return;
    case 'array': {
      if (t.length === 0) return;
      const inner: number[] = [];
      pointerOffsets(t.elem, 0, ptrSize, inner);
      if (inner.length === 0) return;
      for (let i = 0; i < t.length; i++) for (const o of inner) out.push(base + i * t.elem.size + o);
      return;
    }
    default:
      return;
  }
}

export function hasPointers(t: GoType, ptrSize: number): boolean {
  const out: number[] = [];
  pointerOffsets(t, 0, ptrSize, out);
  return out.length > 0;
}

/** Bytes up to and including the last pointer word: the prefix the GC scans. */
export function ptrBytesOf(offsets: readonly number[], ptrSize: number): number {
  return offsets.length === 0 ? 0 : Math.max(...offsets) + ptrSize;
}

/** The runtime's GC mask: bit i of byte i/8 set when word i holds a pointer; lowercase hex. */
export function gcBitmap(words: readonly number[], ptrBytes: number, ptrSize: number): string {
  const nwords = ptrBytes / ptrSize;
  const bytes = new Uint8Array(Math.ceil(nwords / 8));
  for (const w of words) bytes[w >> 3] |= 1 << (w & 7);
  return Buffer.from(bytes).toString('hex');
}
