// Hostile events through Destination.process (issue 7): every named hostile input and generated
// events against both profiles with all presets and the robustness .map files. Never a throw,
// no prototype pollution, no mutation, plain JSON outputs, a per-event error when not servable.

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { canonical, deepFreeze, eventArb, expectNoPollution, prototypeSnapshot } from './support/events.js';
import { check, countCases, PROPERTY_TIMEOUT, tallyReport } from './support/fuzz.js';
import { expectSaneResult, hostileDestinations } from './support/destinations.js';
import { HOSTILE_EVENTS } from './support/hostile.js';

afterAll(() => console.log(tallyReport('hostile-events')));

const destinations = hostileDestinations();
const isPlainObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v) as object | null);

describe.each(destinations)('%s profile', (_profile, destination) => {
  it.each(HOSTILE_EVENTS.map(([name, make]) => [name, make] as const))('%s', { timeout: PROPERTY_TIMEOUT }, (name, make) => {
    const before = prototypeSnapshot();
    const event = make();
    const frozen = typeof event === 'object' && event !== null && !(event instanceof Map) ? deepFreeze(event) : event;
    const text = typeof event === 'object' && event !== null ? canonical(event) : undefined;
    const result = destination.process(frozen);
    expectSaneResult(result, name);
    if (text !== undefined) expect(canonical(event), `${name} was mutated`).toBe(text);
    // an event that is not a JSON object cannot be served: it must say so, per event
    if (!isPlainObject(event)) expect(result.errors.length, `${name}: not an object, yet no per-event error`).toBeGreaterThan(0);
    expectNoPollution(before);
    countCases('hostile.named', 1);
  });

  it('generated events: no throw, no mutation, sane results', { timeout: PROPERTY_TIMEOUT }, () => {
    const before = prototypeSnapshot();
    check(
      'hostile.generated',
      300,
      fc.property(eventArb, (event) => {
        const text = canonical(event);
        const result = destination.process(deepFreeze(event));
        expectSaneResult(result, text.slice(0, 200));
        expect(canonical(event)).toBe(text);
        expect(JSON.parse(JSON.stringify(destination.processDetailed(event)))).toBeTruthy();
      }),
    );
    expectNoPollution(before);
  });
});
