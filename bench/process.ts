// Per-event processing benchmark: `Destination.process` (trigger set → mapping → body builder → ajv
// body validation) with Segment's 15 presets imported from their mapping JSON, profile `segment`,
// vs Segment's own per-event work for the same subscriptions: destination-subscriptions `validate`,
// actions-core `transform`, root clean-up and `validateSchema` on `fieldsToJsonSchema` of the same
// fields (cached by schemaKey). That peer stops before building bodies; the whole-event row's peer
// does not: Segment's Customer.io destination (bench/peer/, installed on first use) runs its
// trigger, payload stage and each action's `perform` with the HTTP client replaced by a capture.
import { ACTIONS, createDestination, isActionKey } from '../src/index.js';
import type { Destination } from '../src/index.js';
import { BENCH_SETTINGS, benchNow, bestOf, loadCorpus, loadPresets, medianOf, presetDestination, ROUNDS, type BenchRow } from './harness.js';
import { peerRequire } from './peer-install.js';
import { segmentSubscription, segmentWholeEvent } from './segment-peer.js';
import { servedByTrackEventAlone, straightTrackEvent } from './straight-track-event.js';

/** One event through one side's whole pipeline: the number of bodies it made. */
type OneEvent = (event: unknown) => number;

/** A pass of `one` over `events`. */
function passOf(events: readonly unknown[], one: OneEvent): () => number {
  return () => {
    let n = 0;
    for (const e of events) n += one(e);
    return n;
  };
}

/** The larger groups of `wholeEventByAction`; the rest are summed into one row. */
const GROUPS = 6;

/**
 * The whole-event row split by what each event feeds (its triggered actions, or "error" when a
 * subscription rejects it), to show where the ratio is lowest. Both sides are first warmed on the
 * whole corpus (their property sites have seen every event shape, as in the mixed row), then each
 * group's events are measured alone, ours and Segment's in alternating rounds, median of 3.
 */
function wholeEventByAction(events: readonly unknown[], destination: Destination, ours: OneEvent, peer: OneEvent): BenchRow[] {
  const groups = new Map<string, unknown[]>();
  for (const e of events) {
    const r = destination.processDetailed(e);
    const key = r.errors.length > 0 ? 'error' : r.items.length === 0 ? 'no action' : r.items.map((i) => i.action).join('+');
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const sorted = [...groups].sort((a, b) => b[1].length - a[1].length);
  const rows: Array<[string, unknown[]]> = sorted.slice(0, GROUPS);
  const rest = sorted.slice(GROUPS).flatMap(([, list]) => list);
  if (rest.length > 0) rows.push([`the other ${sorted.length - GROUPS} kinds`, rest]);
  return rows.map(([name, list]) => {
    const [peerRate, oursRate] = medianOf([passOf(list, peer), passOf(list, ours)], list.length, 150, 3);
    return {
      name: `  whole event, events feeding ${name} (${list.length} of ${events.length})`,
      ours: oursRate!,
      peer: peerRate!,
      peerName: 'Segment',
      unit: 'event',
    };
  });
}

/**
 * Our pipeline against the straight-code bound (bench/straight-track-event.ts: the Track Event
 * preset written out by hand, same leaf rules, same requests) on the events that preset serves
 * alone, alternating rounds, median of 3. Both give `process`'s result; the gap is what being
 * generic costs. `wholeRatio` (the corpus row) times the bound's speed-up is where the corpus row
 * would be if every action ran at straight-code speed.
 */
function straightBound(events: readonly unknown[], destination: Destination, ours: OneEvent, wholeRatio: number): BenchRow {
  const served = servedByTrackEventAlone(destination, events);
  const straight: OneEvent = (e) => {
    const request = straightTrackEvent(e, 'https://track.customer.io');
    const result = { matched: request ? ['Track Event'] : [], requests: request ? [request] : [], errors: [] };
    return result.requests.length;
  };
  const [straightRate, oursRate] = medianOf([passOf(served, straight), passOf(served, ours)], served.length, 300, 3);
  const speedUp = straightRate! / oursRate!;
  return {
    name: `  whole event on the ${served.length} Track Event events vs the straight-code bound (that one preset written out by hand, same requests)`,
    ours: oursRate!,
    peer: straightRate!,
    peerName: 'straight code',
    unit: 'event',
    note: `alternating rounds, median of 3; at the bound's ${speedUp.toFixed(2)}× for every action the corpus row would be ≈ ${(wholeRatio * speedUp).toFixed(1)}×`,
  };
}

/** Every key and value of a JSON value read once (the least any per-event pipeline must touch); a count, so nothing is optimised away. */
function touch(value: unknown): number {
  if (typeof value !== 'object' || value === null) return typeof value === 'string' ? value.length & 1 : 1;
  let n = 1;
  if (Array.isArray(value)) for (const item of value) n += touch(item);
  else for (const key in value) if (Object.hasOwn(value, key)) n += touch((value as Record<string, unknown>)[key]);
  return n;
}

/** Events in chunks of CHUNK, each chunk processed REPEAT times in a row: the chunk's event objects stay in the CPU caches. */
const CHUNK = 50;
const REPEAT = 10;

/**
 * What the whole-event ratio is measured against besides Segment: a bare deep walk of every event
 * (every key and value read once), and both sides again with the events cache-warm (each chunk of
 * CHUNK events processed REPEAT times in a row). A pass over the 2,000 pre-parsed events finds most
 * of each event out of the CPU caches; the walk shows what that costs before any work is done.
 */
function touchBound(events: readonly unknown[], ours: OneEvent, peer: OneEvent): BenchRow[] {
  const walk = () => {
    let n = 0;
    for (const e of events) n += touch(e);
    return n;
  };
  const warm = (one: OneEvent) => () => {
    let n = 0;
    for (let start = 0; start < events.length; start += CHUNK) {
      const end = Math.min(events.length, start + CHUNK);
      for (let r = 0; r < REPEAT; r++) for (let i = start; i < end; i++) n += one(events[i]);
    }
    return n;
  };
  const [walkRate, oursRate] = medianOf([walk, passOf(events, ours)], events.length, 400, 3);
  const [warmOurs, warmPeer] = medianOf([warm(ours), warm(peer)], events.length * REPEAT, 400, 3);
  return [
    {
      name: '  whole event (process, segment profile) vs the bound: a bare deep walk of every event, each key and value read once',
      ours: oursRate!,
      peer: walkRate!,
      peerName: 'deep walk',
      unit: 'event',
      note: 'same events, alternating rounds, median of 3',
    },
    {
      name: `  whole event with the events cache-warm (each ${CHUNK}-event chunk processed ${REPEAT} times in a row)`,
      ours: warmOurs!,
      peer: warmPeer!,
      peerName: "Segment's Customer.io destination",
      unit: 'event',
      note: 'alternating rounds, median of 3',
    },
  ];
}

/**
 * Both sides on freshly parsed events, as `run` and `serve` see them: each event's JSON text parsed
 * inside the pass, just before it is processed. The parse is the same work on both sides, so this
 * ratio is lower than the pre-parsed one by construction; it is the end-to-end figure a user gets.
 */
function freshRow(events: readonly unknown[], ours: OneEvent, peer: OneEvent): BenchRow {
  const lines = events.map((e) => JSON.stringify(e));
  const fresh = (one: OneEvent) => passOf(lines, (line) => one(JSON.parse(line as string)));
  const [peerRate, oursRate] = medianOf([fresh(peer), fresh(ours)], lines.length, 400, 3);
  return {
    name: '  whole event on freshly parsed events (JSON.parse of each line inside the pass, both sides: what run and serve do)',
    ours: oursRate!,
    peer: peerRate!,
    peerName: "Segment's Customer.io destination",
    unit: 'event',
    note: 'alternating rounds, median of 3',
  };
}

/** The process suite for bench/run.ts. */
export async function bench(): Promise<BenchRow[]> {
  const events = await loadCorpus();
  const presets = await loadPresets();

  const peers = presets.map((p) => {
    if (!isActionKey(p.partnerAction)) throw new Error(`unknown action ${p.partnerAction}`);
    return segmentSubscription(p, ACTIONS[p.partnerAction].fields);
  });
  const runSegment = () => {
    let n = 0;
    for (const e of events) for (const peer of peers) if (peer.matches(e) && peer.payload(e).ok) n++;
    return n;
  };
  const segmentProfile = presetDestination(presets, 'segment');
  const strictProfile = presetDestination(presets, 'strict');
  const oursOne: OneEvent = (e) => segmentProfile.process(e).requests.length;
  const runSegmentProfile = passOf(events, oursOne);
  const runStrictProfile = passOf(events, (e) => strictProfile.process(e).requests.length);
  const quick = createDestination({ settings: BENCH_SETTINGS, now: benchNow });
  const runQuick = () => {
    let n = 0;
    for (const e of events) n += quick.process(e).requests.length;
    return n;
  };
  const whole = segmentWholeEvent(presets, peerRequire());
  const peerOne: OneEvent = (e) => {
    let n = 0;
    for (const peer of whole) if (peer.process(e) !== undefined) n++;
    return n;
  };
  const runSegmentWhole = passOf(events, peerOne);
  const counts = { peer: runSegment(), segment: runSegmentProfile(), strict: runStrictProfile(), whole: runSegmentWhole() };
  // the whole-event row first, on its own: median of alternating rounds (the rows below keep their best-of)
  const [wholePeer, wholeOurs] = medianOf([runSegmentWhole, runSegmentProfile], events.length, 500);
  const [peer, segment, strict, quickRate] = bestOf([runSegment, runSegmentProfile, runStrictProfile, runQuick], events.length, 500);
  const bounds = touchBound(events, oursOne, peerOne);
  const fresh = freshRow(events, oursOne, peerOne);
  const byAction = wholeEventByAction(events, segmentProfile, oursOne, peerOne);
  const bound = straightBound(events, segmentProfile, oursOne, wholeOurs! / wholePeer!);
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
    ...bounds,
    fresh,
    ...byAction,
    bound,
  ];
}
