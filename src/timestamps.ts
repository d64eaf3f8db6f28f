// The one home of timestamp rules: parsing, recognising ISO-8601, the epoch rule and conversion to
// seconds, for body conversion (src/actions/timestamps.ts: Segment's root and attribute rules, the
// strict integer-seconds rule), field typing (the `date-like` format, src/mapping/date-like.ts) and
// the mapping date functions (src/mapping/functions/dates.ts). Each rule is kept exactly as the
// behaviour it reproduces (Segment's isIsoDate, dayjs.utc, V8's Date.parse, mapping.md §3); they
// share the scanners and the epoch rule. Every regex here is anchored with bounded or
// non-overlapping quantifiers (linear time), and every string is length-checked before a regex.

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
/** Epoch numbers this large or larger (in magnitude) are milliseconds, smaller ones seconds (§0.5, year 5138 in seconds). */
const MS_THRESHOLD = 1e11;

/** The one epoch rule: an epoch number → milliseconds (≥ 10^11 in magnitude: already ms; else seconds). */
export function epochMillis(n: number): number {
  return Math.abs(n) >= MS_THRESHOLD ? n : n * 1000;
}

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
export function isEpochString(text: string): boolean {
  return text.charCodeAt(4) !== 45 && EPOCH_STRING.test(text);
}

/** Floors milliseconds to Unix seconds (`dayjs().unix()`). */
export function toSeconds(ms: number): number {
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

/**
 * True for the common ISO 8601 timestamps (`2024-01-15T08:00:25.393Z`, `…+05:30`) with every
 * part in range: strings `Date.parse` certainly accepts. A linear char scan, because
 * `Date.parse` costs ~250 ns per call and runs for every datetime field of every event. False
 * means only "not this shape": the caller then asks `Date.parse`.
 */
export function isPlainIsoTimestamp(s: string): boolean {
  const n = s.length;
  if (n < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  if (digits(s, 0, 4) < 0) return false;
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  let i = 19;
  if (s.charCodeAt(i) === 46) {
    // fraction: 1 to 9 digits (V8 keeps milliseconds and ignores the rest)
    const start = ++i;
    while (i < n && i - start < 10) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      i++;
    }
    if (i === start || i - start > 9) return false;
  }
  const zone = s.charCodeAt(i);
  if (zone === 90) return i + 1 === n; // Z
  if ((zone === 43 || zone === 45) && i + 6 === n && s.charCodeAt(i + 3) === 58) {
    const h = digits(s, i + 1, 2);
    const m = digits(s, i + 4, 2);
    return h >= 0 && h <= 23 && m >= 0 && m <= 59;
  }
  return false;
}

/** Segment's `date-like` format for datetime fields: an epoch number string or a parseable date. */
export function isDateLike(s: string): boolean {
  if (isPlainIsoTimestamp(s)) return true;
  return String(Number(s)) === s ? Number.isFinite(Number(s)) : !Number.isNaN(Date.parse(s));
}


/** Converts one value by the attribute rule: strict ISO strings → integer seconds, others unchanged. */
export function convertIsoValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const ms = strictIsoMillis(value);
  return Number.isNaN(ms) ? value : toSeconds(ms);
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
    ms = epochMillis(value);
  } else if (typeof value === 'string') {
    const text = value.trim();
    if (isEpochString(text)) {
      ms = epochMillis(Number(text));
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

/** The mapping functions' ISO-8601 (mapping.md §3): `T` or space, `,` fractions, `z`, `±hh[mm]`; zone-less = UTC. Linear. */
const MAPPING_ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const SIGNED_EPOCH_STRING = /^-?\d+(?:\.\d+)?$/;

/**
 * The mapping functions' date reading (`to_unix`, `to_iso`, `format_date`): milliseconds of an
 * ISO-8601 string (MAPPING_ISO, impossible dates refused), an epoch number or signed digit string
 * (the epoch rule); undefined when not a date.
 */
export function toMillis(x: unknown): number | undefined {
  if (typeof x === 'number') return Number.isFinite(x) ? epochMillis(x) : undefined;
  if (typeof x !== 'string') return undefined;
  const s = x.trim();
  if (SIGNED_EPOCH_STRING.test(s)) return epochMillis(Number(s));
  const m = MAPPING_ISO.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone = 'Z'] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 24 || Number(mi) > 59 || Number(sec) > 60) return undefined;
  let ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(sec), Number((frac + '000').slice(0, 3)));
  // Date.UTC rolls 31 Feb over to March: reject dates that do not exist
  if (new Date(ms).getUTCDate() !== day && Number(h) < 24) return undefined;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * 60000;
  }
  return Number.isFinite(ms) ? ms : undefined;
}
