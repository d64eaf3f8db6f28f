// deliver()'s graceful stop, breaker and 401 end: a run that ends before its input leaves what was
// not accepted `unsent` (never dead-lettered), says why (stopReason), and can be resumed without
// re-sending what was settled. Outages use local servers on 127.0.0.1: a black hole (accepts TCP,
// never answers) and a closed port (connection refused); every run is bounded by maxOutageMs.

import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { deliver } from '../../src/runtime/deliver.js';
import { resumeEntry } from '../../src/runtime/replay.js';
import type { DetailedProcessResult } from '../../src/runtime/types.js';
import { startFakeTrackServer, type FakeTrackServer } from '../fake-server/server.js';
import { collector, ev, fakeSource, fastClock, KEY, seqOf, SITE, US } from './helpers.js';

let server: FakeTrackServer | undefined;
let hole: { url: string; close(): Promise<void>; connections: number } | undefined;
afterEach(async () => {
  await server?.close();
  await hole?.close();
  server = undefined;
  hole = undefined;
});

/** A TCP server that accepts connections and never answers (bounded: closed after the test). */
async function blackHole(): Promise<{ url: string; close(): Promise<void>; connections: number }> {
  const sockets = new Set<Socket>();
  const srv: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    h.connections++;
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const h = {
    url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`,
    connections: 0,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => srv.close(() => resolve()));
    },
  };
  return h;
}

/** A port nothing listens on (bound, then released): connections are refused. */
async function closedPort(): Promise<string> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const ctx = (endpoint: string) => ({ siteId: SITE, apiKey: KEY, endpoint });

describe('graceful stop', () => {
  it('stops reading at once, lets in-flight requests finish within drainMs, and says why', async () => {
    server = await startFakeTrackServer({ siteId: SITE, apiKey: KEY, rates: { slow: 1 }, slowMs: 30 });
    const stop = new AbortController();
    const c = collector();
    let produced = 0;
    async function* stream() {
      for (let i = 0; i < 100; i++) {
        if (i === 30) stop.abort();
        produced++;
        yield ev(i, 'track', { batchSize: 10 });
      }
    }
    const report = await deliver(fakeSource(), stream(), { stop: stop.signal, drainMs: 30_000, timeoutMs: 5_000, concurrency: 1, onDeadLetter: c.onDeadLetter, onOutcome: c.onOutcome }, ctx(server.url));
    expect(report.stopReason).toBe('signal');
    expect(report.events.total).toBe(30);
    expect(produced).toBeLessThanOrEqual(31); // nothing read after the stop but the value in hand
    // the drain was long enough: every event read was delivered (the open batch was flushed)
    expect(report.events).toMatchObject({ delivered: 30, failed: 0, unsent: 0 });
    expect(c.letters).toHaveLength(0);
    expect(new Set(server.accepted.map((a) => seqOf(a.entity))).size).toBe(30);
  });

  it('items not accepted when the drain ends are unsent, not dead-lettered; a request cut off is ambiguous', async () => {
    hole = await blackHole();
    const stop = new AbortController();
    const c = collector();
    const events = Array.from({ length: 40 }, (_, i) => ev(i, 'track', { batchSize: 10 }));
    const run = deliver(fakeSource(), events, { stop: stop.signal, drainMs: 50, timeoutMs: 60_000, concurrency: 2, onDeadLetter: c.onDeadLetter, onOutcome: c.onOutcome }, ctx(hole.url));
    await waitFor(() => hole!.connections >= 2);
    stop.abort();
    const report = await run;
    expect(report.stopReason).toBe('signal');
    expect(report.events.total).toBe(40);
    expect(report.events).toMatchObject({ delivered: 0, failed: 0, unsent: 40 });
    expect(report.items.unsent).toBe(40);
    expect(report.deadLetters).toBe(0);
    expect(c.letters).toHaveLength(0);
    expect(c.outcomes.every((o) => o.outcome === 'unsent' && o.unsent === 1 && o.settled !== undefined)).toBe(true);
    // the two batches on the wire may have arrived: their events are marked ambiguous, the queued ones are not
    expect(c.outcomes.filter((o) => o.ambiguous)).toHaveLength(20);
  });

  it('a stop while the input is waiting ends the run without waiting for more input', async () => {
    server = await startFakeTrackServer({ siteId: SITE, apiKey: KEY });
    const stop = new AbortController();
    async function* stalled() {
      for (let i = 0; i < 10; i++) yield ev(i);
      setTimeout(() => stop.abort(), 20);
      await new Promise(() => undefined); // never yields again
    }
    const report = await deliver(fakeSource(), stalled(), { stop: stop.signal, flushIntervalMs: 60_000 }, ctx(server.url));
    expect(report.stopReason).toBe('signal');
    expect(report.events).toMatchObject({ total: 10, delivered: 10, unsent: 0 });
  });

  it('`signal` keeps its meaning: unsent items fail as aborted', async () => {
    hole = await blackHole();
    const ac = new AbortController();
    const c = collector();
    const run = deliver(fakeSource(), [ev(0), ev(1)], { signal: ac.signal, timeoutMs: 60_000, onDeadLetter: c.onDeadLetter }, ctx(hole.url));
    await waitFor(() => hole!.connections >= 1);
    ac.abort();
    const report = await run;
    expect(report.events).toMatchObject({ failed: 2, unsent: 0 });
    expect(report.stopReason).toBeUndefined();
    expect(c.letters.every((l) => /aborted/.test(l.reason))).toBe(true);
  });
});

describe('breaker', () => {
  for (const kind of ['black hole', 'connection refused'] as const) {
    it(`${kind}: sending pauses, and past maxOutageMs the run ends with everything unsent and one reason`, async () => {
      let url: string;
      if (kind === 'black hole') {
        hole = await blackHole();
        url = hole.url;
      } else url = await closedPort();
      const c = collector();
      const events = Array.from({ length: 2_000 }, (_, i) => ev(i, 'track', { batchSize: 20 }));
      const report = await deliver(
        fakeSource(),
        events,
        { timeoutMs: 150, maxOutageMs: 700, retry: { baseDelayMs: 5, maxDelayMs: 20 }, maxBufferedItems: 400, onDeadLetter: c.onDeadLetter, onOutcome: c.onOutcome },
        ctx(url),
      );
      expect(report.stopReason).toBe('outage');
      expect(report.outage).toMatch(kind === 'black hole' ? /^timeout: no response within 150 ms/ : /^network: /);
      expect(report.deadLetters).toBe(0);
      expect(report.events.failed).toBe(0);
      expect(report.events.unsent).toBe(report.events.total);
      expect(report.items.accepted).toBe(0);
      // reading stopped: the read-ahead bound, not the 2,000 events, limits what was taken
      expect(report.events.total).toBeLessThanOrEqual(400);
      // while open, one probe at a time: far fewer attempts than requests × maxAttempts
      expect(report.requests).toBeLessThan(20 * 6);
    });
  }

  it('maxOutageMs Infinity: pauses and probes until the API is back; with the default retry budget an outage never dead-letters', async () => {
    server = await startFakeTrackServer({ siteId: SITE, apiKey: KEY, rates: { '503': 1 } });
    const s = server;
    const c = collector();
    const events = Array.from({ length: 60 }, (_, i) => ev(i, 'track', { batchSize: 5 }));
    const clock = fastClock();
    const origSleep = clock.sleep;
    clock.sleep = async (ms, signal) => {
      if (s.requests.length >= 25) s.setRates({}); // the API comes back after 25 failed attempts
      await origSleep(ms, signal);
    };
    const report = await deliver(fakeSource(), events, { clock, maxOutageMs: Infinity, onDeadLetter: c.onDeadLetter }, ctx(server.url));
    expect(report.stopReason).toBeUndefined();
    expect(c.letters).toHaveLength(0);
    expect(report.events).toMatchObject({ total: 60, delivered: 60, failed: 0, unsent: 0 });
    expect(s.requests.filter((r) => r.status === 503).length).toBeGreaterThanOrEqual(25);
  });

  it('an isolated failing request (the API otherwise healthy) is still dead-lettered after its attempts', async () => {
    server = await startFakeTrackServer({ siteId: SITE, apiKey: KEY, script: ['500', 'none', '500', 'none', '500'] });
    const c = collector();
    const events = Array.from({ length: 3 }, (_, i) => ev(i, 'track', { batching: false }));
    const report = await deliver(fakeSource(), events, { clock: fastClock(), concurrency: 1, retry: { maxAttempts: 1 }, onDeadLetter: c.onDeadLetter }, ctx(server.url));
    expect(report.stopReason).toBeUndefined();
    expect(report.events).toMatchObject({ delivered: 1, failed: 2 });
    expect(c.letters.map((l) => l.status)).toEqual([500, 500]);
  });
});

describe('401 and resuming what was settled', () => {
  /** Two unbatched items per event: a track (own request) and a metric. */
  const twoItems = {
    processDetailed(raw: unknown): DetailedProcessResult {
      const e = raw as { messageId: string; userId: string };
      return {
        matched: ['Track Event', 'Report Delivery Event'],
        items: [
          { subscription: 'Track Event', action: 'trackEvent', batching: null, request: { method: 'POST', url: `${US}/api/v2/entity`, body: { type: 'person', action: 'event', name: 'x', identifiers: { id: e.userId }, attributes: { seq: e.messageId } } } },
          { subscription: 'Report Delivery Event', action: 'reportDeliveryEvent', batching: null, request: { method: 'POST', url: `${US}/api/v1/metrics`, body: { delivery_id: `${e.messageId}-d`, metric: 'opened' } } },
        ],
        errors: [],
      };
    },
  };

  it('a 401 after a first accepted item: the event is unsent with that item settled; a resume sends only the other', async () => {
    server = await startFakeTrackServer({ siteId: SITE, apiKey: KEY, script: ['none', '401'] });
    const c = collector();
    const event = ev(0);
    const first = await deliver(twoItems, [event, ev(1)], { clock: fastClock(), concurrency: 1, onOutcome: c.onOutcome, onDeadLetter: c.onDeadLetter }, ctx(server.url));
    expect(first.stopReason).toBe('auth');
    expect(first.authFailed).toBe(true);
    expect(c.letters).toHaveLength(0);
    const o0 = c.outcomes.find((o) => o.index === 0)!;
    expect(o0).toMatchObject({ outcome: 'unsent', accepted: 1, unsent: 1, settled: { items: [0], processErrors: false } });
    expect(server.accepted.map((a) => seqOf(a.entity))).toEqual(['m0']);

    const c2 = collector();
    const again = await deliver(twoItems, [resumeEntry(0, event, o0.settled)], { clock: fastClock(), onOutcome: c2.onOutcome }, ctx(server.url));
    expect(again.events).toMatchObject({ total: 1, delivered: 1, unsent: 0 });
    // only the metric went out again; the track is not duplicated
    expect(server.accepted.map((a) => seqOf(a.entity))).toEqual(['m0', 'm0-d']);
  });
});

async function waitFor(cond: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}
