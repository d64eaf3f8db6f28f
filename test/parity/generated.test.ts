// Generated events for cases the corpus lacks (numeric and array ids, cio_/email edge ids, every
// timestamp form, nulls and empty strings, odd device types, invalid metrics), run two ways with
// the `segment` profile: our whole pipeline (importSegmentSubscription → process) and Segment's own
// matching + mapping (destination-subscriptions, actions-core) feeding the same body builders.
// Any difference is a trigger or mapping difference from Segment (none today).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIONS, isActionKey } from '../../src/actions/index.js';
import type { BuildContext } from '../../src/actions/types.js';
import { segmentSubscription } from '../../bench/segment-peer.js';
import { canonical, NOW, presetDestination, presets, type Outcome } from './corpus.js';

const id = fc.oneof(
  fc.constantFrom('u1', 'cio_abc123', 'cio_', 'Jane@Example.COM', 'a@b', ' x@y.com', 'user/1', '2024-01-01', 'jöhn@example.com'),
  fc.integer({ min: 0, max: 1e9 }),
  fc.constantFrom(null, ''),
);
const date = fc.constantFrom(
  '2024-05-01T12:00:00.000Z',
  '2024-01-15T04:02:13-05:00',
  '2024-01-15',
  '2024-01-15T10:00',
  '2024-01-03 10:00:00',
  'Mon, 15 Jan 2024 22:48:44 GMT',
  '25 Mar 2015',
  '1705323471',
  '1712345678.5',
  '2018-03-04T12:08:56.235 PDT',
  'not a date',
  '1960-01-01',
  '',
);
const dateValue = fc.oneof(date, fc.constant(1705323471), fc.constant(1705323471000), fc.constant(null));
const bag = fc.dictionary(fc.constantFrom('plan', 'seen_at', 'name', 'n', 'nested', 'gone', 'list'), fc.oneof(dateValue, fc.integer(), fc.constant({ at: '2024-01-01' }), fc.constant([{ at: '2024-01-01' }])), { maxKeys: 4 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const common = fc.record(
  { userId: maybe(id), anonymousId: maybe(fc.constantFrom('anon-1', '', null)), messageId: maybe(fc.constantFrom('msg-1', '2024-01-02')), timestamp: maybe(dateValue) },
  { requiredKeys: [] },
);

const identify = fc.record({
  type: fc.constant('identify'),
  traits: fc.record(
    {
      email: maybe(fc.oneof(fc.constantFrom('jane@example.com', '', 'JANE@EXAMPLE.COM'), fc.constant(['jane@example.com']), fc.constant(null))),
      created_at: maybe(dateValue),
      createdAt: maybe(dateValue),
      objectId: maybe(fc.oneof(fc.constantFrom('acme', ''), fc.integer({ min: 1, max: 99 }))),
      objectTypeId: maybe(fc.oneof(fc.constantFrom('2', ''), fc.integer({ min: 1, max: 9 }))),
      relationshipAttributes: maybe(bag),
      plan: maybe(fc.constantFrom('pro', '')),
      seen_at: maybe(date),
    },
    { requiredKeys: [] },
  ),
});
const group = fc.record({
  type: fc.constant('group'),
  groupId: maybe(fc.oneof(fc.constantFrom('acme', '2024-01-01', ''), fc.integer({ min: 1, max: 999 }))),
  traits: fc.record({ objectAttributes: maybe(bag), relationshipAttributes: maybe(bag), object_type_id: maybe(fc.constantFrom('3', '')), created_at: maybe(dateValue), name: maybe(fc.constant('Acme')) }, { requiredKeys: [] }),
});
const trackLike = fc.record({
  type: fc.constantFrom('track', 'page', 'screen'),
  name: maybe(fc.constantFrom('Settings', '2024-01-01', '')),
  event: fc.constantFrom(
    'Order Completed',
    '2024-01-01',
    'Application Installed',
    'Application Opened',
    'Application Uninstalled',
    'Device Created or Updated',
    'Relationship Deleted',
    'User Deleted',
    'User Suppressed',
    'Object Deleted',
    'Report Delivery Event',
    'Report Content Event',
  ),
  properties: fc.record(
    {
      url: maybe(fc.constantFrom('https://example.com/', '')),
      objectId: maybe(fc.oneof(fc.constant('acme'), fc.integer({ min: 1, max: 9 }))),
      objectTypeId: maybe(fc.constantFrom('2', '')),
      deliveryId: maybe(fc.oneof(fc.constant('dlv-1'), fc.integer({ min: 1, max: 9 }))),
      metric: maybe(fc.constantFrom('opened', 'clicked', 'liked', '')),
      actionType: maybe(fc.constantFrom('viewed_content', 'clicked_content', 'liked')),
      actionName: maybe(fc.constantFrom('a', '')),
      seen_at: maybe(date),
      nested: maybe(bag),
    },
    { requiredKeys: [] },
  ),
  context: fc.record({ device: maybe(fc.record({ token: maybe(fc.constantFrom('tok-1', '')), type: maybe(fc.constantFrom('ios', 'iOS', 'android', 'web')) }, { requiredKeys: [] })), app: maybe(fc.record({ version: fc.constantFrom('1.2.3', '') })) }, { requiredKeys: [] }),
});
const alias = fc.record({ type: fc.constant('alias'), previousId: maybe(id) });

const eventArb = fc.tuple(common, fc.oneof(identify, group, trackLike, alias)).map(([a, b]) => {
  const event: Record<string, unknown> = { ...a, ...b };
  for (const k of Object.keys(event)) if (event[k] === undefined) delete event[k];
  return JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
});

const ctx: BuildContext = { profile: 'segment', baseUrl: 'https://track.customer.io', now: () => NOW };
const peers = presets.map((p) => {
  if (!isActionKey(p.partnerAction)) throw new Error(p.partnerAction);
  const action = ACTIONS[p.partnerAction];
  return { name: p.name, action, peer: segmentSubscription(p, action.fields) };
});
const ours = presetDestination();

function viaSegmentMapping(event: unknown): Outcome {
  const out: Outcome = { matched: [], requests: [], failed: [] };
  for (const { name, action, peer } of peers) {
    if (!peer.matches(event)) continue;
    out.matched.push(name);
    const mapped = peer.payload(event);
    const built = mapped.ok ? action.build(mapped.payload, ctx) : undefined;
    if (built?.ok) out.requests.push({ preset: name, ...built.request });
    else out.failed.push(name);
  }
  return out;
}

function viaOurs(event: unknown): Outcome {
  const r = ours.processDetailed(event);
  return {
    matched: r.matched,
    requests: r.items.map((i) => ({ preset: i.subscription, ...i.request })),
    failed: [...new Set(r.errors.map((e) => e.subscription))],
  };
}

describe('generated events: our pipeline vs Segment mapping + our builders', () => {
  it('agree on 3,000 seeded events', () => {
    const samples = fc.sample(eventArb, { numRuns: 3000, seed: 20250101 });
    const differing: string[] = [];
    let built = 0;
    let rejected = 0;
    for (const event of samples) {
      const a = viaOurs(event);
      const b = viaSegmentMapping(event);
      if (a.requests.length > 0) built++;
      if (a.failed.length > 0) rejected++;
      if (canonical(a) !== canonical(b)) differing.push(`${JSON.stringify(event)}\n  ours:    ${canonical(a)}\n  segment: ${canonical(b)}`);
    }
    expect(differing.slice(0, 5)).toEqual([]);
    // The generator reaches both outcomes often (it is not trivially rejecting everything).
    expect(built).toBeGreaterThan(samples.length / 4);
    expect(rejected).toBeGreaterThan(samples.length / 4);
  });
});
