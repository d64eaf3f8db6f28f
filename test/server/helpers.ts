// An in-process `serve` stack for tests: a journal in a temp folder, the ingestion server, the
// delivery loop to the fake Track API, and a log capture (to check redaction).

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createDestination } from '../../src/index.js';
import { openJournal, type Journal, type JournalOptions } from '../../src/queue/journal.js';
import { startDelivery, type DeliveryLoop } from '../../src/server/delivery.js';
import { createLogger } from '../../src/server/log.js';
import { createMetrics } from '../../src/server/metrics.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/server.js';
import { startFakeTrackServer, type FakeServerOptions, type FakeTrackServer } from '../fake-server/server.js';

export const SITE_ID = 'site-serve-1234';
export const API_KEY = 'apikey-serve-5678';
export const WRITE_KEY = 'wk_serve_test_0001';
export const ROOT = new URL('../../', import.meta.url).pathname;
export const CORPUS = join(ROOT, 'test/data/segment-parity/events.ndjson');

export function corpus(): Array<Record<string, unknown>> {
  return readFileSync(CORPUS, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

export const basic = (key = WRITE_KEY) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

export interface Stack {
  url: string;
  dir: string;
  server: RunningServer;
  queue: Journal;
  delivery: DeliveryLoop | undefined;
  fake: FakeTrackServer | undefined;
  logs: string[];
  close(): Promise<void>;
}

export async function startStack(options: {
  journal?: Omit<JournalOptions, 'dir'>;
  server?: Partial<ServerOptions>;
  /** Without it, nothing is delivered (the queue only fills). */
  fake?: Omit<FakeServerOptions, 'siteId' | 'apiKey'>;
  flushIntervalMs?: number;
} = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'cio-serve-'));
  const logs: string[] = [];
  const logger = createLogger({
    secrets: { siteId: SITE_ID, apiKey: API_KEY, others: [WRITE_KEY] },
    level: 'debug',
    destination: new Writable({ write(chunk: Buffer, _e, cb) { logs.push(chunk.toString('utf8')); cb(); } }),
  });
  const queue = await openJournal({ dir: join(dir, 'journal'), ...options.journal });
  const metrics = createMetrics(() => queue.stats());
  const fake = options.fake ? await startFakeTrackServer({ siteId: SITE_ID, apiKey: API_KEY, ...options.fake }) : undefined;
  const delivery = fake
    ? await startDelivery({
        queue,
        destination: createDestination({ settings: { siteId: SITE_ID, apiKey: API_KEY } }),
        context: { siteId: SITE_ID, apiKey: API_KEY, endpoint: fake.url },
        deliverOptions: { flushIntervalMs: options.flushIntervalMs ?? 20, retry: { baseDelayMs: 5, maxDelayMs: 20 }, seed: 1 },
        deadLetterPath: join(dir, 'dead-letters.ndjson'),
        logger,
        metrics,
        authRetryMs: 200,
      })
    : undefined;
  const server = await startServer({ queue, writeKeys: [WRITE_KEY], logger, metrics, port: 0, ...(delivery ? { notReady: () => delivery.problems() } : {}), ...options.server });
  return {
    url: server.url,
    dir,
    server,
    queue,
    delivery,
    fake,
    logs,
    async close() {
      await server.close();
      await delivery?.stop(5_000);
      await queue.close();
      await fake?.close();
    },
  };
}

/** Waits until `cond()` holds, polling; fails after `ms` (generous: a condition, not a timing assertion). */
export async function until(cond: () => boolean | Promise<boolean>, ms = 60_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), headers: res.headers };
}

/** The entity bodies a dry run of `events` produces (what the fake Track API must receive), as sorted JSON. */
export function expectedBodies(events: readonly unknown[]): string[] {
  const d = createDestination({ settings: { siteId: SITE_ID, apiKey: API_KEY } });
  const out: string[] = [];
  for (const e of events) for (const r of d.process(e).requests) out.push(JSON.stringify(r.body));
  return out.sort();
}
