// Mapping benchmark: the 15 presets' mappings (segment-presets.json) applied to every event of the
// parity corpus, ours (imported into closures, `map()` = mapping + field typing) vs
// @segment/actions-core `transform` on the same JSON, and vs Segment's transform + field typing.
import { createRequire } from 'node:module';
import { importSegmentSubscription } from '../src/index.js';
import { getAction } from '../src/actions/index.js';
import { bestOf, loadCorpus, loadPresets, type BenchRow } from './harness.js';
import { segmentSubscription } from './segment-peer.js';


/**
 * Ours and the peer measured with the harness's `bestOf`: alternating rounds, CPU time, each
 * side's best round (as the triggers and process suites do), so that load from other processes
 * on a shared machine hits both sides alike instead of whichever round it lands in.
 */
function paired(ours: () => unknown, peer: () => unknown, ops: number): { ours: number; peer: number } {
  const [a, b] = bestOf([ours, peer], ops, 300) as [number, number];
  return { ours: a, peer: b };
}

export async function bench(): Promise<BenchRow[]> {
  const require = createRequire(import.meta.url);
  const { transform } = require('@segment/actions-core') as { transform: (m: unknown, d: unknown) => unknown };
  const events = await loadCorpus();
  const presets = await loadPresets();
  const ours = presets.map((p) => importSegmentSubscription(p));
  const peers = presets.map((p) => segmentSubscription(p, getAction(p.partnerAction)!.fields));
  const ops = events.length * presets.length;

  // same answers first: every (preset, event) accepted/rejected alike, same fields when accepted
  let agree = 0;
  for (const e of events)
    for (let k = 0; k < presets.length; k++) {
      const a = ours[k]!.map(e);
      const b = peers[k]!.payload(e);
      if (a.ok === b.ok && (!a.ok || JSON.stringify(sortKeys(a.fields)) === JSON.stringify(sortKeys((b as { payload: unknown }).payload)))) agree++;
    }
  const note = `${agree}/${ops} preset×event results identical to Segment's`;

  // the realistic load: each event mapped by the presets whose trigger selects it (as the destination does)
  const pairs: Array<[number, unknown]> = [];
  for (const e of events) for (let k = 0; k < presets.length; k++) if (ours[k]!.trigger.matches(e)) pairs.push([k, e]);
  const runOursMatching = () => {
    let n = 0;
    for (const [k, e] of pairs) if (ours[k]!.map(e).ok) n++;
    return n;
  };
  const runTransformMatching = () => {
    let n = 0;
    for (const [k, e] of pairs) if (transform(presets[k]!.mapping, e)) n++;
    return n;
  };
  const runOurs = () => {
    let n = 0;
    for (const e of events) for (const s of ours) if (s.map(e).ok) n++;
    return n;
  };
  const runTransform = () => {
    let n = 0;
    for (const e of events) for (const p of presets) if (transform(p.mapping, e)) n++;
    return n;
  };
  const runPeer = () => {
    let n = 0;
    for (const e of events) for (const p of peers) if (p.payload(e).ok) n++;
    return n;
  };
  const compileStart = performance.now();
  for (let i = 0; i < 20; i++) for (const p of presets) importSegmentSubscription(p);
  const compileMs = (performance.now() - compileStart) / 20;
  return [
    {
      name: 'map each corpus event with the presets its trigger selects (mapping + field typing) vs actions-core transform (mapping only)',
      ...paired(runOursMatching, runTransformMatching, pairs.length),
      peerName: 'transform',
      unit: 'mapped event',
      note: `${pairs.length} preset×event pairs; ${note}`,
    },
    { name: 'map every event with all 15 presets (mostly rejected: required fields missing) vs transform', ...paired(runOurs, runTransform, ops), peerName: 'transform', unit: 'preset×event' },
    { name: 'map 15 presets vs Segment transform + removeEmptyValues + validateSchema', ...paired(runOurs, runPeer, ops), peerName: 'Segment pipeline', unit: 'preset×event' },
    { name: 'import + compile the 15 presets', ours: 1000 / compileMs, unit: 'preset-set', note: `${compileMs.toFixed(2)} ms per set of 15` },
  ];
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}
