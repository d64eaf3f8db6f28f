// Scale-out on NATS JetStream, end to end (posted to `serve` → accepted by a counting Track API):
// events/s with 1, 2 and 4 `worker` processes behind one ingest-only `serve --queue nats://…`,
// against the single-process `serve` with its local journal, same events, same load generator,
// same run; plus each worker's CPU per event. Skipped, saying so, when nats-server is missing.

import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './harness.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.resolve(HERE, '../src/cli/main.js');
const EVENTS = 6_000;
const BATCH = 100;
const CLIENTS = 4;
const WRITE_KEY = 'wk_bench_nats';
const AUTH = `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`;
const TICK = 100; // clock ticks per second of /proc/<pid>/stat (Linux USER_HZ)

function natsServerPath(): string | undefined {
  for (const c of [process.env.NATS_SERVER_PATH, ...(process.env.PATH ?? '').split(':').map((d) => path.join(d, 'nats-server')), '/usr/sbin/nats-server']) {
    if (!c) continue;
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  return undefined;
}

/** A Track API stand-in that accepts everything and counts entities. */
async function counter(): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { batch?: unknown[] };
        n += Array.isArray(body.batch) ? body.batch.length : 1;
      } catch {
        // not counted
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, count: () => n, close: () => new Promise((r) => server.close(() => r())) };
}

interface Child {
  proc: ChildProcess;
  url: string;
}

async function startCli(args: string[]): Promise<Child> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('CUSTOMERIO_')) env[k] = v;
  const proc = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /\{"listening":\s*"([^"]+)"\}/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', (code) => reject(new Error(`cio-actions ${args[0]} exited (${code}): ${err}`)));
  });
  return { proc, url };
}

async function stop(children: Child[]): Promise<void> {
  await Promise.all(
    children.map((c) => {
      if (c.proc.exitCode !== null) return undefined;
      const exited = new Promise<void>((r) => c.proc.once('exit', () => r()));
      c.proc.kill('SIGTERM');
      return exited;
    }),
  );
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK;
}

async function waitFor(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Posts every event (CLIENTS concurrent loops of /v1/batch) and waits until the counter has them all: events/s, wall clock. */
async function endToEnd(serveUrl: string, api: { count: () => number }, tag: string): Promise<number> {
  const base = api.count();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (;;) {
        const from = next;
        next += BATCH;
        if (from >= EVENTS) return;
        const batch = Array.from({ length: Math.min(BATCH, EVENTS - from) }, (_, j) => ({ type: 'track', event: 'Bench', userId: `p${(from + j) % 500}`, messageId: `${tag}-${from + j}`, properties: { i: from + j } }));
        for (let attempt = 0; ; attempt++) {
          const res = await fetch(`${serveUrl}/v1/batch`, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
          await res.text();
          if (res.status === 200) break;
          if (attempt > 50) throw new Error(`bench: post refused (${res.status})`);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }),
  );
  await waitFor(() => api.count() - base >= EVENTS, 120_000, `${EVENTS} events delivered`);
  return (EVENTS * 1000) / (performance.now() - started);
}

export async function bench(): Promise<BenchRow[]> {
  const natsBin = natsServerPath();
  if (natsBin === undefined) {
    console.log('nats bench skipped: nats-server not found (apt-get install -y nats-server, or set NATS_SERVER_PATH)');
    return [];
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'cio-bench-nats-'));
  const api = await counter();
  const port = await new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const nats = spawn(natsBin, ['-js', '-sd', path.join(dir, 'nats'), '-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const natsUrl = `nats://127.0.0.1:${port}`;
  const rows: BenchRow[] = [];
  try {
    await new Promise((r) => setTimeout(r, 500));
    const config = (queue: Record<string, unknown>) => {
      const file = path.join(dir, `config-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(file, JSON.stringify({ settings: { siteId: 'bench', apiKey: 'bench' }, server: { writeKeys: [WRITE_KEY] }, delivery: { flushIntervalMs: 50 }, queue }));
      return file;
    };

    // the peer: one process with the local journal (ingestion and delivery together)
    const journalCfg = config({});
    const single = await startCli(['serve', '--config', journalCfg, '--port', '0', '--data-dir', path.join(dir, 'journal'), '--endpoint', api.url]);
    const cpu0 = cpuSeconds(single.proc.pid!);
    const journalRate = await endToEnd(single.url, api, 'journal');
    const journalCpu = (cpuSeconds(single.proc.pid!) - cpu0) / EVENTS;
    await stop([single]);

    for (const workers of [1, 2, 4]) {
      const stream = `bench${workers}`;
      const cfg = config({ stream, deadLetterStream: `${stream}-dl`, partitions: 16, leaseMs: 1_000, ackWaitMs: 5_000 });
      const serve = await startCli(['serve', '--config', cfg, '--port', '0', '--data-dir', path.join(dir, `s${workers}`), '--queue', natsUrl]);
      const ws = await Promise.all(Array.from({ length: workers }, (_, i) => startCli(['worker', '--config', cfg, '--queue', natsUrl, '--endpoint', api.url, '--port', '0', '--data-dir', path.join(dir, `w${workers}-${i}`)])));
      // measured once every partition has its owner (the assignment settled)
      await waitFor(async () => {
        let owned = 0;
        for (const w of ws) {
          const text = await (await fetch(`${w.url}/metrics`)).text();
          owned += Number(/^cio_jetstream_owned_partitions (\d+)/m.exec(text)?.[1] ?? 0);
        }
        return owned === 16 && ws.length === workers;
      }, 60_000, 'partitions owned');
      const before = ws.map((w) => cpuSeconds(w.proc.pid!));
      const serveBefore = cpuSeconds(serve.proc.pid!);
      const rate = await endToEnd(serve.url, api, stream);
      const perWorker = ws.map((w, i) => (cpuSeconds(w.proc.pid!) - before[i]!) / EVENTS);
      const workerCpu = perWorker.reduce((a, b) => a + b, 0);
      const serveCpu = (cpuSeconds(serve.proc.pid!) - serveBefore) / EVENTS;
      rows.push({
        name: `end to end, serve --queue nats + ${workers} worker${workers === 1 ? '' : 's'}`,
        ours: rate,
        peer: journalRate,
        peerName: 'serve with the journal',
        unit: 'event',
        note: `worker CPU ${(workerCpu * 1e6).toFixed(0)} µs/event (${perWorker.map((c) => (c * 1e6).toFixed(0)).join(' + ')}), serve ${(serveCpu * 1e6).toFixed(0)} µs/event; journal serve ${(journalCpu * 1e6).toFixed(0)} µs/event; ${EVENTS} events, 2 cores shared`,
      });
      await stop([serve, ...ws]);
    }
  } finally {
    nats.kill('SIGTERM');
    await new Promise<void>((r) => (nats.exitCode !== null ? r() : nats.once('exit', () => r())));
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
