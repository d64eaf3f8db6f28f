// Soak: 20,000 events through deliver() against the fake Track API with every fault on. Checks that
// nothing is lost (accepted or dead-lettered), nothing is accepted twice without a transport failure
// that left the outcome unknown, per-person order of first acceptance, and that the report agrees with the server.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeadLetter } from '../../src/runtime/dead-letter.js';
import { deliver } from '../../src/runtime/deliver.js';
import type { EventOutcome } from '../../src/runtime/options.js';
import type { DeliveryReport } from '../../src/runtime/report.js';
import { seededRandom } from '../../src/runtime/clock.js';
import { POISON, REJECT, startFakeTrackServer, type FakeTrackServer } from '../fake-server/server.js';
import { fakeSource, fastClock, KEY, SITE, type TestEvent } from './helpers.js';

const N = 20_000;

/** The key of an entity the server recorded, or of a request a dead letter holds: `<messageId>:<kind>`. */
function keyOfEntity(path: string, entity: unknown): string {
  if (path.startsWith('/api/v1/customers/')) return `${decodeURIComponent(path.slice('/api/v1/customers/'.length))}:delete`;
  const e = entity as { attributes?: { seq?: string }; delivery_id?: string; action?: string };
  if (e.delivery_id !== undefined) return `${e.delivery_id}:metric`;
  return `${e.attributes!.seq!}:${e.action!}`;
}

function generate(): { events: TestEvent[]; expected: Set<string>; poisoned: Set<string>; rejected: Set<string> } {
  const rnd = seededRandom(2024);
  const events: TestEvent[] = [];
  const expected = new Set<string>();
  const poisoned = new Set<string>();
  const rejected = new Set<string>();
  for (let i = 0; i < N; i++) {
    const r = rnd();
    const kind: TestEvent['kind'] = r < 0.55 ? 'track' : r < 0.8 ? 'identify' : r < 0.86 ? 'metric' : r < 0.88 ? 'delete' : r < 0.95 ? 'none' : r < 0.98 ? 'error' : 'mixed';
    const e: TestEvent = { messageId: `m${i}`, userId: `u${Math.floor(rnd() * 500)}`, kind, batchSize: 20 + Math.floor(rnd() * 81) };
    if (kind === 'delete') e.userId = `del-${i}`; // unique, so the key names the event
    const mark = rnd();
    if ((kind === 'track' || kind === 'identify') && mark < 0.002) e.attrs = { [POISON]: 1 };
    else if ((kind === 'track' || kind === 'identify') && mark < 0.006) e.attrs = { [REJECT]: 1 };
    events.push(e);
    const action = kind === 'track' ? 'event' : kind === 'identify' || kind === 'mixed' ? 'identify' : kind;
    if (kind === 'none' || kind === 'error') continue;
    const key = kind === 'delete' ? `${e.userId}:delete` : `${e.messageId}:${action}`;
    expected.add(key);
    if (e.attrs && POISON in e.attrs) poisoned.add(key);
    if (e.attrs && REJECT in e.attrs) rejected.add(key);
  }
  return { events, expected, poisoned, rejected };
}

describe('soak: 20,000 events with faults', () => {
  let server: FakeTrackServer;
  let report: DeliveryReport;
  const letters: DeadLetter[] = [];
  const outcomes: EventOutcome[] = [];
  const data = generate();

  beforeAll(async () => {
    server = await startFakeTrackServer({
      siteId: SITE,
      apiKey: KEY,
      seed: 99,
      retryAfter: '2',
      slowMs: 900,
      rates: { '500': 0.03, '503': 0.03, '429': 0.03, 'drop-before': 0.02, 'drop-after': 0.02, slow: 0.005, partial: 0.03 },
    });
    async function* stream() {
      yield* data.events; // consumed lazily, under backpressure
    }
    report = await deliver(
      fakeSource(),
      stream(),
      {
        clock: fastClock(),
        seed: 5,
        concurrency: 8,
        timeoutMs: 600,
        retry: { maxAttempts: 4, baseDelayMs: 5 },
        maxBufferedItems: 2_000,
        onDeadLetter: (d) => void letters.push(d),
        onOutcome: (o) => void outcomes.push(o),
      },
      { siteId: SITE, apiKey: KEY, endpoint: server.url },
    );
  }, 60_000);

  afterAll(async () => {
    await server.close();
  });

  const letterKey = (d: DeadLetter): string | undefined => (d.request === null ? undefined : keyOfEntity(new URL(d.request.url).pathname, d.request.body));

  it('accounts for every event and every item', () => {
    expect(outcomes).toHaveLength(N);
    expect(new Set(outcomes.map((o) => o.index)).size).toBe(N);
    expect(report.events.total).toBe(N);
    expect(report.events.delivered + report.events.skipped + report.events.failed).toBe(N);
    expect(report.items.total).toBe(data.expected.size);
    expect(report.items.accepted + report.items.failed).toBe(report.items.total);
    expect(report.deadLetters).toBe(letters.length);
  });

  it('loses nothing: each expected entity was accepted by the server or is in the dead letters', () => {
    const accepted = new Set(server.accepted.map((a) => keyOfEntity(a.path, a.entity)));
    const dead = new Set(letters.map(letterKey).filter((k) => k !== undefined));
    const lost = [...data.expected].filter((k) => !accepted.has(k) && !dead.has(k));
    expect(lost).toEqual([]);
    // poisoned items were isolated by bisection, rejected ones read from the 207s
    for (const k of data.poisoned) expect(dead.has(k) && !accepted.has(k)).toBe(true);
    for (const k of data.rejected) expect(dead.has(k) && !accepted.has(k)).toBe(true);
    // A poisoned item ends with the API's 400, unless injected faults exhausted its retries first
    // (its sub-request drew 5xx/429/drops until the attempts ran out).
    for (const d of letters.filter((l) => data.poisoned.has(letterKey(l) ?? ''))) {
      if (d.status === 400) expect(d.reason).toContain(POISON);
      else expect(d.reason).toMatch(/gave up after/);
    }
    expect(report.bisections).toBeGreaterThan(0);
  });

  it('never sends an accepted entity twice unless a transport failure left the outcome unknown', () => {
    const counts = new Map<string, number>();
    for (const a of server.accepted) {
      const k = keyOfEntity(a.path, a.entity);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const ambiguousEvents = new Set(outcomes.filter((o) => o.ambiguous).map((o) => `m${o.index}`));
    const unknownLetters = new Set(letters.filter((d) => d.outcomeUnknown).map(letterKey));
    const dupes = [...counts].filter(([, n]) => n > 1).map(([k]) => k);
    const unexplained = dupes.filter((k) => {
      const idx = Number(k.replace(/^(m|del-)(\d+):.*$/, '$2'));
      return !ambiguousEvents.has(`m${idx}`) && !unknownLetters.has(k);
    });
    expect(unexplained).toEqual([]);
    // the faults did produce the ambiguity the check is about
    expect(dupes.length).toBeGreaterThan(0);
    // an entity both accepted and dead-lettered must be flagged as unknown outcome
    const dead = letters.filter((d) => d.request !== null && counts.has(letterKey(d)!));
    expect(dead.every((d) => d.outcomeUnknown)).toBe(true);
  });

  it('report agrees with the server', () => {
    const serverStatuses: Record<string, number> = {};
    for (const r of server.requests) {
      const s = r.status === 'dropped' ? 'network' : r.delayed ? 'timeout' : String(r.status);
      serverStatuses[s] = (serverStatuses[s] ?? 0) + 1;
    }
    // Every HTTP status the client saw, the server sent. The converse can fail only through the
    // transport: a response that reaches a busy client after its timeout, or a request that dies on
    // a closing keep-alive socket before the server reads it. Those show up as client timeouts or
    // network errors, so the differences must be covered by them, and stay small.
    let shortfall = 0;
    for (const [s, n] of Object.entries(serverStatuses)) {
      if (s === 'timeout' || s === 'network') continue;
      expect(report.statuses[s] ?? 0).toBeLessThanOrEqual(n);
      shortfall += n - (report.statuses[s] ?? 0);
    }
    const clientTransport = (report.statuses.timeout ?? 0) + (report.statuses.network ?? 0);
    const serverTransport = (serverStatuses.timeout ?? 0) + (serverStatuses.network ?? 0);
    const unseen = report.requests - server.requests.length;
    expect(unseen).toBeGreaterThanOrEqual(0);
    expect(clientTransport).toBe(serverTransport + shortfall + unseen);
    expect(shortfall + unseen).toBeLessThanOrEqual(report.requests * 0.02);
    const distinctAccepted = new Set(server.accepted.map((a) => keyOfEntity(a.path, a.entity)));
    const deadKeys = new Set(letters.map(letterKey));
    const acceptedNotDead = [...distinctAccepted].filter((k) => !deadKeys.has(k)).length;
    expect(report.items.accepted).toBe(acceptedNotDead);
    expect(report.bytes).toBeGreaterThanOrEqual(server.requests.reduce((s, r) => s + r.bytes, 0));
  });

  it('keeps per-person order of first acceptance', () => {
    const firstSeen = new Map<string, string[]>();
    const done = new Set<string>();
    for (const a of server.accepted) {
      const e = a.entity as { identifiers?: { id?: string }; attributes?: { seq?: string } } | null;
      const user = e?.identifiers?.id;
      const k = keyOfEntity(a.path, a.entity);
      if (user === undefined || done.has(k)) continue;
      done.add(k);
      firstSeen.set(user, [...(firstSeen.get(user) ?? []), k]);
    }
    const position = new Map(data.events.map((e, i) => [e.messageId, i]));
    for (const seqs of firstSeen.values()) {
      const idx = seqs.map((k) => position.get(k.split(':')[0]!)!);
      expect(idx).toEqual([...idx].sort((a, b) => a - b));
    }
  });
});
