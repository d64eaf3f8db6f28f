// End to end: the real destination (presets, mappings, builders) over the 2,000-event parity corpus,
// delivered to the fake Track API validating with the project's schemas. What the server accepts
// must be exactly what `process` builds, and every event must have an outcome.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileMapping } from '../../src/mapping/api.js';
import { createDestinationWith, type Destination } from '../../src/runtime/destination.js';
import type { DeadLetter } from '../../src/runtime/dead-letter.js';
import type { EventOutcome } from '../../src/runtime/options.js';
import type { DeliveryReport } from '../../src/runtime/report.js';
import { startFakeTrackServer, type FakeTrackServer } from '../fake-server/server.js';
import { fastClock } from './helpers.js';

const CORPUS = new URL('../data/segment-parity/events.ndjson', import.meta.url);

for (const profile of ['strict', 'segment'] as const) {
  describe(`parity corpus through destination.deliver (${profile})`, () => {
    let server: FakeTrackServer;
    let destination: Destination;
    let report: DeliveryReport;
    const letters: DeadLetter[] = [];
    const outcomes: EventOutcome[] = [];
    const events = readFileSync(CORPUS, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);

    beforeAll(async () => {
      server = await startFakeTrackServer({ siteId: 'site', apiKey: 'key', validate: profile, rates: { '503': 0.05, 'drop-before': 0.03 }, seed: 11 });
      destination = createDestinationWith({ settings: { siteId: 'site', apiKey: 'key', region: 'EU' }, presets: 'all', profile, now: () => Date.parse('2025-01-01T00:00:00Z') }, compileMapping);
      report = await destination.deliver(events, {
        endpoint: server.url,
        clock: fastClock(),
        seed: 1,
        retry: { baseDelayMs: 1 },
        onDeadLetter: (d) => void letters.push(d),
        onOutcome: (o) => void outcomes.push(o),
      });
    }, 60_000);
    afterAll(async () => {
      await server.close();
    });

    it('gives every event one outcome and agrees with process()', () => {
      expect(outcomes).toHaveLength(events.length);
      expect(report.events.total).toBe(events.length);
      const expectedFailed = events.filter((e) => destination.processDetailed(e).errors.length > 0).length;
      const expectedSkipped = events.filter((e) => {
        const r = destination.processDetailed(e);
        return r.items.length === 0 && r.errors.length === 0;
      }).length;
      expect(report.events.failed).toBe(expectedFailed);
      expect(report.events.skipped).toBe(expectedSkipped);
      expect(letters.every((d) => d.stage === 'process')).toBe(true); // the server accepted every request
    });

    it('the server accepted exactly the bodies process() builds, each once (no drop-after faults here)', () => {
      const built = events.flatMap((e) => destination.process(e).requests.map((r) => JSON.stringify(r.body))).sort();
      const got = server.accepted.map((a) => JSON.stringify(a.entity)).sort();
      expect(got).toEqual(built);
      expect(report.items.accepted).toBe(built.length);
      expect(server.requests.every((r) => r.authorized)).toBe(true);
      expect(report.requests).toBeLessThan(built.length / 5); // batching did its job
    });
  });
}
