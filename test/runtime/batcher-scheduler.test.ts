// Unit tables for the batcher (count, bytes, batchability, per-person flushing, flush interval),
// ordering keys, the ordered scheduler (concurrency bound, per-key order), and endpoint helpers.

import { describe, expect, it } from 'vitest';
import { Batcher, BATCH_OVERHEAD, clampBatchSize, isBatchable, orderingKeys, type PlannedBatch, type QueuedItem } from '../../src/runtime/batcher.js';
import { basicAuthHeader as basicAuth, resolveSettings, rewriteUrl, type Region } from '../../src/settings/settings.js';
import { createRedactor } from '../../src/settings/redact.js';

/** The base URL of a region or an endpoint override (was runtime/endpoint.ts's resolveBaseUrl; now the one settings parser). */
const resolveBaseUrl = (region: string | undefined, endpoint: string | undefined): string =>
  resolveSettings({ siteId: 'site', apiKey: 'key', region: region as Region | undefined }, endpoint).baseUrl;
const assertCredentials = (settings: { siteId: string; apiKey: string }): unknown => resolveSettings(settings);
import { seededRandom } from '../../src/runtime/clock.js';
import { Scheduler } from '../../src/runtime/scheduler.js';
import type { TrackRequest } from '../../src/actions/types.js';

const entity = (id: string, extra: Record<string, unknown> = {}): TrackRequest => ({
  method: 'POST',
  url: 'https://track.customer.io/api/v2/entity',
  body: { type: 'person', action: 'event', identifiers: { id }, ...extra },
});

function item(name: string, opts: { sub?: string; user?: string; bytes?: number; size?: number; enabled?: boolean; request?: TrackRequest } = {}): QueuedItem<string> {
  const request = opts.request ?? entity(opts.user ?? name);
  return {
    unit: name,
    ordinal: 0,
    subscription: opts.sub ?? 'A',
    action: opts.sub ?? 'A',
    request,
    batching: opts.enabled === undefined && opts.size === undefined ? { enabled: true, size: 3 } : { enabled: opts.enabled ?? true, size: opts.size ?? 3 },
    bodyText: '{}',
    bytes: opts.bytes ?? 10,
    keys: orderingKeys(request),
  };
}

function collect(ordering: 'per-person' | 'per-queue' = 'per-queue', maxRequestBytes = 1_000) {
  const out: PlannedBatch<string>[] = [];
  const b = new Batcher<string>({ defaultSize: 50, maxRequestBytes }, ordering, (x) => out.push(x));
  const names = () => out.map((x) => x.items.map((i) => i.unit).join(','));
  return { b, out, names };
}

describe('batcher', () => {
  it('emits when batch_size is reached and flushes the rest at the end', () => {
    const { b, names, out } = collect();
    for (const n of ['a', 'b', 'c', 'd']) b.add(item(n), 0);
    expect(names()).toEqual(['a,b,c']);
    b.flushAll();
    expect(names()).toEqual(['a,b,c', 'd']);
    expect(out.map((x) => x.asBatch)).toEqual([true, false]);
  });

  it('splits by bytes so every batch body stays under the request limit', () => {
    const { b, out } = collect('per-queue', 100);
    for (let i = 0; i < 10; i++) b.add(item(`i${i}`, { bytes: 30, size: 100 }), 0);
    b.flushAll();
    for (const x of out) {
      const size = BATCH_OVERHEAD + x.items.reduce((s, i) => s + i.bytes, 0) + x.items.length - 1;
      expect(size).toBeLessThan(100);
    }
    expect(out.map((x) => x.items.length)).toEqual([2, 2, 2, 2, 2]);
  });

  const batchableRows: Array<[string, QueuedItem<string>, boolean]> = [
    ['v2 entity POST', item('x'), true],
    ['batching disabled', item('x', { enabled: false }), false],
    ['metrics', item('x', { request: { method: 'POST', url: 'https://track.customer.io/api/v1/metrics', body: { delivery_id: 'd' } } }), false],
    ['v1 delete', item('x', { request: { method: 'DELETE', url: 'https://track.customer.io/api/v1/customers/a', body: null } }), false],
    ['no batching info', { ...item('x'), batching: null }, false],
  ];
  for (const [name, it_, expected] of batchableRows) it(`isBatchable: ${name} → ${expected}`, () => expect(isBatchable(it_)).toBe(expected));

  it('clamps batch sizes to 2..100', () => {
    expect([clampBatchSize(1, 50), clampBatchSize(500, 50), clampBatchSize(undefined, 50), clampBatchSize(Number.NaN, 7), clampBatchSize(7.9, 50)]).toEqual([2, 100, 50, 7, 7]);
  });

  it('per-person: a person moving to another queue flushes the queue holding their earlier item', () => {
    const { b, names } = collect('per-person');
    b.add(item('a1', { sub: 'A', user: 'p' }), 0);
    b.add(item('a2', { sub: 'A', user: 'q' }), 0);
    b.add(item('b1', { sub: 'B', user: 'p' }), 0); // p's earlier item is in A → A flushes first
    b.add(item('b2', { sub: 'B', user: 'r' }), 0);
    b.flushAll();
    expect(names()).toEqual(['a1,a2', 'b1,b2']);
  });

  it('per-queue: queues fill independently', () => {
    const { b, names } = collect('per-queue');
    for (const [n, s] of [['a1', 'A'], ['b1', 'B'], ['a2', 'A'], ['b2', 'B'], ['a3', 'A']] as const) b.add(item(n, { sub: s, user: 'p' }), 0);
    expect(names()).toEqual(['a1,a2,a3']);
  });

  it('an unbatchable item for a person flushes their queued items first', () => {
    const { b, names } = collect('per-person');
    b.add(item('a1', { user: 'p' }), 0);
    b.add(item('del', { request: { method: 'DELETE', url: 'https://track.customer.io/api/v1/customers/p', body: null } }), 0);
    expect(names()).toEqual(['a1', 'del']);
  });

  it('flushDue sends queues older than the interval only', () => {
    const { b, names } = collect();
    b.add(item('old', { sub: 'A' }), 0);
    b.add(item('new', { sub: 'B' }), 90);
    expect(b.nextDue(100)).toBe(100);
    b.flushDue(120, 100);
    expect(names()).toEqual(['old']);
    expect(b.pending).toBe(1);
  });
});

describe('orderingKeys', () => {
  const rows: Array<[string, TrackRequest, string[]]> = [
    ['person', entity('u1'), ['person:{"id":"u1"}']],
    ['object', { method: 'POST', url: 'x', body: { type: 'object', identifiers: { object_type_id: '1', object_id: 'g' } } }, ['object:{"object_type_id":"1","object_id":"g"}']],
    ['merge', { method: 'POST', url: 'x', body: { type: 'person', action: 'merge', primary: { id: 'a' }, secondary: { id: 'b' } } }, ['person:{"id":"a"}', 'person:{"id":"b"}']],
    ['metric', { method: 'POST', url: 'x', body: { delivery_id: 'd1', metric: 'opened' } }, ['delivery:d1']],
    ['v1 delete by id', { method: 'DELETE', url: 'https://h/api/v1/customers/u%2F1', body: null }, ['person:{"id":"u/1"}']],
    ['v1 delete by email', { method: 'DELETE', url: 'https://h/api/v1/customers/a%40b.c', body: null }, ['person:{"email":"a@b.c"}']],
    ['v1 delete by cio id', { method: 'DELETE', url: 'https://h/api/v1/customers/cio_abc', body: null }, ['person:{"cio_id":"abc"}']],
  ];
  for (const [name, req, keys] of rows) it(name, () => expect(orderingKeys(req)).toEqual(keys));
});

describe('scheduler', () => {
  it('never exceeds the concurrency and keeps per-key order', async () => {
    let running = 0;
    let peak = 0;
    const order: string[] = [];
    const s = new Scheduler<{ name: string; ms: number }>(3, async (j) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, j.ms));
      order.push(j.name);
      running--;
    });
    // p1 is slow; p2 shares key p and must wait for it even though slots are free
    s.submit({ name: 'p1', ms: 40 }, ['p']);
    for (let i = 0; i < 6; i++) s.submit({ name: `x${i}`, ms: 5 }, [`x${i}`]);
    s.submit({ name: 'p2', ms: 1 }, ['p', 'q']);
    s.submit({ name: 'q2', ms: 1 }, ['q']);
    await s.idle();
    expect(peak).toBe(3);
    expect(order.indexOf('p2')).toBeGreaterThan(order.indexOf('p1'));
    expect(order.indexOf('q2')).toBeGreaterThan(order.indexOf('p2'));
    expect(order).toHaveLength(9);
  });

  it('random jobs: per-key start order = submit order, no overlap on a key, concurrency respected', async () => {
    const rnd = seededRandom(9);
    let running = 0;
    let peak = 0;
    const active = new Set<string>();
    const started = new Map<string, number[]>();
    const violations: string[] = [];
    const s = new Scheduler<{ id: number; keys: string[] }>(4, async (j) => {
      running++;
      peak = Math.max(peak, running);
      for (const k of j.keys) {
        if (active.has(k)) violations.push(`overlap on ${k}`);
        active.add(k);
        started.set(k, [...(started.get(k) ?? []), j.id]);
      }
      await new Promise((r) => setTimeout(r, Math.floor(rnd() * 3)));
      for (const k of j.keys) active.delete(k);
      running--;
    });
    const submitted = new Map<string, number[]>();
    for (let id = 0; id < 400; id++) {
      const keys = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => `k${Math.floor(rnd() * 12)}`);
      for (const k of new Set(keys)) submitted.set(k, [...(submitted.get(k) ?? []), id]);
      s.submit({ id, keys: [...new Set(keys)] }, keys);
      if (id % 50 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    await s.idle();
    expect(violations).toEqual([]);
    expect(peak).toBeLessThanOrEqual(4);
    expect(started).toEqual(submitted);
  });

  it('idle() rejects with the first job error after all jobs finish', async () => {
    const done: string[] = [];
    const s = new Scheduler<string>(2, async (j) => {
      if (j === 'bad') throw new Error('job failed');
      done.push(j);
    });
    s.submit('bad', []);
    s.submit('ok', []);
    await expect(s.idle()).rejects.toThrow('job failed');
    expect(done).toEqual(['ok']);
  });
});

describe('endpoint', () => {
  it('resolves bases and rewrites URLs onto them', () => {
    expect(resolveBaseUrl(undefined, undefined)).toBe('https://track.customer.io');
    expect(resolveBaseUrl('eu', undefined)).toBe('https://track-eu.customer.io');
    expect(resolveBaseUrl('US', 'http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(rewriteUrl('https://track.customer.io/api/v2/entity?x=1', 'http://127.0.0.1:1')).toBe('http://127.0.0.1:1/api/v2/entity?x=1');
    expect(rewriteUrl('https://evil.example/api/v2/batch', 'https://track.customer.io')).toBe('https://track.customer.io/api/v2/batch');
  });
  it('builds Basic auth and redacts every form of the credentials', () => {
    expect(basicAuth('s', 'k')).toBe('Basic czpr'); // base64('s:k')
    const redact = createRedactor({ siteId: 'site-1', apiKey: 'secret-key' });
    const token = Buffer.from('site-1:secret-key').toString('base64');
    expect(redact(`a site-1:secret-key b ${token} c secret-key d site-1`)).toBe('a [redacted] b [redacted] c [redacted] d [redacted]');
    expect(() => assertCredentials({ siteId: 's', apiKey: '' })).toThrow(/apiKey/);
  });
});
