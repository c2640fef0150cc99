/**
 * Go string bytes to a JS string the way Go's encoding/json sees them: each byte that does not
 * start a valid UTF-8 sequence becomes one U+FFFD (utf8.DecodeRune's RuneError of width 1).
 * TextDecoder replaces maximal invalid subsequences instead, which differs for truncated runs.
 */
export function decodeGoString(b: Uint8Array): string {
  let ascii = true;
  for (let i = 0; i < b.length; i++) {
    if (b[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
  const out: number[] = [];
  let i = 0;
  while (i < b.length) {
    const c0 = b[i];
    if (c0 < 0x80) {
      out.push(c0);
      i++;
      continue;
    }
    const [rune, width] = decodeRune(b, i);
    out.push(rune);
    i += width;
  }
  let s = '';
  for (let j = 0; j < out.length; j += 8192) s += String.fromCodePoint(...out.slice(j, j + 8192));
  return s;
}

const RUNE_ERROR = 0xfffd;

/** utf8.DecodeRune for a non-ASCII first byte. */
function decodeRune(b: Uint8Array, i: number): [number, number] {
  const c0 = b[i];
  const n = b.length - i;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => k < n && b[i + k] >= lo && b[i + k] <= hi;
  if (c0 >= 0xc2 && c0 <= 0xdf) {
    if (cont(1)) return [((c0 & 0x1f) << 6) | (b[i + 1] & 0x3f), 2];
  } else if (c0 >= 0xe0 && c0 <= 0xef) {
    const lo = c0 === 0xe0 ? 0xa0 : 0x80;
    const hi = c0 === 0xed ? 0x9f : 0xbf;
    if (cont(1, lo, hi) && cont(2)) return [((c0 & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f), 3];
  } else if (c0 >= 0xf0 && c0 <= 0xf4) {
    const lo = c0 === 0xf0 ? 0x90 : 0x80;
    const hi = c0 === 0xf4 ? 0x8f : 0xbf;
    if (cont(1, lo, hi) && cont(2) && cont(3)) {
      return [((c0 & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f), 4];
    }
  }
  return [RUNE_ERROR, 1];
}
