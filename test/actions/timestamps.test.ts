// Timestamp rules (customerio.md §3.0.2, §0.5): Segment's lenient root rule, the strict ISO-8601
// attribute rule and its deep conversion, and the strict profile's integer-seconds normalisation.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertTimestampsDeep } from '../../src/actions/timestamps.js';
import { convertIsoValue, segmentRootTimestamp, strictIsoMillis, toUnixSeconds } from '../../src/timestamps.js';

/** Whether the attribute rule converts a string (timestamps.ts's isStrictIso, used by nothing but this test, is gone). */
const isStrictIso = (value: string): boolean => !Number.isNaN(strictIsoMillis(value));

describe('segmentRootTimestamp (lenient, UTC)', () => {
  const rows: Array<[unknown, unknown]> = [
    ['2024-05-01T12:00:00.000Z', 1714564800],
    ['2024-01-15T04:02:13-05:00', 1705309333],
    ['Mon, 15 Jan 2024 22:48:44 GMT', 1705358924],
    ['25 Mar 2015', 1427241600],
    ['2024-08-14 20:36:48', 1723667808],
    ['2024-01-15T14:58:36.517123Z', 1705330716],
    ['1712345678', '1712345678'],
    ['1712345678.5', '1712345678.5'],
    ['2018-03-04T12:08:56.235 PDT', '2018-03-04T12:08:56.235 PDT'],
    [1705323471000, 1705323471000],
    [true, true],
    ['x'.repeat(500), 'x'.repeat(500)],
  ];
  it.each(rows)('%j → %j', (input, expected) => {
    expect(segmentRootTimestamp(input)).toEqual(expected);
  });
});

describe('strict ISO-8601 attribute rule', () => {
  const rows: Array<[string, unknown]> = [
    ['1980-03-28', 323049600],
    ['2024-01-01T10:00', 1704103200],
    ['2024-01-01T10:00:00+01:00', 1704099600],
    ['2024-01-01T10:00:00+0100', 1704099600],
    ['2024-01-01T10:00:00.123456789Z', 1704103200],
    ['1960-01-01', -315619200],
    ['2024-02-30', 1709251200],
    ['2024-01-03 10:00:00', '2024-01-03 10:00:00'],
    ['January 3, 2024', 'January 3, 2024'],
    ['Mon, 15 Jan 2024 22:48:44 GMT', 'Mon, 15 Jan 2024 22:48:44 GMT'],
    ['1705323471', '1705323471'],
    ['2024-13-01', '2024-13-01'],
    ['2024-01-01T10:00:00.1234567890Z', '2024-01-01T10:00:00.1234567890Z'],
  ];
  it.each(rows)('%j → %j', (input, expected) => {
    expect(convertIsoValue(input)).toEqual(expected);
    expect(isStrictIso(input)).toBe(typeof expected === 'number');
  });

  it('recurses into plain objects, not arrays, and copies', () => {
    const input = { a: '2024-01-01', nested: { b: '2024-01-01', deeper: { c: '2024-01-01' } }, list: [{ d: '2024-01-01' }], n: 3, nil: null };
    const out = convertTimestampsDeep(input);
    expect(out).toEqual({ a: 1704067200, nested: { b: 1704067200, deeper: { c: 1704067200 } }, list: [{ d: '2024-01-01' }], n: 3, nil: null });
    expect(input.a).toBe('2024-01-01');
    expect(input.nested.b).toBe('2024-01-01');
  });

  // `YYYY-MM-DDTHH:MM:SS[.sss]Z` takes a hand-written path; it must read exactly as Date.parse does
  // (the general path's verdict for these strings), including out-of-range and roll-over components.
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  it.each([
    '2024-01-15T08:00:25.022Z', '2024-02-28T23:59:59Z', '2024-02-29T00:00:00Z', '2023-02-30T00:00:00.000Z', '2024-01-31T12:00:00Z',
    '2024-00-10T00:00:00Z', '2024-13-10T00:00:00Z', '2024-01-00T00:00:00Z', '2024-01-32T00:00:00Z', '2024-01-10T24:00:00Z',
    '2024-01-10T24:00:01Z', '2024-01-10T23:60:00Z', '2024-01-10T23:59:60Z', '0099-01-01T00:00:00Z', '0999-12-31T23:59:59.999Z',
    '2024-01-10T23:59:59.99xZ', '2024-01-10T23:59:59,999Z', '2024-01-10T2:59:59.999ZZ', '2024-01-10T23:59:5aZ',
  ])('Z-form %s reads as Date.parse', (text) => {
    expect(Object.is(strictIsoMillis(text), Date.parse(text))).toBe(true);
  });
  it('Z-form strings with random components read as Date.parse', () => {
    const part = (max: number, width: number) => fc.integer({ min: 0, max }).map((n) => pad(n, width));
    fc.assert(
      fc.property(part(9999, 4), part(99, 2), part(99, 2), part(99, 2), part(99, 2), part(99, 2), fc.option(part(999, 3)), (y, mo, d, h, mi, s, ms) => {
        const text = `${y}-${mo}-${d}T${h}:${mi}:${s}${ms === null ? '' : `.${ms}`}Z`;
        expect(Object.is(strictIsoMillis(text), Date.parse(text))).toBe(true);
      }),
      { numRuns: 5000, seed: 7 },
    );
  });

  // Date-only `YYYY-MM-DD` also has a hand-written path; the reference is the general one
  // (Date.parse decides validity, components read as UTC midnight).
  it('date-only strings with random components read as the general path does', () => {
    const part = (min: number, max: number, width: number) => fc.integer({ min, max }).map((n) => pad(n, width));
    const general = (text: string): number => {
      if (Number.isNaN(Date.parse(text))) return NaN;
      const [y, mo, d] = text.split('-').map(Number) as [number, number, number];
      return Date.UTC(y, mo - 1 || 0, d || 1);
    };
    fc.assert(
      fc.property(part(0, 9999, 4), part(0, 13, 2), part(0, 32, 2), (y, mo, d) => {
        const text = `${y}-${mo}-${d}`;
        expect(Object.is(strictIsoMillis(text), general(text))).toBe(true);
      }),
      { numRuns: 5000, seed: 11 },
    );
  });

  it('keeps a __proto__ key as data', () => {
    const input = JSON.parse('{"__proto__": {"x": "2024-01-01"}, "y": "2024-01-01"}') as Record<string, unknown>;
    const out = convertTimestampsDeep(input);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"x":1704067200},"y":1704067200}');
  });
});

describe('toUnixSeconds (strict profile)', () => {
  const ok: Array<[unknown, number]> = [
    [1705323471, 1705323471],
    [1705323471000, 1705323471],
    [1705323471.9, 1705323471],
    ['1705323471', 1705323471],
    ['1705323471000', 1705323471],
    ['2024-01-15T12:57:51', 1705323471],
    ['2024-01-15T12:57:51Z', 1705323471],
    ['2024-01-15', 1705276800],
    ['Mon, 15 Jan 2024 12:57:51 GMT', 1705323471],
    [' 2024-01-15 ', 1705276800],
  ];
  it.each(ok)('%j → %d', (input, seconds) => {
    expect(toUnixSeconds(input)).toEqual({ ok: true, seconds });
  });

  const bad: unknown[] = ['not a date', '2018-03-04T12:08:56.235 PDT', -5, '1960-01-01', null, {}, Number.NaN, 'x'.repeat(1000)];
  it.each(bad.map((b) => [b]))('%j is unusable', (input) => {
    const result = toUnixSeconds(input);
    expect(result.ok).toBe(false);
  });
});
