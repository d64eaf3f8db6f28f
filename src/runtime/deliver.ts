// `deliver`: the delivery pipeline's driver. Reads events lazily (bounded read-ahead), processes
// each, queues its items in the batcher, runs requests through the ordered scheduler and the sender,
// and gives every event an outcome (delivered / skipped / failed + dead letter) and the run a report.

import type { DetailedProcessResult, ProcessedItem } from './types.js';
import { Batcher, orderingKeys, type PlannedBatch, type QueuedItem } from './batcher.js';
import { seededRandom, systemClock } from './clock.js';
import type { DeadLetter, DeadLetterFile } from './dead-letter.js';
import { createDeadLetterFile } from './dead-letter-file.js';
import { DELIVERY_DEFAULTS, nonNegative, positive, type DeliverOptions, type EventOutcome } from './options.js';
import { isReplayEntry } from './replay.js';
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
    ...(signal ? { signal } : {}),
  });

  let sinkFailure: unknown;
  let buffered = 0;
  let authFailed = false;
  // Opened before reading, so an unwritable path fails the run before anything is sent.
  const file: DeadLetterFile | undefined = options.deadLetter ? createDeadLetterFile(options.deadLetter, { append: true }) : undefined;
  if (file) await file.ready();

  async function deadLetter(letter: DeadLetter): Promise<void> {
    report.deadLetters++;
    if (sinkFailure !== undefined) return;
    try {
      if (file) await file.write(letter);
      if (options.onDeadLetter) await options.onDeadLetter(letter);
    } catch (err) {
      sinkFailure = err;
    }
  }

  function finalize(unit: Unit): void {
    const failed = unit.processErrors > 0 || unit.failed > 0;
    const outcome: EventOutcome['outcome'] = failed ? 'failed' : unit.accepted > 0 ? 'delivered' : 'skipped';
    report.events[outcome]++;
    options.onOutcome?.({
      index: unit.index,
      messageId: unit.messageId,
      outcome,
      items: unit.items,
      accepted: unit.accepted,
      failed: unit.failed,
      ambiguous: unit.ambiguous,
    });
  }

  function settle(item: Item): void {
    const unit = item.unit;
    unit.pending--;
    buffered--;
    if (unit.pending === 0 && !unit.open) finalize(unit);
  }

  function accept(item: Item, ambiguous: boolean): void {
    report.items.accepted++;
    item.unit.accepted++;
    if (ambiguous) {
      report.items.ambiguous++;
      item.unit.ambiguous = true;
    }
    settle(item);
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
    if (authFailed || signal?.aborted) {
      const why = authFailed ? 'not sent: the credentials were rejected (HTTP 401) earlier in this run' : 'not sent: delivery aborted';
      for (const it of items) await fail(it, 'send', null, why, false, 0);
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
        if (verdict.auth) authFailed = report.authFailed = true;
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

  async function enqueue(unit: Unit, p: Pick<ProcessedItem, 'subscription' | 'action' | 'request' | 'batching'>): Promise<void> {
    unit.items++;
    unit.pending++;
    buffered++;
    report.items.total++;
    const item: Item = { unit, subscription: p.subscription, action: p.action, request: p.request, batching: p.batching, bodyText: null, bytes: 0, keys: [] };
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
  try {
    for await (const input of events) {
      if (signal?.aborted) break;
      report.events.total++;
      const unit: Unit = { index: position++, messageId: null, items: 0, pending: 0, accepted: 0, failed: 0, processErrors: 0, ambiguous: false, open: true };
      if (isReplayEntry(input)) {
        unit.index = input.index >= 0 ? input.index : unit.index;
        unit.messageId = input.messageId;
        if (input.item !== undefined) await enqueue(unit, { ...input.item, action: input.item.action as ProcessedItem['action'] });
        else await processEvent(unit, input.event, input.subscription ?? null);
      } else {
        unit.messageId = messageIdOf(input);
        await processEvent(unit, input, null);
      }
      unit.open = false;
      if (unit.pending === 0) finalize(unit);
      // Backpressure: stop reading while too many items are unfinished; a stalled batcher is flushed
      // so the scheduler always has work that can finish.
      while (buffered >= maxBuffered) {
        if (scheduler.size === 0) batcher.flushAll();
        if (scheduler.size === 0) break; // nothing can finish: never spin (defensive; the counts say otherwise)
        await scheduler.progress();
      }
    }
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    batcher.flushAll();
    try {
      await scheduler.idle();
    } finally {
      if (file) await file.close().catch((err: unknown) => void (sinkFailure ??= err));
    }
  }

  async function processEvent(unit: Unit, event: unknown, only: string | null): Promise<void> {
    let result: DetailedProcessResult;
    try {
      result = source.processDetailed(event);
    } catch (err) {
      result = { matched: [], items: [], errors: [{ subscription: '', message: `processing failed: ${(err as Error)?.message ?? String(err)}` }] };
    }
    // Defensive against a foreign `source`: anything but arrays counts as empty.
    const errors = Array.isArray(result?.errors) ? result.errors : [];
    const items = Array.isArray(result?.items) ? result.items : [];
    for (const e of errors) if (only === null || e.subscription === only) await processError(unit, event, e);
    for (const it of items) if (only === null || it.subscription === only) await enqueue(unit, it);
  }

  const final = rb.finish(performance.now() - startedAt);
  if (sinkFailure !== undefined) {
    throw new DeliveryError(`dead-letter sink failed: ${redact(String((sinkFailure as Error)?.message ?? sinkFailure))}`, final);
  }
  return final;
}

function messageIdOf(event: unknown): string | null {
  if (typeof event !== 'object' || event === null || !Object.hasOwn(event, 'messageId')) return null;
  const id = (event as { messageId: unknown }).messageId;
  return typeof id === 'string' ? id : null;
}
