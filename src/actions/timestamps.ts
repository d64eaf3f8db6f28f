// Body conversion of timestamps (customerio.md §3.0.2 Segment, §0.5 strict): the deep attribute
// rule over a body's objects, in one walker. The rules themselves (ISO recognition, dayjs.utc, the
// epoch rule, integer seconds) live in src/timestamps.ts, re-exported here for the builders.

import { deeperThan, MAX_VALUE_DEPTH, TooDeepError } from './limits.js';
import { hasOwn, isRecord, setOwn } from '../evaluator/value.js';
import { convertIsoValue } from '../timestamps.js';


/** Recursion bound for the deep attribute rule: deeper values are left as they are (< MAX_VALUE_DEPTH). */
const MAX_DEPTH = 64;

/** Whether a string can be strict ISO-8601 at all ("dddd-…", 10+ units): the cheap test run inline. */
function mayBeIso(value: string): boolean {
  return value.length >= 10 && value.charCodeAt(4) === 45;
}

/**
 * The one walker of the deep attribute rule (Segment's `convertAttributeTimestamps`): strict-ISO
 * string values become integer seconds, recursing into plain objects (not arrays) up to MAX_DEPTH.
 * Copy-on-write: an object without a date inside is returned as is, otherwise a fresh copy (spread
 * defines keys, `__proto__` included); with `inPlace` the top level is the caller's own object and
 * is rewritten (only values of existing keys: the for-in is not disturbed). With `field`, the field
 * depth limit is checked in the same walk (`tooDeepField`'s rule, `source` at level depth + 1:
 * below MAX_DEPTH deeperThan answers for arrays, non-plain and very deep objects alike).
 */
function walk(source: Record<string, unknown>, depth: number, field: string | undefined, inPlace: boolean): Record<string, unknown> {
  let out: Record<string, unknown> | undefined = inPlace ? source : undefined;
  for (const key in source) {
    if (!hasOwn.call(source, key)) continue;
    const value = source[key];
    let converted = value;
    if (typeof value === 'string') {
      if (mayBeIso(value)) converted = convertIsoValue(value);
    } else if (typeof value === 'object' && value !== null) {
      if (depth < MAX_DEPTH && isRecord(value)) converted = walk(value, depth + 1, field, false);
      else if (field !== undefined && deeperThan(value, depth + 2, MAX_VALUE_DEPTH)) throw new TooDeepError(field);
    }
    if (converted === value) continue;
    out ??= { ...source };
    setOwn(out, key, converted);
  }
  return out ?? source;
}

/** The deep attribute rule, copy-on-write (see walk): the same object when nothing changes. */
export function convertTimestampsDeep(source: Record<string, unknown>, depth = 0): Record<string, unknown> {
  return walk(source, depth, undefined, false);
}

/** `convertTimestampsDeep` of a field's value with the field depth limit in the same walk. Throws TooDeepError(field). */
export function convertTimestampsChecked(source: Record<string, unknown>, field: string, depth = 0): Record<string, unknown> {
  return walk(source, depth, field, false);
}

/** The deep attribute rule on an object the caller owns (a fresh copy): its top level rewritten, nested objects copy-on-write. */
export function convertTimestampsOwned(target: Record<string, unknown>): Record<string, unknown> {
  return walk(target, 0, undefined, true);
}
