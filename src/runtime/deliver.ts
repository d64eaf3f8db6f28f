// `deliver`: the delivery pipeline's driver. Reads events lazily (bounded read-ahead), processes
// each, queues its items in the batcher, runs requests through the ordered scheduler and the sender,
// and gives every event an outcome (delivered / skipped / failed + dead letter / unsent) and the run
// a report. A graceful stop (`stop`), an outage (breaker.ts) or a 401 ends the run early: what was
// not accepted by then is `unsent` (resumable), never dead-lettered.

import type { DetailedProcessResult, ProcessedItem } from './types.js';
import { Batcher, orderingKeys, type PlannedBatch, type QueuedItem } from './batcher.js';
import { Breaker, BREAKER_DEFAULTS } from './breaker.js';
import { seededRandom, systemClock } from './clock.js';
import type { DeadLetter, DeadLetterFile } from './dead-letter.js';
import { createDeadLetterFile } from './dead-letter-file.js';
import { DELIVERY_DEFAULTS, nonNegative, positive, type DeliverOptions, type EventOutcome } from './options.js';
import { isReplayEntry, type ReplaySkip } from './replay.js';
import { ReportBuilder, type DeliveryReport } from './report.js';
import { interpret } from './response.js';
import { resolveRetryPolicy } from './retry.js';
import { Scheduler } from './scheduler.js';
import { Sender, type HttpRequest } from './sender.js';
import { resolveSettings, rewriteUrl, type DeliveryContext } from '../settings/settings.js';

/** What `deliver` needs from a destination. */
export interface ProcessSource {
  processDetailed(event: unknown): DetailedProcessResult;
}

/** Thrown by `deliver` when the dead-letter sink failed: delivery finished, but failures may be unrecorded. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly report: DeliveryReport,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Per-event bookkeeping; holds no event data once processing is done. */
interface Unit {
  index: number;
  messageId: string | null;
  items: number;
  pending: number;
  accepted: number;
  failed: number;
  processErrors: number;
  unsent: number;
  /** Ordinals of items accepted or failed (kept for the `settled` of an unsent outcome). */
  settled: number[];
  /** A resumed event an earlier run may have sent: its accepted items count as ambiguous. */
  resent: boolean;
  ambiguous: boolean;
  /** Still adding items: the outcome cannot be final yet. */
  open: boolean;
}

type Item = QueuedItem<Unit>;

/**
 * Delivers events: process → batch → send → retry → outcome. Every event read ends as delivered,
 * skipped or failed (with dead letters). Resolves with the report; throws only on configuration
 * errors (before reading) or a failing dead-letter sink (DeliveryError, after finishing).
 *
 * `events` may mix raw events and replay entries from `replayDeadLetters`.
 */
export async function deliver(
  source: ProcessSource,
  events: AsyncIterable<unknown> | Iterable<unknown>,
  options: DeliverOptions,
  context: DeliveryContext,
): Promise<DeliveryReport> {
  // Settings resolved by createDestination come back as they are; a raw context is checked here.
  const settings = resolveSettings(context, options.endpoint ?? context.endpoint);
  const baseUrl = settings.baseUrl;
  const redact = settings.redact;
  const clock = options.clock ?? systemClock;
  const startedAt = performance.now();
  const rb = new ReportBuilder();
  const report = rb.report;
  const maxItemBytes = positive(options.maxItemBytes, DELIVERY_DEFAULTS.maxItemBytes);
  const maxBuffered = positive(options.maxBufferedItems, DELIVERY_DEFAULTS.maxBufferedItems);
  const maxBisectDepth = Math.min(20, positive(options.maxBisectDepth, DELIVERY_DEFAULTS.maxBisectDepth));
  const flushIntervalMs = nonNegative(options.flushIntervalMs, DELIVERY_DEFAULTS.flushIntervalMs);
  const signal = options.signal;
  const drainMs = nonNegative(options.drainMs, DELIVERY_DEFAULTS.drainMs);
  const maxOutageMs = typeof options.maxOutageMs === 'number' && options.maxOutageMs >= 0 ? options.maxOutageMs : DELIVERY_DEFAULTS.maxOutageMs;

  // `halt` cancels every wait and request: on `signal` (abort), at the end of a drain, on an outage.
  const halt = new AbortController();
  const onAbort = (): void => halt.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) halt.abort();
  // `stopping`: reading stops and nothing new is read (stop, outage, 401).
  let stopping = false;
  // Waits that a stop must cut short (a pending read, the backpressure wait); each removes itself.
  const wakers = new Set<() => void>();
  function untilStop<T>(p: Promise<T>): Promise<T | undefined> {
    if (stopping) return Promise.resolve(undefined);
    return new Promise<T | undefined>((resolve, reject) => {
      const wake = (): void => {
        wakers.delete(wake);
        resolve(undefined);
      };
      wakers.add(wake);
      p.then(
        (v) => {
          wakers.delete(wake);
          resolve(v);
        },
        (e: unknown) => {
          wakers.delete(wake);
          reject(e);
        },
      );
    });
  }
  let drainTimer: ReturnType<typeof setTimeout> | undefined;
  function beginStop(reason: NonNullable<DeliveryReport['stopReason']>): void {
    report.stopReason ??= reason;
    if (stopping) return;
    stopping = true;
    for (const wake of [...wakers]) wake();
  }
  const onStop = (): void => {
    beginStop('signal');
    drainTimer ??= setTimeout(() => halt.abort(), drainMs);
  };
  options.stop?.addEventListener('abort', onStop, { once: true });
  if (options.stop?.aborted) onStop();
  const breaker = new Breaker({ ...BREAKER_DEFAULTS, maxOutageMs }, clock, () => {
    report.outage = redact(breaker.lastFailure);
    beginStop('outage');
    halt.abort();
  });

  const sender = new Sender({
    authorization: settings.authorization,
    userAgent: options.userAgent ?? DELIVERY_DEFAULTS.userAgent,
    timeoutMs: positive(options.timeoutMs, DELIVERY_DEFAULTS.timeoutMs),
    retry: resolveRetryPolicy(options.retry),
    clock,
    random: options.random ?? seededRandom(options.seed ?? Date.now()),
    fetch: options.fetch ?? globalThis.fetch,
    redact,
    observer: rb,
    signal: halt.signal,
    gate: breaker,
  });

  let sinkFailure: unknown;
  let buffered = 0;
  let authFailed = false;
  // Opened before reading, so an unwritable path fails the run before anything is sent.
  const file: DeadLetterFile | undefined = options.deadLetter ? createDeadLetterFile(options.deadLetter, { append: true }) : undefined;
  if (file) await file.ready();

  // Events whose dead letter did not reach the sink; and, for the file, letters not known written yet.
  const unrecorded = new Set<number>();
  let fileIdx: number[] = [];
  let fileBase = 0;
  function loseUnwritten(): void {
    if (!file) return;
    for (const i of fileIdx.slice(Math.max(0, file.written - fileBase))) unrecorded.add(i);
    fileIdx = [];
  }
  async function deadLetter(letter: DeadLetter): Promise<void> {
    report.deadLetters++;
    if (sinkFailure !== undefined) {
      unrecorded.add(letter.index);
      return;
    }
    try {
      if (file) {
        fileIdx.push(letter.index);
        await file.write(letter);
        if (file.written - fileBase > 4096) {
          fileIdx = fileIdx.slice(file.written - fileBase);
          fileBase = file.written;
        }
      }
      if (options.onDeadLetter) await options.onDeadLetter(letter);
    } catch (err) {
      // Failures can no longer be recorded: the run stops like a graceful stop (drain, rest unsent).
      sinkFailure = err;
      unrecorded.add(letter.index);
      loseUnwritten();
      beginStop('dead-letter');
      drainTimer ??= setTimeout(() => halt.abort(), drainMs);
    }
  }

  function finalize(unit: Unit): void {
    const failed = unit.processErrors > 0 || unit.failed > 0;
    const outcome: EventOutcome['outcome'] = unit.unsent > 0 ? 'unsent' : failed ? 'failed' : unit.accepted > 0 ? 'delivered' : 'skipped';
    report.events[outcome]++;
    options.onOutcome?.({
      index: unit.index,
      messageId: unit.messageId,
      outcome,
      items: unit.items,
      accepted: unit.accepted,
      failed: unit.failed,
      unsent: unit.unsent,
      ambiguous: unit.ambiguous,
      ...(outcome === 'unsent' ? { settled: { items: unit.settled, processErrors: unit.processErrors > 0 } } : {}),
    });
  }

  function settle(item: Item, final = true): void {
    if (final) item.unit.settled.push(item.ordinal);
    const unit = item.unit;
    unit.pending--;
    buffered--;
    if (unit.pending === 0 && !unit.open) finalize(unit);
  }

  function accept(item: Item, ambiguous: boolean): void {
    report.items.accepted++;
    item.unit.accepted++;
    if (ambiguous || item.unit.resent) {
      report.items.ambiguous++;
      item.unit.ambiguous = true;
    }
    settle(item);
  }

  /** Not sent (or not known to be accepted) when the run stopped: resumable, no dead letter. */
  function leaveUnsent(item: Item, ambiguous: boolean): void {
    report.items.unsent++;
    item.unit.unsent++;
    if (ambiguous) item.unit.ambiguous = true;
    settle(item, false);
  }

  async function fail(item: Item, stage: DeadLetter['stage'], status: number | null, reason: string, unknown: boolean, attempts: number): Promise<void> {
    report.items.failed++;
    item.unit.failed++;
    await deadLetter({
      index: item.unit.index,
      messageId: item.unit.messageId,
      subscription: item.subscription,
      action: item.action,
      stage,
      request: item.request,
      batching: item.batching,
      status,
      reason: redact(reason),
      outcomeUnknown: unknown,
      attempts,
    });
    settle(item);
  }

  /** Sends items as one request; halves a batch the API rejected as a whole (400 bisection, 413 split). */
  async function sendItems(items: Item[], asBatch: boolean, depth: number, priorAmbiguous: boolean): Promise<void> {
    if (signal?.aborted) {
      for (const it of items) await fail(it, 'send', null, 'not sent: delivery aborted', false, 0);
      return;
    }
    if (authFailed || halt.signal.aborted) {
      for (const it of items) leaveUnsent(it, priorAmbiguous);
      return;
    }
    const isBatch = asBatch && items.length > 1;
    const first = items[0]!;
    const req: HttpRequest = isBatch
      ? { method: 'POST', url: `${baseUrl}/api/v2/batch`, body: `{"batch":[${items.map((i) => i.bodyText ?? 'null').join(',')}]}` }
      : { method: first.request.method, url: rewriteUrl(first.request.url, baseUrl), body: first.bodyText };
    const result = await sender.send(req);
    // An earlier attempt (or the batch these items were split from) may have been received.
    const ambiguous = result.ambiguous || priorAmbiguous;
    if (result.final.kind === 'transport' && result.final.error === 'aborted' && !signal?.aborted) {
      // stopped (drain over, outage, 401): not failed; an attempt cut off mid-way may have arrived
      for (const it of items) leaveUnsent(it, ambiguous || result.interrupted === true);
      return;
    }
    const verdict = interpret(result, items.length, isBatch, redact);
    switch (verdict.kind) {
      case 'accepted':
        for (let i = 0; i < items.length; i++) {
          const reason = verdict.itemErrors.get(i);
          if (reason === undefined) accept(items[i]!, ambiguous);
          else await fail(items[i]!, 'send', verdict.status, reason, ambiguous, result.attempts);
        }
        return;
      case 'bisect':
      case 'split':
        if (depth < maxBisectDepth) {
          // Halves go one after the other, so the order of a person's items is kept.
          const mid = Math.ceil(items.length / 2);
          report.bisections += 2;
          await sendItems(items.slice(0, mid), true, depth + 1, ambiguous);
          await sendItems(items.slice(mid), true, depth + 1, ambiguous);
          return;
        }
        for (const it of items) await fail(it, 'send', verdict.status, `${verdict.reason} (bisection limit reached)`, ambiguous, result.attempts);
        return;
      case 'failed':
        if (verdict.auth) {
          // The credentials are wrong for everything: the run ends like a stop, nothing is dead-lettered.
          authFailed = report.authFailed = true;
          beginStop('auth');
          for (const it of items) leaveUnsent(it, ambiguous);
          return;
        }
        for (const it of items) await fail(it, 'send', verdict.status, verdict.reason, ambiguous || (verdict.status !== null && verdict.status < 300), result.attempts);
        return;
    }
  }

  const scheduler = new Scheduler<PlannedBatch<Unit>>(
    positive(options.concurrency, DELIVERY_DEFAULTS.concurrency, 256),
    (batch) => sendItems(batch.items, batch.asBatch, 0, false),
  );
  const batcher = new Batcher<Unit>(
    {
      defaultSize: positive(options.defaultBatchSize, DELIVERY_DEFAULTS.defaultBatchSize),
      maxRequestBytes: positive(options.maxRequestBytes, DELIVERY_DEFAULTS.maxRequestBytes),
    },
    options.ordering ?? 'per-person',
    (batch) => scheduler.submit(batch, batch.items.flatMap((i) => i.keys)),
  );

  // The flush timer sends non-full batches after `flushIntervalMs` (max added latency on slow streams).
  let timer: ReturnType<typeof setTimeout> | undefined;
  function armTimer(): void {
    if (timer !== undefined) return;
    const due = batcher.nextDue(flushIntervalMs);
    if (due === undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      batcher.flushDue(performance.now(), flushIntervalMs);
      armTimer();
    }, Math.max(0, due - performance.now()));
  }

  async function enqueue(unit: Unit, p: Pick<ProcessedItem, 'subscription' | 'action' | 'request' | 'batching'>, ordinal: number): Promise<void> {
    unit.items++;
    unit.pending++;
    buffered++;
    report.items.total++;
    const item: Item = { unit, ordinal, subscription: p.subscription, action: p.action, request: p.request, batching: p.batching, bodyText: null, bytes: 0, keys: [] };
    try {
      item.bodyText = p.request.body === undefined || p.request.body === null ? null : JSON.stringify(p.request.body);
    } catch (err) {
      await fail(item, 'process', null, `request body is not serializable as JSON: ${(err as Error).message}`, false, 0);
      return;
    }
    item.bytes = item.bodyText === null ? 0 : Buffer.byteLength(item.bodyText, 'utf8');
    if (item.bytes > maxItemBytes) {
      await fail(item, 'size', null, `body is ${item.bytes} bytes; the Track API accepts at most ${maxItemBytes} bytes per entity`, false, 0);
      return;
    }
    item.keys = orderingKeys(p.request);
    batcher.add(item, performance.now());
    armTimer();
  }

  async function processError(unit: Unit, event: unknown, e: DetailedProcessResult['errors'][number]): Promise<void> {
    unit.processErrors++;
    await deadLetter({
      index: unit.index,
      messageId: unit.messageId,
      // '' / '*' name no subscription (event-level failure): a replay then re-processes all of them.
      subscription: e.subscription === '' || e.subscription === '*' ? null : e.subscription,
      action: e.action ?? null,
      stage: 'process',
      request: null,
      batching: null,
      event,
      status: null,
      reason: redact(e.message),
      ...(e.field !== undefined ? { field: e.field } : {}),
      outcomeUnknown: false,
      attempts: 0,
    });
  }

  let position = 0;
  const input = openInput(events);
  /** The next input, or undefined at its end or when the run stops (a pending read is abandoned, not awaited). */
  async function next(): Promise<IteratorResult<unknown> | undefined> {
    if (stopping || signal?.aborted) return undefined;
    const pending = input.next();
    if (!(pending instanceof Promise)) return stopping || signal?.aborted ? undefined : pending;
    const r = await untilStop(pending);
    if (r === undefined) {
      pending.catch(() => undefined); // the stop won the race; a later input error is not this run's
      input.abandoned = true;
    }
    // what arrives after an abort or a stop is not processed
    return stopping || signal?.aborted ? undefined : r;
  }
  try {
    for (;;) {
      const r = await next();
      if (r === undefined || r.done === true) break;
      const value = r.value;
      report.events.total++;
      const unit: Unit = {
        index: position++,
        messageId: null,
        items: 0,
        pending: 0,
        accepted: 0,
        failed: 0,
        processErrors: 0,
        unsent: 0,
        settled: [],
        resent: false,
        ambiguous: false,
        open: true,
      };
      if (isReplayEntry(value)) {
        unit.index = value.index >= 0 ? value.index : unit.index;
        unit.messageId = value.messageId;
        if (value.item !== undefined) await enqueue(unit, { ...value.item, action: value.item.action as ProcessedItem['action'] }, 0);
        else {
          if (value.resent === true) unit.resent = true;
          await processEvent(unit, value.event, value.subscription ?? null, value.skip);
        }
      } else {
        unit.messageId = messageIdOf(value);
        await processEvent(unit, value, null, undefined);
      }
      unit.open = false;
      if (unit.pending === 0) finalize(unit);
      // Backpressure: stop reading while too many items are unfinished; a stalled batcher is flushed
      // so the scheduler always has work that can finish.
      while (buffered >= maxBuffered && !stopping) {
        if (scheduler.size === 0) batcher.flushAll();
        if (scheduler.size === 0) break; // nothing can finish: never spin (defensive; the counts say otherwise)
        await untilStop(scheduler.progress());
      }
    }
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    batcher.flushAll();
    try {
      await scheduler.idle();
    } finally {
      if (drainTimer !== undefined) clearTimeout(drainTimer);
      breaker.close();
      signal?.removeEventListener('abort', onAbort);
      options.stop?.removeEventListener('abort', onStop);
      await input.close();
      if (file) {
        await file.close().catch((err: unknown) => {
          sinkFailure ??= err;
          loseUnwritten();
        });
      }
    }
  }

  async function processEvent(unit: Unit, event: unknown, only: string | null, skip: ReplaySkip | undefined): Promise<void> {
    let result: DetailedProcessResult;
    try {
      result = source.processDetailed(event);
    } catch (err) {
      result = { matched: [], items: [], errors: [{ subscription: '', message: `processing failed: ${(err as Error)?.message ?? String(err)}` }] };
    }
    // Defensive against a foreign `source`: anything but arrays counts as empty.
    const errors = Array.isArray(result?.errors) ? result.errors : [];
    const items = Array.isArray(result?.items) ? result.items : [];
    for (const e of errors) {
      if (only !== null && e.subscription !== only) continue;
      if (skip?.processErrors) unit.processErrors++; // dead-lettered by the run being resumed
      else await processError(unit, event, e);
    }
    if (options.onWarnings !== undefined && Array.isArray(result?.warnings) && result.warnings.length > 0) {
      const warnings = only === null ? result.warnings : result.warnings.filter((w) => w.subscription === only);
      if (warnings.length > 0) await options.onWarnings({ index: unit.index, messageId: unit.messageId, warnings });
    }
    const done = skip && skip.items.length > 0 ? new Set(skip.items) : undefined;
    let ordinal = 0;
    for (const it of items) {
      if (only !== null && it.subscription !== only) continue;
      const n = ordinal++;
      if (done?.has(n)) unit.settled.push(n); // accepted or dead-lettered by the run being resumed
      else await enqueue(unit, it, n);
    }
  }

  if (unrecorded.size > 0) report.unrecorded = [...unrecorded].sort((a, b) => a - b);
  const final = rb.finish(performance.now() - startedAt);
  if (sinkFailure !== undefined) {
    throw new DeliveryError(`dead-letter sink failed: ${redact(String((sinkFailure as Error)?.message ?? sinkFailure))}`, final);
  }
  return final;
}

/** An input being read by hand (so a stop can abandon a pending read); sync iterables stay synchronous. */
interface Input {
  next(): IteratorResult<unknown> | Promise<IteratorResult<unknown>>;
  /** A read was left pending: `return` would wait for it, so it is not awaited. */
  abandoned: boolean;
  close(): Promise<void>;
}

function openInput(events: AsyncIterable<unknown> | Iterable<unknown>): Input {
  const it: AsyncIterator<unknown> | Iterator<unknown> =
    Symbol.asyncIterator in events ? (events as AsyncIterable<unknown>)[Symbol.asyncIterator]() : (events as Iterable<unknown>)[Symbol.iterator]();
  let finished = false;
  const input: Input = {
    abandoned: false,
    next() {
      const r = it.next();
      if (r instanceof Promise) {
        return r.then((x: IteratorResult<unknown>) => {
          if (x.done === true) finished = true;
          return x;
        });
      }
      if (r.done === true) finished = true;
      return r;
    },
    async close() {
      if (finished || typeof it.return !== 'function') return;
      finished = true;
      const closing = Promise.resolve(it.return()).catch(() => undefined);
      if (!input.abandoned) await closing;
    },
  };
  return input;
}

function messageIdOf(event: unknown): string | null {
  if (typeof event !== 'object' || event === null || !Object.hasOwn(event, 'messageId')) return null;
  const id = (event as { messageId: unknown }).messageId;
  return typeof id === 'string' ? id : null;
}
