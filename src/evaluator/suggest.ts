// "Did you mean" for unknown names: Damerau-style edit distance against a table of known names,
// plus a few well-known names from other languages that map to an FQL idiom.

/** Optimal-string-alignment distance (insert, delete, substitute, swap adjacent), capped at `max + 1`. */
export function editDistance(a: string, b: string, max = 8): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const prev = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row.push(d);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/**
 * The known name closest to `name`: an exact case-insensitive match first, else the smallest
 * edit distance within a third of the name's length (at least 1, at most 3).
 */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  for (const candidate of known) {
    if (candidate.toLowerCase() === lower) return candidate;
    const d = editDistance(lower, candidate.toLowerCase(), bestDistance);
    if (d <= bestDistance && (best === undefined || d < bestDistance)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Names from other languages, and what to write instead (used when the target function exists). */
const IDIOMS: Record<string, { fn: string; write: string }> = {
  startsWith: { fn: 'match', write: 'match(x, "prefix*")' },
  starts_with: { fn: 'match', write: 'match(x, "prefix*")' },
  startswith: { fn: 'match', write: 'match(x, "prefix*")' },
  endsWith: { fn: 'match', write: 'match(x, "*suffix")' },
  ends_with: { fn: 'match', write: 'match(x, "*suffix")' },
  endswith: { fn: 'match', write: 'match(x, "*suffix")' },
  includes: { fn: 'contains', write: 'contains(x, "part")' },
  indexOf: { fn: 'contains', write: 'contains(x, "part")' },
  like: { fn: 'match', write: 'match(x, "pattern*")' },
  glob: { fn: 'match', write: 'match(x, "pattern*")' },
  regex: { fn: 'match', write: 'match(x, "glob*") (globs, not regular expressions)' },
  toLowerCase: { fn: 'lowercase', write: 'lowercase(x)' },
  lower: { fn: 'lowercase', write: 'lowercase(x)' },
  toUpperCase: { fn: 'uppercase', write: 'uppercase(x)' },
  upper: { fn: 'uppercase', write: 'uppercase(x)' },
  len: { fn: 'length', write: 'length(x)' },
  size: { fn: 'length', write: 'length(x)' },
  count: { fn: 'length', write: 'length(x)' },
  type: { fn: 'typeof', write: 'typeof(x)' },
  toString: { fn: 'string', write: 'string(x)' },
  str: { fn: 'string', write: 'string(x)' },
  parseInt: { fn: 'number', write: 'number(x)' },
  parseFloat: { fn: 'number', write: 'number(x)' },
  int: { fn: 'number', write: 'number(x)' },
  float: { fn: 'number', write: 'number(x)' },
  toNumber: { fn: 'number', write: 'number(x)' },
  boolean: { fn: 'bool', write: 'bool(x)' },
  exists: { fn: '', write: 'x != null' },
  isNull: { fn: '', write: 'x = null' },
  not: { fn: '', write: '!(condition)' },
};

/** The known name an unknown function name is a misspelling of (the hint's name, not an idiom to rewrite), if any. */
export function suggestedFunctionName(name: string, known: readonly string[]): string | undefined {
  const idiom = Object.hasOwn(IDIOMS, name) ? IDIOMS[name] : undefined;
  if (idiom && (idiom.fn === '' || known.includes(idiom.fn))) return undefined;
  return closestName(name, known);
}

/** A "did you mean" hint for an unknown function, or undefined when nothing is close. */
export function suggestFunction(name: string, known: readonly string[]): string | undefined {
  const idiom = Object.hasOwn(IDIOMS, name) ? IDIOMS[name] : undefined;
  if (idiom && (idiom.fn === '' || known.includes(idiom.fn))) return `did you mean \`${idiom.write}\`?`;
  const close = closestName(name, known);
  if (close) return `did you mean \`${close}\`?`;
  return known.length > 0 ? `known functions: ${known.join(', ')}` : undefined;
}
