/**
 * "Did you mean ...?": the names closest to one that was not found, for messages that say what
 * to do instead. Distance is optimal string alignment (Levenshtein with swapped neighbours as
 * one edit: `--jsno` is one edit from `--json`), case-insensitive.
 */

/** Edits between a and b, or Infinity once past `max` (most candidates are far: stop early). */
export function editDistance(a: string, b: string, max = Infinity): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (Math.abs(s.length - t.length) > max) return Infinity;
  let prev2: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return Infinity;
    prev2 = prev;
    prev = cur;
  }
  return prev[t.length] <= max ? prev[t.length] : Infinity;
}

/**
 * The candidates closest to `name` (at most `limit`, all equally close), if close enough to be
 * what was meant: within a third of its length in edits (at least one), or that it is a prefix
 * of (nearer than any edit), or that differ from it only in case. A name of two letters gets
 * only the candidates it begins, of one letter none.
 */
export function closest(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const max = Math.max(1, Math.floor(name.length / 3));
  const scored: { c: string; d: number }[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c) || c === name) continue;
    seen.add(c);
    // A name of one or two letters is within an edit of too many others to guess from.
    const d = c.toLowerCase().startsWith(name.toLowerCase()) && name.length >= 2 ? 0.5 : name.length >= 3 ? editDistance(name, c, max) : Infinity;
    if (d <= max) scored.push({ c, d });
  }
  scored.sort((x, y) => x.d - y.d || x.c.length - y.c.length || (x.c < y.c ? -1 : 1));
  return scored
    .filter((x) => x.d === scored[0].d)
    .slice(0, limit)
    .map((x) => x.c);
}

/** " (did you mean a, b or c?)" for what `closest` found; "" when nothing is close. */
export function didYouMean(found: readonly string[]): string {
  if (found.length === 0) return '';
  const list = found.length === 1 ? found[0] : `${found.slice(0, -1).join(', ')} or ${found[found.length - 1]}`;
  return `; did you mean ${list}?`;
}
