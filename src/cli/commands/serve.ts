// `cio-actions serve`: wires the configuration, the queue (local journal or a registered backend),
// the ingestion server and the delivery loop, prints `{"listening": URL}` and drains on SIGTERM/SIGINT.
// Everything it wires lives in src/queue/ and src/server/.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { UsageError, type CommandSpec } from '../args.js';
import { ConfigError, loadConfig } from '../config.js';
import { styles, type CommandRun } from '../io.js';
import { buildDestination } from './run.js';
import { createRedactor } from '../../settings/redact.js';
import { createQueue, QueueUnavailableError, type EventQueue, type QueueSpec } from '../../queue/index.js';
import { jetStreamOptions } from '../queue-options.js';
import type { DeliverOptions } from '../../runtime/options.js';
import { startDelivery } from '../../server/delivery.js';
import { createLogger } from '../../server/log.js';
import { createMetrics } from '../../server/metrics.js';
import { startServer } from '../../server/server.js';
import { withStopSignals, type StopSignals } from '../stop-signals.js';

export const spec: CommandSpec = {
  name: 'serve',
  summary: 'Run a Segment-compatible ingestion server that delivers to Customer.io (durable journal, continuous delivery).',
  usage: '[--config destination.json] [--port 8080] [--host 127.0.0.1] [--data-dir DIR] [--endpoint URL] [--drain-ms 10000] [--queue nats://HOST:4222 [--stream cio-events]]',
  options: {
    config: { type: 'string', short: 'c', value: 'FILE', description: 'destination configuration (the same file as `run`; `server` holds writeKeys)' },
    port: { type: 'string', short: 'p', value: 'PORT', description: 'TCP port (default 8080; 0 picks a free one)' },
    host: { type: 'string', value: 'HOST', description: 'address to listen on (default 127.0.0.1)' },
    'data-dir': { type: 'string', value: 'DIR', description: 'journal and dead letters (default ./.cio-actions)' },
    endpoint: { type: 'string', value: 'URL', description: 'base URL instead of the region host' },
    'drain-ms': { type: 'string', value: 'MS', description: 'on SIGTERM/SIGINT, time to deliver what is in flight (default 10000)' },
    queue: { type: 'string', value: 'URL', description: 'queue backend: nats://HOST:PORT for NATS JetStream (or queue.url in the configuration); default: the local journal under --data-dir' },
    stream: { type: 'string', value: 'NAME', description: 'with a nats:// queue: the events stream (default cio-events, or queue.stream)' },
  },
  positionals: { min: 0, max: 0, name: 'nothing' },
  details: `Posts follow Segment's HTTP Tracking API: POST /v1/identify, /v1/track, /v1/page, /v1/screen,
/v1/group, /v1/alias, /v1/batch and analytics.js's /v1/i, /v1/t, /v1/p, /v1/s, /v1/g, /v1/a, /v1/b.
The write key is the Basic-auth user name or \`writeKey\` in the body; keys come from server.writeKeys
in the configuration or CIO_ACTIONS_WRITE_KEYS (comma-separated). An event answered 200 is on disk.
GET /health, /ready, /metrics (Prometheus). Logs: JSON lines on stderr. Dead letters:
DIR/dead-letters.ndjson (send them again with \`run DIR/dead-letters.ndjson --send --replay\`).
On SIGTERM/SIGINT: stop accepting, finish open requests, deliver within --drain-ms, exit 0; the
rest stays in the journal for the next start.
With --queue nats://HOST:4222 the server only ingests: an event is answered 200 once JetStream
acknowledged its publish (Nats-Msg-Id = messageId, so client retries inside the duplicate window
are dropped); \`cio-actions worker\` processes deliver (docs/scaling.md). An unreachable NATS is
exit 1, never a fallback to the journal.`,
};

function integer(value: unknown, flag: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`--${flag} must be an integer between ${min} and ${max}, not ${JSON.stringify(value)}`);
  return n;
}

/** createQueue, with its failures as one clear line (exit 2): a bad URL, an unknown scheme, an unreachable backend, an unwritable data dir. */
async function openQueue(spec: QueueSpec): Promise<EventQueue> {
  try {
    return await createQueue(spec);
  } catch (e) {
    if (e instanceof QueueUnavailableError) throw e; // a service that is down is not a usage mistake: exit 1 (run)
    const message = e instanceof Error ? e.message : String(e);
    if (spec.url !== undefined) throw new UsageError(message.startsWith('--queue') ? message : `--queue ${spec.url}: ${message}`);
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`--data-dir ${spec.dataDir}: cannot open the journal (${code ?? message})`);
  }
}

// the signal listeners are in place before anything starts (stop-signals.ts)
export const run: CommandRun = withStopSignals(async (signals: StopSignals, args: Parameters<CommandRun>[0], io: Parameters<CommandRun>[1]) => {
  const o = args.options;
  const { err } = styles(io);
  const port = integer(o.port, 'port', 0, 65_535, 8080);
  const config = await loadConfig(typeof o.config === 'string' ? o.config : undefined, io.env);
  const server = config.server;
  const drainMs = integer(o['drain-ms'], 'drain-ms', 0, 3_600_000, (server.drainMs as number | undefined) ?? 10_000);
  const fromEnv = (io.env.CIO_ACTIONS_WRITE_KEYS ?? '').split(',').map((k) => k.trim()).filter((k) => k !== '');
  const writeKeys = fromEnv.length > 0 ? fromEnv : ((server.writeKeys as string[] | undefined) ?? []);
  if (writeKeys.length === 0) throw new ConfigError([`${config.source}: $.server.writeKeys: missing; list the Segment write keys to accept, or set CIO_ACTIONS_WRITE_KEYS`]);
  const secrets = { siteId: config.settings.siteId, apiKey: config.settings.apiKey, others: writeKeys };
  const redact = createRedactor(secrets);
  const queueUrl = typeof o.queue === 'string' ? o.queue : typeof config.queue.url === 'string' ? config.queue.url : undefined;
  try {
    const destination = await buildDestination(config, err.color);
    const dataDir = path.resolve(typeof o['data-dir'] === 'string' ? o['data-dir'] : '.cio-actions');
    await mkdir(dataDir, { recursive: true }).catch((e: NodeJS.ErrnoException) => {
      throw new UsageError(`--data-dir ${dataDir}: cannot create (${e.code ?? e.message})`);
    });
    const logger = createLogger({ secrets });
    const onNats = queueUrl !== undefined && /^(nats|tls):\/\//i.test(queueUrl.trim());
    if (o.stream !== undefined && !onNats) throw new UsageError('--stream only applies with --queue nats://…');
    // a distributed queue (JetStream): this process only ingests; `cio-actions worker` delivers
    const ingestOnly = onNats;
    let queue: EventQueue;
    try {
      queue = await openQueue({
      ...(queueUrl !== undefined ? { url: queueUrl } : {}),
      ...(onNats ? { options: jetStreamOptions(config, o, 'serve') as unknown as Record<string, unknown> } : {}),
      dataDir,
      journal: {
        ...(server.dedupeWindowMs !== undefined ? { dedupeWindowMs: server.dedupeWindowMs as number } : {}),
        ...(server.maxQueueEvents !== undefined ? { maxEvents: server.maxQueueEvents as number } : {}),
        ...(server.maxQueueBytes !== undefined ? { maxBytes: server.maxQueueBytes as number } : {}),
      },
    });
    } catch (e) {
      if (!(e instanceof QueueUnavailableError)) throw e;
      io.stderr.write(`cio-actions serve: ${redact(e.message)}\n`);
      return 1;
    }
    const metrics = createMetrics(() => queue.stats());
    queue.registerMetrics?.(metrics.registry);
    const endpoint = typeof o.endpoint === 'string' ? o.endpoint : (config.delivery.endpoint as string | undefined);
    const delivery = ingestOnly ? undefined : await startDelivery({
      queue,
      destination,
      context: { siteId: config.settings.siteId, apiKey: config.settings.apiKey, region: config.settings.region, ...(endpoint !== undefined ? { endpoint } : {}) },
      deliverOptions: { ...(config.delivery as DeliverOptions), ...(endpoint !== undefined ? { endpoint } : {}) },
      deadLetterPath: path.join(dataDir, 'dead-letters.ndjson'),
      drainMs,
      logger,
      metrics,
    });
    const running = await startServer({
      queue,
      writeKeys,
      logger,
      metrics,
      host: typeof o.host === 'string' ? o.host : '127.0.0.1',
      port,
      ...(server.requestTimeoutMs !== undefined ? { requestTimeoutMs: server.requestTimeoutMs as number } : {}),
      notReady: () => delivery?.problems() ?? [queue.notReady?.()].filter((r): r is string => r !== undefined),
    });
    logger.info({ url: running.url, dataDir, queue: queueUrl === undefined ? 'journal' : queueUrl.replace(/\/\/[^@/]*@/g, '//***@'), delivery: ingestOnly ? 'workers' : 'this process', drainMs }, 'listening');
    io.stdout.write(`${JSON.stringify({ listening: running.url })}\n`);

    const signal = await signals.first;
    signals.onSecond(() => {
      logger.warn('second signal: exiting at once; unfinished events stay in the journal');
      process.exit(130);
    });
    logger.info({ signal, drainMs }, 'stopping: no new requests, delivering what is in flight');
    await running.close();
    await delivery?.stop(drainMs);
    const left = queue.stats();
    await queue.close();
    logger.info({ ...delivery?.counts(), queued: left.depth }, 'stopped');
    return 0;
  } catch (e) {
    if (e instanceof Error) e.message = redact(e.message);
    throw e;
  }
});
