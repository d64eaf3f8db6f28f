// The sender's retry policy (customerio.md §1.7): which statuses are retried, exponential backoff
// with full jitter, `Retry-After` (seconds or HTTP date), and the bounds on attempts and time.

import type { Random } from './clock.js';

/** Bounds and timing of retries. Every field has a default (DEFAULT_RETRY). */
export interface RetryPolicy {
  /** Attempts per request including the first (default 6). */
  maxAttempts: number;
  /** First backoff cap in ms; doubles per retry (default 500). */
  baseDelayMs: number;
  /** Upper bound of one backoff (default 30 000). */
  maxDelayMs: number;
  /** Upper bound of the time spent on one request, attempts and waits included (default 120 000). */
  maxTotalMs: number;
  /** A `Retry-After` beyond this is clamped to it (default 60 000). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxTotalMs: 120_000,
  maxRetryAfterMs: 60_000,
});

/** How the sender treats a response status. */
export type StatusClass = 'success' | 'redirect' | 'retry' | 'split' | 'permanent';

/**
 * §1.7: 2xx success (207 is read per item by the caller); 301/302/307/308 redirect (followed once);
 * 408, 429 and 5xx except 501 retried; 413 split (a batch is halved, a single item fails);
 * everything else (400, 401, 403, 404, 501, other 4xx and odd codes) permanent.
 */
export function classifyStatus(status: number): StatusClass {
  if (status >= 200 && status < 300) return 'success';
  if (status === 301 || status === 302 || status === 307 || status === 308) return 'redirect';
  if (status === 408 || status === 429) return 'retry';
  if (status >= 500 && status < 600 && status !== 501) return 'retry';
  if (status === 413) return 'split';
  return 'permanent';
}

/**
 * Parses `Retry-After`: delta-seconds or an HTTP date. Returns ms to wait (≥ 0) or undefined when
 * absent or unreadable. Only a bounded digit string is read, so hostile values cost nothing.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (v === '' || v.length > 64) return undefined;
  if (/^\d{1,10}(\.\d{1,6})?$/.test(v)) return Math.max(0, Math.round(Number(v) * 1000));
  // An HTTP date always names a weekday/month; without letters Date.parse would accept "-5" as a year.
  if (!/[A-Za-z]/.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * Delay before retry number `retry` (1 = the first retry): full jitter, uniform in
 * [0, min(maxDelay, base·2^(retry-1))], but never shorter than the server's `Retry-After`
 * (clamped to maxRetryAfterMs).
 */
export function backoffDelay(policy: RetryPolicy, retry: number, random: Random, retryAfterMs?: number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(30, Math.max(0, retry - 1)));
  const jitter = Math.floor(random() * cap);
  if (retryAfterMs === undefined) return jitter;
  return Math.max(jitter, Math.min(retryAfterMs, policy.maxRetryAfterMs));
}

/** Fills a partial policy with defaults and clamps nonsense (negative or non-finite values). */
export function resolveRetryPolicy(partial: Partial<RetryPolicy> | undefined): RetryPolicy {
  const p = { ...DEFAULT_RETRY, ...(partial ?? {}) };
  const nonNeg = (n: number, d: number): number => (Number.isFinite(n) && n >= 0 ? n : d);
  return {
    maxAttempts: Math.max(1, Math.min(100, Math.floor(nonNeg(p.maxAttempts, DEFAULT_RETRY.maxAttempts)))),
    baseDelayMs: nonNeg(p.baseDelayMs, DEFAULT_RETRY.baseDelayMs),
    maxDelayMs: nonNeg(p.maxDelayMs, DEFAULT_RETRY.maxDelayMs),
    maxTotalMs: nonNeg(p.maxTotalMs, DEFAULT_RETRY.maxTotalMs),
    maxRetryAfterMs: nonNeg(p.maxRetryAfterMs, DEFAULT_RETRY.maxRetryAfterMs),
  };
}
