// Mapping list functions (mapping.md §3): first last count unique. A single value counts as a
// one-item list (as in `each`), so these read a scalar path and a list path alike.

import type { FunctionDef } from '../../evaluator/types.js';
import { isRecord, MAX_EQUALITY_DEPTH, ownIndex } from '../../evaluator/value.js';
import { p, row } from './util.js';

export const first = row(
  {
    name: 'first',
    params: [p('list', 'list')],
    result: 'any',
    doc: 'The first item of a list (missing when empty); any other value is returned as is (a one-item list).',
    examples: [
      { expr: 'first(properties.items)', event: { properties: { items: ['a', 'b'] } }, result: 'a' },
      { expr: 'first([])', result: undefined },
      { expr: 'first("x")', result: 'x' },
    ],
  },
  (x) => (Array.isArray(x) ? ownIndex(x, 0) : x),
);

export const last = row(
  {
    name: 'last',
    params: [p('list', 'list')],
    result: 'any',
    doc: 'The last item of a list (missing when empty); any other value is returned as is (a one-item list).',
    examples: [{ expr: 'last([1, 2, 3])', result: 3 }],
  },
  (x) => (Array.isArray(x) ? ownIndex(x, x.length - 1) : x),
);

export const count = row(
  {
    name: 'count',
    params: [p('x', 'any')],
    result: 'number',
    doc: 'Number of items of a list or keys of an object; missing and null count 0, any other value 1. (For string length in UTF-8 bytes use FQL `length`.)',
    examples: [
      { expr: 'count([1, 2, 3])', result: 3 },
      { expr: 'count(properties.items)', event: { properties: {} }, result: 0 },
      { expr: 'count({ a: 1 })', result: 1 },
    ],
  },
  (x) => (Array.isArray(x) ? x.length : isRecord(x) ? Object.keys(x).length : x === undefined || x === null ? 0 : 1),
);

/**
 * A string that is equal for two JSON values exactly when fqlEquals says so (sorted own keys,
 * lists in order, missing as null, `-0` as `0`); undefined for values it cannot key (deeper than
 * MAX_EQUALITY_DEPTH, or not JSON). Iterative, linear in the value's size (plus key sorting).
 */
function equalityKey(value: unknown): string | undefined {
  const out: string[] = [];
  const stack: Array<[unknown, number] | string> = [[value, 0]];
  while (stack.length > 0) {
    const top = stack.pop() as [unknown, number] | string;
    if (typeof top === 'string') {
      out.push(top);
      continue;
    }
    const [v, depth] = top;
    if (v === null || v === undefined) out.push('n');
    else if (typeof v === 'string') out.push(JSON.stringify(v));
    else if (typeof v === 'number') out.push(Number.isFinite(v) ? `#${v === 0 ? 0 : v}` : '?');
    else if (typeof v === 'boolean') out.push(v ? 't' : 'f');
    else if (depth >= MAX_EQUALITY_DEPTH) return undefined;
    else if (Array.isArray(v)) {
      out.push('[');
      stack.push(']');
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push(',');
        stack.push([ownIndex(v, i), depth + 1]);
      }
    } else if (isRecord(v)) {
      out.push('{');
      stack.push('}');
      const ks = Object.keys(v).sort();
      for (let i = ks.length - 1; i >= 0; i--) {
        const k = ks[i] as string;
        stack.push(',');
        stack.push([v[k], depth + 1]);
        stack.push(`${JSON.stringify(k)}:`);
      }
    } else return undefined;
  }
  return out.join('');
}

export const unique = row(
  {
    name: 'unique',
    params: [p('list', 'list')],
    result: 'list',
    doc: 'The list without repeated items (FQL equality: `1` and `"1"` differ), keeping first occurrences; any other value is returned as is.',
    examples: [{ expr: 'unique(["a", "b", "a", 1, "1"])', result: ['a', 'b', 1, '1'] }],
  },
  (x) => {
    if (!Array.isArray(x)) return x;
    const seen = new Set<unknown>();
    const keys = new Set<string>();
    const out: unknown[] = [];
    for (const item of x) {
      if (typeof item === 'object' && item !== null) {
        // One canonical key per object/list item: comparing every pair with fqlEquals was
        // quadratic (16,000 items in an event took 35 s). Unkeyable items (too deep, not JSON) stay.
        const key = equalityKey(item);
        if (key !== undefined) {
          if (keys.has(key)) continue;
          keys.add(key);
        }
      } else {
        const key = item === undefined ? null : item;
        if (seen.has(key)) continue;
        seen.add(key);
      }
      out.push(item === undefined ? null : item);
    }
    return out;
  },
);

/** The list family, in documentation order. */
export const LIST_FUNCTIONS: readonly FunctionDef[] = [first, last, count, unique];
