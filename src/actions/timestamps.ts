// Timestamp rules of customerio.md §3.0.2 (what Segment does) and §0.5 (what the strict profile does):
// the lenient root rule, the strict ISO-8601 attribute rule (deep, objects only) and integer-seconds
// normalisation. Every regex here is anchored with bounded or non-overlapping quantifiers (linear time).

import { deeperThan, MAX_VALUE_DEPTH, TooDeepError } from './limits.js';
import { hasOwn, isPlainObject, setOwn } from './objects.js';

/** Strict ISO-8601 as Segment's `isIsoDate` accepts it: date, optional time, fraction (1–9), zone. */
const STRICT_ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?)?$/;
/** dayjs's `REGEX_PARSE` (dayjs 1.11), used by `dayjs.utc(string)` for strings not ending in `Z`. */
const DAYJS_PARSE = /^(\d{4})[-/]?(\d{1,2})?[-/]?(\d{0,2})[Tt\s]*(\d{1,2})?:?(\d{1,2})?:?(\d{1,2})?[.:]?(\d+)?$/;
/** Digits with an optional decimal part: Segment forwards these root timestamps unchanged. */
const EPOCH_STRING = /^\d+(?:\.\d+)?$/;
/** Something in a legacy date string that names a zone (so the string is not local time). */
const ZONE_MARK = /(?:GMT|UTC|\bUT\b|\d(?:\s*)Z\b|[+-]\d{2}:?\d{2}\b|\b[ECMP][SD]T\b)/i;
/** Longest string we try to read as a date (dates are short; this bounds work on hostile input). */
const MAX_DATE_LENGTH = 100;
/** Numbers at or above this are epoch milliseconds, below it epoch seconds (§0.5, year 5138 in seconds). */
const MS_THRESHOLD = 1e11;

/** Recursion bound for the deep attribute rule: deeper values are left as they are (< MAX_VALUE_DEPTH). */
const MAX_DEPTH = 64;

/**
 * Parses a string with JavaScript's legacy `Date` parser, reading zone-less strings as UTC (Segment
 * runs in UTC; the library must not depend on the host's time zone).
 */
function legacyParseUtc(value: string): number {
  const local = Date.parse(value);
  if (Number.isNaN(local) || ZONE_MARK.test(value)) return local;
  return local - new Date(local).getTimezoneOffset() * 60_000;
}

/** Milliseconds of a zone-less date-time given as components, UTC, with JavaScript's roll-over. */
function utcFromParts(y: string, mo: string | undefined, d: string | undefined, h?: string, mi?: string, s?: string, frac?: string): number {
  const month = Number(mo) - 1 || 0;
  const ms = Number((frac ?? '0').slice(0, 3));
  return Date.UTC(Number(y), month, Number(d) || 1, Number(h) || 0, Number(mi) || 0, Number(s) || 0, ms);
}

/**
 * `dayjs.utc(value)` for a string, as milliseconds (NaN when invalid): dayjs's own pattern gives UTC
 * components; anything else (strings ending in `Z`, offsets, RFC 2822, "25 Mar 2015") goes to `Date`.
 */
export function dayjsUtcMillis(value: string): number {
  if (value.length > MAX_DATE_LENGTH) return NaN;
  // Strict ISO-8601 (the usual case) reads the same through dayjs: components as UTC, or Date.parse
  // for Z/offsets; take the cheap path.
  const iso = strictIsoMillis(value);
  if (!Number.isNaN(iso)) return iso;
  if (!/Z$/i.test(value)) {
    const m = DAYJS_PARSE.exec(value);
    if (m) return utcFromParts(m[1]!, m[2], m[3], m[4], m[5], m[6], m[7]);
  }
  return legacyParseUtc(value);
}

/** EPOCH_STRING's test, answered without the regex for the usual ISO shape ("dddd-…" has no epoch form). */
function isEpochString(text: string): boolean {
  return text.charCodeAt(4) !== 45 && EPOCH_STRING.test(text);
}

/** Floors milliseconds to Unix seconds (`dayjs().unix()`). */
function toSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/**
 * Segment's root `timestamp` rule (lenient): non-strings and digit strings pass through unchanged;
 * any other string readable by `dayjs.utc` becomes integer seconds; unreadable strings pass through.
 */
export function segmentRootTimestamp(value: unknown): unknown {
  if (typeof value !== 'string' || isEpochString(value)) return value;
  const ms = dayjsUtcMillis(value);
  return Number.isNaN(ms) ? value : toSeconds(ms);
}

/** The digit at `i` (0–9), or -1. */
function digit(text: string, i: number): number {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** The `count` digits from `i` as a number, or -1 when one is not a digit. */
function digits(text: string, i: number, count: number): number {
  let n = 0;
  for (let k = 0; k < count; k++) {
    const d = digit(text, i + k);
    if (d < 0) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * The usual shape, `YYYY-MM-DDTHH:MM:SS[.sss]Z` (what `toISOString` prints), read without the regex
 * and `Date.parse`: only for component ranges where `Date.UTC` and `Date.parse` agree (year ≥ 1000,
 * day ≤ 28, no 24:00, no leap second); NaN means "not decided here" and the general path runs.
 */
function utcIsoFast(text: string): number {
  const n = text.length;
  if (n === 10) return utcDateFast(text);
  if ((n !== 20 && n !== 24) || text.charCodeAt(n - 1) !== 90 /* Z */ || text.charCodeAt(10) !== 84 /* T */) return NaN;
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return NaN;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  let ms = 0;
  if (n === 24) {
    if (text.charCodeAt(19) !== 46 /* . */) return NaN;
    ms = digits(text, 20, 3);
    if (ms < 0) return NaN;
  }
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 28 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/**
 * A zone-less `YYYY-MM-DD` (read as UTC midnight, as `utcFromParts` does) without the regex and
 * `Date.parse`, for the same safe component ranges as utcIsoFast; NaN means "not decided here".
 */
function utcDateFast(text: string): number {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return NaN;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 28) return NaN;
  return Date.UTC(year, month - 1, day);
}

/**
 * Milliseconds of a strict ISO-8601 string (Segment's `isIsoDate` + `Date.parse` check), or NaN.
 * Zone-less values are read as UTC.
 */
export function strictIsoMillis(value: string): number {
  // Cheap shape test first (most attribute strings are not dates): "dddd-dd-dd…".
  if (value.length < 10 || value.length > 40 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return NaN;
  const fast = utcIsoFast(value);
  if (fast === fast) return fast; // not NaN
  const m = STRICT_ISO.exec(value);
  if (!m) return NaN;
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) return NaN;
  return m[8] !== undefined ? parsed : utcFromParts(m[1]!, m[2], m[3], m[4], m[5], m[6], m[7]);
}

/** Converts one value by the attribute rule: strict ISO strings → integer seconds, others unchanged. */
export function convertIsoValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const ms = strictIsoMillis(value);
  return Number.isNaN(ms) ? value : toSeconds(ms);
}

/** Whether a string can be strict ISO-8601 at all ("dddd-…", 10+ units): the cheap test run inline. */
function mayBeIso(value: string): boolean {
  return value.length >= 10 && value.charCodeAt(4) === 45;
}

/** One value by the deep attribute rule (below `depth` levels); the same value when nothing changes. */
function convertDeepChild(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return mayBeIso(value) ? convertIsoValue(value) : value;
  if (typeof value !== 'object' || value === null || depth >= MAX_DEPTH || !isPlainObject(value)) return value;
  return convertTimestampsDeep(value, depth + 1);
}

/**
 * Segment's deep attribute conversion (`convertAttributeTimestamps`): strict-ISO string values become
 * integer seconds, recursing into plain objects but not arrays. Copy-on-write: an object without any
 * date inside is returned as is (callers never write to it), otherwise a fresh copy.
 */
export function convertTimestampsDeep(source: Record<string, unknown>, depth = 0): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const key in source) {
    if (!hasOwn.call(source, key)) continue;
    const value = source[key];
    const converted = convertDeepChild(value, depth);
    if (converted === value) continue;
    // The first change: clone the whole object at once (spread defines keys, `__proto__` included).
    out ??= { ...source };
    setOwn(out, key, converted);
  }
  return out ?? source;
}

/**
 * `convertTimestampsDeep` of a field's value fused with the field depth limit (`tooDeepField`'s
 * rule, the value itself being level 1): one walk instead of two. Throws TooDeepError(field).
 */
export function convertTimestampsChecked(source: Record<string, unknown>, field: string, depth = 0): Record<string, unknown> {
  // `source` is at level depth + 1; recursion stops at MAX_DEPTH (< MAX_VALUE_DEPTH), below which
  // deeperThan answers for the rest (arrays, non-plain objects and very deep objects alike).
  let out: Record<string, unknown> | undefined;
  for (const key in source) {
    if (!hasOwn.call(source, key)) continue;
    const value = source[key];
    let converted = value;
    if (typeof value === 'string') {
      if (mayBeIso(value)) converted = convertIsoValue(value);
    } else if (typeof value === 'object' && value !== null) {
      if (depth < MAX_DEPTH && isPlainObject(value)) converted = convertTimestampsChecked(value, field, depth + 1);
      else if (deeperThan(value, depth + 2, MAX_VALUE_DEPTH)) throw new TooDeepError(field);
    }
    if (converted === value) continue;
    out ??= { ...source };
    setOwn(out, key, converted);
  }
  return out ?? source;
}

/**
 * The deep attribute rule applied in place to an object the caller owns (a fresh copy): the top
 * level is rewritten where a value changes, nested objects stay copy-on-write.
 */
export function convertTimestampsOwned(target: Record<string, unknown>): Record<string, unknown> {
  // Only values of existing keys are replaced: the for-in enumeration is not disturbed.
  for (const key in target) {
    if (!hasOwn.call(target, key)) continue;
    const value = target[key];
    const converted = convertDeepChild(value, 0);
    if (converted !== value) setOwn(target, key, converted);
  }
  return target;
}

/** The outcome of strict integer-seconds normalisation. */
export type SecondsResult = { ok: true; seconds: number } | { ok: false; reason: string };

/**
 * Strict-profile normalisation to integer Unix seconds (§0.5 items 3–4): numbers and epoch digit
 * strings are seconds, or milliseconds when ≥ 10^11; ISO-8601 (zone-less = UTC) and other dates with
 * an explicit form are parsed; anything else, or a pre-1970 result, is reported as unusable.
 */
export function toUnixSeconds(value: unknown): SecondsResult {
  let ms: number;
  if (typeof value === 'number') {
    ms = value >= MS_THRESHOLD ? value : value * 1000;
  } else if (typeof value === 'string') {
    const text = value.trim();
    if (isEpochString(text)) {
      const n = Number(text);
      ms = n >= MS_THRESHOLD ? n : n * 1000;
    } else {
      ms = strictIsoMillis(text);
      if (Number.isNaN(ms)) ms = dayjsUtcMillis(text);
    }
  } else {
    return { ok: false, reason: `expected a date or epoch number, got ${value === null ? 'null' : typeof value}` };
  }
  if (!Number.isFinite(ms)) return { ok: false, reason: 'not a date Customer.io can read' };
  const seconds = toSeconds(ms);
  if (seconds < 0 || seconds > 9_999_999_999) return { ok: false, reason: 'outside 1970–2286' };
  return { ok: true, seconds };
}
