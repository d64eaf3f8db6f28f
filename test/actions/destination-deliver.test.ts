// Destination.deliver wired to the delivery runtime: the corpus's first events go out batched per
// action to /api/v2/batch (metrics unbatched to /api/v1/metrics) with Basic auth; failures are
// accounted for, and nothing is lost (delivered + skipped + failed = read).

import { describe, expect, it } from 'vitest';
import { createDestination } from '../../src/runtime/destination.js';
import { events } from '../parity/corpus.js';

interface Seen {
  url: string;
  method: string;
  auth: string | null;
  body: unknown;
}

function fakeFetch(seen: Seen[]): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    seen.push({ url: String(input), method: init?.method ?? 'GET', auth: headers.get('authorization'), body: init?.body ? JSON.parse(String(init.body)) : null });
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

describe('deliver', () => {
  it('batches and sends the quick presets over 300 corpus events', async () => {
    const seen: Seen[] = [];
    const destination = createDestination({ settings: { siteId: 'site-1234', apiKey: 'key-5678' } });
    const sample = events.slice(0, 300);
    const report = await destination.deliver(sample, { fetch: fakeFetch(seen), flushIntervalMs: 5, seed: 1 });
    expect(report.events.total).toBe(300);
    expect(report.events.delivered + report.events.skipped + report.events.failed).toBe(300);
    expect(report.events.delivered).toBeGreaterThan(200);
    expect(seen.length).toBeGreaterThan(0);
    const auth = `Basic ${Buffer.from('site-1234:key-5678').toString('base64')}`;
    for (const request of seen) {
      expect(request.auth).toBe(auth);
      expect(request.method).toBe('POST');
      expect(request.url).toMatch(/^https:\/\/track\.customer\.io\/api\/(v2\/(batch|entity)|v1\/metrics)$/);
    }
    const batched = seen.filter((r) => r.url.endsWith('/api/v2/batch'));
    expect(batched.length).toBeGreaterThan(0);
    for (const r of batched) expect((r.body as { batch: unknown[] }).batch.length).toBeLessThanOrEqual(50);
  });
});
