// Options of `deliver` (tuning, callbacks, injectable clock/random/fetch) and their defaults;
// credentials travel separately in DeliveryContext (endpoint.ts) and never appear here in output.

import type { Clock, Random } from './clock.js';
import type { DeadLetterSink } from './dead-letter.js';
import type { OrderingMode } from './batcher.js';
import type { RetryPolicy } from './retry.js';

/** What happened to one input event (or replay entry). */
export interface EventOutcome {
  index: number;
  messageId: string | null;
  /** `unsent`: the run stopped (stop signal, outage, 401) before some of its items were accepted; resumable, not dead-lettered. */
  outcome: 'delivered' | 'skipped' | 'failed' | 'unsent';
  /** Items (requests-to-be) the event produced. */
  items: number;
  accepted: number;
  failed: number;
  /** Items neither accepted nor failed because the run stopped first (> 0 only for `unsent`). */
  unsent: number;
  /**
   * Only for `unsent`: what is already final, so a resume sends the rest only: the positions (in
   * the order `processDetailed` returned them) of items accepted or dead-lettered, and whether the
   * event's processing errors were dead-lettered.
   */
  settled?: { items: number[]; processErrors: boolean };
  /** Some accepted item was sent in an attempt with unknown outcome (timeout or dropped connection) before: possibly received twice. */
  ambiguous: boolean;
}

/** Tuning and hooks of a delivery run; every field is optional. */
export interface DeliverOptions {
  /** Base URL override (tests, proxies); wins over the context's region and endpoint. */
  endpoint?: string;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Per-attempt timeout in ms, response body included (default 10 000, Segment's). */
  timeoutMs?: number;
  /** A non-full batch is sent after waiting this long (default 1 000 ms; 0 = at the next tick): the max added latency on streams. */
  flushIntervalMs?: number;
  /** Per-item body limit in bytes, inclusive (default 32 768). */
  maxItemBytes?: number;
  /** Per-request body limit in bytes, exclusive (default 512 000). */
  maxRequestBytes?: number;
  /** Batch size when a subscription gives none (default 50; clamped to 2–100). */
  defaultBatchSize?: number;
  /** Ordering guarantee (default `per-person`, see batcher.ts). */
  ordering?: OrderingMode;
  retry?: Partial<RetryPolicy>;
  /** Items read but not finished before reading pauses (default 5 000): bounds memory on streams. */
  maxBufferedItems?: number;
  /** Halvings allowed to isolate bad items of a rejected batch (default 8, enough for 256 items). */
  maxBisectDepth?: number;
  /** Receives one record per failed item or processing error. */
  onDeadLetter?: DeadLetterSink;
  /** An NDJSON file the dead letters are appended to (`--dead-letter FILE`); works together with `onDeadLetter`. */
  deadLetter?: string;
  /** Called once per input event when its outcome is final. */
  onOutcome?: (outcome: EventOutcome) => void;
  /**
   * Called for each event whose processing returned warnings (values dropped or replaced, as in
   * `process`), before its requests are queued; awaited. Without it, warnings are not reported.
   */
  onWarnings?: (event: { index: number; messageId: string | null; warnings: ReadonlyArray<{ subscription: string; action?: string; message: string }> }) => void | Promise<void>;
  clock?: Clock;
  random?: Random;
  /** Seed for the default random (jitter); ignored when `random` is given. */
  seed?: number;
  userAgent?: string;
  /** Replaces the global fetch (tests). */
  fetch?: typeof fetch;
  /** Aborts the run: reading stops, waits end, unsent items fail as `aborted`. */
  signal?: AbortSignal;
  /**
   * Graceful stop: reading stops at once; open batches are flushed; in-flight requests may finish
   * within `drainMs`; items not accepted by then are NOT failed and NOT dead-lettered: their
   * event's outcome is `unsent` (resumable). The report's `stopReason` is `signal`.
   */
  stop?: AbortSignal;
  /** Time the requests of a stopped run may take to finish (default 10 000 ms). */
  drainMs?: number;
  /**
   * Breaker (breaker.ts): consecutive failed attempts or a high error rate pause sending; once an
   * outage has lasted this long the run ends as if stopped (without drain), everything not accepted
   * `unsent`, `stopReason: 'outage'`. Default 60 000; Infinity = pause and probe forever (services).
   */
  maxOutageMs?: number;
}

export const DELIVERY_DEFAULTS = Object.freeze({
  concurrency: 4,
  timeoutMs: 10_000,
  flushIntervalMs: 1_000,
  maxItemBytes: 32 * 1024,
  maxRequestBytes: 500 * 1024,
  defaultBatchSize: 50,
  maxBufferedItems: 5_000,
  maxBisectDepth: 8,
  drainMs: 10_000,
  maxOutageMs: 60_000,
  userAgent: 'cio-actions/0.1 (+node)',
});

/** A non-negative number option, or its default when absent or nonsense. */
export function nonNegative(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** A positive integer option, or its default when absent or nonsense. */
export function positive(value: number | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.min(max, Math.floor(value)) : fallback;
}
