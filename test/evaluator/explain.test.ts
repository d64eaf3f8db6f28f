import { describe, expect, it } from 'vitest';
import { compileTrigger, explainTrigger } from '../../src/index.js';

describe('explainTrigger', () => {
  const event = { type: 'track', event: 'Order Completed', properties: { total: 12 } };

  it('gives the value of each sub-expression, outermost first, and agrees with matches()', () => {
    const source = 'type = "track" and (properties.total > 100 or event = "Order Completed")';
    const x = explainTrigger(source, event);
    expect(x.matches).toBe(true);
    expect(x.matches).toBe(compileTrigger(source).matches(event));
    expect(x.steps.map((s) => [s.text, s.depth, s.value])).toEqual([
      [source, 0, true],
      ['type = "track"', 1, true],
      ['type', 2, 'track'],
      ['properties.total > 100 or event = "Order Completed"', 1, true],
      ['properties.total > 100', 2, false],
      ['properties.total', 3, 12],
      ['event = "Order Completed"', 2, true],
      ['event', 3, 'Order Completed'],
    ]);
    for (const s of x.steps) expect(source.slice(s.start, s.end)).toBe(s.text);
  });

  it('marks missing paths, and a non-object event never matches', () => {
    const x = explainTrigger('properties.plan = "pro"', event);
    expect(x.matches).toBe(false);
    expect(x.steps[1]).toMatchObject({ text: 'properties.plan', missing: true });
    expect(explainTrigger('true', 'not an event').matches).toBe(false);
  });

  it('gives no steps for a trigger with errors', () => {
    expect(explainTrigger('type == ', event)).toEqual({ matches: false, steps: [] });
  });

  it('lists function calls and their arguments', () => {
    const x = explainTrigger('contains(event, "Order")', event);
    expect(x.steps.map((s) => [s.text, s.value])).toEqual([
      ['contains(event, "Order")', true],
      ['event', 'Order Completed'],
    ]);
  });
});
