// Crash test of `cio-actions serve` (a child process): 20,000 events posted by concurrent clients
// that retry like Segment's SDKs (same batch, same messageIds), SIGKILL at three seeded moments
// (delivery runs while clients post, so each kill cuts both), a restart on the same data dir each time. Afterwards
// every event that got a 200 is delivered (the fake Track API has it) or dead-lettered (with a
// reason): lost 0. Bodies received twice are counted and reported, and bounded by the events the
// journals handed out again after a restart (the only way to get one without send faults).

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, expect, it } from 'vitest';
import { seededRandom } from '../../src/runtime/clock.js';
import { startFakeTrackServer, REJECT, type FakeTrackServer } from '../fake-server/server.js';
import { API_KEY, ROOT, SITE_ID, WRITE_KEY, basic, until } from './helpers.js';

const BIN = join(ROOT, 'dist/src/cli/main.js');
const TOTAL = 20_000;
const BATCH = 50;
const CLIENTS = 8;

let fake: FakeTrackServer | undefined;
let child: ChildProcess | undefined;
afterAll(async () => {
  child?.kill('SIGKILL');
  await fake?.close();
});

interface Server {
  proc: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  stderr: string[];
}

async function startServe(config: string, dir: string, endpoint: string): Promise<Server> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('CUSTOMERIO_') && !k.startsWith('CIO_ACTIONS')) env[k] = v;
  const proc = spawn(process.execPath, [BIN, 'serve', '--config', config, '--port', '0', '--data-dir', dir, '--endpoint', endpoint, '--drain-ms', '20000'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child = proc;
  const stderr: string[] = [];
  createInterface({ input: proc.stderr! }).on('line', (l) => stderr.push(l));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once('line', (l) => resolve((JSON.parse(l) as { listening: string }).listening));
    void exited.then((code) => reject(new Error(`serve exited (${code}) before listening:\n${stderr.join('\n')}`)));
  });
  return { proc, url, exited, stderr };
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = new RegExp(`^${name.replace(/[{}"]/g, (c) => `\\${c}`)} (\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

it('SIGKILL at three seeded moments: every acknowledged event is delivered or dead-lettered, lost 0, duplicates counted', async () => {
  fake = await startFakeTrackServer({ siteId: SITE_ID, apiKey: API_KEY, seed: 5 });
  const dir = mkdtempSync(join(tmpdir(), 'cio-crash-'));
  const config = join(dir, 'destination.json');
  writeFileSync(config, JSON.stringify({ settings: { siteId: SITE_ID, apiKey: API_KEY }, server: { writeKeys: [WRITE_KEY] }, delivery: { flushMs: 50, retry: { baseDelayMs: 10, maxDelayMs: 100 } } }));
  const data = join(dir, 'data');
  const random = seededRandom(20_251_203);
  // kill moments, by events acknowledged (delivery runs all along, so each kill also cuts it mid-batch)
  const killAtAcked = [0.1, 0.4, 0.7].map((base) => Math.floor(TOTAL * (base + 0.2 * random())));

  let server = await startServe(config, data, fake.url);
  const acked = new Set<number>();
  let redelivered = 0;
  let possible = 0;
  let restarting: Promise<void> | undefined;
  const kills: string[] = [];

  async function killAndRestart(why: string): Promise<void> {
    redelivered += await metric(server.url, 'cio_queue_redelivered_events').catch(() => 0);
    possible += await metric(server.url, 'cio_duplicates_total{kind="possible"}').catch(() => 0);
    server.proc.kill('SIGKILL');
    await server.exited;
    kills.push(`${why} (acked ${acked.size}, delivered ${fake!.acceptedCount})`);
    server = await startServe(config, data, fake!.url);
  }

  // The clients: each takes the next batch and posts it until it gets a 200 (same body each time).
  let next = 0;
  const clients = Array.from({ length: CLIENTS }, async () => {
    while (next < TOTAL) {
      const first = next;
      next += BATCH;
      const batch = Array.from({ length: Math.min(BATCH, TOTAL - first) }, (_, k) => {
        const i = first + k;
        return { type: 'track', userId: `u${i % 300}`, event: 'Order Completed', messageId: `crash-${i}`, properties: { i, ...(i % 97 === 0 ? { [REJECT]: 1 } : {}) } };
      });
      const body = JSON.stringify({ batch });
      for (let attempt = 0; ; attempt++) {
        if (attempt > 2_000) throw new Error('a client could not post for too long');
        if (restarting) await restarting;
        try {
          const res = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { authorization: basic(), 'content-type': 'application/json' }, body });
          await res.text();
          if (res.status === 200) break;
        } catch {
          // the server was killed under us: retry the same batch
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      for (const e of batch) acked.add(e.properties.i);
      if (killAtAcked.length > 0 && acked.size >= killAtAcked[0]! && !restarting) {
        killAtAcked.shift();
        restarting = killAndRestart('ingesting and delivering').finally(() => (restarting = undefined));
      }
    }
  });
  await Promise.all(clients);
  if (restarting) await restarting;
  expect(acked.size).toBe(TOTAL);


  const deadLetters = () =>
    readFileSync(join(data, 'dead-letters.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { request: { body: { attributes?: { i?: number } } } | null; reason: string });
  const delivered = () => new Set(fake!.accepted.map((a) => (a.entity as { attributes?: { i?: number } }).attributes?.i));
  await until(
    () => {
      const d = delivered();
      const dl = new Set(deadLetters().map((l) => l.request?.body.attributes?.i));
      return [...acked].every((i) => d.has(i) || dl.has(i));
    },
    120_000,
    'every acknowledged event delivered or dead-lettered',
  );
  await until(async () => (await metric(server.url, 'cio_queue_depth')) === 0, 60_000, 'the journal to empty');
  redelivered += await metric(server.url, 'cio_queue_redelivered_events');
  possible += await metric(server.url, 'cio_duplicates_total{kind="possible"}');

  server.proc.kill('SIGTERM');
  expect(await server.exited).toBe(0);

  const d = delivered();
  const letters = deadLetters();
  const dl = new Set(letters.map((l) => l.request?.body.attributes?.i));
  const lost = [...acked].filter((i) => !d.has(i) && !dl.has(i));
  const counts = new Map<number, number>();
  for (const a of fake.accepted) {
    const i = (a.entity as { attributes: { i: number } }).attributes.i;
    counts.set(i, (counts.get(i) ?? 0) + 1);
  }
  const duplicates = [...counts.values()].filter((n) => n > 1).length;
  const figures = { acknowledged: acked.size, delivered: d.size, deadLettered: dl.size, lost: lost.length, duplicates, redeliveredAfterRestart: redelivered, possibleDuplicatesCounted: possible, kills };
  console.log(`serve crash test: ${JSON.stringify(figures)}`);
  expect(lost).toEqual([]);
  expect(kills).toHaveLength(3);
  // every dead letter has a reason, and only the events the fake API rejects are dead letters
  expect(letters.every((l) => typeof l.reason === 'string' && l.reason !== '')).toBe(true);
  expect([...dl].every((i) => i !== undefined && i % 97 === 0)).toBe(true);
  // a body can only arrive twice if its event was handed out again after a kill
  expect(duplicates).toBeLessThanOrEqual(redelivered);
  expect(readFileSync(join(data, 'dead-letters.ndjson'), 'utf8')).not.toContain(WRITE_KEY);
}, 300_000);
