// Timestamp rules do not depend on the host's time zone: zone-less dates are UTC (Segment runs in
// UTC), also when this process runs in New York or Kolkata. Node applies a TZ change at runtime.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertIsoValue, segmentRootTimestamp, toUnixSeconds } from '../../src/timestamps.js';

const zones = ['America/New_York', 'Asia/Kolkata'];

describe.each(zones)('host time zone %s', (zone) => {
  const saved = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = zone;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('the zone is in effect', () => {
    expect(new Date(Date.UTC(2024, 0, 15)).getTimezoneOffset()).not.toBe(0);
  });

  it.each<[unknown, unknown]>([
    ['25 Mar 2015', 1427241600],
    ['January 3, 2024', 1704240000],
    ['2024-01-03 10:00:00', 1704276000],
    ['01/01/2019', 1546300800],
    ['2024-01-15T08:00:25', 1705305625],
    ['2024-01-15', 1705276800],
    ['Mon, 15 Jan 2024 22:48:44 GMT', 1705358924],
    ['Mon Jan 15 2024 22:48:44 GMT+0100', 1705355324],
    ['2024-01-15 08:00:25 +0200', 1705298425],
  ])('root rule %j → %j', (input, expected) => {
    expect(segmentRootTimestamp(input)).toBe(expected);
    expect(toUnixSeconds(input)).toEqual({ ok: true, seconds: expected });
  });

  it('attribute rule reads zone-less ISO as UTC', () => {
    expect(convertIsoValue('1980-03-28')).toBe(323049600);
    expect(convertIsoValue('2024-01-01T10:00')).toBe(1704103200);
  });
});
