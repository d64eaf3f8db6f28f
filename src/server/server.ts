// The ingestion server: Segment's HTTP Tracking API on fastify (body limits, parsers, graceful
// close), in front of any EventQueue. An event is answered 200 only once `queue.append` resolved,
// i.e. once it is durable. Also /health, /ready, /metrics. The CLI's `serve` wires it; the JetStream
// backend plugs in another queue without touching this file.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGunzip } from 'node:zlib';
import Fastify, { LogController, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { QueueFullError, type AcceptedEvent, type EventQueue } from '../queue/types.js';
import { createMetrics, type ServerMetrics } from './metrics.js';
import { LIMITS, ROUTES, WriteKeys, checkEvent, parseBody, writeKeyOf, type EventType, type Rejection } from './tracking-api.js';

export interface ServerOptions {
  queue: EventQueue;
  /** Accepted write keys (at least one, unless `ingest` is false). */
  writeKeys: readonly string[];
  /** false: only /health, /ready and /metrics (a delivery worker's port). Default true. */
  ingest?: boolean;
  logger: Logger;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Created from the queue's stats when absent; pass one to share it with the delivery loop. */
  metrics?: ServerMetrics;
  limits?: Partial<typeof LIMITS>;
  /** A request (headers and body) must arrive within this long (default 30 000 ms; a byte-a-second client is cut off). */
  requestTimeoutMs?: number;
  /** Idle keep-alive connections are closed after this long (default 65 000 ms). */
  keepAliveTimeoutMs?: number;
  /** Extra readiness checks (e.g. delivery: Customer.io refusing our key); reasons why not ready. */
  notReady?: () => string[];
}

export interface RunningServer {
  url: string;
  port: number;
  metrics: ServerMetrics;
  /** The node:http server (connection counts, tests). */
  http: Server;
  /** Stops accepting, lets open requests finish (their appends too), closes idle connections. */
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

const reject = (status: number, r: Pick<Rejection, 'error'> & { code: string }): Answer => ({ status, body: { success: false, code: r.code, error: r.error } });

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const keys = new WriteKeys(options.writeKeys);
  const ingesting = options.ingest ?? true;
  if (ingesting && keys.size === 0) throw new Error('serve needs at least one write key (server.writeKeys in the configuration, or CIO_ACTIONS_WRITE_KEYS)');
  const limits = { ...LIMITS, ...options.limits };
  const queue = options.queue;
  const log = options.logger;
  const stats = () => queue.stats();
  const metrics = options.metrics ?? createMetrics(stats);
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  let draining = false;

  const app = Fastify({
    loggerInstance: log,
    // one line per request would cost more than the request; errors are logged by the handlers
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: limits.requestBytes,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    serverFactory: (handler: (req: IncomingMessage, res: ServerResponse) => void): Server =>
      createServer(
        {
          requestTimeout,
          headersTimeout: Math.min(requestTimeout, 60_000),
          keepAliveTimeout: options.keepAliveTimeoutMs ?? 65_000,
          connectionsCheckingInterval: Math.max(100, Math.min(1_000, requestTimeout / 2)),
        },
        handler,
      ),
  });

  // Bodies: any content type (analytics.js posts text/plain to avoid a CORS preflight), parsed here
  // so malformed JSON gets our answer; gzip inflated on the way, the limit applies to the inflated size.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addHook('preParsing', async (req, _reply, payload) => {
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
    if (encoding === 'identity' || encoding === '') return payload;
    if (encoding !== 'gzip' && encoding !== 'x-gzip') throw Object.assign(new Error(`unsupported Content-Encoding "${encoding.slice(0, 40)}": send gzip or no encoding`), { statusCode: 415, code: 'unsupported_encoding' });
    const gunzip = createGunzip();
    let encoded = 0;
    payload.on('data', (chunk: Buffer) => {
      encoded += chunk.length;
      (gunzip as unknown as { receivedEncodedLength: number }).receivedEncodedLength = encoded;
    });
    payload.on('error', (err) => gunzip.destroy(err));
    return payload.pipe(gunzip);
  });

  // CORS for browsers: any origin may post (the write key is what authorizes).
  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin;
    reply.header('Access-Control-Allow-Origin', origin ?? '*');
    if (origin !== undefined) {
      reply.header('Vary', 'Origin');
      reply.header('Access-Control-Allow-Credentials', 'true');
    }
  });
  app.options('/*', async (_req, reply) => {
    reply
      .header('Access-Control-Allow-Methods', 'POST, GET, OPTIONS')
      .header('Access-Control-Allow-Headers', 'Content-Type, Authorization, Content-Encoding')
      .header('Access-Control-Max-Age', '86400')
      .code(204)
      .send();
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    let answer: Answer;
    if (err.statusCode === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') answer = reject(413, { code: 'request_too_large', error: `the request body is over ${limits.requestBytes} bytes (after gzip inflation): send smaller batches` });
    else if (err.code === 'unsupported_encoding') answer = reject(415, { code: 'unsupported_encoding', error: err.message });
    else if (typeof err.code === 'string' && err.code.startsWith('Z_')) answer = reject(400, { code: 'malformed_gzip', error: 'the body is not valid gzip data' });
    else if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) answer = reject(err.statusCode, { code: 'bad_request', error: err.message.slice(0, 200) });
    else {
      req.log.error({ err: { message: err.message, code: err.code } }, 'request failed');
      answer = reject(500, { code: 'internal', error: 'internal error; the events of this request were not acknowledged' });
    }
    metrics.requests.inc({ status: String(answer.status) });
    if (answer.status !== 500) metrics.rejected.inc({ reason: String(answer.body.code) });
    void reply.code(answer.status).send(answer.body);
  });

  async function ingest(req: FastifyRequest, pathType: EventType | null): Promise<Answer> {
    const authorization = req.headers.authorization;
    if (authorization !== undefined && !keys.accepts(writeKeyOf(authorization, undefined))) return unauthorized('the write key in the Authorization header is not one of this server\'s');
    const text = typeof req.body === 'string' ? req.body : '';
    const parsed = parseBody(text === '' ? 'null' : text);
    if (!parsed.ok) return counted(reject(400, parsed.rejection));
    if (authorization === undefined && !keys.accepts(writeKeyOf(undefined, parsed.value))) {
      return unauthorized('missing or wrong write key: send it as the Basic-auth user name, or as `writeKey` in the body');
    }
    const receivedAt = new Date().toISOString();
    if (pathType !== null) {
      metrics.received.inc();
      const checked = checkEvent(parsed.value, pathType, receivedAt, limits.eventBytes);
      if (!checked.ok) return counted(reject(checked.rejection.code === 'event_too_large' ? 413 : 400, checked.rejection));
      return enqueue([checked.event]);
    }
    const body = parsed.value;
    const list = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>).batch : undefined;
    if (!Array.isArray(list)) return counted(reject(400, { code: 'batch_not_a_list', error: 'a batch body is a JSON object with `batch`, a list of events' }));
    metrics.received.inc(list.length);
    const top = body as Record<string, unknown>;
    const events: AcceptedEvent[] = [];
    const rejected: Array<{ index: number; code: string; error: string }> = [];
    for (let i = 0; i < list.length; i++) {
      if (i >= limits.batchEvents) {
        rejected.push({ index: i, code: 'too_many_events', error: `a batch holds at most ${limits.batchEvents} events` });
        continue;
      }
      const checked = checkEvent(inherit(list[i], top), null, receivedAt, limits.eventBytes);
      if (checked.ok) events.push(checked.event);
      else rejected.push({ index: i, ...checked.rejection });
    }
    for (const r of rejected) metrics.rejected.inc({ reason: r.code });
    if (rejected.length > 0) req.log.warn({ rejected: rejected.slice(0, 20).map((r) => ({ index: r.index, code: r.code })), count: rejected.length }, 'batch events rejected');
    const answer = events.length > 0 ? await enqueue(events) : { status: 200, body: { success: true } };
    if (answer.status === 200 && rejected.length > 0) answer.body.rejected = rejected;
    return answer;
  }

  function counted(answer: Answer): Answer {
    metrics.rejected.inc({ reason: String(answer.body.code) });
    return answer;
  }

  function unauthorized(error: string): Answer {
    metrics.rejected.inc({ reason: 'unauthorized' });
    return { status: 401, body: { success: false, code: 'unauthorized', error }, headers: { 'WWW-Authenticate': 'Basic realm="cio-actions"' } };
  }

  async function enqueue(events: AcceptedEvent[]): Promise<Answer> {
    try {
      await queue.append(events);
    } catch (err) {
      if (err instanceof QueueFullError) {
        metrics.rejected.inc({ reason: 'queue_full' }, events.length);
        return { status: 503, body: { success: false, code: 'queue_full', error: err.message }, headers: { 'Retry-After': String(err.retryAfterSeconds) } };
      }
      log.error({ err: { message: (err as Error).message, code: (err as NodeJS.ErrnoException).code } }, 'queue append failed');
      metrics.rejected.inc({ reason: 'queue_unavailable' }, events.length);
      return { status: 503, body: { success: false, code: 'queue_unavailable', error: 'the queue cannot take events right now; nothing of this request was acknowledged' }, headers: { 'Retry-After': '5' } };
    }
    metrics.accepted.inc(events.length);
    return { status: 200, body: { success: true } };
  }

  for (const [path, type] of ingesting ? ROUTES : []) {
    app.post(path, async (req, reply) => {
      const answer = await ingest(req, type);
      metrics.requests.inc({ status: String(answer.status) });
      if (answer.headers) void reply.headers(answer.headers);
      return reply.code(answer.status).send(answer.body);
    });
  }

  app.get('/health', async () => ({ ok: true }));
  app.get('/ready', async (_req, reply) => {
    const reasons: string[] = [];
    if (draining) reasons.push('shutting down');
    const writable = (queue as { writable?: boolean }).writable;
    if (writable === false) reasons.push('the journal is not writable (see the error log)');
    if (options.notReady) reasons.push(...options.notReady());
    return reply.code(reasons.length === 0 ? 200 : 503).send(reasons.length === 0 ? { ready: true } : { ready: false, reasons });
  });
  app.get('/metrics', async (_req, reply) => reply.header('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics()));

  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8080 });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    metrics,
    http: app.server,
    async close() {
      draining = true;
      await app.close();
    },
  };
}

/** A batch's top-level `context`, `integrations` and `sentAt` apply to events that have none. */
function inherit(event: unknown, top: Record<string, unknown>): unknown {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return event;
  const e = event as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const key of ['context', 'integrations', 'sentAt'] as const) {
    if (Object.hasOwn(top, key) && !Object.hasOwn(e, key)) {
      out ??= { ...e };
      out[key] = top[key];
    }
  }
  return out ?? e;
}

