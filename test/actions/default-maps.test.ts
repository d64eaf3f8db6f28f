// Every action's default .map compiles with the mapping layer, its `example` blocks hold (fields
// and, through the destination, a valid body in both profiles), and the preset sources compile.

import { describe, expect, it } from 'vitest';
import { ACTIONS, actionKeys } from '../../src/actions/index.js';
import { ALL_ACTION_PRESETS, presetSource, QUICK_PRESETS } from '../../src/actions/presets.js';
import { compileMapping } from '../../src/mapping/api.js';
import { createDestination } from '../../src/runtime/destination.js';

describe('default .map files', () => {
  it.each(actionKeys)('%s compiles, targets its action, and keeps its default trigger', (key) => {
    const sub = compileMapping(ACTIONS[key].defaultMapping, { filename: `${key}/default.map` });
    expect(sub.action).toBe(key);
    expect(sub.title).toBe(ACTIONS[key].title);
    expect(sub.examples.length).toBeGreaterThanOrEqual(1);
  });

  it.each(actionKeys)('%s: examples map to their fields and build in both profiles', (key) => {
    const sub = compileMapping(ACTIONS[key].defaultMapping);
    for (const example of sub.examples) {
      expect(sub.trigger.matches(example.input), `${example.title} matches the trigger`).toBe(true);
      const mapped = sub.map(example.input);
      expect(mapped, example.title).toEqual({ ok: true, fields: example.fields });
      for (const profile of ['strict', 'segment'] as const) {
        const d = createDestination({ settings: { siteId: 's', apiKey: 'k' }, presets: 'none', subscriptions: [sub], profile });
        const result = d.process(example.input);
        expect(result.errors, `${example.title} (${profile})`).toEqual([]);
        expect(result.requests).toHaveLength(1);
      }
    }
  });

  it.each([...QUICK_PRESETS, ...ALL_ACTION_PRESETS].map((p) => [p.title, p] as const))('preset %s compiles with its trigger', (_t, preset) => {
    const sub = compileMapping(presetSource(preset));
    expect(sub.action).toBe(preset.action);
    expect(sub.trigger.source.trim()).toBe(preset.trigger);
  });
});
