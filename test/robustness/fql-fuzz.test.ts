// Property tests of the FQL trigger compiler (issue 7): generated valid triggers compile and
// evaluate without exceptions on generated events; mutated and random text either compiles or
// fails with a CompileError carrying positioned diagnostics; indexed sets agree with single triggers.

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeTrigger } from '../../src/evaluator/trigger.js';
import { checkTrigger, compileTrigger, compileTriggerSet, formatDiagnostic } from '../../src/index.js';
import { compileOutcome, expectWellFormed } from './support/diagnostics.js';
import { fqlArb, mutatedFqlArb, randomTextArb } from './support/fql-arb.js';
import { canonical, eventArb, jsonValueArb } from './support/events.js';
import { check, PROPERTY_TIMEOUT, tallyReport } from './support/fuzz.js';

afterAll(() => console.log(tallyReport('fql-fuzz')));

describe('valid triggers', () => {
  it('compile without errors, and match() is total and read-only on generated events', { timeout: PROPERTY_TIMEOUT }, () =>
    check(
      'fql.valid',
      1000,
      fc.property(fqlArb, fc.array(fc.oneof({ weight: 5, arbitrary: eventArb }, { weight: 1, arbitrary: jsonValueArb }), { minLength: 1, maxLength: 4 }), (source, events) => {
        const diagnostics = checkTrigger(source);
        expectWellFormed(source, diagnostics);
        expect(diagnostics.filter((d) => d.severity === 'error'), source).toEqual([]);
        const trigger = compileTrigger(source);
        // the raw predicate, not `matches` (which swallows exceptions): an internal throw is a bug
        const { predicate } = analyzeTrigger(source);
        expect(predicate).toBeDefined();
        for (const event of events) {
          const before = canonical(event);
          const r = trigger.matches(event);
          expect(typeof r).toBe('boolean');
          if (typeof event === 'object' && event !== null && !Array.isArray(event)) {
            const raw = predicate?.(event as Record<string, unknown>, undefined);
            expect(raw === true).toBe(r);
          }
          expect(canonical(event)).toBe(before);
        }
      }),
    ),
  );

  it('compileTriggerSet(sources).match(e) equals the triggers that match one by one', { timeout: PROPERTY_TIMEOUT }, () =>
    check(
      'fql.set-vs-single',
      300,
      fc.property(fc.array(fqlArb, { minLength: 1, maxLength: 6 }), fc.array(eventArb, { minLength: 1, maxLength: 5 }), (sources, events) => {
        const set = compileTriggerSet(sources);
        const singles = sources.map((s) => compileTrigger(s));
        for (const e of events) {
          const expected = singles.flatMap((t, i) => (t.matches(e) ? [i] : []));
          expect(set.match(e)).toEqual(expected);
        }
      }),
    ),
  );
});

describe('invalid and random text', () => {
  const agreesWithCheck = (source: string): void => {
    const outcome = compileOutcome(source, compileTrigger);
    const diagnostics = checkTrigger(source);
    expectWellFormed(source, diagnostics);
    // the one renderer (CLI, REPL, thrown errors) must cope with every diagnostic of any source
    for (const d of diagnostics) expect(formatDiagnostic(source, d, { filename: 'fuzz.fql', color: diagnostics.length % 2 === 0 })).toContain(d.code);
    const hasError = diagnostics.some((d) => d.severity === 'error');
    expect(hasError, JSON.stringify(source)).toBe(!outcome.ok);
    if (outcome.ok) {
      expect(typeof outcome.value.matches({ type: 'track', properties: {} })).toBe('boolean');
    } else {
      expect(outcome.error.diagnostics).toEqual(diagnostics);
    }
  };

  it('mutated triggers compile or throw CompileError with positioned diagnostics, never anything else', { timeout: PROPERTY_TIMEOUT }, () =>
    check('fql.mutated', 2000, fc.property(mutatedFqlArb, agreesWithCheck)),
  );

  it('random text compiles or throws CompileError with positioned diagnostics, never anything else', { timeout: PROPERTY_TIMEOUT }, () =>
    check('fql.random', 2000, fc.property(randomTextArb, agreesWithCheck)),
  );

  it('compileTriggerSet with invalid members throws CompileError with well-formed diagnostics', { timeout: PROPERTY_TIMEOUT }, () =>
    check(
      'fql.set-invalid',
      200,
      fc.property(fc.array(fc.oneof(fqlArb, mutatedFqlArb), { minLength: 1, maxLength: 4 }), (sources) => {
        try {
          compileTriggerSet(sources);
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
          expect((err as Error).name).toBe('CompileError');
        }
      }),
    ),
  );
});
