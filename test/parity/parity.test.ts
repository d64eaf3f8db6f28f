// Full-pipeline parity with Segment: the 15 presets of segment-presets.json imported with
// importSegmentSubscription (their FQL and mapping JSON), profile `segment`, settings {s, k, US},
// clock 2025-01-01; our requests and errors against segment-requests.ndjson, event by event.
// Then the strict profile against the segment profile: every difference must be an intended fix.

import { describe, expect, it } from 'vitest';
import { importSegmentSubscription } from '../../src/mapping/api.js';
import type { SegmentSubscription } from '../../src/mapping/segment/import.js';
import { createDestination, type Destination } from '../../src/runtime/destination.js';
import type { DetailedProcessResult } from '../../src/runtime/types.js';
import { events, NOW, presets, records, sameOutcome, segmentOutcome, SETTINGS, type Outcome, type SegmentRecord } from './corpus.js';
import { diffPaths, fixForError, fixForPath, STRICT_FIXES, type StrictFix } from './strict-diff.js';

/**
 * Every event whose segment-profile outcome differs from Segment's recording, with the reason.
 * `intended`: a deliberate choice (must keep differing); `known`: a defect elsewhere, tolerated
 * until fixed (the test only reports when it disappears).
 */
const DIFFERENCES: Readonly<Record<number, { kind: 'intended' | 'known'; reason: string }>> = {
  1368: {
    kind: 'intended',
    reason:
      'Delete Object without properties.objectId: Segment sends {type:"object",action:"delete"} with no identifiers (a guaranteed API 400, customerio.md §3.17 item 1). Both profiles validate bodies before sending (§0.5), so we report `identifiers is required`.',
  },
};

const subscriptions = presets.map((preset) => importSegmentSubscription(preset as SegmentSubscription));
const make = (profile: 'segment' | 'strict'): Destination =>
  createDestination({ settings: SETTINGS, presets: 'none', subscriptions, profile, now: () => NOW });
const segment = make('segment');
const strict = make('strict');

function outcome(result: DetailedProcessResult): Outcome {
  return {
    matched: result.matched,
    requests: result.items.map((item) => ({ preset: item.subscription, method: item.request.method, url: item.request.url, body: item.request.body })),
    failed: [...new Set(result.errors.map((e) => e.subscription))],
  };
}

/** Fields Segment's validation messages name ("missing the required field 'url'", "Metric must be one of"). */
function segmentErrorFields(record: SegmentRecord, preset: string): string[] {
  const fields = new Set<string>();
  for (const e of record.errors.filter((x) => x.preset === preset)) {
    for (const m of e.message.matchAll(/required field '([^']+)'/g)) fields.add(m[1]!);
    if (/^Metric must be one of/.test(e.message)) fields.add('metric');
    if (/^Action Type must be one of/.test(e.message)) fields.add('actionType');
  }
  return [...fields].sort();
}

describe('segment profile vs Segment recordings (2,000 events)', () => {
  const results = events.map((event) => segment.processDetailed(event));
  const differing = results.flatMap((r, i) => (sameOutcome(outcome(r), segmentOutcome(records[i]!)) ? [] : [i]));

  it('matches at least 99% of the events exactly (method, url, body, matched presets, failures)', () => {
    expect(events.length).toBe(2000);
    expect(events.length - differing.length).toBeGreaterThanOrEqual(0.99 * events.length);
  });

  it('differs only on the listed events', () => {
    const unexplained = differing.filter((i) => !Object.hasOwn(DIFFERENCES, i));
    expect(unexplained, 'unlisted differences').toEqual([]);
  });

  it('every intended difference is still a difference', () => {
    const intended = Object.entries(DIFFERENCES).filter(([, d]) => d.kind === 'intended').map(([i]) => Number(i));
    for (const i of intended) expect(differing).toContain(i);
  });

  it('rejects the same events as Segment, naming the same fields', () => {
    let compared = 0;
    results.forEach((result, i) => {
      const record = records[i]!;
      for (const preset of new Set(record.errors.map((e) => e.preset))) {
        const ours = result.errors.filter((e) => e.subscription === preset).map((e) => e.field ?? '');
        expect(ours.length, `event ${i} ${preset}`).toBeGreaterThan(0);
        expect([...new Set(ours)].sort(), `event ${i} ${preset}`).toEqual(segmentErrorFields(record, preset));
        compared++;
      }
    });
    expect(compared).toBeGreaterThan(50);
  });
});

describe('strict profile vs segment profile', () => {
  const seen = new Map<StrictFix, number>();
  const unexplained: string[] = [];
  events.forEach((event, i) => {
    const a = segment.processDetailed(event);
    const b = strict.processDetailed(event);
    expect(b.matched).toEqual(a.matched);
    for (const title of a.matched) {
      const ra = a.items.find((x) => x.subscription === title);
      const rb = b.items.find((x) => x.subscription === title);
      const eb = b.errors.filter((x) => x.subscription === title);
      const fixes: Array<StrictFix | undefined> = [];
      if (ra && rb) fixes.push(...diffPaths(ra.request.body, rb.request.body).map(fixForPath));
      else if (ra && !rb) fixes.push(...eb.map(fixForError));
      else if (!ra && rb) fixes.push(undefined);
      else if (eb.some((e) => fixForError(e) === undefined) && a.errors.filter((x) => x.subscription === title).length === 0) fixes.push(undefined);
      for (const fix of fixes) {
        if (fix === undefined) unexplained.push(`event ${i} ${title}`);
        else seen.set(fix, (seen.get(fix) ?? 0) + 1);
      }
    }
  });

  it('every difference is one of the intended fixes of §0.5', () => {
    expect(unexplained).toEqual([]);
  });

  it('the corpus exercises the device, created_at, relationship-date and timestamp fixes', () => {
    for (const fix of ['device', 'createdAt', 'relationshipDates', 'rootTimestamp'] as StrictFix[]) {
      expect(seen.get(fix) ?? 0, STRICT_FIXES[fix]).toBeGreaterThan(0);
    }
  });

  it('strict bodies are never sent without identifiers', () => {
    for (const event of events) {
      for (const item of strict.processDetailed(event).items) {
        const body = item.request.body as Record<string, unknown>;
        if (item.action !== 'reportDeliveryEvent' && item.action !== 'mergePeople') expect(body.identifiers).toBeDefined();
      }
    }
  });
});
