// "Did you mean": the one edit distance and the one closest-name rule, for every hint that names a
// known word (fields, actions, functions, choices, `.map` headers, CLI commands, options and keys).

/**
 * Edit distance with adjacent transpositions counted as one edit (optimal string alignment), so
 * `chekc` is one step from `check`. Exact up to `limit`; beyond it, some value above `limit` (it
 * stops early once a whole row exceeds it).
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        v = Math.min(v, (before[j - 2] ?? 0) + 1);
      }
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    before = prev;
    prev = cur;
  }
  return prev[b.length] ?? limit + 1;
}

/**
 * The known name closest to `name` (case-insensitive), or undefined when nothing is close: at most
 * a third of the name's length may differ (at least 1, at most 3 edits); the first of equals wins.
 */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  const needle = name.toLowerCase();
  const limit = Math.max(1, Math.min(3, Math.floor(needle.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of known) {
    const d = editDistance(needle, candidate.toLowerCase(), Math.min(limit, bestDistance));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      if (d === 0) break;
    }
  }
  return best;
}
