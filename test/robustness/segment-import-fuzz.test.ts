// Property tests of the Segment mapping-JSON front end (importSegmentSubscription, issue 7):
// random and hostile mapping-kit JSON either imports into a Subscription that maps events totally,
// or throws CompileError with diagnostics; never another exception, never prototype pollution.

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CompileError, compileMapping, importSegmentSubscription } from '../../src/index.js';
import { eventArb, expectNoPollution, jsonObject, prototypeSnapshot } from './support/events.js';
import { check, PROPERTY_TIMEOUT, tallyReport } from './support/fuzz.js';
import { fqlArb, mutatedFqlArb } from './support/fql-arb.js';

afterAll(() => console.log(tallyReport('segment-import-fuzz')));

const pathStr = fc.constantFrom('$.userId', '$.traits.email', '$.properties.products', '$.properties["a b"]', '$.__proto__', '$.constructor.prototype', '$..sku', '$[?(@.x)]', 'traits.email', '$.', '', '$.properties.items[0].sku');
const template = fc.constantFrom('{{traits.email}}', 'Hi {{ traits.name | upcase }}', '{{__proto__.polluted}}', '{{', '}}', '{{ a.b.c }} {{x}}', '{% if x %}y{% endif %}');
const directive: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    pathStr.map((p) => ({ '@path': p })),
    template.map((t) => ({ '@template': t })),
    fc.jsonValue({ maxDepth: 2 }).map((v) => ({ '@literal': v })),
    fc.tuple(tie('value'), tie('value'), tie('value')).map(([x, a, b]) => ({ '@if': { exists: x, then: a, else: b } })),
    fc.tuple(tie('value'), tie('value')).map(([x, a]) => ({ '@if': { blank: x, then: a } })),
    fc.tuple(tie('value'), fc.constantFrom('lower', 'upper', 'nope')).map(([v, op]) => ({ '@case': { operator: op, value: v } })),
    fc.tuple(tie('value'), fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 })).map(([v, p, r]) => ({ '@replace': { value: v, pattern: p, replacement: r, global: true } })),
    fc.tuple(pathStr, tie('value')).map(([p, m]) => ({ '@arrayPath': [p, { id: m }] })),
    tie('value').map((v) => ({ '@flatten': { value: v, separator: '.' } })),
    fc.tuple(fc.constantFrom('encode', 'decode', 'x'), tie('value')).map(([mode, v]) => ({ '@json': { mode, value: v } })),
    fc.tuple(tie('value'), tie('value')).map(([a, b]) => ({ '@merge': { objects: [a, b], direction: 'right' } })),
    tie('value').map((v) => ({ '@excludeWhenNull': v })),
    template.map((t) => ({ '@liquid': t })),
    fc.constantFrom({ '@unknown': 1 }, { '@path': 5 }, { '@if': null }, [], null, 'text', 42, true),
    fc.array(fc.tuple(fc.constantFrom('a', '__proto__', 'constructor', '@path'), tie('value')), { maxLength: 3 }).map(jsonObject),
  ),
})).value;

/** Fields per action (valid keys import; a few hostile/unknown keys are mixed in). */
const FIELDS: Record<string, string[]> = {
  createUpdatePerson: ['id', 'email', 'anonymous_id', 'custom_attributes', 'timestamp', 'created_at'],
  trackEvent: ['id', 'name', 'event_id', 'timestamp', 'data', 'anonymous_id'],
  trackPageView: ['id', 'url', 'data', 'timestamp'],
  reportDeliveryEvent: ['delivery_id', 'metric', 'recipient', 'href'],
};
const HOSTILE_FIELDS = ['__proto__', 'constructor', 'nope'];

const subscriptionArb = fc
  .oneof({ weight: 6, arbitrary: fc.constantFrom(...Object.keys(FIELDS)) }, { weight: 1, arbitrary: fc.constantFrom('deleteObject', 'createUpdateDevice', 'nope', '__proto__') })
  .chain((partnerAction) =>
    fc.record({
      name: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
      // open (reported): FQL strings holding `{{` (MAP004 "template") or ending in `\` cannot be printed into a .map `when`
      subscribe: fc.option(
        fc.oneof({ weight: 4, arbitrary: fqlArb }, { weight: 1, arbitrary: mutatedFqlArb }).filter((s) => !s.includes('{{') && !s.includes('\\"')),
        { nil: undefined },
      ),
      partnerAction: fc.constant(partnerAction),
      mapping: fc
        .array(fc.tuple(fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...(Object.hasOwn(FIELDS, partnerAction) ? (FIELDS[partnerAction] as string[]) : ['id'])) }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_FIELDS) }), directive), { maxLength: 4 })
        .map(jsonObject),
    }),
  );

describe('importSegmentSubscription', () => {
  it('imports or throws CompileError; imported subscriptions map events and print to compilable .map', { timeout: PROPERTY_TIMEOUT }, () => {
    const before = prototypeSnapshot();
    let imported = 0;
    let refused = 0;
    check(
      'segment.import',
      400,
      fc.property(subscriptionArb, fc.array(eventArb, { minLength: 1, maxLength: 3 }), (json, events) => {
        let sub;
        try {
          sub = importSegmentSubscription(json as Parameters<typeof importSegmentSubscription>[0]);
        } catch (err) {
          if (!(err instanceof CompileError)) throw new Error(`import threw ${(err as Error).name}: ${(err as Error).message}`, { cause: err });
          expect(err.diagnostics.some((d) => d.severity === 'error')).toBe(true);
          refused++;
          return;
        }
        imported++;
        for (const e of events) {
          const r = sub.map(e);
          expect(typeof r.ok).toBe('boolean');
          if (!r.ok) for (const fe of r.errors) expect(fe.message).not.toMatch(/TypeError|RangeError|Cannot read propert|is not a function/);
        }
        const text = sub.toMapSource();
        try {
          compileMapping(text, { filename: 'imported.map' });
        } catch (err) {
          throw new Error(`toMapSource() of an imported subscription does not compile:\n${text}\n${(err as Error).message}`);
        }
      }),
    );
    expectNoPollution(before);
    // both paths must be exercised, or the generator has drifted away from what imports
    expect(imported).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });
});
