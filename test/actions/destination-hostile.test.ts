// The real destination (all 15 presets compiled from their default .map files) on hostile input:
// random JSON with the keys and values the presets look at, prototype keys, deep nesting, huge
// strings. `process` never throws, never mutates the event, never pollutes prototypes, and every
// request it returns has a body that validates for its profile.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateEntity, validateMetrics } from '../../src/actions/schemas.js';
import { createDestination } from '../../src/runtime/destination.js';

const key = fc.constantFrom('type', 'event', 'userId', 'anonymousId', 'previousId', 'groupId', 'messageId', 'timestamp', 'traits', 'properties', 'context', 'name', '__proto__', 'constructor', 'prototype', 'email', 'objectId', 'objectAttributes', 'device', 'token', 'deliveryId', 'metric', 'actionType', 'created_at', 'createdAt', 'url');
const leaf = fc.oneof(
  fc.constantFrom('identify', 'track', 'page', 'screen', 'group', 'alias', 'Application Installed', 'User Deleted', 'Report Delivery Event', 'Report Content Event', 'Object Deleted', 'Relationship Deleted', 'viewed_content', 'opened', 'ios', 'cio_', 'a@b.co', '2024-01-01', ''),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 5 })),
})).node;
const eventArb = fc.dictionary(key, value, { maxKeys: 10 }).map((e) => JSON.parse(JSON.stringify(e)) as unknown);

describe('destination on hostile events', () => {
  for (const profile of ['strict', 'segment'] as const) {
    const destination = createDestination({ settings: { siteId: 'site-abc', apiKey: 'key-xyz' }, presets: 'all', profile });
    it(`${profile}: never throws, never mutates, only valid bodies`, () => {
      fc.assert(
        fc.property(eventArb, (event) => {
          const before = JSON.stringify(event);
          const result = destination.process(event);
          expect(JSON.stringify(event)).toBe(before);
          for (const request of result.requests) {
            const errors = request.url.endsWith('/api/v1/metrics') ? validateMetrics(request.body) : validateEntity(profile, request.body);
            expect(errors).toEqual([]);
          }
          for (const error of result.errors) {
            expect(error.message).not.toContain('key-xyz');
            expect(error.message).not.toContain('site-abc');
          }
        }),
        { numRuns: 400, seed: 7 },
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it(`${profile}: non-objects, deep nesting and huge values`, () => {
      let deep: Record<string, unknown> = { leaf: '2024-01-01' };
      for (let i = 0; i < 5000; i++) deep = { d: deep };
      const huge = 'x'.repeat(2_000_000);
      const inputs: unknown[] = [null, undefined, 0, 'identify', [], [{ type: 'identify' }], { type: 'identify', userId: 'u', traits: deep }, { type: 'track', event: huge, userId: huge }, { type: 'identify', userId: 'u', traits: { big: huge } }];
      for (const input of inputs) {
        const result = destination.process(input);
        expect(Array.isArray(result.requests)).toBe(true);
      }
      const big = destination.process({ type: 'identify', userId: 'u', traits: { big: huge } });
      if (profile === 'strict') expect(big.requests).toEqual([]);
    });
  }
});
