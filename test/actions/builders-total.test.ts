// Every builder is total: for arbitrary field objects (wrong types, nulls, prototype keys, nested
// junk) it returns a result without throwing (not even into the registry's safety net), never mutates its input, and any body it returns
// validates for the profile.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIONS, actionKeys } from '../../src/actions/index.js';
import { validateEntity, validateMetrics } from '../../src/actions/schemas.js';
import type { BuildContext, Profile } from '../../src/actions/types.js';

const junk = fc.oneof(
  fc.string(),
  fc.constantFrom('cio_x', 'a@b.co', '2024-01-01', 'ios', 'viewed_content', 'opened', '__proto__', ''),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.dictionary(fc.constantFrom('a', '__proto__', 'anonymous_id', 'created_at', 'traits'), fc.oneof(fc.string(), fc.integer(), fc.constant({ object_type_id: 1 })), { maxKeys: 3 }),
);

describe.each(actionKeys)('%s', (key) => {
  const action = ACTIONS[key];
  const fieldKeys = Object.keys(action.fields);
  const fieldsArb = fc.dictionary(fc.constantFrom(...fieldKeys, '__proto__', 'extra'), junk, { maxKeys: fieldKeys.length + 2 });
  it.each(['segment', 'strict'] as Profile[])('%s profile is total', (profile) => {
    const ctx: BuildContext = { profile, baseUrl: 'https://track.customer.io', now: () => 1_735_689_600_000 };
    fc.assert(
      fc.property(fieldsArb, (fields) => {
        const before = JSON.stringify(fields);
        const result = action.build(Object.freeze(fields), ctx);
        expect(JSON.stringify(fields)).toBe(before);
        if (result.ok) {
          const body = result.request.body;
          expect(key === 'reportDeliveryEvent' ? validateMetrics(body) : validateEntity(profile, body)).toEqual([]);
        } else {
          expect(result.errors.length).toBeGreaterThan(0);
          // The registry's safety net (a caught exception) is never what answers.
          for (const e of result.errors) expect(e.message).not.toMatch(/could not build the request/);
        }
      }),
      { numRuns: 300, seed: 3 },
    );
  });
});
