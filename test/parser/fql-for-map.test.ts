// A Segment trigger printed into a `.map` `when` header must compile back to the same trigger:
// double-quoted FQL strings that `.map` would misread (a trailing `\`, a `{{`) are re-quoted.
import { describe, expect, it } from 'vitest';
import { compileMapping, compileTrigger, importSegmentSubscription } from '../../src/index.js';
import { fqlForMapHeader } from '../../src/parser/fql-for-map.js';

describe('fqlForMapHeader', () => {
  it.each([
    ['event = "a\\"', "event = 'a\\'"],
    ['properties.x = "{{y}}"', "properties.x = '{{y}}'"],
    ['event = "a\\" or event = \'b\\\'', "event = 'a\\' or event = 'b\\'"],
    ['type = "track" and event = "{{"', "type = \"track\" and event = '{{'"],
    // left alone: nothing misread, or no safe spelling, or not FQL at all
    ['match(properties.p, "ab\\*d")', 'match(properties.p, "ab\\*d")'],
    ['event = "it\'s {{"', 'event = "it\'s {{"'],
    ['event = "a\\" and @', 'event = "a\\" and @'],
    ['type = "track"', 'type = "track"'],
  ])('%s → %s', (source, expected) => {
    expect(fqlForMapHeader(source)).toBe(expected);
  });

  it('imported Segment triggers with such strings print as .map text that compiles to the same trigger', () => {
    const events = [{ type: 'track', event: 'a\\' }, { type: 'track', event: 'b\\' }, { type: 'track', event: '{{y}}', properties: { x: '{{y}}' } }, { type: 'track', event: 'other' }];
    for (const subscribe of ['event = "a\\"', 'properties.x = "{{y}}"', 'event = "a\\" or event = \'b\\\'', 'type = "track" and event != "{{y}}"']) {
      const imported = importSegmentSubscription({ name: 'X', subscribe, partnerAction: 'trackEvent', mapping: { name: { '@path': '$.event' } } });
      const again = compileMapping(imported.toMapSource());
      const reference = compileTrigger(subscribe);
      for (const e of events) expect(again.trigger.matches(e)).toBe(reference.matches(e));
      expect(events.some((e) => reference.matches(e))).toBe(true); // the events exercise the trigger
    }
  });
});
