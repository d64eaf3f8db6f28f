// Prometheus metrics of `serve` (and of a delivery worker): one registry per server, never the
// global one, so tests and several servers in one process do not mix. prom-client renders the text
// format; no label ever holds event data or a credential (reasons are fixed codes).

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueStats } from '../queue/types.js';

export interface ServerMetrics {
  registry: Registry;
  received: Counter;
  accepted: Counter;
  rejected: Counter<'reason'>;
  requests: Counter<'status'>;
  delivered: Counter;
  skipped: Counter;
  failed: Counter;
  duplicates: Counter<'kind'>;
  latency: Histogram;
}

/** Creates the metrics; `stats` is read at each scrape for the queue gauges. */
export function createMetrics(stats: () => QueueStats & { deduplicated?: number; redelivered?: number }): ServerMetrics {
  const registry = new Registry();
  let dropped = 0;
  collectDefaultMetrics({ register: registry, prefix: 'cio_' });
  const m: ServerMetrics = {
    registry,
    received: new Counter({ name: 'cio_received_events_total', help: 'Events received in requests (before checks).', registers: [registry] }),
    accepted: new Counter({ name: 'cio_accepted_events_total', help: 'Events acknowledged (durable in the queue).', registers: [registry] }),
    rejected: new Counter({ name: 'cio_rejected_events_total', help: 'Events or requests refused, by reason.', labelNames: ['reason'], registers: [registry] }),
    requests: new Counter({ name: 'cio_http_requests_total', help: 'Ingestion requests answered, by status.', labelNames: ['status'], registers: [registry] }),
    delivered: new Counter({ name: 'cio_delivered_events_total', help: 'Events whose requests were all accepted by Customer.io.', registers: [registry] }),
    skipped: new Counter({ name: 'cio_skipped_events_total', help: 'Events no subscription sent anything for.', registers: [registry] }),
    failed: new Counter({ name: 'cio_failed_events_total', help: 'Events with a dead letter.', registers: [registry] }),
    duplicates: new Counter({
      name: 'cio_duplicates_total',
      help: 'deduplicated: a messageId seen inside the window, acknowledged and not queued again; possible: delivered events that may have reached Customer.io twice (redelivered after a restart, or an ambiguous send).',
      labelNames: ['kind'],
      registers: [registry],
      collect() {
        // the queue counts the ids it dropped; mirrored here at each scrape
        const now = stats().deduplicated ?? 0;
        if (now > dropped) this.inc({ kind: 'deduplicated' }, now - dropped);
        dropped = now;
      },
    }),
    latency: new Histogram({
      name: 'cio_delivery_latency_seconds',
      help: 'From receivedAt to the final outcome of the event.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
  };
  new Gauge({ name: 'cio_queue_depth', help: 'Events queued and not yet finished.', registers: [registry], collect() { this.set(stats().depth); } });
  new Gauge({ name: 'cio_queue_bytes', help: 'Bytes held for queued events.', registers: [registry], collect() { this.set(stats().bytes); } });
  new Gauge({
    name: 'cio_queue_redelivered_events',
    help: 'Events handed out again after a restart (queue backend count).',
    registers: [registry],
    collect() {
      this.set(stats().redelivered ?? 0);
    },
  });
  m.duplicates.inc({ kind: 'deduplicated' }, 0);
  m.duplicates.inc({ kind: 'possible' }, 0);
  return m;
}
