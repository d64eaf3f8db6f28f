// The JetStream EventQueue against a real nats-server: publish acknowledged by JetStream, the
// duplicate window, partitions, redelivery after ack wait, max deliver, requeue, clear errors.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JetStreamQueue, QueueUnavailableError } from '../../src/queue/jetstream.js';
import { initQueue } from '../../src/queue/jetstream/admin.js';
import { resolveJetStreamOptions } from '../../src/queue/jetstream/options.js';
import { partitionOf } from '../../src/queue/jetstream/partition.js';
import type { DeadLetter } from '../../src/runtime/dead-letter.js';
import type { QueuedEvent } from '../../src/queue/types.js';
import { freePort, startNatsServer, type NatsServer } from './nats-server.js';

let nats: NatsServer;
beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  await nats?.stop();
});

let streamNo = 0;
const fresh = (extra: Record<string, unknown> = {}) => ({ url: nats.url, stream: `t${++streamNo}`, deadLetterStream: `t${streamNo}-dl`, partitions: 4, leaseMs: 600, ackWaitMs: 1_000, ...extra });
const ev = (i: number, user = `u${i % 7}`) => ({ type: 'track', event: 'E', userId: user, messageId: `m${i}`, properties: { i }, receivedAt: '2026-01-01T00:00:00.000Z' });

async function take(q: JetStreamQueue, n: number, ac = new AbortController()): Promise<QueuedEvent[]> {
  const got: QueuedEvent[] = [];
  for await (const e of q.read(ac.signal)) {
    got.push(e);
    if (got.length >= n) break;
  }
  return got;
}

describe('JetStream queue', () => {
  it('append resolves after JetStream stored every event; read yields them per partition in order; done acknowledges', async () => {
    const q = await JetStreamQueue.open(fresh());
    try {
      const events = Array.from({ length: 200 }, (_, i) => ev(i));
      await q.append(events);
      const got = await take(q, 200);
      expect(got.map((g) => g.event.messageId).sort()).toEqual(events.map((e) => e.messageId).sort());
      // per user, the order of append is kept
      const byUser = new Map<string, number[]>();
      for (const g of got) byUser.set(g.event.userId as string, [...(byUser.get(g.event.userId as string) ?? []), (g.event.properties as { i: number }).i]);
      for (const seq of byUser.values()) expect(seq).toEqual([...seq].sort((a, b) => a - b));
      expect(got.every((g) => g.redelivered === 0)).toBe(true);
      await q.done(got.map((g) => g.id));
      expect(q.metrics.acked).toBe(200);
    } finally {
      await q.close();
    }
  });

  it('the same messageId published twice within the duplicate window is stored once', async () => {
    const o = fresh();
    const q = await JetStreamQueue.open(o);
    try {
      await q.append([ev(1), ev(2)]);
      await q.append([ev(1)]);
      expect(q.metrics.duplicatesDropped).toBe(1);
      const got = await take(q, 2);
      await q.done(got.map((g) => g.id));
      // nothing else comes: the third publish was dropped
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 1_500);
      expect(await take(q, 1, ac)).toEqual([]);
    } finally {
      await q.close();
    }
  });

  it('an event not acknowledged is handed out again after the ack wait, with redelivered > 0', async () => {
    const o = fresh({ partitions: 1 });
    const a = await JetStreamQueue.open(o);
    await a.append([ev(1)]);
    const first = await take(a, 1);
    expect(first[0]!.redelivered).toBe(0);
    // a worker that dies holding it: the connection goes away without ack or nak
    await (a as unknown as { nc: { close(): Promise<void> } }).nc.close();
    const b = await JetStreamQueue.open(o);
    try {
      const again = await take(b, 1);
      expect(again[0]!.event.messageId).toBe('m1');
      expect(again[0]!.redelivered).toBe(1);
      await b.done([again[0]!.id]);
    } finally {
      await b.close();
    }
  });

  it('past maxDeliver an event is dead-lettered with the reason, locally and on the dead-letter stream', async () => {
    const o = fresh({ partitions: 1, maxDeliver: 1 });
    const a = await JetStreamQueue.open(o);
    await a.append([ev(1), ev(2)]);
    const got = await take(a, 2);
    await a.done([got[1]!.id]);
    await (a as unknown as { nc: { close(): Promise<void> } }).nc.close();
    const letters: DeadLetter[] = [];
    const b = await JetStreamQueue.open(o, { onDeadLetter: async (l) => void letters.push(l) });
    try {
      const ac = new AbortController();
      const reading = take(b, 1, ac);
      const deadline = Date.now() + 30_000;
      while (letters.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      ac.abort();
      expect(await reading).toEqual([]);
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({ messageId: 'm1', stage: 'process', request: null, event: expect.objectContaining({ messageId: 'm1' }) });
      expect(letters[0]!.reason).toMatch(/maxDeliver 1/);
      expect(b.metrics.exhausted).toBe(1);
    } finally {
      await b.close();
    }
  });

  it('requeue hands events back at once, in order', async () => {
    const q = await JetStreamQueue.open(fresh({ partitions: 1 }));
    try {
      await q.append([ev(1, 'x'), ev(2, 'x'), ev(3, 'x')]);
      const ac = new AbortController();
      const it = q.read(ac.signal)[Symbol.asyncIterator]();
      const got: QueuedEvent[] = [];
      for (let i = 0; i < 3; i++) got.push((await it.next()).value as QueuedEvent);
      q.requeue(got.map((g) => g.id));
      const again: QueuedEvent[] = [];
      for (let i = 0; i < 3; i++) again.push((await it.next()).value as QueuedEvent);
      expect(again.map((g) => g.event.messageId)).toEqual(['m1', 'm2', 'm3']);
      expect(again.every((g) => g.redelivered === 1)).toBe(true);
      await q.done(again.map((g) => g.id));
      ac.abort();
      await it.return?.();
    } finally {
      await q.close();
    }
  });

  it('partitions follow the person: userId, else anonymousId', () => {
    expect(partitionOf({ userId: 'a', anonymousId: 'x' }, 16)).toBe(partitionOf({ userId: 'a' }, 16));
    expect(partitionOf({ anonymousId: 'x' }, 16)).toBe(partitionOf({ anonymousId: 'x', messageId: 'z' }, 16));
  });

  it('an unreachable NATS is one clear error (no fallback)', async () => {
    const port = await freePort();
    const err = await JetStreamQueue.open({ url: `nats://127.0.0.1:${port}`, connectTimeoutMs: 500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueueUnavailableError);
    expect((err as Error).message).toMatch(new RegExp(`cannot connect to NATS at nats://127.0.0.1:${port}`));
  });

  it('a stream laid out with other partitions is refused, naming both', async () => {
    const o = fresh();
    await initQueue(resolveJetStreamOptions(o, 'init'));
    const err = await JetStreamQueue.open({ ...o, partitions: 8 }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/partitions=4.*partitions=8/s);
  });
});
