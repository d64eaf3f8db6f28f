// "Did you mean" for unknown FQL functions: the closest known name (diagnostics/suggest.ts), plus a
// few well-known names from other languages that map to an FQL idiom.

import { closestName } from '../diagnostics/suggest.js';

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
