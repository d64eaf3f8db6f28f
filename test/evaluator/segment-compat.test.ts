// Segment-divergence warnings (FQL3xx, fql.md §12), checked against Segment's real engine
// (@segment/destination-subscriptions 3.37.0): every warning row comes with a witness event on
// which the two engines really disagree, and every trigger without a warning agrees with Segment
// on the whole parity corpus plus crafted events.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { checkTrigger, compileTrigger } from '../../src/index.js';
import { events, QUICK_PRESETS, segmentPresets } from './corpus.js';

const segment = createRequire(import.meta.url)('@segment/destination-subscriptions') as {
  parseFql(s: string): unknown;
  validate(ast: unknown, event: unknown): boolean;
};
const segmentMatches = (source: string, event: unknown): boolean => {
  try {
    return segment.validate(segment.parseFql(source), event);
  } catch {
    return false; // Segment's callers treat a throwing validate as "no match"
  }
};
const segmentCodes = (source: string) =>
  checkTrigger(source)
    .filter((d) => d.code.startsWith('FQL3'))
    .map((d) => d.code)
    .sort();

/** [source, the FQL3xx codes it must get, an event on which Segment and FQL disagree] */
const WARNED: Array<[string, string[], Record<string, unknown>]> = [
  ['type = "track" or type = "identify" and event = "X"', ['FQL301'], { type: 'track' }],
  ['type = "identify" and event = "X" or type = "track"', ['FQL301'], { type: 'page', event: 'X' }],
  ['((type = "track"))', ['FQL302'], { type: 'track' }],
  ['(contains(event, "Order") or event = "Refund") and properties.revenue > 10', ['FQL302'], { event: 'Refund', properties: { revenue: 20 } }],
  ['!(event = "X")', ['FQL303'], { event: 'Y' }],
  ['!properties.gift', ['FQL303', 'FQL309'], { properties: { gift: false } }],
  ['type = "identify" and anonymousId = "x"', ['FQL304'], { type: 'identify', anonymousId: 'y' }],
  ['contains(type, "den")', ['FQL304'], { type: 'identify' }],
  ["event = 'Button Clicked'", ['FQL305'], { event: 'Button Clicked' }],
  ['"Order Completed" = event', ['FQL306'], { event: 'Order Completed' }],
  ['type = track', ['FQL306'], { type: 'track' }],
  ['contains(event, "Order") = false', ['FQL306'], { event: 'Order X' }],
  ['type in ["track", "identify"]', ['FQL307'], { type: 'track' }],
  ['properties.tags = ["a"]', ['FQL307'], { properties: { tags: ['a'] } }],
  ['length(userId) > 0', ['FQL306', 'FQL308'], { userId: 'u' }],
  ['properties.premium', ['FQL309'], { properties: { premium: true } }],
  ['properties.a\\.b = 1', ['FQL310'], { properties: { 'a.b': 1 } }],
  ['properties.items.\\0.sku = "x"', ['FQL310'], { properties: { items: [{ sku: 'x' }] } }],
  ['properties.name.length > 3', ['FQL310'], { properties: { name: 'abcd' } }],
  ['properties.constructor != null', ['FQL310'], { properties: {} }],
  ['type.x = "a"', ['FQL310'], { type: 'a' }],
  ['match(event, "a*d")', ['FQL311'], { event: 'abcd' }],
  ['match(event, "*Order*")', ['FQL311'], { event: 'My Order X' }],
  ['match(event, "ab")', ['FQL311'], { event: 'xab' }],
  ['event = 404', ['FQL312'], { event: '404' }],
  ['event != null', ['FQL312'], {}],
  ['userId = 123', ['FQL312'], { userId: '123' }],
  ['name = true', ['FQL312'], { name: 'true' }],
  ['userId != false', ['FQL312'], { userId: false }],
  ['properties.quantity != 3', ['FQL313'], { properties: {} }],
  ['properties.flag != true', ['FQL313'], { properties: { flag: true } }],
  ['properties.price > "100"', ['FQL314'], { properties: { price: 150 } }],
  ['properties.n >= true', ['FQL314'], { properties: { n: 1 } }],
  ['!contains(context.library.name, "js")', ['FQL315'], {}],
  ['!match(userId, "x*")', ['FQL315'], { userId: 5 }],
  ['contains(properties.keyword, properties.other)', ['FQL316'], { properties: { keyword: 'has properties.other in it', other: 'zz' } }],
  ['properties.count.value = 0', ['FQL317'], { properties: { count: 0 } }],
  ['properties.label.text != ""', ['FQL317'], { properties: { label: '' } }],
  ['traits.a.b < 5', ['FQL317'], { traits: { a: 0 } }],
  ['type !="page"', ['FQL318'], { type: 'track' }],
  ['properties.x >=5', ['FQL318'], { properties: { x: 6 } }],
  ['properties.revenue>50', ['FQL318'], { properties: { revenue: 60 } }],
  ['event="A"and type="track"', ['FQL318'], { event: 'A', type: 'page' }],
  ['! contains(event, "x")', ['FQL315', 'FQL318'], { event: 'y' }],
  ['properties.or = 1', ['FQL318'], { properties: { or: 1 } }],
  ['type = "track"\r\nand event = "A"', ['FQL318'], { type: 'track', event: 'B' }],
  ['type = "a" or(event = "b")', ['FQL318'], { type: 'a', event: 'c' }],
];

/** Triggers on which both engines must agree everywhere: no FQL3xx warning. */
const CLEAN: string[] = [
  ...segmentPresets.map((p) => p.subscribe),
  ...QUICK_PRESETS.map((p) => p.trigger),
  'type = "track" and properties.revenue > 10',
  'properties.revenue >= 99.5 and properties.quantity = 2',
  'contains(event, "Order")',
  'contains(properties.name, "Pro") or contains(traits.email, "@")',
  'match(event, "Order*")',
  'match(userId, "*@x.com")',
  'match(event, "*")',
  'traits.email != null',
  'traits.email = null',
  'userId = true',
  'userId = null',
  'properties.vip = true and properties.churned = false',
  '(type = "track" or type = "identify") and event = "X"',
  'type = "track" and (event = "A" or event = "B")',
  'name = "Home" or name != null',
  'properties.count = 0',
  'properties.a.b = "x"',
  'context.library.name != "analytics.js"',
  'traits.plan.tier > 1',
  'properties.n >= null',
  'type="page"',
  'properties.\\or = 1 and properties.true = true',
  'type = "a" and(event = "b")',
  'event = "A" and\n  type = "track"',
];

const CRAFTED: Array<Record<string, unknown>> = [
  {},
  { type: 'track', event: 'X' },
  { type: 'identify', event: 'A', userId: true },
  { type: 'track', event: 'B', properties: { revenue: 11, quantity: 2, vip: true, churned: false, count: 0, a: { b: 'x' } } },
  { type: 'track', event: 'Order Completed', properties: { revenue: '11', name: 'iPhone Pro', count: '0', a: 0 } },
  { name: 'Home', traits: { email: null, plan: { tier: 2 } } },
  { name: null, userId: 'x@x.com', traits: { email: 'e@x', plan: 0 } },
  { type: 'page', event: null, properties: null, context: { library: { name: 'analytics.js' } } },
  { type: 'track', event: 5, properties: [], context: { library: 'x' } },
  { type: 'track', properties: { a: '', vip: 'true', revenue: 10 }, traits: { plan: { tier: '3' } } },
];

describe('each warning is real: Segment and FQL disagree on its witness event', () => {
  it.each(WARNED)('%s → %j', (source, codes, witness) => {
    expect(segmentCodes(source)).toEqual([...codes].sort());
    expect(compileTrigger(source).matches(witness)).not.toBe(segmentMatches(source, witness));
  });

  it('covers every FQL3xx code', () => {
    const covered = new Set(WARNED.flatMap(([, codes]) => codes));
    for (let n = 301; n <= 318; n++) expect(covered.has(`FQL${n}`), `FQL${n}`).toBe(true);
  });
});

describe('no warning means Segment agrees (corpus + crafted events)', () => {
  it.each(CLEAN.map((s) => [s.replace(/\s+/g, ' ').trim()] as const).map(([s], i) => [s, CLEAN[i] as string]))('%s', (_label, source) => {
    expect(segmentCodes(source)).toEqual([]);
    const trigger = compileTrigger(source);
    const parsed = segment.parseFql(source);
    for (const event of [...CRAFTED, ...events]) {
      expect(trigger.matches(event), JSON.stringify(event).slice(0, 200)).toBe(segment.validate(parsed, event));
    }
  });
});

describe('warnings carry a message that says what Segment does', () => {
  it.each(WARNED.map(([s]) => [s]))('%s', (source) => {
    for (const d of checkTrigger(source).filter((x) => x.code.startsWith('FQL3'))) {
      expect(d.severity).toBe('warning');
      expect(d.message).toMatch(/Segment/);
      expect(d.span.end).toBeGreaterThanOrEqual(d.span.start);
    }
  });
});
