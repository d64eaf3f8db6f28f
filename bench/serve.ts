// `serve` benchmark. Ingestion: accepted events/s for /v1/batch posts of 100 events against the
// bound, a bare node:http server that parses the same bodies and appends them to a file with the
// same flush policy (group commit: one write+fsync for everything that arrived during the last
// one), same load generator (a bounded keep-alive loop), alternating rounds, best of each.
// End to end: events/s from the first post to the last entity accepted by a local sink, against
// the pipeline of `run --send` (deliver over the same events, to the same sink).

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createDestination } from '../src/index.js';
import { openJournal } from '../src/queue/journal.js';
import { startDelivery } from '../src/server/delivery.js';
import { createLogger } from '../src/server/log.js';
import { startServer } from '../src/server/server.js';
import { loadCorpus, type BenchRow } from './harness.js';

import { BENCH_WRITE_KEY as WRITE_KEY } from './serve-child.js';
const AUTH = `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`;
const CONNECTIONS = 16;
const ROUNDS = 5;

const quiet = () => createLogger({ secrets: { others: [WRITE_KEY] }, level: 'error', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** Starts a server of bench/serve-child.ts in its own process; resolves with its URL and a stop function. */
async function child(kind: 'ours' | 'bound', dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const proc = spawn(process.execPath, [fileURLToPath(new URL('./serve-child.js', import.meta.url)), kind, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`bench server ${kind} exited (${code})`)));
  });
  return {
    url: (JSON.parse(line) as { listening: string }).listening,
    close: () =>
      new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      }),
  };
}

/** Posts `bodies` over CONNECTIONS keep-alive connections; events accepted per wall second (and per CPU second of the load generator). */
async function load(url: string, bodies: readonly string[], perBody: number): Promise<{ wall: number; cpu: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const { hostname, port } = new URL(url);
  let next = 0;
  let accepted = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const status = await new Promise<number>((resolve, reject) => {
          const req = request({ host: hostname, port, path: '/v1/batch', method: 'POST', agent, headers: { authorization: AUTH, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('error', reject);
          req.end(body);
        });
        if (status === 200) accepted += perBody;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();
  return { wall: accepted / seconds, cpu: accepted / ((cpu.user + cpu.system) / 1e6) };
}

/** A Track API sink that counts the entities it accepts. */
async function sink(): Promise<{ url: string; count: () => number; reset: () => void; close: () => Promise<void> }> {
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { batch?: unknown[] };
      n += Array.isArray(body.batch) ? body.batch.length : 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const url = await listen(server);
  return { url, count: () => n, reset: () => (n = 0), close: () => closeServer(server) };
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('bench: timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
}

export async function bench(): Promise<BenchRow[]> {
  const corpus = (await loadCorpus()) as Array<Record<string, unknown>>;
  const events = Array.from({ length: 20_000 }, (_, i) => ({ ...corpus[i % corpus.length]!, messageId: `bench-${i}` }));
  const bodies: string[] = [];
  for (let i = 0; i < events.length; i += 100) bodies.push(JSON.stringify({ batch: events.slice(i, i + 100) }));
  const rows: BenchRow[] = [];

  // Ingestion: ours vs the bound, alternating rounds, fresh folders each round.
  const ours = { wall: 0, cpu: 0 };
  const bound = { wall: 0, cpu: 0 };
  const best = (acc: { wall: number; cpu: number }, r: { wall: number; cpu: number }) => {
    acc.wall = Math.max(acc.wall, r.wall);
    acc.cpu = Math.max(acc.cpu, r.cpu);
  };
  for (let round = 0; round < ROUNDS; round++) {
    const dir = mkdtempSync(join(tmpdir(), 'cio-bench-serve-'));
    try {
      const server = await child('ours', dir);
      best(ours, await load(server.url, bodies, 100));
      await server.close();
      const bare = await child('bound', dir);
      best(bound, await load(bare.url, bodies, 100));
      await bare.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const peerName = 'bare node:http + file + same group-commit fsync (bound)';
  const note = `goal ≥ 0.7× the bound; ${events.length} events per round, best of ${ROUNDS}; each server in its own process`;
  rows.push({ name: `serve: accepted events per second, /v1/batch of 100, ${CONNECTIONS} connections`, ours: ours.wall, peer: bound.wall, peerName, unit: 'event', note });

  // End to end: posted → accepted by the sink, vs the run --send pipeline on the same events.
  const destination = createDestination({ settings: { siteId: 's', apiKey: 'k' } });
  const e2eEvents = events.slice(0, 10_000);
  const expected = e2eEvents.reduce((n, e) => n + destination.process(e).requests.length, 0);
  const e2eBodies = bodies.slice(0, e2eEvents.length / 100);
  const target = await sink();
  let serveRate = 0;
  let runRate = 0;
  try {
    for (let round = 0; round < 3; round++) {
      const dir = mkdtempSync(join(tmpdir(), 'cio-bench-e2e-'));
      try {
        target.reset();
        const logger = quiet();
        const queue = await openJournal({ dir: join(dir, 'journal') });
        const context = { siteId: 's', apiKey: 'k', endpoint: target.url };
        const delivery = await startDelivery({ queue, destination, context, deliverOptions: { flushIntervalMs: 50, concurrency: 8 }, deadLetterPath: join(dir, 'dead.ndjson'), logger });
        const server = await startServer({ queue, writeKeys: [WRITE_KEY], logger, port: 0 });
        const t0 = performance.now();
        await load(server.url, e2eBodies, 100);
        await until(() => target.count() >= expected, 300_000);
        serveRate = Math.max(serveRate, (e2eEvents.length * 1000) / (performance.now() - t0));
        await server.close();
        await delivery.stop(5_000);
        await queue.close();
        target.reset();
        const t1 = performance.now();
        await destination.deliver(e2eEvents, { endpoint: target.url, flushIntervalMs: 50, concurrency: 8 });
        await until(() => target.count() >= expected, 300_000);
        runRate = Math.max(runRate, (e2eEvents.length * 1000) / (performance.now() - t1));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await target.close();
  }
  rows.push({ name: `serve end to end: posted → accepted by the Track API sink, ${e2eEvents.length} events`, ours: serveRate, peer: runRate, peerName: 'run --send pipeline (deliver) on the same events', unit: 'event', note: `${expected} entities; best of 3` });
  return rows;
}
