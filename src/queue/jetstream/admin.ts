// Connecting to NATS and creating, idempotently, what the JetStream queue needs: the events stream
// (one subject per partition), a durable pull consumer per partition, the dead-letter stream and
// the lease bucket. Used at start by `serve` and `worker`, and by `cio-actions queue init`.

import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  jetstreamManager,
  ReplayPolicy,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { names, parseServers, redactUrl, type ResolvedJetStreamOptions } from './options.js';

// NATS missing, unreachable, without JetStream, or streams that do not match the configuration
export { QueueUnavailableError } from '../types.js';
import { QueueUnavailableError } from '../types.js';

const ns = (ms: number) => ms * 1_000_000;
const DESCRIPTION = (partitions: number) => `cio-actions events; partitions=${partitions}`;

/** Connects (reconnecting forever afterwards); one clear error when the first connect fails. */
export async function connectNats(o: ResolvedJetStreamOptions): Promise<NatsConnection> {
  const servers = parseServers(o.url);
  try {
    return await connect({
      servers,
      name: o.name,
      timeout: o.connectTimeoutMs,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      pingInterval: 5_000,
    });
  } catch (err) {
    throw new QueueUnavailableError(`cannot connect to NATS at ${servers.map(redactUrl).join(', ')}: ${(err as Error).message}`);
  }
}

/** The JetStream manager; a clear error when the server runs without JetStream (`-js`). */
export async function manager(nc: NatsConnection, o: ResolvedJetStreamOptions): Promise<JetStreamManager> {
  try {
    return await jetstreamManager(nc, { timeout: o.connectTimeoutMs });
  } catch (err) {
    throw new QueueUnavailableError(`NATS at ${redactUrl(o.url)} has no JetStream (start nats-server with -js): ${(err as Error).message}`);
  }
}

function streamConfig(o: ResolvedJetStreamOptions): Partial<StreamConfig> & { name: string } {
  const n = names(o);
  return {
    name: o.stream,
    description: DESCRIPTION(o.partitions),
    subjects: [n.subjects],
    retention: o.retention === 'workqueue' ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
    storage: StorageType.File,
    num_replicas: o.replicas,
    max_bytes: o.maxBytes,
    max_age: o.retention === 'limits' ? ns(o.maxAgeMs) : 0,
    // refused, not evicted: an acknowledged event is never dropped to make room
    discard: DiscardPolicy.New,
    duplicate_window: ns(o.duplicateWindowMs),
  };
}

function consumerConfig(o: ResolvedJetStreamOptions, p: number): Partial<ConsumerConfig> & { durable_name: string } {
  return {
    durable_name: names(o).consumer(p),
    filter_subject: names(o).subject(p),
    ack_policy: AckPolicy.Explicit,
    ack_wait: ns(o.ackWaitMs),
    // the worker dead-letters past maxDeliver itself (with the reason); the server never drops one silently
    max_deliver: -1,
    max_ack_pending: o.maxAckPending,
    deliver_policy: DeliverPolicy.All,
    replay_policy: ReplayPolicy.Instant,
  };
}

/** Creates or updates the events stream, its consumers and the dead-letter stream; refuses a stream laid out differently. */
export async function ensureStreams(jsm: JetStreamManager, o: ResolvedJetStreamOptions): Promise<void> {
  const want = streamConfig(o);
  const existing = await jsm.streams.info(o.stream).catch((err: Error) => {
    if (/stream not found/i.test(err.message)) return undefined;
    throw new QueueUnavailableError(`JetStream: cannot read stream ${o.stream}: ${err.message}`);
  });
  if (existing === undefined) {
    await jsm.streams.add(want).catch((err: Error) => {
      throw new QueueUnavailableError(`JetStream: cannot create stream ${o.stream}: ${err.message}`);
    });
  } else {
    const c = existing.config;
    if (c.description !== want.description || c.subjects.join(',') !== want.subjects!.join(',')) {
      throw new QueueUnavailableError(
        `JetStream stream ${o.stream} exists with another layout (${c.description ?? 'not made by cio-actions'}; subjects ${c.subjects.join(',')}); configured: partitions=${o.partitions}. Use another --stream, or move the events first`,
      );
    }
    if (c.retention !== want.retention) {
      throw new QueueUnavailableError(`JetStream stream ${o.stream} has retention ${c.retention}; configured: ${want.retention} (retention cannot be changed in place)`);
    }
    if (c.max_bytes !== want.max_bytes || c.num_replicas !== want.num_replicas || c.duplicate_window !== want.duplicate_window || c.max_age !== want.max_age) {
      await jsm.streams.update(o.stream, { max_bytes: want.max_bytes!, num_replicas: want.num_replicas!, duplicate_window: want.duplicate_window!, max_age: want.max_age! }).catch((err: Error) => {
        throw new QueueUnavailableError(`JetStream: cannot update stream ${o.stream}: ${err.message}`);
      });
    }
  }
  for (let p = 0; p < o.partitions; p++) {
    const cfg = consumerConfig(o, p);
    const info = await jsm.consumers.info(o.stream, cfg.durable_name).catch(() => undefined);
    if (info === undefined) await jsm.consumers.add(o.stream, cfg);
    else if (info.config.ack_wait !== cfg.ack_wait || info.config.max_ack_pending !== cfg.max_ack_pending) {
      await jsm.consumers.update(o.stream, cfg.durable_name, { ack_wait: cfg.ack_wait!, max_ack_pending: cfg.max_ack_pending! });
    }
  }
  const dl = await jsm.streams.info(o.deadLetterStream).catch(() => undefined);
  if (dl === undefined) {
    await jsm.streams.add({
      name: o.deadLetterStream,
      description: 'cio-actions dead letters (read them with `cio-actions queue dead-letters`)',
      subjects: [names(o).deadLetterSubject],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      num_replicas: o.replicas,
      discard: DiscardPolicy.New,
      duplicate_window: ns(o.duplicateWindowMs),
    });
  }
}

/** Opens (creating) the lease bucket; its entries expire `leaseMs` after their last renewal. */
export async function ensureLeases(nc: NatsConnection, o: ResolvedJetStreamOptions): Promise<KV> {
  const kvm = new Kvm(nc);
  const name = names(o).leases;
  try {
    return await kvm.create(name, { ttl: o.leaseMs, history: 1, replicas: o.replicas });
  } catch (err) {
    // created earlier with another ttl: use it as it is (the bucket's ttl is the lease time)
    try {
      return await kvm.open(name);
    } catch {
      throw new QueueUnavailableError(`JetStream: cannot create the lease bucket ${name}: ${(err as Error).message}`);
    }
  }
}

/** Everything at once, for `cio-actions queue init`: returns what exists afterwards. */
export async function initQueue(o: ResolvedJetStreamOptions): Promise<{ stream: string; partitions: number; consumers: string[]; deadLetterStream: string; leases: string }> {
  const nc = await connectNats(o);
  try {
    const jsm = await manager(nc, o);
    await ensureStreams(jsm, o);
    await ensureLeases(nc, o);
    const n = names(o);
    return { stream: o.stream, partitions: o.partitions, consumers: Array.from({ length: o.partitions }, (_, p) => n.consumer(p)), deadLetterStream: o.deadLetterStream, leases: n.leases };
  } finally {
    await nc.close();
  }
}
