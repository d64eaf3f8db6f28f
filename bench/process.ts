// Per-event processing benchmark: `Destination.process` (trigger set → mapping → body builder → ajv
// body validation) with Segment's 15 presets imported from their mapping JSON, profile `segment`,
// vs Segment's own per-event work for the same subscriptions: destination-subscriptions `validate`,
// actions-core `transform`, root clean-up and `validateSchema` on `fieldsToJsonSchema` of the same
// fields (cached by schemaKey). That peer stops before building bodies; the whole-event row's peer
// does not: Segment's Customer.io destination (bench/peer/, installed on first use) runs its
// trigger, payload stage and each action's `perform` with the HTTP client replaced by a capture.
import { ACTIONS, createDestination, importSegmentSubscription, isActionKey } from '../src/index.js';
import type { SegmentSubscription } from '../src/index.js';
import { bestOf, loadCorpus, loadPresets, medianOf, ROUNDS, type BenchRow } from './harness.js';
import { peerRequire } from './peer-install.js';
import { segmentSubscription, segmentWholeEvent } from './segment-peer.js';

/** The process suite for bench/run.ts. */
export async function bench(): Promise<BenchRow[]> {
  const events = await loadCorpus();
  const presets = await loadPresets();
  const settings = { siteId: 's', apiKey: 'k', region: 'US' as const };
  const now = () => Date.parse('2025-01-01T00:00:00Z');
  const subscriptions = presets.map((p) => importSegmentSubscription(p as SegmentSubscription));

  const peers = presets.map((p) => {
    if (!isActionKey(p.partnerAction)) throw new Error(`unknown action ${p.partnerAction}`);
    return segmentSubscription(p, ACTIONS[p.partnerAction].fields);
  });
  const runSegment = () => {
    let n = 0;
    for (const e of events) for (const peer of peers) if (peer.matches(e) && peer.payload(e).ok) n++;
    return n;
  };
  const run = (profile: 'segment' | 'strict') => {
    const destination = createDestination({ settings, presets: 'none', subscriptions, profile, now });
    return () => {
      let n = 0;
      for (const e of events) n += destination.process(e).requests.length;
      return n;
    };
  };
  const runSegmentProfile = run('segment');
  const runStrictProfile = run('strict');
  const quick = createDestination({ settings, now });
  const runQuick = () => {
    let n = 0;
    for (const e of events) n += quick.process(e).requests.length;
    return n;
  };
  const whole = segmentWholeEvent(presets, peerRequire());
  const runSegmentWhole = () => {
    let n = 0;
    for (const e of events) for (const peer of whole) if (peer.process(e) !== undefined) n++;
    return n;
  };
  const counts = { peer: runSegment(), segment: runSegmentProfile(), strict: runStrictProfile(), whole: runSegmentWhole() };
  // the whole-event row first, on its own: median of alternating rounds (the rows below keep their best-of)
  const [wholePeer, wholeOurs] = medianOf([runSegmentWhole, runSegmentProfile], events.length, 500);
  const [peer, segment, strict, quickRate] = bestOf([runSegment, runSegmentProfile, runStrictProfile, runQuick], events.length, 500);
  const peerName = 'actions-core transform+validateSchema (no body)';
  const note = (n: number) => `${n} requests built and validated vs ${counts.peer} Segment payloads mapped; CPU time, ${ROUNDS} alternating rounds`;
  return [
    {
      name: 'whole event, 15 Segment presets, profile segment: process vs Segment triggers + transform + validation + perform',
      ours: wholeOurs!,
      peer: wholePeer!,
      peerName: "Segment's Customer.io destination",
      unit: 'event',
      note: `${counts.segment} bodies vs Segment's ${counts.whole}; CPU time, median of ${ROUNDS} alternating rounds`,
    },
    { name: 'process, 15 Segment presets, profile segment', ours: segment!, peer: peer!, peerName, unit: 'event', note: note(counts.segment) },
    { name: 'process, 15 Segment presets, profile strict', ours: strict!, peer: peer!, peerName, unit: 'event', note: note(counts.strict) },
    { name: 'process, Quick Setup presets (default .map mappings), strict', ours: quickRate!, unit: 'event' },
  ];
}
