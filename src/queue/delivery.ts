// The delivery loop of a queue consumer: queue.read → destination.deliver (process → batch → send
// → dead letters) → queue.done once an event's outcome is final. Backend-neutral (journal or JetStream).

import type { DeliverOptions, EventOutcome } from '../runtime/options.js';
import type { DeliveryReport } from '../runtime/report.js';
import type { DeadLetter } from '../runtime/dead-letter.js';
import type { QueueConsumer, QueuedEvent } from './types.js';

/** What the loop needs from a destination (`Destination.deliver`). */
export interface DeliveringDestination {
  deliver(events: AsyncIterable<unknown>, options?: DeliverOptions): Promise<DeliveryReport>;
}

/** A consumer that can hand an unfinished event back (JetStream's nak); without it, an unfinished event waits for redelivery. */
export interface RequeueingConsumer extends QueueConsumer {
  requeue?(ids: readonly string[], delayMs?: number): void;
}

export interface QueueDeliveryCounters {
  delivered: number;
  skipped: number;
  failed: number;
  /** Unfinished at a stop: handed back to the queue (another worker or the next start delivers them). */
  unsent: number;
  /** Events that may have reached Customer.io twice: an ambiguous send, or delivered after a redelivery. */
  possibleDuplicates: number;
  redelivered: number;
  /** `done` calls that failed (the events will be handed out again). */
  doneFailures: number;
  /** Dead letters the sink could not store: their events are handed back instead of done. */
  deadLetterFailures: number;
}

export interface QueueDeliveryOptions {
  /** Passed to deliver (`onOutcome` is the loop's own; `signal` aborts as in deliver). */
  deliver: DeliverOptions;
  /** Graceful stop: reading ends, what was read is finished (deliver's `stop` / `drainMs` when it has them), settled events are done. */
  stop: AbortSignal;
  /**
   * Stores a dead letter (local file, dead-letter stream). When it throws, the event is handed back
   * instead of done (it is not dead-lettered until a sink took it), and delivery goes on.
   */
  onDeadLetter?: (letter: DeadLetter) => Promise<void>;
  /** Every final outcome, after the loop counted it. */
  onOutcome?: (outcome: EventOutcome, queued: QueuedEvent) => void;
  /** Problems the loop survives (a failed `done`). */
  onWarning?: (message: string) => void;
}

/** Runs until `stop` aborts (or the queue ends); resolves with deliver's report once every finished event is done. */
export async function deliverFromQueue(
  queue: RequeueingConsumer,
  destination: DeliveringDestination,
  options: QueueDeliveryOptions,
  counters: QueueDeliveryCounters = newCounters(),
): Promise<{ report: DeliveryReport; counters: QueueDeliveryCounters }> {
  const byIndex = new Map<number, QueuedEvent>();
  let position = 0;
  let toDone: string[] = [];
  const outstanding = new Set<Promise<void>>();
  let flushTimer: ReturnType<typeof setTimeout> | undefined;

  function flushDone(): void {
    flushTimer = undefined;
    if (toDone.length === 0) return;
    const ids = toDone;
    toDone = [];
    const p = queue.done(ids).catch((err: unknown) => {
      counters.doneFailures += ids.length;
      options.onWarning?.(`marking ${ids.length} events done failed: ${(err as Error)?.message ?? String(err)}`);
    });
    outstanding.add(p);
    void p.finally(() => outstanding.delete(p));
  }

  async function* events(): AsyncGenerator<unknown> {
    for await (const q of queue.read(options.stop)) {
      if (q.redelivered > 0) counters.redelivered++;
      byIndex.set(position++, q);
      yield q.event;
    }
  }

  // deliver's dead-letter index of a raw event is its read position, the key of byIndex
  const unstored = new Set<number>();
  const sink = options.onDeadLetter;
  const deliverOptions: DeliverOptions = {
    ...options.deliver,
    ...(sink
      ? {
          onDeadLetter: async (letter: DeadLetter) => {
            try {
              await sink(letter);
            } catch (err) {
              unstored.add(letter.index);
              options.onWarning?.(`dead letter of event ${letter.messageId ?? letter.index} not stored (${(err as Error)?.message ?? String(err)}); the event is handed back`);
            }
          },
        }
      : {}),
    onOutcome: (o: EventOutcome) => {
      const q = byIndex.get(o.index);
      if (q === undefined) return;
      byIndex.delete(o.index);
      const outcome = o.outcome as string;
      if (unstored.delete(o.index)) {
        counters.deadLetterFailures++;
        queue.requeue?.([q.id], 1_000);
      } else if (outcome === 'unsent') {
        counters.unsent++;
        queue.requeue?.([q.id]);
      } else {
        if (outcome === 'delivered') counters.delivered++;
        else if (outcome === 'skipped') counters.skipped++;
        else counters.failed++;
        if (o.accepted > 0 && (o.ambiguous || q.redelivered > 0)) counters.possibleDuplicates++;
        toDone.push(q.id);
        if (toDone.length >= 256) flushDone();
        else flushTimer ??= setTimeout(flushDone, 5);
      }
      options.onOutcome?.(o, q);
    },
  };
  let report: DeliveryReport;
  try {
    report = await destination.deliver(events(), deliverOptions);
  } finally {
    if (flushTimer !== undefined) clearTimeout(flushTimer);
    flushDone();
    while (outstanding.size > 0) await Promise.all([...outstanding]);
    // read but without an outcome (deliver threw): hand back, never done
    if (byIndex.size > 0) queue.requeue?.([...byIndex.values()].map((q) => q.id));
  }
  return { report, counters };
}

export function newCounters(): QueueDeliveryCounters {
  return { delivered: 0, skipped: 0, failed: 0, unsent: 0, possibleDuplicates: 0, redelivered: 0, doneFailures: 0, deadLetterFailures: 0 };
}
