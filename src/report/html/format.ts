/** Number formats of the HTML report: exact byte counts stay visible next to the rounded ones. */

/**
 * An integer with thousands separators, as toLocaleString('en-US') writes it. By hand for safe
 * integers: the locale machinery cost a big page's thousands of counts tens of milliseconds.
 */
export function int(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  if (digits.length <= 3) return String(n);
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += ',' + digits.slice(i, i + 3);
  return n < 0 ? '-' + out : out;
}

export function bytes(n: number): string {
  if (n < 10 * 1024) return `${int(n)} B`;
  if (n < 10 * 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

export function byteHex(b: number): string {
  return `0x${b.toString(16).padStart(2, '0')}`;
}

/** Keeps hover text and table cells short: a 1 MiB string key must not make a 1 MiB tooltip. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${int(s.length)} chars)`;
}
