/** Growable typed-array columns (entry slots, line uses, gathered ranges): the one way they grow. */

type Column = Uint8Array | Uint16Array | Uint32Array | Float64Array;

/** A copy of `a` with room for twice as many values. */
export function doubled<T extends Column>(a: T): T {
  const b = new (a.constructor as new (length: number) => T)(Math.max(16, a.length * 2));
  b.set(a);
  return b;
}
