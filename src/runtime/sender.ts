// The HTTP sender: one request → fetch (Node's undici, keep-alive by default) with Basic auth,
// a per-attempt timeout, and the retry loop of retry.ts. It knows nothing about items or batches.

import type { Clock, Random } from './clock.js';
import { backoffDelay, classifyStatus, parseRetryAfter, type RetryPolicy } from './retry.js';

/** A ready-to-send request: absolute URL on the configured base, body already serialized. */
export interface HttpRequest {
  method: string;
  url: string;
  body: string | null;
}

/** What one attempt ended with. */
export type AttemptResult =
  | { kind: 'response'; status: number; headers: Headers; bodyText: string }
  | { kind: 'transport'; error: 'timeout' | 'network' | 'aborted'; message: string };

/** The outcome of a request after retries. */
export interface SendResult {
  final: AttemptResult;
  attempts: number;
  /**
   * True when some attempt ended with a timeout or a dropped connection: the server may have
   * processed that attempt, so a later success can mean the entities were accepted twice.
   */
  ambiguous: boolean;
  /** True when the request still failed on a retryable condition after the attempts or the time budget ran out. */
  exhausted: boolean;
  /** True when the run's signal cut the last attempt off mid-exchange: the API may have received it. */
  interrupted?: boolean;
}

/** Counters the sender feeds (the delivery report). */
export interface SendObserver {
  attempt(statusLabel: string, bytes: number): void;
  retry(): void;
}

export interface SenderConfig {
  authorization: string;
  userAgent: string;
  timeoutMs: number;
  retry: RetryPolicy;
  clock: Clock;
  random: Random;
  fetch: typeof fetch;
  redact: (text: string) => string;
  observer: SendObserver;
  /** Cancels everything (waits and requests) when aborted. */
  signal?: AbortSignal;
  /** The run's breaker: asked before every attempt, told every attempt's outcome. */
  gate?: Gate;
}

/** What the sender needs from a circuit breaker (breaker.ts). */
export interface Gate {
  /** Resolves false when no attempt may be made any more (the run is ending). */
  admit(signal?: AbortSignal): Promise<boolean>;
  /** `ok`: the API answered with anything but a 5xx; `startedAt`: the attempt's start (clock time). */
  record(ok: boolean, startedAt: number, what: string): void;
  /** While open, a request is not given up for running out of attempts: an outage ends the run instead. */
  readonly isOpen: boolean;
}

/** Bodies larger than this are not read in full: only the head is needed for error reasons. */
const MAX_RESPONSE_BYTES = 1 << 20;

/** Sends requests with retries; one instance per delivery run (its fetch reuses connections). */
export class Sender {
  constructor(private readonly cfg: SenderConfig) {}

  /** Sends `req`, retrying per the policy; never throws. */
  async send(req: HttpRequest): Promise<SendResult> {
    const { clock, retry: policy } = this.cfg;
    let start = clock.now();
    let budgetBase = 0; // attempts before the current retry budget (reset by an outage)
    let ambiguous = false;
    let redirectsLeft = 1;
    let target = req;
    const gate = this.cfg.gate;
    const stopped = (attempts: number): SendResult => ({
      final: { kind: 'transport', error: 'aborted', message: 'delivery stopped' },
      attempts,
      ambiguous,
      exhausted: false,
    });
    for (let attempt = 1; ; attempt++) {
      if (gate && !(await gate.admit(this.cfg.signal))) return stopped(attempt - 1);
      const startedAt = clock.now();
      let result = await this.attempt(target, attempt);
      // A region redirect is followed once, only to a Customer.io host or the same origin (§1.3).
      if (result.kind === 'response' && classifyStatus(result.status) === 'redirect' && redirectsLeft > 0) {
        const next = redirectTarget(target.url, result.headers.get('location'));
        if (next !== undefined) {
          redirectsLeft--;
          target = { ...target, url: next };
          result = await this.attempt(target, attempt);
        }
      }
      if (result.kind === 'transport') {
        if (result.error === 'aborted') return { final: result, attempts: attempt, ambiguous, exhausted: false, interrupted: true };
        ambiguous = true;
      }
      // 429 says the API is up (and busy): it does not count towards an outage.
      gate?.record(result.kind === 'response' && result.status < 500, startedAt, result.kind === 'response' ? `HTTP ${result.status}` : `${result.error}: ${result.message}`);
      const cls = result.kind === 'response' ? classifyStatus(result.status) : 'retry';
      if (cls !== 'retry') return { final: result, attempts: attempt, ambiguous, exhausted: false };
      // During an outage (breaker open) the breaker, not the retry budget, decides: the request waits
      // for the API (or for the run to end, leaving it unsent) instead of being dead-lettered, and
      // gets a fresh budget for when the API is back.
      if (gate?.isOpen) {
        budgetBase = attempt - 1;
        start = clock.now();
      }
      if (attempt - budgetBase >= policy.maxAttempts) return { final: result, attempts: attempt, ambiguous, exhausted: true };
      const retryAfter =
        result.kind === 'response' ? parseRetryAfter(result.headers.get('retry-after'), clock.now()) : undefined;
      const delay = backoffDelay(policy, Math.min(attempt - budgetBase, policy.maxAttempts), this.cfg.random, retryAfter);
      if (clock.now() + delay - start > policy.maxTotalMs) {
        return { final: result, attempts: attempt, ambiguous, exhausted: true };
      }
      this.cfg.observer.retry();
      await clock.sleep(delay, this.cfg.signal);
      if (this.cfg.signal?.aborted) {
        return { final: { kind: 'transport', error: 'aborted', message: 'delivery aborted' }, attempts: attempt, ambiguous, exhausted: false };
      }
    }
  }

  /** One HTTP exchange; a timeout covers the whole exchange, body included. */
  private async attempt(req: HttpRequest, attempt: number): Promise<AttemptResult> {
    const { cfg } = this;
    const bytes = req.body === null ? 0 : Buffer.byteLength(req.body, 'utf8');
    // One controller per attempt, linked by hand to the run's signal and cleared in `finally`:
    // no timer or listener outlives the attempt, however many requests a long stream makes.
    const ctrl = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctrl.abort();
    }, cfg.timeoutMs);
    const onAbort = (): void => ctrl.abort();
    cfg.signal?.addEventListener('abort', onAbort, { once: true });
    const headers: Record<string, string> = {
      authorization: cfg.authorization,
      'user-agent': cfg.userAgent,
      accept: 'application/json',
    };
    if (req.body !== null) headers['content-type'] = 'application/json';
    if (attempt > 1) headers['x-retry-count'] = String(attempt - 1);
    try {
      if (cfg.signal?.aborted) throw new Error('aborted');
      const res = await cfg.fetch(req.url, { method: req.method, headers, body: req.body, signal: ctrl.signal, redirect: 'manual' });
      const bodyText = await readCapped(res);
      cfg.observer.attempt(String(res.status), bytes);
      return { kind: 'response', status: res.status, headers: res.headers, bodyText };
    } catch (err) {
      if (cfg.signal?.aborted && !timedOut) {
        cfg.observer.attempt('aborted', bytes);
        return { kind: 'transport', error: 'aborted', message: 'delivery aborted' };
      }
      cfg.observer.attempt(timedOut ? 'timeout' : 'network', bytes);
      const message = timedOut ? `no response within ${cfg.timeoutMs} ms` : describeNetworkError(err);
      return { kind: 'transport', error: timedOut ? 'timeout' : 'network', message: cfg.redact(message) };
    } finally {
      clearTimeout(timer);
      cfg.signal?.removeEventListener('abort', onAbort);
    }
  }
}

/** Reads at most MAX_RESPONSE_BYTES of the body, then cancels the rest. */
async function readCapped(res: Response): Promise<string> {
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
    if (total >= MAX_RESPONSE_BYTES) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeNetworkError(err: unknown): string {
  const e = err as { message?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  const code = typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  const causeMsg = typeof e?.cause?.message === 'string' ? e.cause.message : undefined;
  const msg = typeof e?.message === 'string' ? e.message : 'network error';
  return [msg, code, causeMsg].filter((x) => x !== undefined && x !== '').join(': ').slice(0, 300);
}

/** The redirect URL if it may be followed: same origin, or https on a *.customer.io host. */
function redirectTarget(from: string, location: string | null): string | undefined {
  if (location === null || location === '') return undefined;
  let to: URL;
  let origin: URL;
  try {
    origin = new URL(from);
    to = new URL(location, origin);
  } catch {
    return undefined;
  }
  if (to.origin === origin.origin) return to.href;
  if (to.protocol === 'https:' && to.hostname.endsWith('.customer.io')) return to.href;
  return undefined;
}
