// Per-event processing benchmark: `Destination.process` (trigger set → mapping → body builder → ajv
// body validation) with Segment's 15 presets imported from their mapping JSON, profile `segment`,
// vs Segment's own per-event work for the same subscriptions: destination-subscriptions `validate`,
// actions-core `transform`, root clean-up and `validateSchema` on `fieldsToJsonSchema` of the same
// fields (cached by schemaKey). Segment's peer stops before building bodies; ours does not.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACTIONS, createDestination, importSegmentSubscription, isActionKey } from '../src/index.js';
import type { SegmentSubscription } from '../src/index.js';
import { loadCorpus, measure, type BenchRow } from './harness.js';
import { segmentSubscription } from './segment-peer.js';

interface Preset {
  name: string;
  partnerAction: string;
  subscribe: string;
  mapping: Record<string, unknown>;
}

async function loadPresets(): Promise<Preset[]> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const rel of ['../../shared/data/segment-parity/segment-presets.json', '../../../shared/data/segment-parity/segment-presets.json']) {
    try {
      return JSON.parse(await readFile(path.resolve(here, rel), 'utf8')) as Preset[];
    } catch {
      /* try the next location */
    }
  }
  throw new Error('segment-presets.json not found beside the repo');
}

/** The process suite for bench/run.ts. */
export async function bench(): Promise<BenchRow[]> {
  const events = await loadCorpus();
  const presets = await loadPresets();
  const settings = { siteId: 's', apiKey: 'k', region: 'US' as const };
  const now = () => Date.parse('2025-01-01T00:00:00Z');
  const subscriptions = presets.map((p) => importSegmentSubscription(p as SegmentSubscription));
  const rows: BenchRow[] = [];

  const peers = presets.map((p) => {
    if (!isActionKey(p.partnerAction)) throw new Error(`unknown action ${p.partnerAction}`);
    return segmentSubscription(p, ACTIONS[p.partnerAction].fields);
  });
  const runSegment = () => {
    let n = 0;
    for (const e of events) for (const peer of peers) if (peer.matches(e) && peer.payload(e).ok) n++;
    return n;
  };
  const segmentOk = runSegment();
  const peer = measure(runSegment, events.length);

  for (const profile of ['segment', 'strict'] as const) {
    const destination = createDestination({ settings, presets: 'none', subscriptions, profile, now });
    const runOurs = () => {
      let n = 0;
      for (const e of events) n += destination.process(e).requests.length;
      return n;
    };
    const requests = runOurs();
    rows.push({
      name: `process, 15 Segment presets, profile ${profile}`,
      ours: measure(runOurs, events.length),
      peer,
      peerName: 'actions-core transform+validateSchema (no body)',
      unit: 'event',
      note: `${requests} requests built and validated vs ${segmentOk} Segment payloads mapped`,
    });
  }

  const quick = createDestination({ settings, now });
  rows.push({
    name: 'process, Quick Setup presets (default .map mappings), strict',
    ours: measure(() => {
      let n = 0;
      for (const e of events) n += quick.process(e).requests.length;
      return n;
    }, events.length),
    unit: 'event',
  });
  return rows;
}
