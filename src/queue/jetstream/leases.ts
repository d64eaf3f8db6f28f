// Partition ownership for workers: a lease per partition in a JetStream KV bucket (compare-and-set
// on the entry's revision, expiry by the bucket's max age), membership by heartbeat keys, and the
// wanted owner of a partition chosen by bounded-load rendezvous hashing over the live members (docs/scaling.md).

import { createHash } from 'node:crypto';
import type { KV, KvEntry } from '@nats-io/kv';

/** What a lease entry holds. `released`: the owner finished or handed back everything (no wait for the next one). */
interface LeaseValue {
  owner: string;
  state: 'held' | 'released';
}

/** How a partition was obtained: after a clean release, or by expiry (the previous owner may have died holding events). */
export interface Acquired {
  partition: number;
  /** True when the lease had expired or never existed: events handed to a dead owner are not yet redeliverable. */
  afterExpiry: boolean;
}

export interface LeaseHooks {
  /** The partition is ours: start consuming it. */
  acquired(a: Acquired): void;
  /** Another member should own it: stop consuming, settle what is in flight, then call `release(p)`. */
  handOver(partition: number): void;
  /** The lease could not be renewed (expired or taken): stop at once. */
  lost(partition: number): void;
  /** A NATS error in the background loop (it retries). */
  error?(err: Error): void;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function score(member: string, partition: number): number {
  return createHash('sha1').update(`${member}\u0000${partition}`).digest().readUInt32BE(0);
}

/**
 * Who should own each partition: rendezvous (highest random weight) hashing with bounded load.
 * Each partition, in order, goes to its highest-ranked member that holds fewer than
 * ceil(partitions / members), so the shares differ by at most one, and a member joining or
 * leaving moves few partitions. Every member computes the same table from the same member list.
 */
export function assignment(partitions: number, members: readonly string[]): string[] {
  const sorted = [...new Set(members)].sort();
  if (sorted.length === 0) return [];
  const cap = Math.ceil(partitions / sorted.length);
  const load = new Map(sorted.map((m) => [m, 0]));
  const owners: string[] = [];
  for (let p = 0; p < partitions; p++) {
    const ranked = sorted.map((m) => [m, score(m, p)] as const).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const owner = ranked.find(([m]) => load.get(m)! < cap)![0];
    load.set(owner, load.get(owner)! + 1);
    owners.push(owner);
  }
  return owners;
}

function parse(e: KvEntry | null): LeaseValue | undefined {
  if (e === null || e.operation !== 'PUT') return undefined;
  try {
    const v = JSON.parse(dec.decode(e.value)) as LeaseValue;
    return typeof v?.owner === 'string' && (v.state === 'held' || v.state === 'released') ? v : undefined;
  } catch {
    return undefined;
  }
}

/** One worker's side of the lease table. `tick()` runs every leaseMs/3 while started. */
export class PartitionLeases {
  /** partition → revision of our lease entry */
  private readonly held = new Map<number, number>();
  private readonly handingOver = new Set<number>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  /** Leaving: renew what is held until it is released, claim nothing, no heartbeat. */
  private leaving = false;
  /** Members seen at the last tick. */
  members: string[] = [];
  /** Since when our ticks have succeeded without a gap (undefined after a failure): the member list is complete after leaseMs. */
  private memberSince: number | undefined;
  lastRenewal = 0;

  constructor(
    private readonly kv: KV,
    private readonly me: string,
    private readonly partitions: number,
    private readonly leaseMs: number,
    private readonly hooks: LeaseHooks,
  ) {}

  get owned(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  start(): void {
    const every = Math.max(100, Math.floor(this.leaseMs / 3));
    const run = () => {
      if (this.running !== undefined || this.stopped) return;
      this.running = this.tick()
        .catch((err: unknown) => {
          this.memberSince = undefined;
          this.hooks.error?.(err as Error);
        })
        .finally(() => (this.running = undefined));
    };
    run();
    this.timer = setInterval(run, every);
  }

  /** Heartbeat, renew, hand over partitions another member should own, claim free ones we should own. */
  async tick(): Promise<void> {
    // renewals first and at once: they are what keeps the partitions ours
    const started = Date.now();
    let renewed = true;
    await Promise.all(
      [...this.held].map(async ([p, rev]) => {
        try {
          this.held.set(p, await this.kv.update(this.key(p), this.value('held'), rev));
        } catch (err) {
          if (!this.held.has(p)) return; // released meanwhile
          // no answer (timeout, disconnected): unknown, not lost; the next tick tells (fencing stops working() meanwhile)
          if (!/wrong last sequence/i.test((err as Error).message)) {
            renewed = false;
            this.hooks.error?.(new Error(`lease of partition ${p} not renewed: ${(err as Error).message}; retrying`));
            return;
          }
          try {
            // expired (a late renewal, a NATS outage) and nobody took it: ours again, so our own
            // in-flight events stay the oldest of the partition (no second owner meanwhile)
            this.held.set(p, await this.kv.create(this.key(p), this.value('held')));
            this.hooks.error?.(new Error(`lease of partition ${p} had expired (renewal late); taken again, nobody else held it`));
            return;
          } catch {
            // another member holds it now
          }
          this.held.delete(p);
          this.handingOver.delete(p);
          this.hooks.lost(p);
          this.hooks.error?.(new Error(`lease of partition ${p} lost: ${(err as Error).message}`));
        }
      }),
    );
    if (this.lastRenewal > 0 && started - this.lastRenewal > this.leaseMs / 2) {
      this.hooks.error?.(new Error(`leases last renewed ${started - this.lastRenewal} ms ago (lease ${this.leaseMs} ms): this process is starved or cut off from NATS`));
    }
    // an outage or a starved stretch (a failed renewal, or one that came back too late): other
    // members' heartbeats may have lapsed too; wait for them again before claiming
    const late = this.lastRenewal > 0 && Date.now() - this.lastRenewal >= this.leaseMs * 0.8;
    if (!renewed || late) this.memberSince = undefined;
    if (renewed) this.lastRenewal = started;
    if (!this.leaving) await this.kv.put(`member.${this.me}`, enc.encode(String(Date.now())));
    const members: string[] = [];
    for await (const k of await this.kv.keys('member.*')) members.push(k.slice('member.'.length));
    if (!this.leaving && !members.includes(this.me)) members.push(this.me);
    members.sort();
    this.members = members;
    if (renewed) this.memberSince ??= Date.now(); // now, not the tick's start: that tick may have spanned the outage
    // claiming a partition nobody released waits until every live member has had time to heartbeat,
    // so a worker back from an outage does not take everything because it saw only itself
    const settled = this.memberSince !== undefined && started - this.memberSince >= this.leaseMs;
    const owners = assignment(this.partitions, members);
    for (let p = 0; p < this.partitions; p++) {
      if (this.stopped || this.leaving) return;
      const mine = owners[p] === this.me;
      if (this.held.has(p)) {
        if (!mine && !this.handingOver.has(p)) {
          this.handingOver.add(p);
          this.hooks.handOver(p);
        }
        continue;
      }
      if (!mine) continue;
      const entry = await this.kv.get(this.key(p));
      const current = parse(entry);
      if (current !== undefined && current.state === 'held' && current.owner !== this.me) continue; // someone holds it
      if ((current === undefined || current.state !== 'released') && !settled) continue;
      try {
        const rev = entry === null ? await this.kv.create(this.key(p), this.value('held')) : await this.kv.update(this.key(p), this.value('held'), entry.revision);
        this.held.set(p, rev);
        this.hooks.acquired({ partition: p, afterExpiry: current === undefined || current.state !== 'released' });
      } catch {
        // another member won the race: it owns the partition
      }
    }
  }

  /** Hands a partition back (its events are all settled or nak'ed): the next owner may start at once. */
  async release(p: number): Promise<void> {
    await this.running; // not while a renewal may be changing the revision
    const rev = this.held.get(p);
    this.held.delete(p);
    this.handingOver.delete(p);
    if (rev === undefined) return;
    await this.kv.update(this.key(p), this.value('released'), rev).catch(() => undefined);
  }

  /** Stops the loop (no new claims); leases stay until released or expired. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.running;
  }

  /** Leaves the membership: no more claims or heartbeats; held leases are still renewed until released. */
  async leave(): Promise<void> {
    this.leaving = true;
    await this.running;
    await this.kv.delete(`member.${this.me}`).catch(() => undefined);
  }

  private key(p: number): string {
    return `partition.${p}`;
  }

  private value(state: LeaseValue['state']): Uint8Array {
    return enc.encode(JSON.stringify({ owner: this.me, state } satisfies LeaseValue));
  }
}
