// Metrics of the JetStream queue (publish and ack latency, redeliveries, pending per consumer) as
// prom-client metrics, added to the registry of whoever serves /metrics (serve or worker).

import { Counter, Gauge, Histogram, Registry, type Metric } from 'prom-client';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Plain counters (read by tests and the log) mirrored into prom-client metrics at each scrape. */
export class JetStreamMetrics {
  published = 0;
  /** Publishes JetStream dropped as a repeated messageId inside the duplicate window. */
  duplicatesDropped = 0;
  publishFailures = 0;
  acked = 0;
  ackFailures = 0;
  /** Messages handed out again (delivery count above 1). */
  redeliveries = 0;
  /** Messages dead-lettered after maxDeliver hand-outs, or unreadable. */
  exhausted = 0;
  /** Messages handed back (nak) on a stop, a hand-over or a 401. */
  requeued = 0;
  /** consumer name → not yet delivered / delivered and not acknowledged (refreshed every 2 s). */
  readonly pending = new Map<string, { pending: number; ackPending: number }>();
  streamMessages = 0;
  streamBytes = 0;
  ownedPartitions = 0;

  readonly publishSeconds: Histogram;
  readonly ackSeconds: Histogram;
  private readonly all: Metric[];

  constructor() {
    const none: Registry[] = [];
    const self = this;
    const counter = (name: string, help: string, read: () => number) => {
      let seen = 0;
      return new Counter({
        name: `cio_jetstream_${name}`,
        help,
        registers: none,
        collect() {
          const now = read();
          if (now > seen) this.inc(now - seen);
          seen = now;
        },
      });
    };
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({ name: `cio_jetstream_${name}`, help, registers: none, collect() { this.set(read()); } });
    this.publishSeconds = new Histogram({ name: 'cio_jetstream_publish_seconds', help: 'From publish to JetStream acknowledgement (per append call).', buckets: BUCKETS, registers: none });
    this.ackSeconds = new Histogram({ name: 'cio_jetstream_ack_seconds', help: 'From handing an event to delivery until JetStream confirmed its acknowledgement.', buckets: BUCKETS, registers: none });
    this.all = [
      counter('published_total', 'Events published and acknowledged by JetStream.', () => self.published),
      counter('duplicates_dropped_total', 'Publishes JetStream dropped as a repeated messageId inside the duplicate window.', () => self.duplicatesDropped),
      counter('publish_failures_total', 'Publishes that failed (the HTTP request was not acknowledged).', () => self.publishFailures),
      counter('acked_total', 'Events acknowledged to JetStream after they were finished.', () => self.acked),
      counter('ack_failures_total', 'Acknowledgements JetStream did not confirm (the event will be handed out again).', () => self.ackFailures),
      counter('redeliveries_total', 'Events handed out again (an earlier hand-out was not acknowledged).', () => self.redeliveries),
      counter('exhausted_total', 'Events dead-lettered after max_deliver hand-outs, or unreadable.', () => self.exhausted),
      counter('requeued_total', 'Events handed back unfinished (stop, partition hand-over, 401).', () => self.requeued),
      gauge('stream_messages', 'Messages in the events stream.', () => self.streamMessages),
      gauge('stream_bytes', 'Bytes in the events stream.', () => self.streamBytes),
      gauge('owned_partitions', 'Partitions this process owns (workers).', () => self.ownedPartitions),
      new Gauge({
        name: 'cio_jetstream_consumer_pending',
        help: 'Messages of a partition consumer not yet delivered.',
        labelNames: ['consumer'],
        registers: none,
        collect() {
          for (const [c, v] of self.pending) this.set({ consumer: c }, v.pending);
        },
      }),
      new Gauge({
        name: 'cio_jetstream_consumer_ack_pending',
        help: 'Messages of a partition consumer delivered and not yet acknowledged.',
        labelNames: ['consumer'],
        registers: none,
        collect() {
          for (const [c, v] of self.pending) this.set({ consumer: c }, v.ackPending);
        },
      }),
      this.publishSeconds,
      this.ackSeconds,
    ];
  }

  /** Adds every metric to `registry` (once per registry). */
  register(registry: Registry): void {
    for (const m of this.all) if (registry.getSingleMetric((m as unknown as { name: string }).name) === undefined) registry.registerMetric(m);
  }
}
