// Continuous delivery: queue.read() → deliver (process → batcher → sender, per-person order,
// retries, 207 mapping, bisection) → queue.done() once the event's outcome is final. Dead letters
// are appended to DIR/dead-letters.ndjson and fsync'd before their events are marked done, so
// every acknowledged event ends delivered, skipped or dead-lettered, even across a kill -9.
// A 401 from Customer.io pauses sending: the events stay in the queue (never dead-lettered), /ready
// says why, and delivery retries after `authRetryMs`. Shared by `serve` and a queue worker.

import { open, type FileHandle } from 'node:fs/promises';
import type { Logger } from 'pino';
import { deadLetterLine, type DeadLetter } from '../runtime/dead-letter.js';
import { deliver, type ProcessSource } from '../runtime/deliver.js';
import type { DeliveryContext } from '../settings/settings.js';
import type { DeliverOptions, EventOutcome } from '../runtime/options.js';
import type { DeliveryReport } from '../runtime/report.js';
import type { EventQueue } from '../queue/types.js';
import type { ServerMetrics } from './metrics.js';

export interface DeliveryLoopOptions {
  queue: EventQueue;
  destination: ProcessSource;
  context: DeliveryContext;
  /** Tuning passed to deliver (flushIntervalMs, concurrency, retry, endpoint…); the loop owns the callbacks. */
  deliverOptions?: DeliverOptions;
  /** NDJSON file the dead letters are appended to (replayable with `run FILE --send --replay`). */
  deadLetterPath: string;
  logger: Logger;
  metrics?: ServerMetrics;
  /** On stop, in-flight requests may take this long (default 10 000 ms). */
  drainMs?: number;
  /** After a 401, wait this long before trying again (default 30 000 ms). */
  authRetryMs?: number;
  /**
   * Another home for dead letters (JetStream's dead-letter stream), written after the file and
   * before their events are marked done; when it throws, those events are handed back, not done.
   */
  onDeadLetters?: (letters: readonly DeadLetter[]) => Promise<void>;
}

export interface DeliveryCounts {
  delivered: number;
  skipped: number;
  failed: number;
  /** Delivered events that may have reached Customer.io twice (redelivered after a restart, or an ambiguous send). */
  possibleDuplicates: number;
  /** Events handed to deliver and not finished yet. */
  inFlight: number;
}

export interface DeliveryLoop {
  counts(): DeliveryCounts;
  /** Reasons delivery is not healthy (for /ready): Customer.io refusing our key. */
  problems(): string[];
  /** Stops reading, lets open batches and in-flight requests finish within `drainMs`, records what finished. */
  stop(drainMs: number): Promise<void>;
}

/** Dead letters appended to a file, made durable in one write+fsync per flush. */
class DeadLetterLog {
  private handle: FileHandle | undefined;
  private buffer = '';
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  async open(): Promise<void> {
    this.handle = await open(this.path, 'a');
  }

  add(letter: DeadLetter): void {
    this.buffer += `${deadLetterLine(letter)}\n`;
  }

  /** Durable when it resolves (everything added before the call). */
  flush(): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (this.buffer === '' || this.handle === undefined) return;
      const text = this.buffer;
      this.buffer = '';
      await this.handle.appendFile(text);
      await this.handle.sync();
    });
    return this.chain;
  }

  async close(): Promise<void> {
    await this.flush().catch(() => {});
    await this.handle?.close();
  }
}

const AUTH_REASON = /HTTP 401|credentials were rejected/;

export async function startDelivery(options: DeliveryLoopOptions): Promise<DeliveryLoop> {
  const { queue, logger: log, metrics } = options;
  const dead = new DeadLetterLog(options.deadLetterPath);
  await dead.open();
  const counts: DeliveryCounts = { delivered: 0, skipped: 0, failed: 0, possibleDuplicates: 0, inFlight: 0 };
  const stopper = new AbortController();
  let authRefused: string | undefined;
  let readAbort = new AbortController();

  // Done marks: everything finished while a done() runs shares the next one (after the dead letters are durable).
  let doneIds: string[] = [];
  let letters: DeadLetter[] = [];
  let doneRunning: Promise<void> | undefined;
  function markDone(id: string): void {
    doneIds.push(id);
    doneRunning ??= (async () => {
      while (doneIds.length > 0) {
        const ids = doneIds;
        doneIds = [];
        const stored = letters;
        letters = [];
        try {
          await dead.flush();
          if (stored.length > 0 && options.onDeadLetters) await options.onDeadLetters(stored);
          await queue.done(ids);
        } catch (err) {
          // not marked: these events are handed out again (at once where the queue can, else after a restart)
          log.error({ err: { message: (err as Error).message }, events: ids.length }, 'could not record finished events');
          queue.requeue?.(ids, 1_000);
        }
      }
      doneRunning = undefined;
    })();
  }

  async function runOnce(): Promise<DeliveryReport> {
    readAbort = new AbortController();
    const reading = readAbort;
    const inflight = new Map<number, { id: string; redelivered: number; receivedAt: number }>();
    const held = new Set<number>();
    let index = 0;
    async function* events(): AsyncGenerator<unknown> {
      for await (const q of queue.read(reading.signal)) {
        const received = typeof q.event.receivedAt === 'string' ? Date.parse(q.event.receivedAt) : NaN;
        inflight.set(index++, { id: q.id, redelivered: q.redelivered, receivedAt: received });
        counts.inFlight++;
        yield q.event;
      }
    }
    const onDeadLetter = (letter: DeadLetter): void => {
      if (letter.status === 401 || (letter.status === null && letter.stage === 'send' && AUTH_REASON.test(letter.reason))) {
        // refused credentials: keep the event in the queue, stop reading until the key works again
        held.add(letter.index);
        if (authRefused === undefined) log.error('Customer.io refused the credentials (HTTP 401): sending paused, events stay in the queue');
        authRefused = 'Customer.io refuses our credentials (HTTP 401): sending is paused, events stay queued';
        reading.abort();
        return;
      }
      dead.add(letter);
      if (options.onDeadLetters) letters.push(letter);
    };
    const onOutcome = (o: EventOutcome): void => {
      const entry = inflight.get(o.index);
      if (entry === undefined) return;
      inflight.delete(o.index);
      counts.inFlight--;
      const outcome = o.outcome;
      if (outcome === 'unsent' || held.has(o.index)) {
        // stays queued: handed out again later (a queue that can hand it back now does, with a pause after a 401)
        queue.requeue?.([entry.id], held.has(o.index) ? (options.authRetryMs ?? 30_000) : 0);
        return;
      }
      if (outcome === 'delivered') {
        counts.delivered++;
        metrics?.delivered.inc();
        authRefused = undefined;
        if (o.ambiguous || entry.redelivered > 0) {
          counts.possibleDuplicates++;
          metrics?.duplicates.inc({ kind: 'possible' });
        }
      } else if (outcome === 'skipped') {
        counts.skipped++;
        metrics?.skipped.inc();
      } else {
        counts.failed++;
        metrics?.failed.inc();
      }
      if (Number.isFinite(entry.receivedAt)) metrics?.latency.observe(Math.max(0, (Date.now() - entry.receivedAt) / 1000));
      markDone(entry.id);
    };
    const deliverOptions = {
      ...options.deliverOptions,
      onDeadLetter,
      onOutcome,
      // graceful stop and an unbounded outage budget where deliver supports them (SHARED-APIS §3)
      stop: stopper.signal,
      drainMs: options.drainMs ?? 10_000,
      maxOutageMs: Infinity,
    } satisfies DeliverOptions;
    delete (deliverOptions as { deadLetter?: unknown }).deadLetter; // this loop owns the file
    try {
      return await deliver(options.destination, events(), deliverOptions, options.context);
    } finally {
      counts.inFlight -= inflight.size;
    }
  }

  const running = (async () => {
    while (!stopper.signal.aborted) {
      try {
        const report = await runOnce();
        if (report.authFailed || report.stopReason === 'auth' || authRefused !== undefined) {
          authRefused ??= 'Customer.io refuses our credentials (HTTP 401): sending is paused, events stay queued';
          await sleep(options.authRetryMs ?? 30_000, stopper.signal);
        }
      } catch (err) {
        log.error({ err: { message: (err as Error).message } }, 'delivery failed; retrying in 5 s');
        await sleep(5_000, stopper.signal);
      }
    }
  })();

  return {
    counts: () => ({ ...counts }),
    problems: () => {
      const why = queue.notReady?.();
      return [...(why === undefined ? [] : [why]), ...(authRefused === undefined ? [] : [authRefused])];
    },
    async stop(drainMs: number) {
      stopper.abort();
      readAbort.abort();
      const drained = await Promise.race([running.then(() => true), sleep(drainMs).then(() => false)]);
      if (!drained) log.warn({ inFlight: counts.inFlight }, 'drain time is up: unfinished events stay queued for the next start');
      while (doneRunning) await doneRunning;
      await dead.close();
    },
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    t.unref?.();
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
