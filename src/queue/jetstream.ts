// The EventQueue over NATS JetStream: `append` publishes each event to its person partition with
// Nats-Msg-Id = messageId and resolves once JetStream acknowledged every publish; `read` consumes
// the partitions this worker leases (one owner per partition), `done` acknowledges.

import type { NatsConnection } from '@nats-io/nats-core';
import { jetstream, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { QueueFullError, type AcceptedEvent, type EventQueue, type QueueStats, type QueuedEvent } from './types.js';
import { deadLetterLine, type DeadLetter } from '../runtime/dead-letter.js';
import { connectNats, ensureLeases, ensureStreams, manager, QueueUnavailableError } from './jetstream/admin.js';
import { Channel } from './jetstream/channel.js';
import { PartitionLeases, type Acquired } from './jetstream/leases.js';
import { JetStreamMetrics } from './jetstream/metrics.js';
import { names, redactUrl, resolveJetStreamOptions, type JetStreamOptions, type ResolvedJetStreamOptions } from './jetstream/options.js';
import type { Registry } from 'prom-client';
import { msgIdOf, partitionOf } from './jetstream/partition.js';

export { QueueUnavailableError } from './jetstream/admin.js';
export type { JetStreamOptions } from './jetstream/options.js';

export interface JetStreamQueueHooks {
  /** A message that will not be processed (past maxDeliver, or unreadable): written to the worker's local dead-letter file. */
  onDeadLetter?: (letter: DeadLetter) => Promise<void>;
  /** Background problems (a lost lease, a failed fetch); the queue retries. Never holds credentials. */
  onWarning?: (message: string) => void;
  /** Ownership changes (partition acquired, handed over, released), for the log. */
  onInfo?: (message: string) => void;
}

interface Held {
  msg: JsMsg;
  partition: number;
  seq: number;
  /** performance.now() when handed to `read`. */
  at: number;
}


/** A gate's held messages by stream sequence (the order delivery must see them in). */
function inStreamOrder(gate: Map<number, Gated>): Array<[number, Gated]> {
  return [...gate.entries()].sort((a, b) => a[0] - b[0]);
}
interface PartitionState {
  partition: number;
  stopping: boolean;
  /** Resolves when its pull loop has ended (every fetched message is in the channel or in `leftover`). */
  ended: Promise<void>;
  /** Fetched after the stop began: held, handed back together with the unread ones, in stream order. */
  leftover: string[];
  /**
   * While defined, the partition is gated: what is fetched is held here (extended by working()),
   * not handed to delivery, until every unacknowledged message of the consumer is in it; then it
   * is handed out sorted by stream sequence. Set at every acquisition and after a failed fetch.
   */
  gate: Map<number, Gated> | undefined;
  /** When the gate was closed (performance.now()), for the log. */
  gatedAt: number;
}

interface Gated {
  id: string;
  event: AcceptedEvent;
  redelivered: number;
}

const enc = new TextEncoder();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());

/** A queue on JetStream; `open` connects and creates the streams, consumers and lease bucket idempotently. */
export class JetStreamQueue implements EventQueue {
  readonly metrics = new JetStreamMetrics();
  private readonly n: ReturnType<typeof names>;
  private readonly js: JetStreamClient;
  private readonly held = new Map<string, Held>();
  private readonly parts = new Map<number, PartitionState>();
  private channel: Channel<QueuedEvent> | undefined;
  private leases: PartitionLeases | undefined;
  private timers: Array<ReturnType<typeof setInterval>> = [];
  private closed = false;
  private reading = false;
  private isConnected = true;

  private constructor(
    readonly options: ResolvedJetStreamOptions,
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly hooks: JetStreamQueueHooks,
  ) {
    this.n = names(options);
    this.js = jetstream(nc, { timeout: 10_000 });
    this.timers.push(setInterval(() => void this.refresh(), 2_000));
    void this.refresh();
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect') this.isConnected = false;
        else if (s.type === 'reconnect') this.isConnected = true;
      }
    })().catch(() => undefined);
  }

  /** Connects and ensures the streams and consumers; throws QueueUnavailableError (never falls back). */
  static async open(options: JetStreamOptions, hooks: JetStreamQueueHooks = {}): Promise<JetStreamQueue> {
    const o = resolveJetStreamOptions(options, `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`.replace(/[^A-Za-z0-9_-]/g, '_'));
    const nc = await connectNats(o);
    try {
      const jsm = await manager(nc, o);
      await ensureStreams(jsm, o);
      return new JetStreamQueue(o, nc, jsm, hooks);
    } catch (err) {
      await nc.close().catch(() => undefined);
      throw err instanceof QueueUnavailableError ? err : new QueueUnavailableError(`JetStream: ${(err as Error).message}`);
    }
  }

  /** True while connected to a server (for /ready). */
  get connected(): boolean {
    return this.isConnected && !this.nc.isClosed();
  }

  /** Partitions this worker currently owns. */
  get ownedPartitions(): number[] {
    return this.leases?.owned ?? [];
  }

  async append(events: readonly AcceptedEvent[]): Promise<void> {
    if (this.closed) throw new Error('the JetStream queue is closed');
    const started = performance.now();
    const results = await Promise.allSettled(
      events.map((event) => {
        const messageId = typeof event.messageId === 'string' ? event.messageId : '';
        const subject = this.n.subject(partitionOf(event, this.options.partitions));
        return this.js.publish(subject, enc.encode(JSON.stringify(event)), messageId === '' ? {} : { msgID: msgIdOf(messageId) });
      }),
    );
    this.metrics.publishSeconds.observe((performance.now() - started) / 1000);
    let failure: unknown;
    for (const r of results) {
      if (r.status === 'fulfilled') {
        this.metrics.published++;
        if (r.value.duplicate) this.metrics.duplicatesDropped++;
      } else {
        this.metrics.publishFailures++;
        failure ??= r.reason;
      }
    }
    if (failure !== undefined) {
      const message = (failure as Error)?.message ?? String(failure);
      // DiscardPolicy.New at max_bytes: the stream refuses; the client retries later (its retry is deduplicated)
      if (/maximum (bytes|messages)|insufficient resources/i.test(message)) throw new QueueFullError(`JetStream stream ${this.options.stream} is full: ${message}`, 5);
      throw new QueueUnavailableError(`JetStream did not acknowledge the publish: ${message}`);
    }
  }

  async *read(signal?: AbortSignal): AsyncIterable<QueuedEvent> {
    if (this.reading) throw new Error('read() is already running on this queue');
    this.reading = true;
    this.channel ??= new Channel<QueuedEvent>(Math.max(64, Math.min(1_000, this.options.maxAckPending)));
    await this.startLeases();
    const channel = this.channel;
    try {
      for (;;) {
        const item = await channel.take(signal);
        if (item === undefined) return;
        const h = this.held.get(item.id);
        if (h !== undefined) h.at = performance.now();
        yield item;
      }
    } finally {
      this.reading = false;
    }
  }

  async done(ids: readonly string[]): Promise<void> {
    await Promise.all(ids.map((id) => this.ack(id)));
  }

  /** Hands events back unfinished (a stop, a 401): redelivered after `delayMs`, in stream order. */
  requeue(ids: readonly string[], delayMs = 0): void {
    const hs = ids.map((id) => this.held.get(id)).filter((h): h is Held => h !== undefined);
    hs.sort((a, b) => a.seq - b.seq);
    for (const h of hs) {
      this.held.delete(`${h.partition}.${h.seq}`);
      h.msg.nak(delayMs > 0 ? delayMs : undefined);
      this.metrics.requeued++;
    }
  }

  /** Publishes a dead letter to the dead-letter stream; resolves once JetStream stored it. */
  async publishDeadLetter(letter: DeadLetter): Promise<void> {
    await this.js.publish(this.n.deadLetterSubject, enc.encode(deadLetterLine(letter)));
  }

  /** Publishes dead letters; resolves once JetStream stored every one (throws otherwise: their events stay unacknowledged). */
  async publishDeadLetters(letters: readonly DeadLetter[]): Promise<void> {
    await Promise.all(letters.map((l) => this.publishDeadLetter(l)));
  }

  registerMetrics(registry: Registry): void {
    this.metrics.register(registry);
  }

  notReady(): string | undefined {
    return this.connected ? undefined : `NATS at ${redactUrl(this.options.url)} is not reachable (reconnecting)`;
  }

  stats(): QueueStats & { redelivered: number; deduplicated: number } {
    let depth = 0;
    for (const v of this.metrics.pending.values()) depth += v.pending + v.ackPending;
    return {
      depth: this.metrics.pending.size > 0 ? depth : this.metrics.streamMessages,
      bytes: this.metrics.streamBytes,
      redelivered: this.metrics.redeliveries,
      deduplicated: this.metrics.duplicatesDropped,
    };
  }

  /** Graceful stop of the consumer side: no more pulls; what was fetched and not yet read is handed back. */
  async stopReading(): Promise<void> {
    await this.leases?.leave();
    for (const st of this.parts.values()) st.stopping = true;
    await Promise.all([...this.parts.values()].map((s) => s.ended));
    const unread = this.channel?.close() ?? [];
    // one call, so the naks go out in stream order (a person's earlier events come back first)
    this.requeue([...unread.map((q) => q.id), ...[...this.parts.values()].flatMap((st) => st.leftover.splice(0))]);
  }

  /** Hands back what is still held, releases every partition (the next owner starts at once), closes the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.stopReading();
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.requeue([...this.held.keys()]);
    if (this.leases !== undefined) {
      await this.leases.stop();
      for (const p of this.leases.owned) await this.leases.release(p);
    }
    await this.nc.drain().catch(() => this.nc.close());
  }

  private async ack(id: string): Promise<void> {
    const h = this.held.get(id);
    if (h === undefined) return;
    for (let attempt = 1; ; attempt++) {
      const ok = await h.msg.ackAck({ timeout: 5_000 }).catch(() => false);
      if (ok) {
        this.metrics.acked++;
        this.metrics.ackSeconds.observe((performance.now() - h.at) / 1000);
        break;
      }
      if (attempt >= 4 || this.closed) {
        // not confirmed: the event will be handed out again (and counted as a possible duplicate)
        this.metrics.ackFailures++;
        this.hooks.onWarning?.(`acknowledgement of ${this.options.stream} message ${h.seq} not confirmed; it will be redelivered`);
        break;
      }
      await sleep(250 * attempt);
    }
    this.held.delete(id);
  }

  private async startLeases(): Promise<void> {
    if (this.leases !== undefined) return;
    const kv = await ensureLeases(this.nc, this.options);
    this.leases = new PartitionLeases(kv, this.options.name, this.options.partitions, this.options.leaseMs, {
      acquired: (a) => this.consume(a),
      handOver: (p) => void this.handOver(p),
      lost: (p) => {
        // fenced: another worker may own it now; what we fetched and delivery has not read yet goes back
        const st = this.parts.get(p);
        if (st === undefined) return;
        st.stopping = true;
        void st.ended.then(() => {
          const unread = this.channel?.remove((q) => q.id.startsWith(`${p}.`)) ?? [];
          this.requeue([...unread.map((q) => q.id), ...st.leftover.splice(0)]);
          this.hooks.onWarning?.(`partition ${p}: lease lost (this process was starved or cut off); ${unread.length} unread events handed back`);
        });
      },
      error: (err) => this.hooks.onWarning?.(`partition leases: ${err.message}`),
    });
    this.leases.start();
    if (process.env.CIO_DEBUG_QUEUE === '1') {
      this.timers.push(
        setInterval(() => {
          const per: Record<number, number> = {};
          for (const h of this.held.values()) per[h.partition] = (per[h.partition] ?? 0) + 1;
          this.hooks.onInfo?.(`debug: channel ${this.channel?.size} held ${JSON.stringify(per)} parts ${JSON.stringify([...this.parts.values()].map((p) => [p.partition, p.stopping]))} owned ${this.leases?.owned}`);
        }, 1000),
      );
    }
    // keep held events from being handed to another worker while delivery works on them
    const every = Math.max(200, Math.floor(this.options.ackWaitMs / 3));
    this.timers.push(
      setInterval(() => {
        const fresh = this.leases !== undefined && Date.now() - this.leases.lastRenewal < this.options.leaseMs;
        if (!fresh) return; // fenced: our leases may have expired; let the events go
        const owned = new Set(this.leases!.owned);
        for (const h of this.held.values()) if (owned.has(h.partition)) h.msg.working();
      }, every),
    );
  }

  private consume(a: Acquired): void {
    this.hooks.onInfo?.(`partition ${a.partition} acquired${a.afterExpiry ? ' (after expiry)' : ''}`);
    // gated from the start, whether the lease was released or expired: the consumer, not the lease, says what is outstanding
    const st: PartitionState = { partition: a.partition, stopping: false, ended: Promise.resolve(), leftover: [], gate: new Map(), gatedAt: performance.now() };
    this.parts.set(a.partition, st);
    this.metrics.ownedPartitions = this.parts.size;
    st.ended = this.pullLoop(st).catch((err: unknown) => this.hooks.onWarning?.(`partition ${a.partition}: ${(err as Error).message}`));
  }

  /**
   * The gate opens when nothing of this partition is with delivery any more and the consumer has no
   * unacknowledged message outside the gate: then no earlier event of a person of the partition
   * can still be held by anyone else (a dead owner, an abandoned pull, a hand-over's naks), so the
   * gated events, sorted by stream sequence, are the partition's first unacknowledged ones.
   * Messages of others become ours only by redelivery (after their ack wait), and redeliveries are
   * fetched into the gate like any other message, so it opens by itself once they all came.
   */
  private async gateCanOpen(st: PartitionState, consumer: string): Promise<boolean> {
    const gate = st.gate!;
    for (const h of this.held.values()) if (h.partition === st.partition && !gate.has(h.seq)) return false;
    // counted before asking: the gate only grows in this loop, so pending <= this means pending is exactly the gate
    const inGate = gate.size;
    const info = await this.jsm.consumers.info(this.options.stream, consumer).catch(() => undefined);
    return info !== undefined && info.num_ack_pending <= inGate;
  }

  /** Hands the gated events to delivery in stream order; from now on the pull loop passes messages straight on. */
  private async openGate(st: PartitionState): Promise<void> {
    const gated = inStreamOrder(st.gate!);
    st.gate = undefined;
    const redelivered = gated.filter(([, g]) => g.redelivered > 0).length;
    if (gated.length > 0 || performance.now() - st.gatedAt > 1_000) {
      this.hooks.onInfo?.(`partition ${st.partition}: every unacknowledged event in hand after ${Math.round(performance.now() - st.gatedAt)} ms (${gated.length}, ${redelivered} redelivered); handing them out in stream order`);
    }
    for (const [, g] of gated) if (this.held.has(g.id)) await this.handOut(st, g);
  }

  private async pullLoop(st: PartitionState): Promise<void> {
    const name = this.n.consumer(st.partition);
    try {
      while (!st.stopping && !this.closed) {
        try {
          const consumer = await this.js.consumers.get(this.options.stream, name);
          while (!st.stopping && !this.closed) {
            if (st.gate !== undefined && (await this.gateCanOpen(st, name)) && !st.stopping) await this.openGate(st);
            // short pulls: what a pull brings is taken at once (held, extended by working()); a longer
            // one leaves messages waiting in the client, unextended, behind a slow delivery
            const batch = await consumer.fetch({ max_messages: 100, expires: 1_000 });
            // the whole batch is taken even when stopping, so nothing fetched is left to an ack-wait timeout
            for await (const m of batch) await this.take(st, m);
          }
        } catch (err) {
          if (st.stopping || this.closed) break;
          this.hooks.onWarning?.(`partition ${st.partition}: fetch failed (${(err as Error).message}); retrying`);
          // messages the server sent to the abandoned pull are unacknowledged but not ours: gate again,
          // so they come back (redelivered) and go out before the newer ones of the same people
          if (st.gate === undefined) {
            st.gate = new Map();
            st.gatedAt = performance.now();
          }
          await sleep(500);
        }
      }
    } finally {
      // stopped while gated: the gated events go back with the rest, in stream order
      if (st.gate !== undefined) {
        for (const [, g] of inStreamOrder(st.gate)) if (this.held.has(g.id)) st.leftover.push(g.id);
        st.gate = undefined;
      }
    }
  }

  private async take(st: PartitionState, m: JsMsg): Promise<void> {
    const deliveries = m.info.deliveryCount;
    if (deliveries > 1) this.metrics.redeliveries++;
    let event: unknown;
    try {
      event = m.json<unknown>();
    } catch {
      event = undefined;
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      await this.exhaust(m, null, `message ${m.seq} of ${this.options.stream} is not a JSON object`);
      return;
    }
    if (deliveries > this.options.maxDeliver) {
      await this.exhaust(m, event, `handed out ${deliveries - 1} times without being finished (maxDeliver ${this.options.maxDeliver}): the workers holding it stopped or crashed`);
      return;
    }
    const id = `${st.partition}.${m.seq}`;
    this.held.set(id, { msg: m, partition: st.partition, seq: m.seq, at: performance.now() });
    const g: Gated = { id, event: event as AcceptedEvent, redelivered: deliveries - 1 };
    if (st.gate !== undefined) st.gate.set(m.seq, g); // a second copy of a gated one replaces it
    else await this.handOut(st, g);
  }

  private async handOut(st: PartitionState, g: Gated): Promise<void> {
    if (st.stopping || !(await this.channel!.push({ id: g.id, event: g.event, redelivered: g.redelivered }))) st.leftover.push(g.id);
    // pushed while a stop began (the channel was full): it must not be read, it goes back with the rest
    else if (st.stopping) this.channel!.remove((q) => q.id === g.id).forEach((q) => st.leftover.push(q.id));
  }

  private async exhaust(m: JsMsg, event: unknown, reason: string): Promise<void> {
    const messageId = event !== null && typeof event === 'object' && Object.hasOwn(event, 'messageId') ? (event as { messageId: unknown }).messageId : null;
    const letter: DeadLetter = {
      index: m.seq,
      messageId: typeof messageId === 'string' ? messageId : null,
      subscription: null,
      action: null,
      stage: 'process',
      request: null,
      batching: null,
      event: event ?? m.string(),
      status: null,
      reason,
      outcomeUnknown: m.info.deliveryCount > 1,
      attempts: 0,
    };
    await this.hooks.onDeadLetter?.(letter);
    await this.publishDeadLetter(letter);
    this.metrics.exhausted++;
    await m.ackAck({ timeout: 5_000 }).catch(() => false);
  }

  /** Another member should own `p`: stop pulling it, wait until delivery settled what it holds of it, hand the rest back, release. */
  private async handOver(p: number): Promise<void> {
    const st = this.parts.get(p);
    if (st === undefined) return void (await this.leases?.release(p));
    st.stopping = true;
    await st.ended;
    const unread = this.channel?.remove((q) => q.id.startsWith(`${p}.`)) ?? [];
    this.requeue([...unread.map((q) => q.id), ...st.leftover.splice(0)]);
    while (!this.closed && [...this.held.values()].some((h) => h.partition === p)) await sleep(100);
    this.parts.delete(p);
    this.metrics.ownedPartitions = this.parts.size;
    await this.leases?.release(p);
    this.hooks.onInfo?.(`partition ${p} handed over`);
  }

  private async refresh(): Promise<void> {
    if (this.closed) return;
    try {
      const info = await this.jsm.streams.info(this.options.stream);
      this.metrics.streamMessages = info.state.messages;
      this.metrics.streamBytes = info.state.bytes;
      for (let p = 0; p < this.options.partitions; p++) {
        const c = await this.jsm.consumers.info(this.options.stream, this.n.consumer(p));
        this.metrics.pending.set(c.name, { pending: c.num_pending, ackPending: c.num_ack_pending });
      }
    } catch {
      // the server is away; the next refresh will tell
    }
  }
}

/** The `nats://` backend of createQueue (src/queue/index.ts): `spec.options` is the configuration's `queue` block plus --stream. */
export async function openJetStreamQueue(spec: { url?: string; options?: Record<string, unknown> }): Promise<JetStreamQueue> {
  return JetStreamQueue.open({ ...(spec.options as Partial<JetStreamOptions>), url: spec.url ?? '' });
}
