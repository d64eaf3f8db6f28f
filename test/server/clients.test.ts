// Real clients against the server, delivery to the fake Track API: @segment/analytics-node sends
// 5,000 parity-corpus events in batches; analytics.js's wire format posts events one by one to the
// short paths with writeKey in the body. What the fake Track API receives must be exactly the dry
// run of the events as they went over the wire (no body lost, none twice).

import { Analytics } from '@segment/analytics-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDestination } from '../../src/index.js';
import { API_KEY, SITE_ID, WRITE_KEY, corpus, expectedBodies, post, startStack, until, type Stack } from './helpers.js';

// child processes and thousands of events on a shared 2-core machine: waits are on conditions, bounded here
vi.setConfig({ testTimeout: 240_000, hookTimeout: 60_000 });

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const SHORT: Record<string, string> = { identify: 'i', track: 't', page: 'p', screen: 's', group: 'g', alias: 'a' };

/** 5,000 events: the corpus cycled, each copy with its own messageId. */
function events(n: number): Array<Record<string, unknown>> {
  const base = corpus();
  return Array.from({ length: n }, (_, i) => {
    const e = base[i % base.length]!;
    return { ...e, messageId: `${String(e.messageId)}-${Math.floor(i / base.length)}` };
  });
}

/** The analytics-node call for a corpus event (the SDK builds the wire event itself). */
function call(a: Analytics, e: Record<string, unknown>): void {
  const ids = { ...(e.userId != null ? { userId: e.userId as string } : {}), ...(e.anonymousId != null ? { anonymousId: e.anonymousId as string } : {}) } as { userId: string };
  const common = { ...ids, messageId: e.messageId as string, ...(e.timestamp ? { timestamp: e.timestamp as string } : {}), ...(e.context ? { context: e.context as Record<string, unknown> } : {}), ...(e.integrations ? { integrations: e.integrations as Record<string, boolean> } : {}) };
  switch (e.type) {
    case 'track':
      return a.track({ ...common, event: e.event as string, ...(e.properties ? { properties: e.properties as Record<string, unknown> } : {}) });
    case 'identify':
      return a.identify({ ...common, ...(e.traits ? { traits: e.traits as Record<string, unknown> } : {}) });
    case 'page':
      return a.page({ ...common, ...(e.name ? { name: e.name as string } : {}), ...(e.category ? { category: e.category as string } : {}), ...(e.properties ? { properties: e.properties as Record<string, unknown> } : {}) });
    case 'screen':
      return a.screen({ ...common, ...(e.name ? { name: e.name as string } : {}), ...(e.properties ? { properties: e.properties as Record<string, unknown> } : {}) });
    case 'group':
      return a.group({ ...common, groupId: e.groupId as string, ...(e.traits ? { traits: e.traits as Record<string, unknown> } : {}) });
    case 'alias':
      return a.alias({ ...common, userId: e.userId as string, previousId: e.previousId as string });
  }
}

describe('real clients', () => {
  it('@segment/analytics-node sends 5,000 corpus events; the fake Track API receives exactly the dry run of what was posted', async () => {
    stack = await startStack({ fake: {} });
    const wire: unknown[] = [];
    const rejectedByServer: unknown[] = [];
    let status200 = 0;
    const analytics = new Analytics({
      writeKey: WRITE_KEY,
      host: stack.url,
      path: '/v1/batch',
      flushAt: 100,
      flushInterval: 50,
      maxRetries: 3,
      httpClient: async (url, init) => {
        const res = await fetch(url, init);
        const text = await res.text();
        if (res.status === 200) {
          status200++;
          // events the server left out of an accepted batch (Segment's rule) are listed in `rejected`
          const left = new Set(((JSON.parse(text) as { rejected?: Array<{ index: number }> }).rejected ?? []).map((r) => r.index));
          const batch = (JSON.parse(init.body) as { batch: unknown[] }).batch;
          batch.forEach((e, i) => (left.has(i) ? rejectedByServer.push(e) : wire.push(e)));
        }
        return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
      },
    });
    const errors: unknown[] = [];
    analytics.on('error', (err) => errors.push(err));
    const sent = events(5_000);
    let refused = 0; // the SDK itself throws on events it considers invalid (e.g. a numeric userId)
    for (const e of sent) {
      try {
        call(analytics, e);
      } catch {
        refused++;
      }
    }
    await analytics.closeAndFlush({ timeout: 60_000 });
    expect(errors).toEqual([]);
    expect(refused).toBeLessThan(sent.length / 4);
    expect(status200).toBeGreaterThanOrEqual(40); // batches, not one request per event
    expect(wire.length + rejectedByServer.length).toBe(sent.length - refused);
    expect(rejectedByServer.length).toBeLessThan(20);
    // what the server refused is what the pipeline could not map either
    const d = createDestination({ settings: { siteId: SITE_ID, apiKey: API_KEY } });
    for (const e of rejectedByServer) expect(d.process(e).requests).toEqual([]);
    const expected = expectedBodies(wire);
    const fake = stack.fake!;
    await until(() => fake.acceptedCount >= expected.length && stack!.queue.stats().depth === 0, 90_000, 'every body delivered');
    expect(fake.accepted.map((a) => JSON.stringify(a.entity)).sort()).toEqual(expected);
    // events the dry run cannot map are dead-lettered, the same ones, and nothing else fails
    const unmappable = wire.filter((e) => d.process(e).errors.length > 0).length;
    expect(stack.delivery!.counts()).toMatchObject({ failed: unmappable, possibleDuplicates: 0, inFlight: 0 });
    await until(() => existsSync(join(stack!.dir, 'dead-letters.ndjson')) && readFileSync(join(stack!.dir, 'dead-letters.ndjson'), 'utf8').length > 0, 10_000, 'dead letters written');
  });

  it("analytics.js's wire format: one event per request to the short paths, text/plain, writeKey in the body", async () => {
    stack = await startStack({ fake: {} });
    const sent: Array<Record<string, unknown>> = events(300).map((e) => ({ ...e, writeKey: WRITE_KEY, sentAt: new Date().toISOString() }));
    let i = 0;
    // a few at a time, like tabs of a site
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (i < sent.length) {
          const e = sent[i++]!;
          const res = await post(`${stack!.url}/v1/${SHORT[e.type as string]}`, JSON.stringify(e), { 'content-type': 'text/plain' });
          expect(res.status).toBe(200);
        }
      }),
    );
    const expected = expectedBodies(sent);
    const fake = stack.fake!;
    await until(() => fake.acceptedCount >= expected.length && stack!.queue.stats().depth === 0, 60_000, 'every body delivered');
    expect(fake.accepted.map((a) => JSON.stringify(a.entity)).sort()).toEqual(expected);
    const all = stack.logs.join('') + JSON.stringify(fake.accepted);
    expect(all).not.toContain(WRITE_KEY);
  });
});
