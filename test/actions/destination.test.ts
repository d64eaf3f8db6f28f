// createDestinationWith (runtime/destination.ts) with hand-built subscriptions: configuration errors
// (never echoing credentials), the 50-subscription limit, per-event isolation, hostile events,
// no mutation of the event, batching facts, warnings, deletePerson.

import { describe, expect, it } from 'vitest';
import { QUICK_PRESETS } from '../../src/actions/presets.js';
import { compileTrigger } from '../../src/evaluator/trigger.js';
import type { Subscription } from '../../src/mapping/subscription.js';
import { createDestination, createDestinationWith, type DestinationConfig, type MappingCompiler } from '../../src/runtime/destination.js';

const SITE = 'site-0123456789abcdef';
const KEY = 'key-fedcba9876543210';
const settings = { siteId: SITE, apiKey: KEY };

type Fields = Record<string, unknown>;

/** A hand-built Subscription: a real compiled trigger, a mapping function. */
function sub(title: string, action: string, when: string, map: (event: Record<string, unknown>) => Fields): Subscription {
  return {
    title,
    action: action as Subscription['action'],
    trigger: compileTrigger(when),
    map(event) {
      return { ok: true, fields: map(event as Record<string, unknown>) };
    },
    toMapSource: () => `target ${action}\n`,
    examples: [],
    fields: [],
    reads: [],
  };
}

const noCompiler: MappingCompiler = () => {
  throw new Error('no .map compiler in this test');
};

function destination(config: Partial<DestinationConfig> & { subscriptions?: DestinationConfig['subscriptions'] }) {
  return createDestinationWith({ settings, presets: 'none', now: () => Date.parse('2025-01-01T00:00:00Z'), ...config }, noCompiler);
}

const trackSub = sub('Track', 'trackEvent', 'type = "track"', (e) => ({
  id: e.userId,
  anonymous_id: e.anonymousId,
  name: e.event,
  event_id: e.messageId,
  timestamp: e.timestamp,
  data: e.properties,
  convert_timestamp: true,
}));
const identifySub = sub('People', 'createUpdatePerson', 'type = "identify"', (e) => ({ id: e.userId, custom_attributes: e.traits, timestamp: e.timestamp }));

const track = { type: 'track', event: 'Clicked', userId: 'u1', messageId: 'm1', timestamp: '2024-05-01T12:00:00.000Z', properties: { at: '2024-01-01' } };

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('configuration', () => {
  it.each<[string, Partial<DestinationConfig>, RegExp]>([
    ['missing apiKey', { settings: { siteId: SITE } as DestinationConfig['settings'] }, /apiKey is required/],
    ['empty siteId', { settings: { siteId: '', apiKey: KEY } }, /siteId must not be empty/],
    ['bad region', { settings: { ...settings, region: 'XX' as 'US' } }, /region must be/],
    ['unknown profile', { profile: 'loose' as 'strict' }, /profile must be "strict" or "segment"/],
    ['unknown presets', { presets: 'some' as 'quick' }, /presets must be/],
    ['non-array subscriptions', { subscriptions: 'x' as unknown as string[] }, /subscriptions must be an array/],
    ['bad entry', { subscriptions: [42 as unknown as string] }, /subscriptions\[0\] is neither/],
    ['unknown action', { subscriptions: [sub('X', 'explode', 'type = "track"', () => ({}))] }, /unknown action "explode"/],
    ['bad endpoint', { endpoint: 'ftp://x' }, /endpoint/],
    ['bad clock', { now: 5 as unknown as () => number }, /now must be a function/],
  ])('%s is an error before any event, without secrets', (_name, config, message) => {
    const error = errorOf(() => destination(config));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(SITE);
    expect(error.message).not.toContain(KEY);
  });

  it('limits a destination to 50 subscriptions, presets included', () => {
    // titles must be unique, so each copy gets its own
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ ...trackSub, title: `Track ${i}` }));
    expect(destination({ subscriptions: many(50) }).subscriptions).toHaveLength(50);
    expect(errorOf(() => destination({ subscriptions: many(51) })).message).toMatch(/at most 50 subscriptions; this configuration has 51/);
    let n = 0;
    const compiler: MappingCompiler = () => ({ ...trackSub, title: `compiled ${n++}` });
    expect(() => createDestinationWith({ settings, presets: 'quick', subscriptions: many(43) }, compiler)).not.toThrow();
    expect(() => createDestinationWith({ settings, presets: 'quick', subscriptions: many(44) }, compiler)).toThrow(/at most 50/);
  });

  it('compiles the quick presets with their verbatim triggers, and .map text subscriptions', () => {
    const sources: string[] = [];
    const compiler: MappingCompiler = (source) => {
      sources.push(source);
      return { ...trackSub, title: `compiled ${sources.length}` };
    };
    createDestinationWith({ settings, subscriptions: ['target trackEvent\n'] }, compiler);
    expect(sources).toHaveLength(8);
    QUICK_PRESETS.forEach((preset, i) => {
      expect(sources[i]).toBe(`target ${preset.action}\ntitle ${JSON.stringify(preset.title)}\nwhen ${preset.trigger}\n`);
    });
    expect(sources[7]).toBe('target trackEvent\n');
  });
});

it('two subscriptions with one title (or one subscription twice) are a configuration error naming both', () => {
  expect(errorOf(() => destination({ subscriptions: [trackSub, trackSub] })).message).toMatch(
    new RegExp(`subscriptions\\[1\\] has the title "${trackSub.title}" of subscriptions\\[0\\]; titles must be unique`),
  );
  expect(errorOf(() => createDestination({ settings, presets: 'quick', subscriptions: [{ ...trackSub, title: 'Track Event' }] })).message).toMatch(
    /subscriptions\[0\] has the title "Track Event" of preset "Track Event"/,
  );
});

describe('process', () => {
  it('matches, maps and builds (strict by default)', () => {
    const d = destination({ subscriptions: [trackSub, identifySub] });
    const result = d.process(track);
    expect(result).toEqual({
      matched: ['Track'],
      requests: [
        {
          method: 'POST',
          url: 'https://track.customer.io/api/v2/entity',
          body: { type: 'person', action: 'event', name: 'Clicked', id: 'm1', attributes: { at: 1704067200 }, timestamp: 1714564800, identifiers: { id: 'u1' } },
        },
      ],
      errors: [],
    });
    expect(d.process({ type: 'page' })).toEqual({ matched: [], requests: [], errors: [] });
  });

  it('reports build errors with the field, and strict warnings', () => {
    const d = destination({ subscriptions: [trackSub] });
    expect(d.process({ ...track, userId: undefined }).errors).toEqual([
      { subscription: 'Track', field: 'id', message: expect.stringMatching(/no identifier/) as unknown as string },
    ]);
    const warned = d.process({ ...track, timestamp: 'whenever' });
    expect(warned.requests).toHaveLength(1);
    expect(warned.warnings).toEqual([{ subscription: 'Track', message: expect.stringMatching(/timestamp dropped/) as unknown as string }]);
  });

  it('isolates a failing subscription from the others', () => {
    const boom = sub('Boom', 'trackEvent', 'type = "track"', () => {
      throw new Error(`exploded with ${KEY}`);
    });
    const d = destination({ subscriptions: [boom, trackSub] });
    const result = d.process(track);
    expect(result.matched).toEqual(['Boom', 'Track']);
    expect(result.requests).toHaveLength(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.subscription).toBe('Boom');
    expect(result.errors[0]!.message).not.toContain(KEY);
  });

  it('never throws on hostile events and never mutates them', () => {
    const d = destination({ subscriptions: [trackSub, identifySub] });
    const cyclic: Record<string, unknown> = { type: 'identify', userId: 'u1' };
    cyclic.traits = { self: cyclic };
    const getter = { type: 'track', get event(): string { throw new Error('getter'); } };
    const proto = JSON.parse('{"type":"identify","userId":"u1","traits":{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}}') as unknown;
    const hostile: unknown[] = [null, undefined, 42, 'track', [], [track], { type: 'track', event: { $gt: 1 } }, cyclic, getter, proto, Object.create(null)];
    for (const event of hostile) {
      const result = d.process(event);
      expect(Array.isArray(result.matched)).toBe(true);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const frozen = structuredClone(track);
    const before = JSON.stringify(frozen);
    d.process(Object.freeze(frozen));
    d.process(frozen);
    expect(JSON.stringify(frozen)).toBe(before);
  });

  it('segment profile sends what Segment sends', () => {
    const d = destination({ subscriptions: [trackSub], profile: 'segment' });
    const body = d.process({ ...track, timestamp: '1705323471' }).requests[0]!.body as Record<string, unknown>;
    expect(body.timestamp).toBe('1705323471');
  });

  it('processDetailed carries the action and batching facts', () => {
    const unbatched = sub('Unbatched', 'trackEvent', 'type = "track"', (e) => ({ id: e.userId, name: e.event, enable_batching: false, batch_size: 7 }));
    const metrics = sub('Metrics', 'reportDeliveryEvent', 'type = "track"', () => ({ delivery_id: 'd', metric: 'opened' }));
    const d = destination({ subscriptions: [trackSub, unbatched, metrics] });
    const detailed = d.processDetailed(track);
    expect(detailed.items.map((i) => [i.subscription, i.action, i.batching])).toEqual([
      ['Track', 'trackEvent', { enabled: true, size: 50 }],
      ['Unbatched', 'trackEvent', { enabled: false, size: 7 }],
      ['Metrics', 'reportDeliveryEvent', null],
    ]);
    expect(detailed.items[2]!.request.url).toBe('https://track.customer.io/api/v1/metrics');
    expect(detailed.items[2]!.request.body).toMatchObject({ timestamp: 1735689600 });
  });
});

describe('deletePerson', () => {
  it.each([
    ['u1', 'https://track.customer.io/api/v1/customers/u1'],
    ['user/1', 'https://track.customer.io/api/v1/customers/user%2F1'],
    ['jane@example.com', 'https://track.customer.io/api/v1/customers/jane%40example.com'],
    [42, 'https://track.customer.io/api/v1/customers/42'],
  ])('%j → %s', (id, url) => {
    expect(destination({}).deletePerson(id)).toEqual({ method: 'DELETE', url, body: null });
  });

  it('uses the region and endpoint, and rejects empty ids', () => {
    expect(destination({ settings: { ...settings, region: 'EU' } }).deletePerson('u').url).toBe('https://track-eu.customer.io/api/v1/customers/u');
    expect(destination({ endpoint: 'http://127.0.0.1:9/' }).deletePerson('u').url).toBe('http://127.0.0.1:9/api/v1/customers/u');
    expect(() => destination({}).deletePerson('')).toThrow(TypeError);
  });
});
