// Parser benchmark: parseFql over Segment's 15 preset triggers vs @segment/destination-subscriptions
// `parseFql` (its lexer + one-pass group builder), parseMap over the 15 default .map files, and a
// 10,000-term `and` chain (linear-time check). Parsing happens once per source, never per event.
import { createRequire } from 'node:module';
import { ACTIONS } from '../src/actions/index.js';
import { parseFql, parseMap } from '../src/parser/index.js';
import { loadPresets, measure, type BenchRow } from './harness.js';

interface SegmentSubscriptions {
  parseFql(fql: string): unknown;
}

async function presets(): Promise<string[]> {
  return (await loadPresets()).map((p) => p.subscribe);
}

/** The parser suite for bench/run.ts. */
export async function bench(): Promise<BenchRow[]> {
  const segment = createRequire(import.meta.url)('@segment/destination-subscriptions') as SegmentSubscriptions;
  const triggers = await presets();
  const maps = Object.values(ACTIONS).map((a) => a.defaultMapping);
  const mapChars = maps.reduce((n, m) => n + m.length, 0);
  const chain = Array.from({ length: 10_000 }, (_, i) => `p${i} = ${i}`).join(' and ');

  const ours = measure(() => triggers.map(parseFql), triggers.length);
  const peer = measure(() => triggers.map((t) => segment.parseFql(t)), triggers.length);
  return [
    {
      name: "parse Segment's 15 preset triggers",
      ours,
      peer,
      peerName: 'destination-subscriptions parseFql',
      unit: 'trigger',
      note: 'ours: CST + AST with spans and full §10 error checking',
    },
    { name: `parse the 15 default .map files (${mapChars} chars)`, ours: measure(() => maps.map(parseMap), maps.length), unit: 'file' },
    { name: `parse a 10,000-term and chain (${chain.length} chars)`, ours: measure(() => parseFql(chain), 1, 3000), unit: 'trigger' },
  ];
}
