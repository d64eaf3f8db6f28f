// Property tests of the `.map` compiler (issue 7): generated valid subscriptions compile, map
// generated events without exceptions or mutation, and print back to compilable source; mutated
// and random text compiles or fails with a CompileError carrying positioned diagnostics.

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { checkMapping, compileMapping, formatDiagnostic } from '../../src/index.js';
import { compileOutcome, expectWellFormed } from './support/diagnostics.js';
import { canonical, deepFreeze, eventArb } from './support/events.js';
import { randomTextArb } from './support/fql-arb.js';
import { check, PROPERTY_TIMEOUT, tallyReport } from './support/fuzz.js';
import { mapArb, mutatedMapArb } from './support/map-arb.js';
import { expectPlainTree } from './support/destinations.js';

afterAll(() => console.log(tallyReport('map-fuzz')));

const INTERNAL = /\b(TypeError|RangeError|ReferenceError|Maximum call stack|is not a function|Cannot read propert)/;

describe('valid .map subscriptions', () => {
  it('compile, map generated events totally and read-only, and print back to compilable source', { timeout: PROPERTY_TIMEOUT }, () =>
    check(
      'map.valid',
      300,
      fc.property(mapArb, fc.array(eventArb, { minLength: 1, maxLength: 3 }), (source, events) => {
        const diagnostics = checkMapping(source, { filename: 'fuzz.map' });
        expectWellFormed(source, diagnostics);
        expect(diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(source, d)), source).toEqual([]);
        const sub = compileMapping(source, { filename: 'fuzz.map' });
        for (const event of events) {
          const before = canonical(event);
          const r = sub.map(deepFreeze(event));
          expect(canonical(event)).toBe(before);
          if (r.ok) expectPlainTree(r.fields, source);
          else for (const e of r.errors) expect(e.message, source).not.toMatch(INTERNAL);
          expect(typeof sub.trigger.matches(event)).toBe('boolean');
        }
        const printed = sub.toMapSource();
        const again = compileOutcome(printed, (s) => compileMapping(s, { filename: 'printed.map' }));
        expect(again.ok, `toMapSource() does not compile:\n${printed}\n${again.ok ? '' : again.error.message}`).toBe(true);
      }),
    ),
  );
});

describe('invalid and random .map text', () => {
  const agreesWithCheck = (source: string): void => {
    const outcome = compileOutcome(source, (s) => compileMapping(s, { filename: 'fuzz.map' }));
    const diagnostics = checkMapping(source, { filename: 'fuzz.map' });
    expectWellFormed(source, diagnostics);
    expect(diagnostics.some((d) => d.severity === 'error'), source).toBe(!outcome.ok);
    for (const d of diagnostics) expect(typeof formatDiagnostic(source, d, { filename: 'fuzz.map' })).toBe('string');
    if (outcome.ok) {
      const r = outcome.value.map({ type: 'track', userId: 'u', properties: {} });
      expect(typeof r.ok).toBe('boolean');
    }
  };

  it('mutated subscriptions compile or throw CompileError with positioned diagnostics', { timeout: PROPERTY_TIMEOUT }, () =>
    check('map.mutated', 600, fc.property(mutatedMapArb, agreesWithCheck)),
  );

  it('random text compiles or throws CompileError with positioned diagnostics', { timeout: PROPERTY_TIMEOUT }, () =>
    check('map.random', 600, fc.property(fc.oneof(randomTextArb, randomTextArb.map((t) => `target trackEvent\n${t}`)), agreesWithCheck)),
  );
});
