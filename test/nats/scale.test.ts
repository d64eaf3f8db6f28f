// The scale-out scenario on a real nats-server (file storage): 2 `serve --queue nats://…` and 3
// `worker` processes, events posted by clients that retry like Segment's SDKs (same batch, same
// messageIds); at seeded moments one worker is SIGKILLed and another started, and the nats-server
// is restarted. Afterwards every acknowledged event is delivered or dead-lettered (lost 0),
// per-person order holds in what the fake Track API received (first arrivals), and bodies received
// twice are counted and bounded by what the workers counted as possible duplicates.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/runtime/clock.js';
import { startFakeTrackServer, type FakeTrackServer } from '../fake-server/server.js';
import { tempDir } from '../cli/helpers.js';
import { startNatsServer, type NatsServer } from './nats-server.js';
import { startCli, until, type Proc } from './procs.js';

const WRITE_KEY = 'wk_nats_scale_0001';
const AUTH = `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`;
// 20,000 as in the issue: about 40 s here on a loaded 2-core machine (most of it the takeover waits)
const TOTAL = 20_000;
const BATCH = 100;
const CLIENTS = 6;
const PEOPLE = 300;

let nats: NatsServer;
let api: FakeTrackServer;
const procs: Proc[] = [];
beforeAll(async () => {
  nats = await startNatsServer();
  api = await startFakeTrackServer({ siteId: 'site', apiKey: 'key' });
});
afterAll(async () => {
  for (const p of procs) p.kill('SIGKILL');
  await api?.close();
  await nats?.stop();
});

function config(dir: string, queue: Record<string, unknown>): string {
  const file = path.join(dir, 'destination.json');
  writeFileSync(
    file,
    JSON.stringify({
      settings: { siteId: 'site', apiKey: 'key' },
      server: { writeKeys: [WRITE_KEY] },
      delivery: { flushIntervalMs: 20, retry: { baseDelayMs: 10, maxDelayMs: 100 } },
      queue: { leaseMs: 8_000, ackWaitMs: 5_000, ...queue },
    }),
  );
  return file;
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = new RegExp(`^${name.replace(/[{}"]/g, (c) => `\\${c}`)} (\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

/** Posts one batch until a 200 (any failure: the same batch again, like the SDKs); true when acknowledged. */
async function postUntilAcked(urls: () => string[], batch: unknown[], turn: number, deadline: number): Promise<boolean> {
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    const list = urls();
    const url = list[(turn + attempt) % list.length]!;
    try {
      const res = await fetch(`${url}/v1/batch`, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
      await res.text();
      if (res.status === 200) return true;
    } catch {
      // connection refused or reset: retry
    }
    await new Promise((r) => setTimeout(r, Math.min(1_000, 50 * 2 ** Math.min(attempt, 5))));
  }
  return false;
}

describe('2 serve + 3 workers on JetStream', () => {
  it(`${TOTAL} events, a worker SIGKILLed and replaced, nats-server restarted: lost 0, per-person order, duplicates counted`, async () => {
    const dir = tempDir();
    const cfg = config(dir, { stream: 'scale', deadLetterStream: 'scale-dl', partitions: 8 });
    const serveArgs = (i: number) => ['serve', '--config', cfg, '--port', '0', '--data-dir', path.join(dir, `serve${i}`), '--queue', nats.url];
    let workerNo = 0;
    const startWorker = async () => {
      const n = workerNo++;
      const w = await startCli(`worker${n}`, ['worker', '--config', cfg, '--queue', nats.url, '--endpoint', api.url, '--port', '0', '--data-dir', path.join(dir, `worker${n}`)]);
      procs.push(w);
      return w;
    };
    const serves = await Promise.all([0, 1].map((i) => startCli(`serve${i}`, serveArgs(i))));
    procs.push(...serves);
    const workers = await Promise.all([0, 1, 2].map(() => startWorker()));

    const random = seededRandom(20_261_203);
    const killAt = Math.floor(TOTAL * (0.2 + 0.2 * random()));
    const restartAt = Math.floor(TOTAL * (0.55 + 0.2 * random()));
    const acked = new Set<number>();
    const events = Array.from({ length: TOTAL }, (_, i) => ({ type: 'track', event: 'Scaled', userId: `person-${i % PEOPLE}`, messageId: `scale-${i}`, properties: { seq: i } }));
    let killed: Proc | undefined;
    const chaosLog: string[] = [];
    let possibleFromKilled = 0;

    const deadline = Date.now() + 150_000;
    // the chaos follows delivery: a worker killed while it delivers, the server restarted while workers deliver
    const chaosDone = (async () => {
      await until(() => api.acceptedCount >= killAt, `${killAt} events delivered before the kill`, 150_000);
      killed = workers[Math.floor(random() * workers.length)]!;
      possibleFromKilled = await metric(killed.url, 'cio_duplicates_total{kind="possible"}').catch(() => 0);
      killed.kill('SIGKILL');
      await killed.exited;
      chaosLog.push(`SIGKILL ${killed.name} at ${acked.size} acknowledged, ${api.acceptedCount} delivered`);
      workers.push(await startWorker());
      await until(() => api.acceptedCount >= restartAt, `${restartAt} events delivered before the restart`, 150_000);
      await nats.restart();
      chaosLog.push(`restart nats-server at ${acked.size} acknowledged, ${api.acceptedCount} delivered`);
    })();
    // each person belongs to one client, which posts its batches one after the other: the posting order per person is defined
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        const mine = events.filter((e) => Number(e.userId.slice(7)) % CLIENTS === c);
        for (let b = 0; b < mine.length; b += BATCH) {
          const batch = mine.slice(b, b + BATCH);
          if (await postUntilAcked(() => serves.map((s) => s.url), batch, b / BATCH + c, deadline)) for (const e of batch) acked.add(e.properties.seq);
        }
      }),
    );
    await chaosDone;
    expect(acked.size, 'every batch acknowledged within the bound').toBe(TOTAL);

    // delivered: the fake API holds the event's body (entity id = messageId); or dead-lettered by some worker
    const deadLettered = () => {
      const ids = new Set<string>();
      for (let n = 0; n < workerNo; n++) {
        const f = path.join(dir, `worker${n}`, 'dead-letters.ndjson');
        if (existsSync(f)) for (const line of readFileSync(f, 'utf8').split('\n').filter(Boolean)) ids.add((JSON.parse(line) as { messageId: string }).messageId);
      }
      return ids;
    };
    const received = () => new Set(api.accepted.map((a) => (a.entity as { id?: string }).id));
    await until(() => {
      const got = received();
      const dead = deadLettered();
      return [...acked].every((i) => got.has(`scale-${i}`) || dead.has(`scale-${i}`));
    }, 'every acknowledged event delivered or dead-lettered', 120_000);

    const live = workers.filter((w) => w !== killed);
    let possible = possibleFromKilled;
    for (const w of live) possible += await metric(w.url, 'cio_duplicates_total{kind="possible"}');
    const dropped = (await Promise.all(serves.map((s) => metric(s.url, 'cio_jetstream_duplicates_dropped_total')))).reduce((a, b) => a + b, 0);

    // per person: the first arrival of each event follows the posting order; later arrivals are duplicates
    const firstSeen = new Map<string, number[]>();
    const seen = new Set<string>();
    let duplicates = 0;
    for (const a of api.accepted) {
      const e = a.entity as { id: string; identifiers: { id: string }; attributes: { seq: number } };
      if (!e.id?.startsWith('scale-')) continue;
      if (seen.has(e.id)) {
        duplicates++;
        continue;
      }
      seen.add(e.id);
      firstSeen.set(e.identifiers.id, [...(firstSeen.get(e.identifiers.id) ?? []), e.attributes.seq]);
    }
    // the processes' logs stay in the temp folder for a failure's post-mortem
    for (const p of procs) writeFileSync(path.join(dir, `${p.name}.log`), p.stderr());
    for (const [person, seqs] of firstSeen) expect(seqs, `${person} (logs in ${dir})`).toEqual([...seqs].sort((x, y) => x - y));
    const lost = [...acked].filter((i) => !seen.has(`scale-${i}`) && !deadLettered().has(`scale-${i}`)).length;
    const figures = { acknowledged: acked.size, delivered: seen.size, deadLettered: deadLettered().size, lost, duplicates, possibleDuplicatesCounted: possible, retriesDroppedByWindow: dropped, chaos: chaosLog };
    console.log(`scale figures: ${JSON.stringify(figures)}`);
    expect(lost).toBe(0);
    expect(chaosLog).toHaveLength(2);
    // only a hand-out after an unacknowledged one (or an ambiguous send) can produce a second copy, and each such delivery is counted
    expect(duplicates).toBeLessThanOrEqual(possible);

    for (const p of [...live, ...serves]) p.kill('SIGTERM');
    expect(await Promise.all([...live, ...serves].map((p) => p.exited))).toEqual([...live, ...serves].map(() => 0));
  });

  it('the same messageId posted twice within the duplicate window is delivered once', async () => {
    const dir = tempDir();
    const cfg = config(dir, { stream: 'dupe', deadLetterStream: 'dupe-dl', partitions: 2 });
    const serve = await startCli('serve-d', ['serve', '--config', cfg, '--port', '0', '--data-dir', path.join(dir, 's'), '--queue', nats.url]);
    const worker = await startCli('worker-d', ['worker', '--config', cfg, '--queue', nats.url, '--endpoint', api.url, '--port', '0', '--data-dir', path.join(dir, 'w')]);
    procs.push(serve, worker);
    const event = { type: 'track', event: 'Once', userId: 'dupe-person', messageId: 'dupe-1', properties: { seq: 1 } };
    const marker = { type: 'track', event: 'Once', userId: 'dupe-person', messageId: 'dupe-2', properties: { seq: 2 } };
    for (const batch of [[event], [event], [marker]]) {
      const res = await fetch(`${serve.url}/v1/batch`, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
      expect(res.status).toBe(200);
    }
    // the marker comes after both posts of the duplicate, from the same person: once it arrived, the duplicate had its chance
    await until(() => api.accepted.some((a) => (a.entity as { id?: string }).id === 'dupe-2'), 'the marker event delivered', 60_000);
    expect(api.accepted.filter((a) => (a.entity as { id?: string }).id === 'dupe-1')).toHaveLength(1);
    expect(await metric(serve.url, 'cio_jetstream_duplicates_dropped_total')).toBe(1);
    for (const p of [serve, worker]) p.kill('SIGTERM');
    expect(await Promise.all([serve.exited, worker.exited])).toEqual([0, 0]);
  });
});
