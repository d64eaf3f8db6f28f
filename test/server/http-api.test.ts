// The ingestion server's HTTP contract (src/server/server.ts, tracking-api.ts): Segment's paths
// (long and short), auth by Basic user name or body writeKey, gzip, CORS, limits, the stamps, each
// 4xx with its JSON reason, 503 + Retry-After when the queue is full, /health /ready /metrics, and
// logs without credentials.

import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueuedEvent } from '../../src/queue/types.js';
import { API_KEY, SITE_ID, WRITE_KEY, basic, post, startStack, type Stack } from './helpers.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
  const all = stack.logs.join('');
  for (const secret of [WRITE_KEY, API_KEY, SITE_ID, basic().slice(6)]) expect(all).not.toContain(secret);
});

/** Events the journal holds, in order (nothing is delivering in this file). */
async function queued(): Promise<QueuedEvent[]> {
  const out: QueuedEvent[] = [];
  const ac = new AbortController();
  const n = stack.queue.stats().depth;
  if (n === 0) return out;
  for await (const q of stack.queue.read(ac.signal)) {
    out.push(q);
    if (out.length === n) ac.abort();
  }
  return out;
}

async function drainQueue(): Promise<QueuedEvent[]> {
  const all = await queued();
  if (all.length > 0) await stack.queue.done(all.map((q) => q.id));
  return all;
}

const auth = { authorization: basic() };

describe('paths, auth and stamps', () => {
  it.each([
    ['/v1/identify', 'identify'],
    ['/v1/track', 'track'],
    ['/v1/page', 'page'],
    ['/v1/screen', 'screen'],
    ['/v1/group', 'group'],
    ['/v1/alias', 'alias'],
    ['/v1/i', 'identify'],
    ['/v1/t', 'track'],
    ['/v1/p', 'page'],
    ['/v1/s', 'screen'],
    ['/v1/g', 'group'],
    ['/v1/a', 'alias'],
  ])('%s queues a %s event (type from the path, messageId generated, receivedAt stamped)', async (path, type) => {
    const before = Date.now();
    const res = await post(`${stack.url}${path}`, { userId: 'u1', event: 'Signed Up', type: 'something-else' }, auth);
    expect(res).toMatchObject({ status: 200, body: { success: true } });
    const [q] = await drainQueue();
    expect(q!.event).toMatchObject({ type, userId: 'u1' });
    expect(q!.event.messageId).toMatch(/^cio-[0-9a-f-]{36}$/);
    expect(Date.parse(q!.event.receivedAt as string)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('keeps a client messageId, and takes the write key from the body (analytics.js), never queueing it', async () => {
    const res = await post(`${stack.url}/v1/t`, JSON.stringify({ userId: 'u1', event: 'E', messageId: 'ajs-1', writeKey: WRITE_KEY }), { 'content-type': 'text/plain' });
    expect(res.status).toBe(200);
    const [q] = await drainQueue();
    expect(q!.event.messageId).toBe('ajs-1');
    expect(Object.hasOwn(q!.event, 'writeKey')).toBe(false);
  });

  it('batch: each event keeps its own type; top-level context/sentAt apply to events without them; writeKey in the body', async () => {
    const res = await post(`${stack.url}/v1/b`, {
      writeKey: WRITE_KEY,
      sentAt: '2024-01-01T00:00:00.000Z',
      context: { library: { name: 'x' } },
      batch: [
        { type: 'identify', userId: 'u1', traits: { a: 1 } },
        { type: 'track', anonymousId: 'a1', event: 'E', context: { own: true } },
      ],
    });
    expect(res).toMatchObject({ status: 200, body: { success: true } });
    expect(res.body.rejected).toBeUndefined();
    const got = await drainQueue();
    expect(got.map((q) => q.event.type)).toEqual(['identify', 'track']);
    expect(got[0]!.event).toMatchObject({ context: { library: { name: 'x' } }, sentAt: '2024-01-01T00:00:00.000Z' });
    expect(got[1]!.event.context).toEqual({ own: true });
  });

  it.each([
    ['no key at all', {}, { userId: 'u1', event: 'E' }],
    ['a wrong Basic key', { authorization: basic('wk_wrong') }, { userId: 'u1', event: 'E' }],
    ['a wrong body key', {}, { userId: 'u1', event: 'E', writeKey: 'wk_wrong' }],
    ['a right body key but a wrong header', { authorization: basic('wk_wrong') }, { userId: 'u1', event: 'E', writeKey: WRITE_KEY }],
    ['a malformed Authorization header', { authorization: 'Bearer abc' }, { userId: 'u1', event: 'E' }],
  ])('401 for %s', async (_name, headers, body) => {
    const res = await post(`${stack.url}/v1/track`, body, headers);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ success: false, code: 'unauthorized' });
    expect(stack.queue.stats().depth).toBe(0);
  });

  it('gzip bodies are inflated', async () => {
    const body = gzipSync(JSON.stringify({ batch: [{ type: 'track', userId: 'u', event: 'Zipped' }] }));
    const res = await post(`${stack.url}/v1/batch`, body, { ...auth, 'content-encoding': 'gzip' });
    expect(res.status).toBe(200);
    const [q] = await drainQueue();
    expect(q!.event.event).toBe('Zipped');
  });

  it('CORS: a preflight is answered and posts carry the allow-origin header', async () => {
    const pre = await fetch(`${stack.url}/v1/t`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    const res = await post(`${stack.url}/v1/t`, JSON.stringify({ userId: 'u', event: 'E', writeKey: WRITE_KEY }), { origin: 'https://shop.example', 'content-type': 'text/plain' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    await drainQueue();
  });
});

describe('bad input', () => {
  it.each([
    ['malformed JSON', '/v1/track', '{"userId": "u1"', 400, 'malformed_json'],
    ['not an object', '/v1/track', '[1,2]', 400, 'not_an_object'],
    ['a string body', '/v1/identify', '"hello"', 400, 'not_an_object'],
    ['missing userId and anonymousId', '/v1/identify', '{"traits":{}}', 400, 'no_user_anon_id'],
    ['a track without a name', '/v1/track', '{"userId":"u"}', 400, 'missing_event_name'],
    ['a batch that is not a list', '/v1/batch', '{"batch":{"a":1}}', 400, 'batch_not_a_list'],
    ['an empty body', '/v1/track', '', 400, 'not_an_object'],
    ['an event over 32 KB', '/v1/track', JSON.stringify({ userId: 'u', event: 'E', properties: { big: 'x'.repeat(33_000) } }), 413, 'event_too_large'],
    ['a body over 500 KB', '/v1/batch', JSON.stringify({ batch: [{ type: 'track', userId: 'u', event: 'E', p: 'x'.repeat(520_000) }] }), 413, 'request_too_large'],
    ['a 10 MB body', '/v1/batch', 'x'.repeat(10 * 1024 * 1024), 413, 'request_too_large'],
  ])('%s: %s → %i %s', async (_name, path, body, status, code) => {
    const res = await post(`${stack.url}${path}`, body, auth);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ success: false, code });
    expect(typeof res.body.error).toBe('string');
    expect(stack.queue.stats().depth).toBe(0);
  });

  it('a gzip bomb is cut off at the limit (the limit counts inflated bytes)', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(500 * 1024);
    const res = await post(`${stack.url}/v1/batch`, bomb, { ...auth, 'content-encoding': 'gzip' });
    expect(res).toMatchObject({ status: 413, body: { code: 'request_too_large' } });
  });

  it('broken gzip is a 400, an unknown encoding a 415', async () => {
    expect((await post(`${stack.url}/v1/batch`, Buffer.from('not gzip at all'), { ...auth, 'content-encoding': 'gzip' })).body).toMatchObject({ code: 'malformed_gzip' });
    const res = await post(`${stack.url}/v1/batch`, '{}', { ...auth, 'content-encoding': 'br' });
    expect(res).toMatchObject({ status: 415, body: { code: 'unsupported_encoding' } });
  });

  it('one bad event in a batch never costs the others: 200, the good ones queued, the bad ones listed', async () => {
    const res = await post(
      `${stack.url}/v1/batch`,
      {
        batch: [
          { type: 'track', userId: 'u', event: 'Good 1' },
          { type: 'nope', userId: 'u' },
          { type: 'identify' },
          'not an event',
          { type: 'track', userId: 'u', event: 'E', properties: { big: 'x'.repeat(33_000) } },
          { type: 'track', userId: 'u' },
          { type: 'identify', userId: 'u', traits: { ok: true } },
        ],
      },
      auth,
    );
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect((res.body.rejected as Array<{ index: number; code: string }>).map((r) => [r.index, r.code])).toEqual([
      [1, 'unknown_type'],
      [2, 'no_user_anon_id'],
      [3, 'not_an_object'],
      [4, 'event_too_large'],
      [5, 'missing_event_name'],
    ]);
    const got = await drainQueue();
    expect(got.map((q) => q.event.type)).toEqual(['track', 'identify']);
  });

  it('a batch over 2 500 events: the extra events are rejected, the rest queued', async () => {
    const batch = Array.from({ length: 2_503 }, (_, i) => ({ type: 'track', userId: 'u', event: 'E', messageId: `big-${i}` }));
    const res = await post(`${stack.url}/v1/batch`, { batch }, auth);
    expect(res.status).toBe(200);
    expect((res.body.rejected as unknown[]).length).toBe(3);
    expect((await drainQueue()).length).toBe(2_500);
  });

  it('prototype keys in events are plain data: nothing is polluted', async () => {
    const res = await post(`${stack.url}/v1/track`, '{"userId":"u","event":"E","__proto__":{"polluted":true},"properties":{"constructor":{"prototype":{"x":1}}}}', auth);
    expect(res.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const [q] = await drainQueue();
    expect(Object.getPrototypeOf(q!.event)).toBe(Object.prototype);
  });
});

describe('operations', () => {
  it('/health, /ready and /metrics', async () => {
    expect(await (await fetch(`${stack.url}/health`)).json()).toEqual({ ok: true });
    expect(await (await fetch(`${stack.url}/ready`)).json()).toEqual({ ready: true });
    const res = await fetch(`${stack.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    for (const name of ['cio_received_events_total', 'cio_accepted_events_total', 'cio_rejected_events_total{reason="malformed_json"}', 'cio_delivered_events_total', 'cio_failed_events_total', 'cio_duplicates_total{kind="deduplicated"}', 'cio_queue_depth', 'cio_queue_bytes', 'cio_delivery_latency_seconds_bucket']) {
      expect(text).toContain(name);
    }
    expect(text).not.toContain(WRITE_KEY);
  });

  it('a full queue answers 503 with Retry-After and acknowledges nothing of the request', async () => {
    const small = await startStack({ journal: { maxEvents: 3 } });
    try {
      expect((await post(`${small.url}/v1/batch`, { batch: [1, 2].map((i) => ({ type: 'track', userId: 'u', event: `E${i}` })) }, auth)).status).toBe(200);
      const res = await post(`${small.url}/v1/batch`, { batch: [1, 2].map((i) => ({ type: 'track', userId: 'u', event: `F${i}` })) }, auth);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(res.body).toMatchObject({ success: false, code: 'queue_full' });
      expect(small.queue.stats().depth).toBe(2);
    } finally {
      await small.close();
    }
  });

  it('a journal write failure answers 503 (nothing acknowledged) and /ready says the journal is not writable', async () => {
    const broken = await startStack();
    try {
      // the disk goes away under the journal: its segment file handle is closed behind its back
      await (broken.queue as unknown as { tailHandle: { close(): Promise<void> } }).tailHandle.close();
      const res = await post(`${broken.url}/v1/track`, { userId: 'u', event: 'E' }, auth);
      expect(res).toMatchObject({ status: 503, body: { success: false, code: 'queue_unavailable' } });
      expect(res.headers.get('retry-after')).toBe('5');
      const ready = await fetch(`${broken.url}/ready`);
      expect(ready.status).toBe(503);
      expect(JSON.stringify(await ready.json())).toMatch(/journal is not writable/);
      expect(broken.queue.stats().depth).toBe(0);
    } finally {
      await broken.close().catch(() => {});
    }
  });

  it('the same messageId posted twice inside the window is queued once', async () => {
    const e = { userId: 'u', event: 'Retry', messageId: 'retry-1' };
    expect((await post(`${stack.url}/v1/track`, e, auth)).status).toBe(200);
    expect((await post(`${stack.url}/v1/track`, e, auth)).status).toBe(200);
    expect((await drainQueue()).length).toBe(1);
    expect(await (await fetch(`${stack.url}/metrics`)).text()).toMatch(/cio_duplicates_total\{kind="deduplicated"\} [1-9]/);
  });
});
