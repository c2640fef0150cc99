/** Number formats of the HTML report: exact byte counts stay visible next to the rounded ones. */

export function int(n: number): string {
  return n.toLocaleString('en-US');
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
