// Counters and latency histograms of the JetStream queue (publish, ack, redeliveries, pending per
// consumer), kept as plain numbers and rendered in Prometheus text by whoever serves /metrics.

/** Upper bounds in seconds of the latency histogram buckets. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export class Histogram {
  readonly counts = new Array<number>(LATENCY_BUCKETS.length).fill(0);
  sum = 0;
  count = 0;

  observe(seconds: number): void {
    this.sum += seconds;
    this.count++;
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) if (seconds <= LATENCY_BUCKETS[i]!) this.counts[i]!++;
  }
}

export class JetStreamMetrics {
  published = 0;
  /** Publishes JetStream dropped as duplicates of a messageId inside the window. */
  duplicatesDropped = 0;
  publishFailures = 0;
  readonly publishLatency = new Histogram();
  acked = 0;
  ackFailures = 0;
  readonly ackLatency = new Histogram();
  /** Messages handed out again (delivery count above 1). */
  redeliveries = 0;
  /** Messages dead-lettered after maxDeliver hand-outs, or unreadable. */
  exhausted = 0;
  /** Messages handed back (nak) on a stop or a partition hand-over. */
  requeued = 0;
  /** consumer name → messages not yet delivered + delivered and not acknowledged (refreshed every few seconds). */
  readonly pending = new Map<string, { pending: number; ackPending: number }>();
  streamMessages = 0;
  streamBytes = 0;
  ownedPartitions = 0;

  /** Prometheus text exposition of these metrics, prefixed `cio_jetstream_`. */
  render(labels: Record<string, string> = {}): string {
    const l = (extra: Record<string, string> = {}) => {
      const all = { ...labels, ...extra };
      const parts = Object.entries(all).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`);
      return parts.length === 0 ? '' : `{${parts.join(',')}}`;
    };
    const lines: string[] = [];
    const counter = (name: string, help: string, v: number) => lines.push(`# HELP cio_jetstream_${name} ${help}`, `# TYPE cio_jetstream_${name} counter`, `cio_jetstream_${name}${l()} ${v}`);
    const gauge = (name: string, help: string, v: number) => lines.push(`# HELP cio_jetstream_${name} ${help}`, `# TYPE cio_jetstream_${name} gauge`, `cio_jetstream_${name}${l()} ${v}`);
    const hist = (name: string, help: string, h: Histogram) => {
      lines.push(`# HELP cio_jetstream_${name} ${help}`, `# TYPE cio_jetstream_${name} histogram`);
      LATENCY_BUCKETS.forEach((b, i) => lines.push(`cio_jetstream_${name}_bucket${l({ le: String(b) })} ${h.counts[i]}`));
      lines.push(`cio_jetstream_${name}_bucket${l({ le: '+Inf' })} ${h.count}`, `cio_jetstream_${name}_sum${l()} ${h.sum}`, `cio_jetstream_${name}_count${l()} ${h.count}`);
    };
    counter('published_total', 'Events published and acknowledged by JetStream.', this.published);
    counter('duplicates_dropped_total', 'Publishes JetStream dropped as a repeated messageId inside the duplicate window.', this.duplicatesDropped);
    counter('publish_failures_total', 'Publishes that failed (the HTTP request was not acknowledged).', this.publishFailures);
    hist('publish_seconds', 'Time from publish to JetStream acknowledgement.', this.publishLatency);
    counter('acked_total', 'Events acknowledged to JetStream after they were finished.', this.acked);
    counter('ack_failures_total', 'Acknowledgements that did not reach JetStream (the event will be handed out again).', this.ackFailures);
    hist('ack_seconds', 'Time from handing an event to delivery until JetStream confirmed its acknowledgement.', this.ackLatency);
    counter('redeliveries_total', 'Events handed out again (an earlier hand-out was not acknowledged).', this.redeliveries);
    counter('exhausted_total', 'Events dead-lettered after max_deliver hand-outs, or unreadable.', this.exhausted);
    counter('requeued_total', 'Events handed back unfinished on a stop or a partition hand-over.', this.requeued);
    gauge('stream_messages', 'Messages in the events stream.', this.streamMessages);
    gauge('stream_bytes', 'Bytes in the events stream.', this.streamBytes);
    gauge('owned_partitions', 'Partitions this worker owns.', this.ownedPartitions);
    lines.push('# HELP cio_jetstream_consumer_pending Messages of a partition consumer not yet delivered.', '# TYPE cio_jetstream_consumer_pending gauge');
    for (const [c, v] of this.pending) lines.push(`cio_jetstream_consumer_pending${l({ consumer: c })} ${v.pending}`);
    lines.push('# HELP cio_jetstream_consumer_ack_pending Messages of a partition consumer delivered and not acknowledged.', '# TYPE cio_jetstream_consumer_ack_pending gauge');
    for (const [c, v] of this.pending) lines.push(`cio_jetstream_consumer_ack_pending${l({ consumer: c })} ${v.ackPending}`);
    return `${lines.join('\n')}\n`;
  }
}
