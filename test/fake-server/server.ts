// A fake Customer.io Track API on node:http (127.0.0.1, port 0) for delivery tests: checks Basic
// auth and body shapes, records accepted entities, and injects faults on a seeded schedule.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { validateEntity, validateMetrics } from '../../src/actions/schemas.js';
import { seededRandom } from '../../src/runtime/clock.js';

/** A fault the server can inject into one request. */
export type Fault =
  | 'none'
  | '500'
  | '503'
  | '429' // with Retry-After
  | '401'
  | 'drop-before' // socket destroyed before anything is recorded
  | 'drop-after' // entities recorded, then the socket is destroyed: the client cannot know
  | 'slow' // entities recorded, response delayed beyond the client timeout
  | 'partial'; // 207: one random item rejected

export interface FakeServerOptions {
  siteId: string;
  apiKey: string;
  seed?: number;
  /** Probability per request of each fault (the rest: none). */
  rates?: Partial<Record<Exclude<Fault, 'none'>, number>>;
  /** Faults for the first requests, in arrival order (then `rates` apply). */
  script?: Fault[];
  /** `Retry-After` value sent with 429 (default "1"). */
  retryAfter?: string;
  /** Delay of a `slow` response (default 500 ms). */
  slowMs?: number;
  /**
   * Validate bodies with the project's Track API JSON Schemas (src/actions/schemas.ts) for this profile:
   * an invalid item is a 207 error in a batch and a 400 alone. Without it, a light structural check.
   */
  validate?: 'strict' | 'segment';
  /** Keep accepted entities in `accepted` (default true); off for memory measurements, where only `acceptedCount` grows. */
  record?: boolean;
}

/** One request as the server saw it. */
export interface RecordedRequest {
  n: number;
  method: string;
  path: string;
  fault: Fault;
  status: number | 'dropped';
  /** The response was held back (`slow`): the client has likely timed out before it came. */
  delayed: boolean;
  authorized: boolean;
  headers: { userAgent?: string; contentType?: string; retryCount?: string };
  bytes: number;
  /** Entities in the body (1 for /entity and /metrics, the batch length for /batch). */
  items: number;
}

export interface AcceptedEntity {
  path: string;
  entity: unknown;
  request: number;
}

export interface FakeTrackServer {
  url: string;
  requests: RecordedRequest[];
  accepted: AcceptedEntity[];
  /** Entities accepted so far (counted even when `record` is off). */
  readonly acceptedCount: number;
  /** TCP connections opened so far (keep-alive reuses them). */
  readonly connections: number;
  /** Replaces the fault schedule (e.g. to stop injecting). */
  setRates(rates: FakeServerOptions['rates']): void;
  close(): Promise<void>;
}

/** Attribute that makes the whole request invalid (400), like a value the API rejects as malformed. */
export const POISON = '__poison';
/** Attribute that makes only its item fail (207 in a batch, 400 alone). */
export const REJECT = '__reject';

const MAX_REQUEST = 500 * 1024;
const MAX_ITEM = 32 * 1024;

function rec(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function attr(entity: unknown, key: string): boolean {
  return rec(entity) && rec(entity.attributes) && Object.hasOwn(entity.attributes, key);
}

/** Entities in a request body, counted before any fault (0 when unreadable). */
function countItems(path: string, raw: Buffer): number {
  if (path !== '/api/v2/batch') return raw.byteLength > 0 || path.startsWith('/api/v1/customers/') ? 1 : 0;
  try {
    const b = JSON.parse(raw.toString('utf8')) as unknown;
    return rec(b) && Array.isArray(b.batch) ? b.batch.length : 0;
  } catch {
    return 0;
  }
}

/** A light structural check of a v2 entity: what the real API would answer 400 for. */
function entityProblem(e: unknown): string | undefined {
  if (!rec(e)) return 'entity must be an object';
  if (!['person', 'object', 'delivery'].includes(e.type as string)) return 'type must be person, object or delivery';
  if (typeof e.action !== 'string' || e.action === '') return 'action is required';
  if (e.action === 'merge') return rec(e.primary) && rec(e.secondary) ? undefined : 'merge needs primary and secondary';
  if (!rec(e.identifiers)) return 'identifiers are required';
  return undefined;
}

export async function startFakeTrackServer(opts: FakeServerOptions): Promise<FakeTrackServer> {
  const expected = `Basic ${Buffer.from(`${opts.siteId}:${opts.apiKey}`).toString('base64')}`;
  const random = seededRandom(opts.seed ?? 1);
  let rates = opts.rates ?? {};
  const script = [...(opts.script ?? [])];
  const requests: RecordedRequest[] = [];
  const accepted: AcceptedEntity[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const sockets = new Set<Socket>();
  const record = opts.record ?? true;
  let acceptedCount = 0;
  function keep(a: AcceptedEntity): void {
    acceptedCount++;
    if (record) accepted.push(a);
  }

  function pickFault(): Fault {
    const s = script.shift();
    if (s !== undefined) return s;
    let r = random();
    for (const [fault, p] of Object.entries(rates) as Array<[Fault, number]>) {
      if (r < p) return fault;
      r -= p;
    }
    return 'none';
  }

  function send(res: ServerResponse, rr: RecordedRequest, status: number, body: unknown, headers: Record<string, string> = {}): void {
    rr.status = status;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  }

  function drop(req: IncomingMessage, rr: RecordedRequest): void {
    rr.status = 'dropped';
    req.socket.destroy();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const path = (req.url ?? '/').split('?')[0]!;
    const rr: RecordedRequest = {
      n: requests.length,
      method: req.method ?? '',
      path,
      fault: 'none',
      status: 0,
      delayed: false,
      authorized: req.headers.authorization === expected,
      headers: {
        userAgent: req.headers['user-agent'],
        contentType: req.headers['content-type'],
        retryCount: req.headers['x-retry-count'] as string | undefined,
      },
      bytes: raw.byteLength,
      items: 0,
    };
    requests.push(rr);
    rr.items = countItems(path, raw);
    if (!rr.authorized) return send(res, rr, 401, undefined);
    const fault = (rr.fault = pickFault());
    if (fault === '401') return send(res, rr, 401, undefined);
    if (fault === '500' || fault === '503') return send(res, rr, Number(fault), { errors: [{ message: 'server fault' }] });
    if (fault === '429') return send(res, rr, 429, { errors: [{ message: 'slow down' }] }, { 'retry-after': opts.retryAfter ?? '1' });
    if (fault === 'drop-before') return drop(req, rr);

    const route = `${req.method} ${path}`;
    if (req.method === 'DELETE' && path.startsWith('/api/v1/customers/')) {
      keep({ path, entity: null, request: rr.n });
      return finish();
    }
    if (raw.byteLength >= MAX_REQUEST) return send(res, rr, 413, { errors: [{ message: 'request too large' }] });
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return send(res, rr, 400, { errors: [{ reason: 'invalid', message: 'body is not JSON' }] });
    }
    if (rr.headers.contentType !== 'application/json') return send(res, rr, 400, { errors: [{ message: 'content-type must be application/json' }] });

    let entities: unknown[];
    if (route === 'POST /api/v2/entity') entities = [body];
    else if (route === 'POST /api/v2/batch') {
      if (!rec(body) || !Array.isArray(body.batch) || body.batch.length === 0) {
        return send(res, rr, 400, { errors: [{ reason: 'invalid', field: 'batch', message: 'batch must be a non-empty array' }] });
      }
      entities = body.batch;
    } else if (route === 'POST /api/v1/metrics') {
      if (!rec(body) || typeof body.delivery_id !== 'string' || typeof body.metric !== 'string') {
        return send(res, rr, 400, { meta: { errors: ['delivery_id and metric are required'] } });
      }
      entities = [body];
    } else return send(res, rr, 404, { errors: [{ message: `no route ${route}` }] });

    const isV2 = path.startsWith('/api/v2/');
    const itemErrors: Array<{ batch_index: number; reason: string; field?: string; message: string }> = [];
    for (let i = 0; i < entities.length; i++) {
      const e = entities[i];
      const problem = isV2 ? entityProblem(e) : undefined;
      if (problem !== undefined || attr(e, POISON)) {
        // The whole request is malformed: nothing is recorded.
        return send(res, rr, 400, { errors: [{ reason: 'invalid', field: attr(e, POISON) ? `attributes.${POISON}` : 'entity', message: problem ?? 'poisoned value' }] });
      }
      const schemaErrors = opts.validate === undefined ? [] : isV2 ? validateEntity(opts.validate, e) : validateMetrics(e);
      if (schemaErrors.length > 0) {
        const first = schemaErrors[0]!;
        itemErrors.push({ batch_index: i, reason: 'invalid', ...(first.field !== undefined ? { field: first.field } : {}), message: first.message });
      } else if (attr(e, REJECT)) itemErrors.push({ batch_index: i, reason: 'invalid', field: `attributes.${REJECT}`, message: 'rejected value' });
      else if (Buffer.byteLength(JSON.stringify(e)) > MAX_ITEM) itemErrors.push({ batch_index: i, reason: 'invalid', message: 'entity too large' });
    }
    if (fault === 'partial' && entities.length > 1) {
      const i = Math.floor(random() * entities.length);
      if (!itemErrors.some((x) => x.batch_index === i)) itemErrors.push({ batch_index: i, reason: 'invalid', message: 'injected item failure' });
    }
    if (route === 'POST /api/v1/metrics' && itemErrors.length > 0) return send(res, rr, 400, { meta: { errors: itemErrors.map((x) => x.message) } });
    if (route === 'POST /api/v2/entity' && itemErrors.length > 0) {
      return send(res, rr, 400, { errors: itemErrors.map(({ batch_index: _i, ...rest }) => rest) });
    }
    const bad = new Set(itemErrors.map((x) => x.batch_index));
    entities.forEach((e, i) => {
      if (!bad.has(i)) keep({ path, entity: e, request: rr.n });
    });
    if (itemErrors.length > 0) return send(res, rr, 207, { errors: itemErrors });
    return finish();

    function finish(): void {
      if (fault === 'drop-after') return drop(req, rr);
      if (fault === 'slow') {
        rr.delayed = true;
        const t = setTimeout(() => {
          timers.delete(t);
          if (!res.destroyed) send(res, rr, 200, {});
        }, opts.slowMs ?? 500);
        timers.add(t);
        return;
      }
      send(res, rr, 200, {});
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  let connections = 0;
  server.on('connection', (s) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    accepted,
    get acceptedCount() {
      return acceptedCount;
    },
    get connections() {
      return connections;
    },
    setRates(r) {
      rates = r ?? {};
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
