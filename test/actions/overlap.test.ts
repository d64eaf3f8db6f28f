// Overlapping subscriptions (issue 16.2): found at compile time with an example event; a
// subscription wins over the presets of its action, two subscriptions of one action both send.
import { describe, expect, it } from 'vitest';
import { compileMapping, createDestination } from '../../src/index.js';
import { overlapWitness } from '../../src/evaluator/overlap.js';
import { compileTrigger } from '../../src/index.js';

const settings = { siteId: 'site', apiKey: 'key' };
const signups = compileMapping('target trackEvent\ntitle "Signups"\nwhen type = "track" and event = "Signup"\nname = "signup"\n');

describe('a subscription and a preset of the same action', () => {
  const destination = createDestination({ settings, subscriptions: [signups] });

  it('sends one request for an event both match: the subscription wins', () => {
    const result = destination.process({ type: 'track', userId: 'u1', event: 'Signup' });
    expect(result.matched).toEqual(['Signups']);
    expect(result.requests).toHaveLength(1);
    expect((result.requests[0]?.body as { name: string }).name).toBe('signup');
  });

  it('leaves the preset every other event', () => {
    const result = destination.process({ type: 'track', userId: 'u1', event: 'Viewed' });
    expect(result.matched).toEqual(['Track Event']);
  });

  it('warns at compile time, naming both and an example event', () => {
    expect(destination.warnings).toEqual([
      'subscription "Signups" and preset "Track Event" both feed trackEvent, e.g. for {"type":"track","event":"Signup"}: the preset is skipped for the events "Signups" takes (a subscription wins over the presets of its action)',
    ]);
  });
});

describe('two subscriptions of one action', () => {
  it('both send, with a warning that says so', () => {
    const all = compileMapping('target trackEvent\ntitle "All tracks"\nwhen type = "track" and userId != null\nname = event\n');
    const destination = createDestination({ settings, presets: 'none', subscriptions: [signups, all] });
    expect(destination.process({ type: 'track', userId: 'u1', event: 'Signup' }).requests).toHaveLength(2);
    expect(destination.warnings).toEqual([
      'subscriptions "Signups" and "All tracks" both feed trackEvent, e.g. for {"type":"track","event":"Signup","userId":"any value"}: such an event is sent twice',
    ]);
  });

  it('no warning when the triggers exclude each other, or the actions differ', () => {
    const others = compileMapping('target trackEvent\ntitle "Others"\nwhen type = "track" and event != "Signup"\nname = event\n');
    const people = compileMapping('target createUpdatePerson\ntitle "People"\nwhen type = "track"\n');
    expect(createDestination({ settings, presets: 'none', subscriptions: [signups, others, people] }).warnings).toEqual([]);
  });
});

describe('overlapWitness', () => {
  it.each([
    ['type = "identify" and traits.email != null', 'type = "identify" and userId = "u1"'],
    ['event in ["A", "B"]', 'type = "track" and event = "B"'],
    ['!(type = "page")', 'type = "screen" or type = "page"'],
  ])('finds an event %s and %s both match', (a, b) => {
    const witness = overlapWitness(a, b);
    expect(witness).toBeDefined();
    expect(compileTrigger(a).matches(witness)).toBe(true);
    expect(compileTrigger(b).matches(witness)).toBe(true);
  });

  it.each([
    ['type = "identify"', 'type = "track"'],
    ['event = "A" and type = "track"', 'event != "A"'],
  ])('finds none for %s and %s', (a, b) => {
    expect(overlapWitness(a, b)).toBeUndefined();
  });
});

describe('subscriptions given as file names', () => {
  it('says the library wants source text, not "missing target header" at 1:1', () => {
    expect(() => createDestination({ settings, subscriptions: ['people.map'] })).toThrow(
      'subscriptions[0] is "people.map", a file name: pass the .map source text (readFileSync(file, \'utf8\')) or a compiled Subscription',
    );
  });
});
