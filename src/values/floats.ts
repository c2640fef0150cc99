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
 * chooses it; so float32(0.1) is written 0.1, not 0.10000000149011612.
 */
export function shortestFloat32(v: number): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(v.toPrecision(p));
    if (Math.fround(candidate) === v) return candidate;
  }
  return v;
}
