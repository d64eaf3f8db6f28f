// Outcomes of every event (delivered / skipped / failed), processing errors as dead letters,
// the NDJSON dead-letter file and its replay, read-ahead bounds on streams, and aborting.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeadLetterFile } from '../../src/runtime/dead-letter-file.js';
import { deliver, DeliveryError } from '../../src/runtime/deliver.js';
import { isReplayEntry, replayDeadLetters } from '../../src/runtime/replay.js';
import type { DetailedProcessResult } from '../../src/runtime/types.js';
import { startFakeTrackServer, type FakeTrackServer } from '../fake-server/server.js';
import { collector, ev, fakeSource, fastClock, KEY, seqOf, SITE, type TestEvent } from './helpers.js';

let server: FakeTrackServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('event outcomes', () => {
  it('every kind of event ends with exactly one outcome', async () => {
    server = await startFakeTrackServer({ siteId: SITE, apiKey: KEY });
    const c = collector();
    const events: TestEvent[] = [ev(0), ev(1, 'none'), ev(2, 'error'), ev(3, 'mixed'), ev(4, 'throw'), ev(5, 'metric'), ev(6, 'identify')];
    const report = await deliver(fakeSource(), events, { clock: fastClock(), onDeadLetter: c.onDeadLetter, onOutcome: c.onOutcome }, { siteId: SITE, apiKey: KEY, endpoint: server.url });
    const byIndex = [...c.outcomes].sort((a, b) => a.index - b.index).map((o) => o.outcome);
    expect(byIndex).toEqual(['delivered', 'skipped', 'failed', 'failed', 'failed', 'delivered', 'delivered']);
    expect(report.events).toEqual({ total: 7, delivered: 3, skipped: 1, failed: 3, unsent: 0 });
    // the mixed event's good item was still delivered
    expect(server.accepted.map((a) => seqOf(a.entity)).sort()).toEqual(['m0', 'm3', 'm5', 'm6']);
    const processLetters = c.letters.filter((l) => l.stage === 'process');
    expect(processLetters.map((l) => [l.index, l.subscription, l.field ?? null])).toEqual([
      [2, 'Track Event', 'name'],
      [3, 'Track Event', 'name'],
      [4, null, null],
    ]);
    expect(processLetters.every((l) => l.request === null && l.event !== undefined)).toBe(true);
    expect(processLetters[2]!.reason).toMatch(/processing failed: boom/);
    expect(report.deadLetters).toBe(3);
  });
});

describe('a failing dead-letter sink', () => {
  it('stops the run (failures can no longer be recorded), then throws DeliveryError carrying the report and the unrecorded events', async () => {
    server = await startFakeTrackServer({ siteId: SITE, apiKey: KEY });
    let calls = 0;
    const run = deliver(fakeSource(), [ev(0, 'error'), ev(1), ev(2, 'error')], {
      onDeadLetter: () => {
        calls++;
        throw new Error(`disk full (key ${KEY})`);
      },
    }, { siteId: SITE, apiKey: KEY, endpoint: server.url });
    const err = await run.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    const de = err as DeliveryError;
    expect(de.message).toBe('dead-letter sink failed: disk full (key [redacted])');
    expect(de.report.stopReason).toBe('dead-letter');
    expect(de.report.unrecorded).toEqual([0]);
    // reading stopped at the failure: what was not read is the caller's to resume
    expect(de.report.events.total).toBeLessThanOrEqual(3);
    expect(de.report.events.failed).toBe(1);
    expect(calls).toBe(1); // a broken sink is not called again
  });
});

describe('dead-letter file and replay', () => {
  it('writes NDJSON, and replay re-sends requests without re-processing and re-processes only failed subscriptions', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cio-dl-'));
    const file = join(dir, 'dead.ndjson');
    // first run: the server is down for the batch (500 until attempts run out), one event fails mapping
    server = await startFakeTrackServer({ siteId: SITE, apiKey: KEY, script: ['500', '500', '500', '500'] });
    const sink = createDeadLetterFile(file);
    const events: TestEvent[] = [ev(0), ev(1), ev(2, 'mixed'), ev(3, 'none')];
    const first = await deliver(fakeSource(), events, { clock: fastClock(), retry: { maxAttempts: 2, baseDelayMs: 1 }, onDeadLetter: sink.write, ordering: 'per-queue', concurrency: 1 }, { siteId: SITE, apiKey: KEY, endpoint: server.url });
    await sink.close();
    const lines = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first.events).toMatchObject({ failed: 3, skipped: 1 });
    expect(lines.map((l) => [l.index, l.stage, l.status])).toEqual([
      [2, 'process', null],
      [0, 'send', 500],
      [1, 'send', 500],
      [2, 'send', 500],
    ]);
    expect(lines[0]!.event).toEqual(events[2]);
    expect(lines[1]!.request).toMatchObject({ method: 'POST', url: 'https://track.customer.io/api/v2/entity' });
    expect(lines[1]!).not.toHaveProperty('event');
    expect(JSON.stringify(lines)).not.toContain(KEY);

    // replay: the mapping is fixed now (the Track Event subscription produces an item)
    const fixed = fakeSource();
    const seen: unknown[] = [];
    const source = {
      processDetailed(e: unknown): DetailedProcessResult {
        seen.push(e);
        const r = fixed.processDetailed({ ...(e as TestEvent), kind: 'track' });
        const identify = fixed.processDetailed({ ...(e as TestEvent), kind: 'identify' });
        return { matched: [], items: [...identify.items, ...r.items], errors: [] };
      },
    };
    const c = collector();
    const replay = await deliver(source, replayDeadLetters(file), { clock: fastClock(), onOutcome: c.onOutcome, onDeadLetter: c.onDeadLetter }, { siteId: SITE, apiKey: KEY, endpoint: server.url });
    expect(seen).toEqual([events[2]]); // only the entry without a request was re-processed
    expect(replay.events).toMatchObject({ total: 4, delivered: 4, failed: 0 });
    expect(c.outcomes.map((o) => o.index).sort()).toEqual([0, 1, 2, 2]);
    const replayed = server.accepted.map((a) => [seqOf(a.entity), (a.entity as { action: string }).action]);
    // m2's identify was re-sent from its request; its Track Event came from re-processing, restricted to that subscription
    expect(replayed.sort()).toEqual([
      ['m0', 'event'],
      ['m1', 'event'],
      ['m2', 'event'],
      ['m2', 'identify'],
    ]);
  });

  it('the deadLetter option appends to a file across runs; an unwritable path fails before reading', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cio-dl-'));
    const file = join(dir, 'dl.ndjson');
    server = await startFakeTrackServer({ siteId: SITE, apiKey: KEY });
    const ctx = { siteId: SITE, apiKey: KEY, endpoint: server.url };
    await deliver(fakeSource(), [ev(0, 'error'), ev(1)], { deadLetter: file }, ctx);
    await deliver(fakeSource(), [ev(2, 'error')], { deadLetter: file }, ctx);
    const lines = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { index: number; messageId: string });
    expect(lines.map((l) => l.messageId)).toEqual(['m0', 'm2']);
    const src = fakeSource();
    await expect(deliver(src, [ev(0)], { deadLetter: join(dir, 'missing', 'x.ndjson') }, ctx)).rejects.toThrow(/ENOENT/);
    expect(src.calls).toBe(0);
  });

  it('replay entries: requests kept as is, processing errors of one event and subscription collapse', async () => {
    const lines = [
      { index: 3, messageId: 'm3', subscription: 'S', action: 'trackEvent', request: null, event: { a: 1 }, field: 'name' },
      { index: 3, messageId: 'm3', subscription: 'S', action: 'trackEvent', request: null, event: { a: 1 }, field: 'id' },
      { index: 3, messageId: 'm3', subscription: 'T', action: 'trackEvent', request: null, event: { a: 1 } },
      { index: 4, messageId: null, subscription: '*', action: null, request: null, event: { b: 2 } },
      { index: 5, messageId: 'm5', subscription: 'S', action: 'trackEvent', request: { method: 'POST', url: 'https://track.customer.io/api/v2/entity', body: { x: 1 } }, batching: { enabled: true, size: 10 } },
      { index: 6, messageId: 'm6', subscription: 'S', action: 'trackEvent', request: { method: 'POST', url: 'u', body: null }, batching: 'junk' },
    ].map((l) => JSON.stringify(l));
    const out = [];
    for await (const e of replayDeadLetters(lines)) out.push(e);
    expect(out.map((e) => [e.index, e.subscription ?? null, e.item?.batching ?? null, e.event ?? null])).toEqual([
      [3, 'S', null, { a: 1 }],
      [3, 'T', null, { a: 1 }],
      [4, null, null, { b: 2 }],
      [5, null, { enabled: true, size: 10 }, null],
      [6, null, null, null],
    ]);
    expect(out[3]!.item).toMatchObject({ subscription: 'S', action: 'trackEvent', request: { method: 'POST', body: { x: 1 } } });
    expect(out.every((e) => isReplayEntry(e))).toBe(true);
    expect(isReplayEntry(JSON.parse(lines[4]!))).toBe(false); // a parsed object can never pass for an entry
  });

  it('replay rejects malformed lines, naming the line', async () => {
    const entries = async () => {
      const out = [];
      for await (const e of replayDeadLetters(['{"index":0,"request":null,"event":{}}', 'not json'])) out.push(e);
      return out;
    };
    await expect(entries()).rejects.toThrow(/line 2/);
    const bad = async () => {
      for await (const _ of replayDeadLetters(['{"index":0,"request":{"method":"GET","url":"x"},"action":"a"}'])) void _;
    };
    await expect(bad()).rejects.toThrow(/malformed request/);
  });
});

describe('streaming', () => {
  it('does not read ahead more than maxBufferedItems while requests are pending', async () => {
    server = await startFakeTrackServer({ siteId: SITE, apiKey: KEY, rates: { slow: 1 }, slowMs: 20 });
    let read = 0;
    let finished = 0;
    let maxAhead = 0;
    async function* stream() {
      for (let i = 0; i < 300; i++) {
        maxAhead = Math.max(maxAhead, read - finished);
        read++;
        yield ev(i, 'track', { batchSize: 10 });
      }
    }
    const report = await deliver(fakeSource(), stream(), { maxBufferedItems: 25, concurrency: 2, timeoutMs: 5_000, onOutcome: () => void finished++ }, { siteId: SITE, apiKey: KEY, endpoint: server.url });
    expect(report.events.delivered).toBe(300);
    expect(maxAhead).toBeLessThanOrEqual(25);
    expect(maxAhead).toBeGreaterThanOrEqual(10);
  });

  it('an input that throws: what was read is still delivered, then the error propagates', async () => {
    server = await startFakeTrackServer({ siteId: SITE, apiKey: KEY });
    function* broken() {
      yield ev(0);
      yield ev(1);
      throw new Error('input broke');
    }
    await expect(deliver(fakeSource(), broken(), {}, { siteId: SITE, apiKey: KEY, endpoint: server.url })).rejects.toThrow('input broke');
    expect(server.accepted.map((a) => seqOf(a.entity))).toEqual(['m0', 'm1']);
  });

  it('abort: reading stops and queued items fail as not sent', async () => {
    server = await startFakeTrackServer({ siteId: SITE, apiKey: KEY, rates: { slow: 1 }, slowMs: 50 });
    const ac = new AbortController();
    const c = collector();
    async function* stream() {
      for (let i = 0; i < 100; i++) {
        if (i === 30) ac.abort();
        yield ev(i, 'track', { batchSize: 10 });
      }
    }
    const report = await deliver(fakeSource(), stream(), { signal: ac.signal, concurrency: 1, onDeadLetter: c.onDeadLetter }, { siteId: SITE, apiKey: KEY, endpoint: server.url });
    expect(report.events.total).toBe(30);
    expect(report.events.delivered + report.events.failed).toBe(30);
    expect(report.events.failed).toBeGreaterThan(0);
    expect(c.letters.every((l) => /aborted/.test(l.reason))).toBe(true);
  });
});
