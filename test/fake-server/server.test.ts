// The fake Track API itself: auth, routes, body checks, item marks and the seeded fault schedule,
// so delivery tests can trust what it records.

import { afterEach, describe, expect, it } from 'vitest';
import { POISON, REJECT, startFakeTrackServer, type FakeServerOptions, type FakeTrackServer } from './server.js';

const AUTH = `Basic ${Buffer.from('s1:k1').toString('base64')}`;
let server: FakeTrackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(extra: Partial<FakeServerOptions> = {}) {
  server = await startFakeTrackServer({ siteId: 's1', apiKey: 'k1', ...extra });
  return server;
}

async function post(path: string, body: unknown, auth = AUTH, method = 'POST') {
  const res = await fetch(`${server!.url}${path}`, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.text()) || '{}', headers: res.headers };
}

const person = (id: string, attrs: Record<string, unknown> = {}) => ({ type: 'person', action: 'identify', identifiers: { id }, attributes: attrs });

describe('fake Track API', () => {
  const rows: Array<{ name: string; path: string; body: unknown; auth?: string; status: number; accepted: number }> = [
    { name: 'entity', path: '/api/v2/entity', body: person('a'), status: 200, accepted: 1 },
    { name: 'batch', path: '/api/v2/batch', body: { batch: [person('a'), person('b')] }, status: 200, accepted: 2 },
    { name: 'metrics', path: '/api/v1/metrics', body: { delivery_id: 'd', metric: 'opened' }, status: 200, accepted: 1 },
    { name: 'bad auth', path: '/api/v2/entity', body: person('a'), auth: 'Basic eDp5', status: 401, accepted: 0 },
    { name: 'not JSON', path: '/api/v2/entity', body: '{', status: 400, accepted: 0 },
    { name: 'empty batch', path: '/api/v2/batch', body: { batch: [] }, status: 400, accepted: 0 },
    { name: 'no identifiers', path: '/api/v2/entity', body: { type: 'person', action: 'identify' }, status: 400, accepted: 0 },
    { name: 'poison in a batch', path: '/api/v2/batch', body: { batch: [person('a'), person('b', { [POISON]: 1 })] }, status: 400, accepted: 0 },
    { name: 'reject in a batch', path: '/api/v2/batch', body: { batch: [person('a'), person('b', { [REJECT]: 1 })] }, status: 207, accepted: 1 },
    { name: 'reject alone', path: '/api/v2/entity', body: person('b', { [REJECT]: 1 }), status: 400, accepted: 0 },
    { name: 'unknown route', path: '/api/v2/nope', body: {}, status: 404, accepted: 0 },
  ];
  for (const row of rows) {
    it(`${row.name} → ${row.status}`, async () => {
      const s = await start();
      const r = await post(row.path, row.body, row.auth);
      expect(r.status).toBe(row.status);
      expect(s.accepted).toHaveLength(row.accepted);
      expect(s.requests[0]!.authorized).toBe(row.auth === undefined);
      if (row.status === 207) expect(JSON.parse(r.body)).toEqual({ errors: [expect.objectContaining({ batch_index: 1 })] });
    });
  }

  it('validates with the project schemas when asked (207 per item in a batch)', async () => {
    await start({ validate: 'strict' });
    const r = await post('/api/v2/batch', { batch: [person('a'), { type: 'person', action: 'event', identifiers: { id: 'x' } }] });
    expect(r.status).toBe(207);
    expect(JSON.parse(r.body).errors[0].batch_index).toBe(1);
  });

  it('the fault schedule is reproducible from the seed', async () => {
    const run = async () => {
      const s = await start({ seed: 42, rates: { '500': 0.3, '429': 0.2 } });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await post('/api/v2/entity', person(`p${i}`))).status);
      await s.close();
      server = undefined;
      return statuses;
    };
    const a = await run();
    expect(await run()).toEqual(a);
    expect(new Set(a)).toEqual(new Set([200, 429, 500]));
  });

  it('429 carries Retry-After; dropped connections fail the request; drop-after still records', async () => {
    const s = await start({ script: ['429', 'drop-before', 'drop-after'], retryAfter: '3' });
    const r = await post('/api/v2/entity', person('a'));
    expect([r.status, r.headers.get('retry-after')]).toEqual([429, '3']);
    await expect(post('/api/v2/entity', person('b'))).rejects.toThrow();
    await expect(post('/api/v2/entity', person('c'))).rejects.toThrow();
    expect(s.accepted.map((a) => (a.entity as { identifiers: { id: string } }).identifiers.id)).toEqual(['c']);
    expect(s.requests.map((x) => x.status)).toEqual([429, 'dropped', 'dropped']);
  });
});
