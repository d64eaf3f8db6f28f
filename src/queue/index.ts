// The queue factory: `createQueue(spec)` turns `--queue` / `--data-dir` into an EventQueue. The
// local journal is built in; other backends (NATS JetStream: `nats://…`) register a scheme, so the
// server, the delivery loop and the CLI never depend on a backend.

import { join } from 'node:path';
import { openJournal, type JournalOptions } from './journal.js';
import type { EventQueue } from './types.js';

export interface QueueSpec {
  /** `file:` / undefined (the local journal under `dataDir`) or a URL whose scheme is registered (`nats://host:4222`). */
  url?: string;
  /** Folder for local state (the journal in `journal/`; backends may keep their own files there). */
  dataDir: string;
  /** Journal tuning (ignored by other backends). */
  journal?: Omit<JournalOptions, 'dir'>;
  /** Backend-specific options (e.g. `{ stream: 'cio-events' }`). */
  options?: Record<string, unknown>;
}

export type QueueFactory = (spec: QueueSpec) => Promise<EventQueue>;

const factories = new Map<string, QueueFactory>();

/** Registers the backend for a URL scheme (`nats:`); a later registration replaces an earlier one. */
export function registerQueueBackend(scheme: string, factory: QueueFactory): void {
  factories.set(scheme.endsWith(':') ? scheme : `${scheme}:`, factory);
}

/** Opens the queue a spec names; an unknown scheme is an error naming the known ones. */
export async function createQueue(spec: QueueSpec): Promise<EventQueue> {
  if (spec.url === undefined || spec.url === '' || spec.url === 'file:' || spec.url === 'journal') {
    return openJournal({ dir: join(spec.dataDir, 'journal'), ...spec.journal });
  }
  // the scheme only: a NATS URL may list several servers (nats://a:4222,nats://b:4222), which is no single URL
  const m = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(spec.url);
  if (m === null) throw new Error(`--queue ${spec.url}: not a URL (use nats://HOST:PORT, or leave it out for the local journal)`);
  const scheme = m[1]!.toLowerCase();
  const factory = factories.get(scheme);
  if (factory === undefined) {
    const known = ['(none: the local journal)', ...factories.keys()].join(', ');
    throw new Error(`--queue ${spec.url}: no queue backend for ${scheme}; known: ${known}`);
  }
  return factory(spec);
}

// NATS JetStream (src/queue/jetstream.ts), loaded only when a nats:// queue is asked for
const jetStream: QueueFactory = async (spec) => (await import('./jetstream.js')).openJetStreamQueue(spec);
registerQueueBackend('nats:', jetStream);
registerQueueBackend('tls:', jetStream);

export { QueueFullError, QueueUnavailableError } from './types.js';
export type { AcceptedEvent, EventQueue, QueuedEvent, QueueStats } from './types.js';
