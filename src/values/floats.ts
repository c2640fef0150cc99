/** Floats as the contract writes them: numbers, with NaN and the infinities as strings. */
import type { JsonValue } from './json.js';

export function floatJson(v: number, bits: 32 | 64): JsonValue {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return bits === 32 ? shortestFloat32(v) : v;
}

/**
 * The shortest decimal that reads back as the same float32, as strconv.FormatFloat(f, 'g', -1, 32)
 * chooses it; so float32(0.1) is written 0.1, not 0.10000000149011612. Of the p-digit decimals
 * around the value (toExponential rounds half up, Go takes the closest that round-trips, ties to
 * even), the closest that reads back as the same float32 wins.
 */
export function shortestFloat32(v: number): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  for (let p = 1; p <= 9; p++) {
    const [mant, expText] = v.toExponential(p - 1).split('e');
    const sign = mant.startsWith('-') ? '-' : '';
    const digits = BigInt(mant.replace('-', '').replace('.', ''));
    const exp = Number(expText) - (p - 1);
    let best: { value: number; digits: bigint } | undefined;
    for (const d of [digits - 1n, digits, digits + 1n]) {
      if (d <= 0n) continue;
      const value = Number(`${sign}${d}e${exp}`);
      if (Math.fround(value) !== v) continue;
      const closer =
        !best ||
        Math.abs(value - v) < Math.abs(best.value - v) ||
        (Math.abs(value - v) === Math.abs(best.value - v) && d % 2n === 0n);
      if (closer) best = { value, digits: d };
    }
    if (best) return best.value;
  }
  return v;
}
