// whyTrigger: the sub-expression that decided a trigger for one event, with the values it read.
import { describe, expect, it } from 'vitest';
import { compileTrigger, explainTrigger, whyTrigger } from '../../src/index.js';

describe('whyTrigger', () => {
  it.each([
    ['type = "track" and event = "A"', { type: 'track', event: 'B' }, false, '`event = "A"` is false (event is "B")'],
    ['type = "track" and event = "A"', { type: 'page' }, false, '`type = "track"` is false (type is "page")'],
    ['type = "identify" or traits.email != null', { type: 'track', traits: {} }, false, '`type = "identify"` is false (type is "track"); `traits.email != null` is false (traits.email is missing)'],
    ['type = "track" and !(event in ["A", "B"])', { type: 'track', event: 'A' }, false, '`!(event in ["A", "B"])` is false: `event in ["A", "B"]` is true (event is "A")'],
    ['contains(event, "Order")', { event: 3 }, false, '`contains(event, "Order")` is false (event is 3)'],
    ['type = "track"', { type: 'track' }, true, '`type = "track"` is true'],
  ])('%s on %j', (source, event, matched, reason) => {
    const why = whyTrigger(source, event);
    expect(why).toEqual({ matched, reason });
    expect(why.matched).toBe(compileTrigger(source).matches(event));
  });

  it('never throws on a non-object event or a broken trigger', () => {
    expect(whyTrigger('type = "track"', [1])).toEqual({ matched: false, reason: 'the event is not a JSON object' });
    expect(whyTrigger('type = ', {})).toEqual({ matched: false, reason: 'the trigger does not compile' });
  });
});

describe('whyTrigger and explainTrigger give one verdict, the one Trigger.matches gives', () => {
  class Instance {
    type = 'track';
  }
  const events: [string, unknown][] = [
    ['plain object', { type: 'track', event: 'X' }],
    ['null-prototype object', Object.assign(Object.create(null) as object, { type: 'track' })],
    ['class instance', new Instance()],
    ['Map', new Map([['type', 'track']])],
    ['list', [{ type: 'track' }]],
    ['string', 'track'],
    ['null', null],
  ];
  const triggers = ['true', 'type = "track"', '!(type = "identify")', 'type = "track" or event = "X"', 'properties.x = null'];
  it.each(events)('%s', (_label, event) => {
    for (const source of triggers) {
      const expected = compileTrigger(source).matches(event);
      expect(whyTrigger(source, event).matched, `${source} (why)`).toBe(expected);
      expect(explainTrigger(source, event).matches, `${source} (explain)`).toBe(expected);
    }
  });
});
