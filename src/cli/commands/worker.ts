// `cio-actions worker --queue nats://…`: delivery from NATS JetStream. Owns some person partitions
// (leases), runs them through the destination's delivery, acknowledges settled events, serves
// /health, /ready and /metrics, and on SIGTERM finishes what it holds and exits 0.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { UsageError, type CommandSpec } from '../args.js';
import { loadConfig } from '../config.js';
import type { CommandRun } from '../io.js';
import { makeRedactor } from '../output.js';
import { jetStreamOptions } from '../queue-options.js';
import { buildDestination } from './run.js';
import { createDeadLetterFile, type DeadLetter, type DeliverOptions } from '../../index.js';
import { JetStreamQueue, QueueUnavailableError } from '../../queue/jetstream.js';
import { deliverFromQueue, newCounters } from '../../queue/delivery.js';
import { startOpsServer } from '../ops-server.js';

export const spec: CommandSpec = {
  name: 'worker',
  summary: 'Deliver events from NATS JetStream: any number of workers, one owner per person partition.',
  usage: '--queue nats://HOST:4222 [--stream cio-events] [--config destination.json] [--endpoint URL] [--port 0] [--host 127.0.0.1] [--data-dir DIR] [--drain-ms 10000]',
  options: {
    queue: { type: 'string', value: 'URL', description: 'NATS server(s), nats://HOST:PORT (or queue.url in the configuration)' },
    stream: { type: 'string', value: 'NAME', description: 'the events stream (default cio-events, or queue.stream)' },
    config: { type: 'string', short: 'c', value: 'FILE', description: 'destination configuration (settings, subscriptions, delivery, queue)' },
    endpoint: { type: 'string', value: 'URL', description: 'base URL instead of the region host (a test server, a proxy)' },
    port: { type: 'string', value: 'PORT', description: 'port of /health, /ready and /metrics (default 8081; 0 picks a free one)' },
    host: { type: 'string', value: 'HOST', description: 'address to listen on (default 127.0.0.1)' },
    'data-dir': { type: 'string', value: 'DIR', description: 'local folder for dead-letters.ndjson (default ./.cio-actions)' },
    'drain-ms': { type: 'string', value: 'MS', description: 'on SIGTERM, time allowed to finish what is in flight (default 10000)' },
  },
  positionals: { min: 0, max: 0, name: 'nothing' },
  details: `Prints one JSON line on stdout when ready: {"listening": "http://127.0.0.1:PORT"}; logs are JSON lines on stderr.
An event is acknowledged to JetStream only when every request of it was accepted, skipped, or
dead-lettered (DIR/dead-letters.ndjson and the cio-dead-letters stream; read them back with
\`cio-actions queue dead-letters > file.ndjson\`, then \`cio-actions run file.ndjson --send --replay\`).
An unreachable NATS is an error (exit 1), never a fallback to the local journal.`,
};

function intOption(value: unknown, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || n < min) throw new UsageError(`--${name} must be an integer of at least ${min}, not \`${String(value)}\``);
  return n;
}

export const run: CommandRun = async (args, io) => {
  const o = args.options;
  const port = intOption(o.port, 'port', 8081, 0);
  const drainMs = intOption(o['drain-ms'], 'drain-ms', 10_000, 0);
  const host = typeof o.host === 'string' ? o.host : '127.0.0.1';
  const config = await loadConfig(typeof o.config === 'string' ? o.config : undefined, io.env);
  const queueOptions = jetStreamOptions(config, o, 'worker');
  const redact = makeRedactor([config.settings.apiKey, config.settings.siteId]);
  const log = (level: string, msg: string, extra: Record<string, unknown> = {}) =>
    io.stderr.write(`${redact(JSON.stringify({ time: new Date().toISOString(), level, msg, ...extra }))}\n`);

  const destination = await buildDestination(config, false);
  const dataDir = path.resolve(typeof o['data-dir'] === 'string' ? o['data-dir'] : '.cio-actions');
  await mkdir(dataDir, { recursive: true });
  const deadLetterPath = typeof config.delivery.deadLetter === 'string' ? config.delivery.deadLetter : path.join(dataDir, 'dead-letters.ndjson');
  const file = createDeadLetterFile(deadLetterPath, { append: true });
  await file.ready().catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`dead-letter file ${deadLetterPath}: cannot open (${e.code ?? e.message})`);
  });

  let queue: JetStreamQueue;
  try {
    queue = await JetStreamQueue.open(queueOptions, {
      onDeadLetter: async (letter) => await file.write(letter),
      onWarning: (message) => log('warn', message),
      onInfo: (message) => log('info', message),
    });
  } catch (err) {
    await file.close();
    if (err instanceof QueueUnavailableError || err instanceof TypeError) {
      io.stderr.write(`cio-actions worker: ${redact(err.message)}\n`);
      return 1;
    }
    throw err;
  }

  const counters = newCounters();
  const stop = new AbortController();
  let stopping = false;
  let authFailed = false;
  const ops = await startOpsServer({
    host,
    port,
    ready: () => (stopping ? 'stopping' : !queue.connected ? 'NATS is not reachable' : authFailed ? 'Customer.io refused the credentials (HTTP 401)' : undefined),
    metrics: () => workerMetrics(counters, queue),
  });
  io.stdout.write(`${JSON.stringify({ listening: ops.url })}\n`);
  log('info', 'worker started', { stream: queue.options.stream, partitions: queue.options.partitions, name: queue.options.name });

  const onSignal = (sig: string) => {
    if (stopping) return;
    stopping = true;
    log('info', `${sig}: finishing what is in flight`, { drainMs });
    stop.abort();
  };
  const onTerm = () => onSignal('SIGTERM');
  const onInt = () => onSignal('SIGINT');
  process.once('SIGTERM', onTerm);
  process.once('SIGINT', onInt);

  const deliverOptions: DeliverOptions = { ...(config.delivery as DeliverOptions) };
  delete (deliverOptions as { deadLetter?: unknown }).deadLetter; // the worker owns the file
  if (typeof o.endpoint === 'string') deliverOptions.endpoint = o.endpoint;
  // additive options of deliver's graceful stop, when this build of deliver has them
  Object.assign(deliverOptions, { stop: stop.signal, drainMs, maxOutageMs: Infinity });
  let code = 0;
  try {
    const { report } = await deliverFromQueue(
      queue,
      destination,
      {
        deliver: deliverOptions,
        stop: stop.signal,
        onDeadLetter: async (letter: DeadLetter) => {
          await file.write(letter);
          await queue.publishDeadLetter(letter);
        },
        onWarning: (message) => log('warn', message),
      },
      counters,
    );
    authFailed = report.authFailed;
    log('info', 'worker stopped', { counters, report: { events: report.events, requests: report.requests, deadLetters: report.deadLetters } });
  } catch (err) {
    log('error', `delivery failed: ${(err as Error).message}`);
    code = 1;
  } finally {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    await queue.close().catch((err: unknown) => log('warn', `closing the queue: ${(err as Error).message}`));
    await file.close().catch(() => undefined);
    await ops.close();
  }
  return code;
};

function workerMetrics(c: ReturnType<typeof newCounters>, queue: JetStreamQueue): string {
  const lines: string[] = [];
  const counter = (name: string, help: string, v: number) => lines.push(`# HELP cio_worker_${name} ${help}`, `# TYPE cio_worker_${name} counter`, `cio_worker_${name} ${v}`);
  counter('events_delivered_total', 'Events whose every request Customer.io accepted.', c.delivered);
  counter('events_skipped_total', 'Events no subscription sent anything for.', c.skipped);
  counter('events_failed_total', 'Events with at least one dead letter.', c.failed);
  counter('events_unsent_total', 'Events handed back unfinished at a stop.', c.unsent);
  counter('possible_duplicates_total', 'Events that may have reached Customer.io twice (ambiguous send, or delivered after a redelivery).', c.possibleDuplicates);
  counter('redelivered_total', 'Events read that had been handed out before.', c.redelivered);
  return `${lines.join('\n')}\n${queue.metrics.render()}`;
}
