// The queue seam between ingestion (`serve`: HTTP → durable queue) and delivery (queue → process →
// batcher → sender → outcome). Two backends implement it: the local on-disk journal (journal.ts,
// one process) and NATS JetStream (jetstream.ts, many servers and workers). `run --send --resume`
// uses the same durable-progress record as the journal (progress.ts).
//
// Contract, whatever the backend:
// - `append` resolves only when every event is durable (fsync'd to the journal, or acknowledged by
//   JetStream); only then may the HTTP request be answered 200. It rejects with QueueFullError when
//   the backend is over its limits (the server answers 503 with Retry-After).
// - `read` yields events that are not yet done, oldest first (per ordering partition), and waits
//   for new ones; it ends when `signal` aborts or the queue is closed.
// - `done` records that events are finished (delivered, skipped or dead-lettered); an event not
//   done before a crash is handed out again after restart (redelivered > 0), never lost.

/** An accepted event: a plain JSON object with `type`, `messageId` and `receivedAt` set by ingestion. */
export type AcceptedEvent = Record<string, unknown>;

/** One event handed to a consumer. */
export interface QueuedEvent {
  /** Opaque, unique within the queue; passed back to `done`. */
  readonly id: string;
  readonly event: AcceptedEvent;
  /** Earlier hand-outs of this event (0 on the first): above 0, an earlier attempt may have sent some of it. */
  readonly redelivered: number;
}

export interface QueueStats {
  /** Events appended and not yet done. */
  depth: number;
  /** Bytes held for them (journal segments on disk; JetStream: stream bytes). */
  bytes: number;
}

export interface QueueProducer {
  /** Durably appends, in order. Resolves when all are durable; rejects (QueueFullError or I/O) otherwise, with none acknowledged. */
  append(events: readonly AcceptedEvent[]): Promise<void>;
}

export interface QueueConsumer {
  /** Not-done events, oldest first, then new ones as they arrive; ends when `signal` aborts or the queue closes. */
  read(signal?: AbortSignal): AsyncIterable<QueuedEvent>;
  /** Marks events finished; durable when it resolves. Ids may come in any order. */
  done(ids: readonly string[]): Promise<void>;
  /**
   * Optional: hands events back unfinished (a stop, a 401, a dead letter that could not be stored)
   * so they are read again after `delayMs`, before newer events of the same person. Backends
   * without it hand unfinished events out again on the next start.
   */
  requeue?(ids: readonly string[], delayMs?: number): void;
}

export interface EventQueue extends QueueProducer, QueueConsumer {
  stats(): QueueStats;
  /** Optional: adds the backend's own metrics (e.g. JetStream publish/ack latency) to a prom-client registry. */
  registerMetrics?(registry: import('prom-client').Registry): void;
  /** Optional: why the backend cannot take or hand out events right now (for /ready); undefined when it can. */
  notReady?(): string | undefined;
  /** Flushes and releases files / connections; pending `read`s end. */
  close(): Promise<void>;
}

/** `append` refused: the queue is at its configured limit (events or bytes). */
export class QueueFullError extends Error {
  constructor(
    message: string,
    /** Seconds a client should wait before retrying (the server's Retry-After). */
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
    this.name = 'QueueFullError';
  }
}

/** The backend is missing, unreachable or refuses its configuration: one clear error, never a silent fallback to another queue. */
export class QueueUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueUnavailableError';
  }
}
