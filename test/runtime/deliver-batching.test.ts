// deliver() batching against the fake Track API: counts, batch_size, bytes, single items, metrics and
// deletes, per-person order, 207 mapping back to events, and 400 bisection to isolate bad items.

import { afterEach, describe, expect, it } from 'vitest';
import { deliver } from '../../src/runtime/deliver.js';
import type { DeliverOptions } from '../../src/runtime/options.js';
import { POISON, REJECT, startFakeTrackServer, type FakeTrackServer } from '../fake-server/server.js';
import { collector, ev, fakeSource, fastClock, KEY, seqOf, SITE, type TestEvent } from './helpers.js';

let server: FakeTrackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(events: TestEvent[], extra: DeliverOptions = {}) {
  server = await startFakeTrackServer({ siteId: SITE, apiKey: KEY });
  const c = collector();
  const report = await deliver(fakeSource(), events, { clock: fastClock(), seed: 3, onDeadLetter: c.onDeadLetter, onOutcome: c.onOutcome, ...extra }, { siteId: SITE, apiKey: KEY, endpoint: server.url });
  return { report, c, server };
}

const range = (n: number, f: (i: number) => TestEvent): TestEvent[] => Array.from({ length: n }, (_, i) => f(i));
const big = (bytes: number) => ({ blob: 'x'.repeat(bytes) });

describe('batch formation', () => {
  const rows: Array<{ name: string; events: TestEvent[]; opts?: DeliverOptions; paths: string[]; sizes: number[] }> = [
    { name: '120 events, batch_size 50', events: range(120, (i) => ev(i)), paths: ['/api/v2/batch', '/api/v2/batch', '/api/v2/batch'], sizes: [50, 50, 20] },
    { name: 'batch_size 7 from the subscription', events: range(15, (i) => ev(i, 'track', { batchSize: 7 })), paths: ['/api/v2/batch', '/api/v2/batch', '/api/v2/entity'], sizes: [7, 7, 1] },
    { name: 'batch_size clamped to 2..100', events: range(5, (i) => ev(i, 'track', { batchSize: 1 })), paths: ['/api/v2/batch', '/api/v2/batch', '/api/v2/entity'], sizes: [2, 2, 1] },
    { name: 'one event goes to /entity', events: [ev(0)], paths: ['/api/v2/entity'], sizes: [1] },
    { name: 'batching disabled', events: range(3, (i) => ev(i, 'track', { batching: false })), paths: ['/api/v2/entity', '/api/v2/entity', '/api/v2/entity'], sizes: [1, 1, 1] },
    { name: 'delivery metrics: one request each', events: range(3, (i) => ev(i, 'metric')), paths: ['/api/v1/metrics', '/api/v1/metrics', '/api/v1/metrics'], sizes: [1, 1, 1] },
    { name: 'deletes: one request each', events: [ev(0, 'delete', { userId: 'a/b' }), ev(1, 'delete')], paths: ['/api/v1/customers/a%2Fb', '/api/v1/customers/u1'], sizes: [1, 1] },
    { name: '30 items of 20 KB split under 500 KB', events: range(30, (i) => ev(i, 'track', { attrs: big(20_000) })), paths: ['/api/v2/batch', '/api/v2/batch'], sizes: [25, 5] },
  ];
  for (const row of rows) {
    it(row.name, async () => {
      const { report, server } = await run(row.events, { concurrency: 1, ...row.opts });
      expect(server.requests.map((r) => r.path)).toEqual(row.paths);
      expect(server.requests.map((r) => r.items)).toEqual(row.sizes);
      expect(server.requests.every((r) => r.bytes < 500 * 1024)).toBe(true);
      expect(report.items.accepted).toBe(row.events.length);
      expect(report.events.delivered).toBe(row.events.length);
      expect(server.requests.filter((r) => r.method === 'DELETE').length).toBe(row.paths.filter((p) => p.startsWith('/api/v1/customers')).length);
    });
  }

  it('reuses connections (keep-alive)', async () => {
    const { server } = await run(range(400, (i) => ev(i, 'track', { batchSize: 10 })), { concurrency: 2 });
    expect(server.requests).toHaveLength(40);
    // a freed slot can start its next request a tick before undici returns the socket to its pool,
    // so a few extra sockets appear; without keep-alive there would be one per request
    expect(server.connections).toBeLessThanOrEqual(8);
  });

  it('an item over 32 KB fails before any request; the others go', async () => {
    const { report, c, server } = await run([ev(0), ev(1, 'track', { attrs: big(33_000) }), ev(2)]);
    expect(server.requests.map((r) => r.items)).toEqual([2]);
    expect(report.items).toMatchObject({ total: 3, accepted: 2, failed: 1 });
    expect(c.letters).toHaveLength(1);
    expect(c.letters[0]).toMatchObject({ index: 1, messageId: 'm1', stage: 'size', status: null, attempts: 0 });
    expect(c.letters[0]!.request).not.toBeNull();
  });

  it('per-person order: interleaved identify/track of one person reach the server in input order', async () => {
    const kinds: TestEvent['kind'][] = ['identify', 'track', 'track', 'identify', 'track', 'identify'];
    const events = range(60, (i) => ({ messageId: `m${i}`, userId: `u${i % 3}`, kind: kinds[i % kinds.length]! }));
    const { server } = await run(events, { concurrency: 4 });
    const byUser = new Map<string, string[]>();
    for (const a of server.accepted) {
      const u = (a.entity as { identifiers: { id: string } }).identifiers.id;
      byUser.set(u, [...(byUser.get(u) ?? []), seqOf(a.entity)!]);
    }
    for (const [u, seqs] of byUser) {
      const expected = events.filter((e) => e.userId === u).map((e) => e.messageId);
      expect(seqs).toEqual(expected);
    }
  });

  it('per-queue ordering forms fuller batches for interleaved actions', async () => {
    const events = range(100, (i) => ev(i, i % 2 === 0 ? 'identify' : 'track', { userId: 'same' }));
    const perPerson = await run(events, { ordering: 'per-person', concurrency: 1 });
    const n1 = perPerson.server.requests.length;
    await server?.close();
    const perQueue = await run(events, { ordering: 'per-queue', concurrency: 1 });
    expect(n1).toBe(100); // every action switch flushes the other queue
    expect(perQueue.server.requests.length).toBe(2);
  });

  it('a flush interval sends a partial batch while the stream is idle', async () => {
    server = await startFakeTrackServer({ siteId: SITE, apiKey: KEY });
    const s = server;
    let seenWhilePaused = -1;
    async function* stream() {
      yield ev(0);
      yield ev(1);
      await new Promise((r) => setTimeout(r, 250));
      seenWhilePaused = s.requests.length;
      yield ev(2);
    }
    const report = await deliver(fakeSource(), stream(), { flushIntervalMs: 30 }, { siteId: SITE, apiKey: KEY, endpoint: s.url });
    expect(seenWhilePaused).toBe(1);
    expect(s.requests.map((r) => r.items)).toEqual([2, 1]);
    expect(report.events.delivered).toBe(3);
  });
});

describe('per-item failures', () => {
  it('207: rejected items map back to their events through batch_index and are never resent', async () => {
    const events = range(6, (i) => ev(i, 'track', i === 1 || i === 4 ? { attrs: { [REJECT]: true } } : {}));
    const { report, c, server } = await run(events);
    expect(server.requests.map((r) => r.status)).toEqual([207]);
    expect(c.letters.map((l) => [l.index, l.messageId, l.status])).toEqual([
      [1, 'm1', 207],
      [4, 'm4', 207],
    ]);
    expect(c.letters[0]!.reason).toContain(REJECT);
    expect(report.items).toMatchObject({ accepted: 4, failed: 2 });
    expect(c.outcomes.filter((o) => o.outcome === 'failed').map((o) => o.index)).toEqual([1, 4]);
    expect(server.accepted.map((a) => seqOf(a.entity))).toEqual(['m0', 'm2', 'm3', 'm5']);
  });

  const bisectRows = [
    { name: 'one poisoned item of 8', bad: [2], n: 8 },
    { name: 'two poisoned items of 16', bad: [0, 11], n: 16 },
    { name: 'every item poisoned', bad: [0, 1, 2, 3], n: 4 },
  ];
  for (const row of bisectRows) {
    it(`400 bisection: ${row.name}`, async () => {
      const events = range(row.n, (i) => ev(i, 'track', row.bad.includes(i) ? { attrs: { [POISON]: 1 } } : {}));
      const { report, c, server } = await run(events);
      expect(c.letters.map((l) => l.index).sort((a, b) => a - b)).toEqual(row.bad);
      expect(c.letters.every((l) => l.status === 400 && l.request !== null)).toBe(true);
      expect(report.items.accepted).toBe(row.n - row.bad.length);
      const acceptedSeqs = server.accepted.map((a) => seqOf(a.entity));
      expect(new Set(acceptedSeqs).size).toBe(acceptedSeqs.length); // nothing accepted twice
      expect(acceptedSeqs).toEqual(events.filter((_, i) => !row.bad.includes(i)).map((e) => e.messageId)); // order kept
      expect(report.requests).toBe(server.requests.length);
      expect(report.bisections).toBe(server.requests.length - 1);
    });
  }

  it('bisection is bounded by maxBisectDepth', async () => {
    const events = range(8, (i) => ev(i, 'track', i === 5 ? { attrs: { [POISON]: 1 } } : {}));
    const { report, c } = await run(events, { maxBisectDepth: 1 });
    // depth 1: two halves of 4; the half with the poison fails as a whole
    expect(report.requests).toBe(3);
    expect(c.letters.map((l) => l.index)).toEqual([4, 5, 6, 7]);
    expect(c.letters[0]!.reason).toMatch(/bisection limit/);
  });
});
