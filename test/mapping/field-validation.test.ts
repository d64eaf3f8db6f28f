// Segment's `date-like` check with its ISO fast path: the char scan may only answer true where
// `Date.parse` accepts the string, and `isDateLike` must answer as the plain definition does.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isDateLike, isPlainIsoTimestamp } from '../../src/timestamps.js';

/** The definition the fast path must not change. */
function reference(s: string): boolean {
  return String(Number(s)) === s ? Number.isFinite(Number(s)) : !Number.isNaN(Date.parse(s));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** ISO-shaped strings with parts in and out of range, optional fraction and zone. */
const isoLike = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 61 }),
    second: fc.integer({ min: 0, max: 61 }),
    fraction: fc.option(fc.stringMatching(/^[0-9]{0,12}$/)),
    zone: fc.oneof(fc.constantFrom('Z', 'z', '', '+', '+00:00', '-23:59', '+24:00', '+05:60', ' '), fc.stringMatching(/^[+-][0-9]{2}:[0-9]{2}$/)),
    sep: fc.constantFrom('T', 'T', 'T', ' ', 't'),
  })
  .map((p) => `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}${p.sep}${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${p.fraction === null ? '' : `.${p.fraction}`}${p.zone}`);

describe('date-like', () => {
  test.each([
    ['2024-01-15T08:00:25.393Z', true, true],
    ['2024-01-15T08:00:25Z', true, true],
    ['2024-01-15T08:00:25.123456Z', true, true],
    ['2024-01-15T08:00:25+05:30', true, true],
    ['2021-02-31T00:00:00Z', true, true], // V8 accepts day 31 in any month
    ['2021-13-01T00:00:00Z', false, false],
    ['2021-01-01T24:00:00Z', false, true], // valid for Date.parse, left to it
    ['2021-01-01T00:00:00.Z', false, false],
    ['2021-01-01 00:00:00', false, true],
    ['Mon, 15 Jan 2024 08:00:25 GMT', false, true],
    ['1705305625', false, true],
    ['not a date', false, false],
    ['', false, false],
  ])('%j: fast path %s, date-like %s', (s, fast, dateLike) => {
    expect(isPlainIsoTimestamp(s)).toBe(fast);
    expect(isDateLike(s)).toBe(dateLike);
    expect(isDateLike(s)).toBe(reference(s));
  });

  test('the fast path only accepts what Date.parse accepts; isDateLike equals its definition', () => {
    fc.assert(
      fc.property(fc.oneof(isoLike, fc.string()), (s) => {
        if (isPlainIsoTimestamp(s)) expect(Number.isNaN(Date.parse(s))).toBe(false);
        expect(isDateLike(s)).toBe(reference(s));
      }),
      { numRuns: 3000 },
    );
  });
});
