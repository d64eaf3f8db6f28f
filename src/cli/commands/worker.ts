// `cio-actions worker --queue nats://…`: delivery from NATS JetStream. Owns some person partitions
// (leases), runs them through the destination's delivery, acknowledges settled events, serves
// /health, /ready and /metrics, and on SIGTERM finishes what it holds and exits 0.

import { appendFile, mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { UsageError, type CommandSpec } from '../args.js';
import { loadConfig } from '../config.js';
import type { CommandRun } from '../io.js';
import { createRedactor } from '../../settings/redact.js';
import { startOpsServer } from '../ops-server.js';
import { jetStreamOptions, QUEUE_FLAGS } from '../queue-options.js';
import { buildDestination } from './run.js';
import { deadLetterLine, type DeadLetter } from '../../runtime/dead-letter.js';
import type { DeliverOptions } from '../../runtime/options.js';
import { JetStreamQueue } from '../../queue/jetstream.js';
import { QueueUnavailableError } from '../../queue/types.js';
import { startDelivery } from '../../server/delivery.js';
import { createLogger } from '../../server/log.js';
import { createMetrics } from '../../server/metrics.js';
import { withStopSignals, type StopSignals } from '../stop-signals.js';

export const spec: CommandSpec = {
  name: 'worker',
  summary: 'Deliver events from NATS JetStream: any number of workers, one owner per person partition.',
  usage: '--queue nats://HOST:4222 [--stream cio-events] [--config destination.json] [--endpoint URL] [--port 0] [--host 127.0.0.1] [--data-dir DIR] [--drain-ms 10000]',
  options: {
    ...QUEUE_FLAGS,
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

/** Appends one dead letter and fsyncs (the rare letters the queue itself writes: past maxDeliver, unreadable). */
async function appendDurable(file: string, letter: DeadLetter): Promise<void> {
  await appendFile(file, `${deadLetterLine(letter)}\n`);
  const h = await open(file, 'r+');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

// the signal listeners are in place before anything starts (stop-signals.ts)
export const run: CommandRun = withStopSignals(async (signals: StopSignals, args: Parameters<CommandRun>[0], io: Parameters<CommandRun>[1]) => {
  const o = args.options;
  const port = intOption(o.port, 'port', 8081, 0);
  const drainMs = intOption(o['drain-ms'], 'drain-ms', 10_000, 0);
  const host = typeof o.host === 'string' ? o.host : '127.0.0.1';
  const config = await loadConfig(typeof o.config === 'string' ? o.config : undefined, io.env);
  const queueOptions = jetStreamOptions(config, o, 'worker');
  const secrets = { siteId: config.settings.siteId, apiKey: config.settings.apiKey };
  const redact = createRedactor(secrets);
  const destination = await buildDestination(config, false);
  const dataDir = path.resolve(typeof o['data-dir'] === 'string' ? o['data-dir'] : '.cio-actions');
  await mkdir(dataDir, { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`--data-dir ${dataDir}: cannot create (${e.code ?? e.message})`);
  });
  const deadLetterPath = path.join(dataDir, 'dead-letters.ndjson');
  const logger = createLogger({ secrets });

  let queue: JetStreamQueue;
  try {
    queue = await JetStreamQueue.open(queueOptions, {
      onDeadLetter: (letter) => appendDurable(deadLetterPath, letter),
      onWarning: (message) => logger.warn(message),
      onInfo: (message) => logger.info(message),
    });
  } catch (err) {
    if (!(err instanceof QueueUnavailableError)) throw err;
    io.stderr.write(`cio-actions worker: ${redact(err.message)}\n`);
    return 1;
  }

  const metrics = createMetrics(() => queue.stats());
  queue.registerMetrics(metrics.registry);
  const endpoint = typeof o.endpoint === 'string' ? o.endpoint : (config.delivery.endpoint as string | undefined);
  const delivery = await startDelivery({
    queue,
    destination,
    context: { siteId: config.settings.siteId, apiKey: config.settings.apiKey, region: config.settings.region, ...(endpoint !== undefined ? { endpoint } : {}) },
    deliverOptions: { ...(config.delivery as DeliverOptions), ...(endpoint !== undefined ? { endpoint } : {}) },
    deadLetterPath,
    drainMs,
    logger,
    metrics,
    // dead letters also go to the cio-dead-letters stream before their events are acknowledged
    onDeadLetters: (letters) => queue.publishDeadLetters(letters),
  });
  let stopping = false;
  const ops = await startOpsServer({
    host,
    port,
    ready: () => (stopping ? 'stopping' : delivery.problems()[0]),
    metrics: () => metrics.registry.metrics(),
  });
  logger.info({ url: ops.url, stream: queue.options.stream, partitions: queue.options.partitions, name: queue.options.name }, 'worker listening');
  io.stdout.write(`${JSON.stringify({ listening: ops.url })}\n`);

  const signal = await signals.first;
  stopping = true;
  signals.onSecond(() => {
    logger.warn('second signal: exiting at once; unacknowledged events are redelivered after the ack wait');
    process.exit(130);
  });
  logger.info({ signal, drainMs }, 'stopping: finishing what is in flight');
  await delivery.stop(drainMs);
  // hands back what is unfinished (nak, in order) and releases the partitions: the next owner starts at once
  await queue.close();
  await ops.close();
  logger.info({ ...delivery.counts(), acked: queue.metrics.acked, requeued: queue.metrics.requeued }, 'stopped');
  return 0;
});
