// deliver() against the fake Track API: every status class and injected fault, with the item
// outcome (accepted / dead letter), the retry count and the server's records checked together.

import { afterEach, describe, expect, it } from 'vitest';
import { deliver } from '../../src/runtime/deliver.js';
import { startFakeTrackServer, type Fault, type FakeTrackServer } from '../fake-server/server.js';
import { collector, ev, fakeSource, fastClock, KEY, seqOf, SITE } from './helpers.js';

let server: FakeTrackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(script: Fault[], events: unknown[], extra: Record<string, unknown> = {}) {
  server = await startFakeTrackServer({ siteId: SITE, apiKey: KEY, script, slowMs: 1_200 });
  const c = collector();
  const clock = fastClock();
  const report = await deliver(
    fakeSource(),
    events,
    { clock, seed: 7, timeoutMs: 800, retry: { maxAttempts: 4, baseDelayMs: 10 }, onDeadLetter: c.onDeadLetter, onOutcome: c.onOutcome, ...extra },
    { siteId: SITE, apiKey: KEY, endpoint: server.url },
  );
  return { report, c, clock, server };
}

const five = [0, 1, 2, 3, 4].map((i) => ev(i));

describe('status classes and faults on a 5-item batch', () => {
  // fault script → expected attempts, whether items end accepted, ambiguity
  const rows: Array<{ name: string; script: Fault[]; attempts: number; accepted: number; ambiguous: boolean }> = [
    { name: '200', script: [], attempts: 1, accepted: 5, ambiguous: false },
    { name: '500 then 200', script: ['500'], attempts: 2, accepted: 5, ambiguous: false },
    { name: '503 ×2 then 200', script: ['503', '503'], attempts: 3, accepted: 5, ambiguous: false },
    { name: '429 then 200', script: ['429'], attempts: 2, accepted: 5, ambiguous: false },
    { name: 'dropped before processing', script: ['drop-before'], attempts: 2, accepted: 5, ambiguous: true },
    { name: 'dropped after processing', script: ['drop-after'], attempts: 2, accepted: 5, ambiguous: true },
    { name: 'slow beyond the timeout', script: ['slow'], attempts: 2, accepted: 5, ambiguous: true },
    { name: '500 until attempts run out', script: ['500', '500', '500', '500'], attempts: 4, accepted: 0, ambiguous: false },
    { name: '401', script: ['401'], attempts: 1, accepted: 0, ambiguous: false },
  ];
  for (const row of rows) {
    it(row.name, async () => {
      const { report, c, server } = await run(row.script, five);
      expect(report.requests).toBe(row.attempts);
      expect(report.retries).toBe(row.attempts - 1);
      expect(server.requests.length).toBe(row.attempts);
      expect(server.requests.every((r) => r.path === '/api/v2/batch' && r.items === 5)).toBe(true);
      expect(report.items.accepted).toBe(row.accepted);
      // a 401 leaves the items unsent (resumable), every other failure dead-letters them
      const unsent = row.name === '401' ? 5 : 0;
      expect(report.items.unsent).toBe(unsent);
      expect(report.items.failed).toBe(5 - row.accepted - unsent);
      expect(report.events.delivered).toBe(row.accepted === 5 ? 5 : 0);
      expect(report.events.failed).toBe(row.accepted === 5 || unsent > 0 ? 0 : 5);
      expect(report.events.unsent).toBe(unsent);
      expect(c.letters.length).toBe(5 - row.accepted - unsent);
      expect(c.outcomes.map((o) => o.ambiguous).every((a) => a === row.ambiguous)).toBe(true);
      // retries carry the retry counter header; the first attempt does not
      expect(server.requests[0]!.headers.retryCount).toBeUndefined();
      if (row.attempts > 1) expect(server.requests[1]!.headers.retryCount).toBe('1');
    });
  }

  it('a dropped-after or slow attempt leaves the server with the batch twice (the known ambiguity)', async () => {
    const { server } = await run(['drop-after'], five);
    const counts = new Map<string, number>();
    for (const a of server.accepted) counts.set(seqOf(a.entity)!, (counts.get(seqOf(a.entity)!) ?? 0) + 1);
    expect([...counts.values()]).toEqual([2, 2, 2, 2, 2]);
  });

  it('honours Retry-After (seconds) as the minimum wait', async () => {
    const { clock } = await run(['429'], five);
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(1000);
  });

  it('401 ends the run like a stop: nothing more is sent or read, everything not accepted is unsent, nothing dead-lettered', async () => {
    const events = Array.from({ length: 12 }, (_, i) => ev(i, 'track', { batchSize: 4 }));
    const { report, c, server } = await run(['401'], events, { concurrency: 1 });
    expect(server.requests.length).toBe(1);
    expect(report.authFailed).toBe(true);
    expect(report.stopReason).toBe('auth');
    expect(report.items.failed).toBe(0);
    expect(c.letters).toHaveLength(0);
    expect(report.events.unsent).toBe(report.events.total);
    expect(c.outcomes.every((o) => o.outcome === 'unsent' && o.settled?.items.length === 0)).toBe(true);
    // reading stopped at the 401: the events after it were never read (the caller resumes from its own position)
    expect(report.events.total).toBeLessThanOrEqual(12);
  });

  it('wrong credentials get 401 from the server', async () => {
    server = await startFakeTrackServer({ siteId: SITE, apiKey: KEY });
    const report = await deliver(fakeSource(), five, { clock: fastClock() }, { siteId: SITE, apiKey: 'wrong', endpoint: server.url });
    expect(report.statuses).toEqual({ '401': 1 });
    expect(server.requests[0]!.authorized).toBe(false);
  });
});
