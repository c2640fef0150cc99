/** Counts in words: "1 entry", "2 entries", "0 maps". */

/** `n` and its noun, singular for exactly one; `many` defaults to the noun plus "s". */
export function plural(n: number | bigint, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 || n === 1n ? one : many}`;
}
