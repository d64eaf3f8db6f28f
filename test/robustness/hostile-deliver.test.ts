// Hostile events through `deliver` against the fake Track API (issue 7): a stream mixing every
// named hostile input with ordinary events. Never a throw; every event gets exactly one outcome
// (nothing is lost); unservable events become failed outcomes with dead letters; no pollution.

import { afterAll, describe, expect, it } from 'vitest';
import type { DeadLetter, EventOutcome } from '../../src/index.js';
import { deadLetterLine } from '../../src/runtime/dead-letter.js';
import { startFakeTrackServer, type FakeTrackServer } from '../fake-server/server.js';
import { canonical, deepFreeze, expectNoPollution, prototypeSnapshot } from './support/events.js';
import { hostileDestinations } from './support/destinations.js';
import { countCases, PROPERTY_TIMEOUT, tallyReport } from './support/fuzz.js';
import { API_KEY, SITE_ID } from './support/destinations.js';
import { HOSTILE_EVENTS } from './support/hostile.js';

const servers: FakeTrackServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
  console.log(tallyReport('hostile-deliver'));
});

/** One of each kind (the process tests run every size): one 4 MB string and one 100,000-key event here. */
const DELIVER_EVENTS = HOSTILE_EVENTS.filter(([name]) => !['4 MB userId', '4 MB trait', '100,000 property keys', '100,000 list items', '100,000-deep properties'].includes(name));

const ordinary = (i: number): unknown => ({ type: 'track', event: 'Order Completed', userId: `u${i}`, messageId: `ok-${i}`, properties: { revenue: i } });

describe('deliver() on a hostile stream', () => {
  it.each(['strict', 'segment'] as const)('%s profile: one outcome per event, dead letters for the unservable, no throw', { timeout: PROPERTY_TIMEOUT }, async (profile) => {
    const server = await startFakeTrackServer({ siteId: SITE_ID, apiKey: API_KEY, seed: 11, rates: { '500': 0.05 }, retryAfter: '0' });
    servers.push(server);
    const destination = hostileDestinations(server.url).find(([p]) => p === profile)?.[1];
    if (!destination) throw new Error('no destination');
    const before = prototypeSnapshot();
    // ordinary events between the hostile ones: their delivery must not be disturbed
    const inputs: unknown[] = [];
    for (const [, make] of DELIVER_EVENTS) {
      const e = make();
      inputs.push(typeof e === 'object' && e !== null && !(e instanceof Map) ? deepFreeze(e) : e, ordinary(inputs.length));
    }
    const snapshots = inputs.map((e) => (typeof e === 'object' && e !== null ? canonical(e) : undefined));
    const outcomes: EventOutcome[] = [];
    const letters: DeadLetter[] = [];
    const report = await destination.deliver(
      (function* () {
        yield* inputs;
      })(),
      { seed: 2, timeoutMs: 5_000, retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 }, onOutcome: (o) => outcomes.push(o), onDeadLetter: (l) => void letters.push(l) },
    );
    // nothing lost: exactly one final outcome per input, in the report too
    expect(outcomes.map((o) => o.index).sort((a, b) => a - b)).toEqual(inputs.map((_, i) => i));
    expect(report.events.total).toBe(inputs.length);
    expect(report.events.delivered + report.events.skipped + report.events.failed).toBe(inputs.length);
    // every ordinary event got through
    for (let i = 1; i < inputs.length; i += 2) expect(outcomes.find((o) => o.index === i)?.outcome, `ordinary event ${i}`).toBe('delivered');
    // non-objects fail with a dead letter that says so
    for (const [i, e] of inputs.entries()) {
      if (typeof e !== 'object' || e === null || Array.isArray(e)) {
        expect(outcomes.find((o) => o.index === i)?.outcome).toBe('failed');
        expect(letters.some((l) => l.index === i && l.stage === 'process')).toBe(true);
      }
    }
    // every dead letter can be written as one NDJSON line
    for (const l of letters) expect(deadLetterLine(l)).not.toContain('\n');
    expect(report.deadLetters).toBe(letters.length);
    // inputs untouched, prototypes clean
    inputs.forEach((e, i) => {
      if (snapshots[i] !== undefined) expect(canonical(e)).toBe(snapshots[i]);
    });
    expectNoPollution(before);
    expect(server.accepted.length).toBeGreaterThanOrEqual(inputs.length / 2);
    countCases('hostile.deliver', inputs.length);
  });
});
