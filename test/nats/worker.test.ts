// `cio-actions worker` processes against a real nats-server and the fake Track API: delivery of
// what was appended, per-person order across workers, /health /ready /metrics, SIGTERM exits 0
// with everything settled acknowledged, an unreachable NATS is exit 1 with one clear line.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { JetStreamQueue } from '../../src/queue/jetstream.js';
import { startFakeTrackServer, type FakeTrackServer } from '../fake-server/server.js';
import { cli, tempDir } from '../cli/helpers.js';
import { freePort, startNatsServer, type NatsServer } from './nats-server.js';
import { startCli, until, type Proc } from './procs.js';

let nats: NatsServer;
let api: FakeTrackServer;
beforeAll(async () => {
  nats = await startNatsServer();
  api = await startFakeTrackServer({ siteId: 'site', apiKey: 'key' });
});
afterAll(async () => {
  await api?.close();
  await nats?.stop();
});

export function writeConfig(dir: string, queue: Record<string, unknown>): string {
  const file = path.join(dir, 'destination.json');
  writeFileSync(file, JSON.stringify({ settings: { siteId: 'site', apiKey: 'key' }, delivery: { flushIntervalMs: 20, retry: { baseDelayMs: 10, maxDelayMs: 50 } }, queue }));
  return file;
}

/** Per person (identifiers.id), the `attributes.seq` of what the fake API accepted, in arrival order. */
export function orderByPerson(server: FakeTrackServer): Map<string, number[]> {
  const by = new Map<string, number[]>();
  for (const a of server.accepted) {
    const e = a.entity as { identifiers?: { id?: string }; attributes?: { seq?: number } };
    const id = e.identifiers?.id;
    if (id === undefined || typeof e.attributes?.seq !== 'number') continue;
    by.set(id, [...(by.get(id) ?? []), e.attributes.seq]);
  }
  return by;
}

describe('cio-actions worker', () => {
  it('two workers deliver every appended event once, in order per person; SIGTERM exits 0 and leaves nothing unacknowledged', async () => {
    const dir = tempDir();
    const queue = { stream: 'w1', deadLetterStream: 'w1-dl', partitions: 6, leaseMs: 3_000, ackWaitMs: 5_000 };
    const config = writeConfig(dir, queue);
    const args = (i: number) => ['worker', '--queue', nats.url, '--config', config, '--endpoint', api.url, '--port', '0', '--data-dir', path.join(dir, `w${i}`)];
    const workers: Proc[] = await Promise.all([0, 1].map((i) => startCli(`worker${i}`, args(i))));
    const health = await fetch(`${workers[0]!.url}/health`);
    expect(health.status).toBe(200);
    await until(async () => (await fetch(`${workers[1]!.url}/ready`)).status === 200, 'worker ready');

    const producer = await JetStreamQueue.open({ url: nats.url, ...queue });
    const N = 2_000;
    const events = Array.from({ length: N }, (_, i) => ({ type: 'track', event: 'E', userId: `p${i % 50}`, messageId: `w1-${i}`, properties: { seq: i }, receivedAt: new Date().toISOString() }));
    const before = api.accepted.length;
    for (let i = 0; i < N; i += 100) await producer.append(events.slice(i, i + 100));
    await until(() => api.accepted.length - before >= N, `${N} events at the fake API (got ${api.accepted.length - before}); ${workers.map((w) => w.stderr()).join('\n')}`);
    const ids = api.accepted.slice(before).map((a) => (a.entity as { id: string }).id);
    expect(new Set(ids).size).toBe(N);
    for (const [person, seqs] of orderByPerson(api)) expect(seqs, `${person}\n${workers.map((w) => w.stderr()).join("\n")}`).toEqual([...seqs].sort((a, b) => a - b));

    const metrics = await (await fetch(`${workers[0]!.url}/metrics`)).text();
    expect(metrics).toMatch(/cio_delivered_events_total \d+/);
    expect(metrics).toMatch(/cio_jetstream_ack_seconds_count \d+/);
    expect(metrics).toMatch(/cio_jetstream_consumer_pending\{consumer="p0"\} \d+/);

    for (const w of workers) w.kill('SIGTERM');
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);
    await until(() => producer.stats().depth === 0, 'stream drained (workqueue retention)', 30_000);
    await producer.close();
  });

  it('an unreachable NATS: exit 1 and one clear line, no fallback', async () => {
    const dir = tempDir();
    const port = await freePort();
    const r = await cli(['worker', '--queue', `nats://127.0.0.1:${port}`, '--config', writeConfig(dir, {}), '--port', '0', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`cio-actions worker: cannot connect to NATS at nats://127.0.0.1:${port}`));
    expect(r.stdout).toBe('');
  });
});
