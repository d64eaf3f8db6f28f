// Partition ownership across workers: disjoint owners covering every partition, takeover after a
// worker dies (lease expiry, then the dead owner's events first), hand-over when a worker joins.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JetStreamQueue } from '../../src/queue/jetstream.js';
import { assignment } from '../../src/queue/jetstream/leases.js';
import { partitionOf } from '../../src/queue/jetstream/partition.js';
import type { QueuedEvent } from '../../src/queue/types.js';
import { startNatsServer, type NatsServer } from './nats-server.js';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';

let nats: NatsServer;
beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  await nats?.stop();
});

async function until(cond: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Reads in the background, acknowledging at once; records what it got. */
function worker(q: JetStreamQueue, got: QueuedEvent[], ack = true) {
  const ac = new AbortController();
  const done = (async () => {
    for await (const e of q.read(ac.signal)) {
      got.push(e);
      if (ack) await q.done([e.id]);
    }
  })();
  return { stop: async () => (ac.abort(), await done) };
}

const P = 8;
const ev = (i: number) => ({ type: 'track', event: 'E', userId: `u${i % 20}`, messageId: `m${i}`, properties: { i } });

describe('partition leases', () => {
  it('assignment: every partition one owner, shares within one of each other, few moves when a member leaves', () => {
    const members = ['a', 'b', 'c'];
    const owners = assignment(64, members);
    const counts = members.map((m) => owners.filter((o) => o === m).length);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(assignment(64, ['c', 'a', 'b'])).toEqual(owners); // same table whatever the order seen
    const after = assignment(64, ['a', 'b']);
    const moved = owners.filter((o, p) => o !== 'c' && after[p] !== o).length;
    expect(moved).toBeLessThanOrEqual(8); // c's 21 partitions move; of the others, few
  });

  it('three workers own disjoint partitions covering all; a killed one is taken over, its unacknowledged events first; a joining one gets a share', async () => {
    const o = { url: nats.url, stream: 'lease', deadLetterStream: 'lease-dl', partitions: P, leaseMs: 900, ackWaitMs: 1_500 };
    const qs = await Promise.all([0, 1, 2].map((i) => JetStreamQueue.open({ ...o, name: `w${i}` })));
    const got: QueuedEvent[][] = [[], [], []];
    // w2 never acknowledges: it will die holding events
    const ws = qs.map((q, i) => worker(q, got[i]!, i !== 2));
    // each owns what rendezvous hashing gives it among the three (a first starter briefly holds more)
    const wanted = (name: string, members: string[]) => Array.from({ length: P }, (_, p) => p).filter((p) => assignment(P, members)[p] === name);
    await until(() => qs.every((q, i) => JSON.stringify(q.ownedPartitions) === JSON.stringify(wanted(`w${i}`, ['w0', 'w1', 'w2']))), 'the rendezvous assignment');
    for (const q of qs) expect(q.ownedPartitions.length).toBeGreaterThan(0);

    await qs[0]!.append(Array.from({ length: 300 }, (_, i) => ev(i)));
    await until(() => got.flat().length >= 300, '300 events read');
    // each worker only got events of its partitions
    qs.forEach((q, i) => {
      const mine = new Set(q.ownedPartitions);
      for (const e of got[i]!) expect(mine.has(partitionOf(e.event, P))).toBe(true);
    });
    const orphanIds = got[2]!.map((e) => e.event.messageId);
    expect(orphanIds.length).toBeGreaterThan(0);
    const orphanPartitions = qs[2]!.ownedPartitions;

    // kill w2: its connection vanishes, no release, no nak
    await (qs[2] as unknown as { nc: { close(): Promise<void> } }).nc.close();
    await ws[2]!.stop().catch(() => undefined);
    // newer events of the same people arrive before the takeover: they must not overtake the orphans
    await qs[0]!.append(Array.from({ length: 100 }, (_, i) => ev(300 + i)));
    await until(() => {
      const owned = [qs[0]!, qs[1]!].flatMap((q) => q.ownedPartitions);
      return orphanPartitions.every((p) => owned.includes(p));
    }, 'the dead worker\'s partitions taken over');
    await until(() => got[0]!.length + got[1]!.length >= 400, 'every event acknowledged by the survivors');
    const redelivered = [...got[0]!, ...got[1]!].filter((e) => e.redelivered > 0).map((e) => e.event.messageId);
    expect(redelivered.sort()).toEqual([...orphanIds].sort());

    // per person, the survivors handed out events in append order: the redelivered orphans before the newer ones
    for (const q of [qs[0]!, qs[1]!]) {
      const seen = got[qs.indexOf(q)]!.map((e) => e.event.properties as { i: number });
      const byUser = new Map<number, number[]>();
      for (const s of seen) byUser.set(s.i % 20, [...(byUser.get(s.i % 20) ?? []), s.i]);
      for (const list of byUser.values()) expect(list).toEqual([...list].sort((a, b) => a - b));
    }

    // a fourth worker joins: it is handed a share, and no partition has two owners
    const q3 = await JetStreamQueue.open({ ...o, name: 'w3' });
    const got3: QueuedEvent[] = [];
    const w3 = worker(q3, got3);
    await until(() => q3.ownedPartitions.length > 0, 'the new worker owns partitions');
    await until(() => {
      const owned = [qs[0]!, qs[1]!, q3].flatMap((q) => q.ownedPartitions);
      return owned.length === P && new Set(owned).size === P;
    }, 'a stable assignment');
    await qs[1]!.append(Array.from({ length: 100 }, (_, i) => ev(1000 + i)));
    await until(() => got[0]!.length + got[1]!.length + got3.length >= 500, 'events after the join');
    for (const w of [ws[0]!, ws[1]!, w3]) await w.stop();
    for (const q of [qs[0]!, qs[1]!, q3]) await q.close();
  });

  // The take-over bug of the scale test: a worker took a dead owner's partition, and while it waited
  // for the dead owner's events it handed the partition on (a member joined), writing `released`;
  // the next owner trusted the release and pulled newer events before the dead owner's came back.
  // Here the dead owner is a raw pull that never acknowledges, and the lease says `released`.
  it('a partition whose lease says released while a dead owner still holds events: the new owner hands out those first, then the newer ones', async () => {
    const o = { url: nats.url, stream: 'dirty', deadLetterStream: 'dirty-dl', partitions: 1, leaseMs: 600, ackWaitMs: 1_500 };
    const q = await JetStreamQueue.open({ ...o, name: 'next' });
    await q.append(Array.from({ length: 40 }, (_, i) => ({ type: 'track', event: 'E', userId: 'one-person', messageId: `d${i}`, properties: { i } })));
    const nc = await connect({ servers: nats.url });
    const orphans: number[] = [];
    const consumer = await jetstream(nc).consumers.get('dirty', 'p0');
    for await (const m of await consumer.fetch({ max_messages: 15, expires: 2_000 })) orphans.push((m.json() as { properties: { i: number } }).properties.i);
    expect(orphans).toEqual(Array.from({ length: 15 }, (_, i) => i));
    const kv = await new Kvm(nc).create('dirty-leases', { ttl: 600, history: 1 });
    await kv.put('partition.0', new TextEncoder().encode(JSON.stringify({ owner: 'gone', state: 'released' })));
    await nc.close(); // the owner is gone: its 15 events are unacknowledged until their ack wait ends
    const got: QueuedEvent[] = [];
    const w = worker(q, got);
    await until(() => got.length >= 40, 'all 40 events handed out');
    expect(got.map((e) => (e.event.properties as { i: number }).i)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(got.filter((e) => e.redelivered > 0).map((e) => (e.event.properties as { i: number }).i)).toEqual(orphans);
    await w.stop();
    await q.close();
  });
});
