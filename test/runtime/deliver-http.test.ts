// deliver() with a stubbed fetch: region and endpoint selection, headers (auth, content type,
// user agent), retry vs no-retry per status, redirects, 413 splitting, and credential redaction.

import { describe, expect, it } from 'vitest';
import { deliver } from '../../src/runtime/deliver.js';
import type { DeliverOptions } from '../../src/runtime/options.js';
import { collector, ev, fakeSource, fastClock, KEY, SITE, type TestEvent } from './helpers.js';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
}

/** A fetch that records calls and answers from `respond` (status, body, headers). */
function stubFetch(respond: (call: Call, n: number) => { status: number; body?: string; headers?: Record<string, string> }) {
  const calls: Call[] = [];
  const fetchImpl = (async (url: string | URL, init?: RequestInit) => {
    const call: Call = {
      url: String(url),
      method: init?.method ?? 'GET',
      headers: Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v])),
      body: (init?.body as string | null | undefined) ?? null,
    };
    calls.push(call);
    const r = respond(call, calls.length - 1);
    return new Response(r.body ?? (r.status === 204 || r.status === 304 ? null : '{}'), { status: r.status, headers: r.headers });
  }) as typeof fetch;
  return { calls, fetchImpl };
}

async function run(events: TestEvent[], respond: Parameters<typeof stubFetch>[0], ctx: { region?: string; endpoint?: string } = {}, extra: DeliverOptions = {}) {
  const { calls, fetchImpl } = stubFetch(respond);
  const c = collector();
  const clock = fastClock();
  const report = await deliver(fakeSource(), events, { fetch: fetchImpl, clock, seed: 1, retry: { maxAttempts: 3, baseDelayMs: 10 }, onDeadLetter: c.onDeadLetter, ...extra }, { siteId: SITE, apiKey: KEY, ...ctx });
  return { report, calls, c, clock };
}

const ok = () => ({ status: 200 });

describe('where requests go', () => {
  const rows: Array<{ ctx: { region?: string; endpoint?: string }; url: string }> = [
    { ctx: {}, url: 'https://track.customer.io/api/v2/entity' },
    { ctx: { region: 'US' }, url: 'https://track.customer.io/api/v2/entity' },
    { ctx: { region: 'EU' }, url: 'https://track-eu.customer.io/api/v2/entity' },
    { ctx: { region: 'EU 🇪🇺' }, url: 'https://track-eu.customer.io/api/v2/entity' },
    { ctx: { region: 'US 🇺🇸' }, url: 'https://track.customer.io/api/v2/entity' },
    { ctx: { region: 'EU', endpoint: 'http://127.0.0.1:9/proxy/' }, url: 'http://127.0.0.1:9/proxy/api/v2/entity' },
  ];
  for (const row of rows) {
    it(`${JSON.stringify(row.ctx)} → ${row.url}`, async () => {
      const { calls } = await run([ev(0)], ok, row.ctx);
      expect(calls.map((c) => c.url)).toEqual([row.url]);
    });
  }

  it('an unknown region or a bad endpoint is a configuration error before anything is read', async () => {
    const src = fakeSource();
    await expect(deliver(src, [ev(0)], {}, { siteId: SITE, apiKey: KEY, region: 'APAC' })).rejects.toThrow(/region/);
    await expect(deliver(src, [ev(0)], {}, { siteId: SITE, apiKey: KEY, endpoint: 'ftp://x' })).rejects.toThrow(/endpoint/);
    await expect(deliver(src, [ev(0)], {}, { siteId: '', apiKey: KEY })).rejects.toThrow(/siteId/);
    await expect(deliver(src, [ev(0)], {}, { siteId: SITE, apiKey: ' ' })).rejects.toThrow(/apiKey/);
    expect(src.calls).toBe(0);
  });

  it('sends Basic auth, JSON content type and a user agent', async () => {
    const { calls } = await run([ev(0), ev(1)], ok);
    expect(calls[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`${SITE}:${KEY}`).toString('base64')}`);
    expect(calls[0]!.headers['content-type']).toBe('application/json');
    expect(calls[0]!.headers['user-agent']).toMatch(/^cio-actions\//);
    expect(JSON.parse(calls[0]!.body!)).toMatchObject({ batch: [{ id: 'm0' }, { id: 'm1' }] });
  });
});

describe('retry classes (§1.7)', () => {
  const rows: Array<{ status: number; retried: boolean }> = [
    ...[408, 429, 500, 502, 503, 504, 522, 524].map((status) => ({ status, retried: true })),
    ...[400, 401, 403, 404, 409, 422, 501].map((status) => ({ status, retried: false })),
  ];
  for (const { status, retried } of rows) {
    it(`${status} is ${retried ? '' : 'not '}retried`, async () => {
      const { calls, report, c } = await run([ev(0)], (_c, n) => (n === 0 ? { status } : { status: 200 }));
      expect(calls).toHaveLength(retried ? 2 : 1);
      expect(report.items.accepted).toBe(retried ? 1 : 0);
      // a 401 ends the run (stopReason auth): the item is unsent, not dead-lettered
      if (status === 401) expect([c.letters.length, report.items.unsent, report.stopReason]).toEqual([0, 1, 'auth']);
      else if (!retried) expect(c.letters[0]).toMatchObject({ status, outcomeUnknown: false, attempts: 1 });
    });
  }

  it('gives up after maxAttempts with the last status as the reason', async () => {
    const { calls, c, clock } = await run([ev(0)], () => ({ status: 503 }));
    expect(calls).toHaveLength(3);
    expect(clock.sleeps).toHaveLength(2);
    expect(c.letters[0]).toMatchObject({ status: 503, attempts: 3 });
    expect(c.letters[0]!.reason).toMatch(/HTTP 503.*gave up after 3 attempts/);
  });

  it('gives up when the total time budget would be exceeded by the next wait', async () => {
    const { calls, c } = await run([ev(0)], () => ({ status: 429, headers: { 'retry-after': '30' } }), {}, { retry: { maxAttempts: 10, maxTotalMs: 10_000 } });
    expect(calls).toHaveLength(1);
    expect(c.letters[0]!.status).toBe(429);
  });

  it('Retry-After as an HTTP date is honoured', async () => {
    const at = new Date(Date.now() + 5_000).toUTCString();
    const { clock, report } = await run([ev(0)], (_c, n) => (n === 0 ? { status: 503, headers: { 'retry-after': at } } : { status: 200 }));
    expect(report.items.accepted).toBe(1);
    expect(clock.sleeps[0]).toBeGreaterThan(3_000);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(5_000);
  });

  it('a network error is retried and marks the outcome ambiguous', async () => {
    const { fetchImpl, calls } = stubFetch(() => ({ status: 200 }));
    let n = 0;
    const flaky = (async (u: string, i?: RequestInit) => {
      if (n++ === 0) throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      return fetchImpl(u, i);
    }) as typeof fetch;
    const c = collector();
    const report = await deliver(fakeSource(), [ev(0)], { fetch: flaky, clock: fastClock(), onOutcome: c.onOutcome }, { siteId: SITE, apiKey: KEY });
    expect(calls).toHaveLength(1);
    expect(report.statuses).toEqual({ '200': 1, network: 1 });
    expect(c.outcomes[0]).toMatchObject({ outcome: 'delivered', ambiguous: true });
  });
});

describe('redirects and splitting', () => {
  it('follows a region redirect once to a customer.io host', async () => {
    const { calls, report } = await run([ev(0)], (call) =>
      call.url.startsWith('https://track.customer.io') ? { status: 307, headers: { location: 'https://track-eu.customer.io/api/v2/entity' } } : { status: 200 },
    );
    expect(calls.map((c) => c.url)).toEqual(['https://track.customer.io/api/v2/entity', 'https://track-eu.customer.io/api/v2/entity']);
    expect(report.items.accepted).toBe(1);
  });

  it('does not follow a redirect to a foreign host (credentials stay home)', async () => {
    const { calls, c } = await run([ev(0)], () => ({ status: 302, headers: { location: 'https://evil.example/collect' } }));
    expect(calls).toHaveLength(1);
    expect(c.letters[0]!.status).toBe(302);
  });

  it('413 on a batch splits it in halves; a single item answered 413 fails', async () => {
    const events = Array.from({ length: 5 }, (_, i) => ev(i));
    const { calls, report, c } = await run(events, (call) => {
      const body = JSON.parse(call.body!) as { batch?: unknown[] };
      return (body.batch?.length ?? 1) > 2 || JSON.stringify(body).includes('"m4"') ? { status: 413 } : { status: 200 };
    });
    expect(calls.map((c) => (JSON.parse(c.body!) as { batch?: unknown[] }).batch?.length ?? 1)).toEqual([5, 3, 2, 1, 2, 1, 1]);
    expect(report.items.accepted).toBe(4);
    expect(c.letters.map((l) => [l.index, l.status])).toEqual([[4, 413]]);
  });
});

describe('credentials never leak', () => {
  it('a server that echoes the credentials gets them redacted in reasons, dead letters and the report', async () => {
    const echo = `bad key ${KEY} for site ${SITE}, auth ${Buffer.from(`${SITE}:${KEY}`).toString('base64')}`;
    const { report, c } = await run([ev(0), ev(1, 'error')], () => ({ status: 400, body: JSON.stringify({ errors: [{ message: echo }] }) }));
    const text = JSON.stringify({ report, letters: c.letters });
    expect(c.letters).toHaveLength(2);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(SITE);
    expect(text).not.toContain(Buffer.from(`${SITE}:${KEY}`).toString('base64'));
    expect(text).toContain('[redacted]');
  });
});
