// Segment's `date-like` string format for datetime fields (customerio.md §3.18), with its ISO fast
// path. Its own module, without ajv: the generated field validators (src/generated/) import it.

/** Two ASCII digits at `i` as a number, or -1. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
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
  if (twoDigits(s, 0) < 0 || twoDigits(s, 2) < 0) return false;
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
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
    const h = twoDigits(s, i + 1);
    const m = twoDigits(s, i + 4);
    return h >= 0 && h <= 23 && m >= 0 && m <= 59;
  }
  return false;
}

/** Segment's `date-like` format for datetime fields: an epoch number string or a parseable date. */
export function isDateLike(s: string): boolean {
  if (isPlainIsoTimestamp(s)) return true;
  return String(Number(s)) === s ? Number.isFinite(Number(s)) : !Number.isNaN(Date.parse(s));
}
/** The formats the field validators know, by name (ajv's `formats` option; `code.formats` of the generator). */
export const FIELD_FORMATS = { 'date-like': { type: 'string', validate: isDateLike } } as const;
