// The action registry: 15 actions, field tables consistent with Segment's presets, and each
// embedded default mapping identical to the default.map file shipped next to it.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACTIONS, actionKeys, getAction } from '../../src/actions/index.js';

const PRESETS = fileURLToPath(new URL('../data/segment-parity/segment-presets.json', import.meta.url));

const presets = JSON.parse(readFileSync(PRESETS, 'utf8')) as Array<{
  name: string;
  partnerAction: string;
  mapping: Record<string, unknown>;
}>;

describe('action registry', () => {
  it('has the 15 actions of customerio.md §0.1', () => {
    expect([...actionKeys].sort()).toEqual(presets.map((p) => p.partnerAction).sort());
    expect(actionKeys).toHaveLength(15);
  });

  it.each(actionKeys)('%s: default-map.ts equals default.map', (key) => {
    const file = readFileSync(fileURLToPath(new URL(`../../src/actions/${key}/default.map`, import.meta.url)), 'utf8');
    expect(ACTIONS[key].defaultMapping).toBe(file);
    expect(file.startsWith('#') || file.startsWith('target')).toBe(true);
    expect(file).toContain(`target ${key}\n`);
  });

  it.each(presets.map((p) => [p.partnerAction, p] as const))('%s: every preset mapping key is a field', (key, preset) => {
    const action = getAction(key)!;
    for (const field of Object.keys(preset.mapping)) expect(action.fields).toHaveProperty(field);
    for (const [name, schema] of Object.entries(action.fields)) {
      expect(schema.key).toBe(name);
      expect(schema.label.length).toBeGreaterThan(0);
      expect(schema.description.length).toBeGreaterThan(0);
      // Every default mapping assigns each field Segment's preset assigns.
      if (Object.hasOwn(preset.mapping, name)) expect(action.defaultMapping).toMatch(new RegExp(`^${name} +=`, 'm'));
    }
  });

  it('batchable actions carry enable_batching and batch_size with Segment defaults', () => {
    for (const key of actionKeys) {
      const { fields } = ACTIONS[key];
      expect(fields.enable_batching).toMatchObject({ type: 'boolean', default: true });
      expect(fields.batch_size).toMatchObject({ type: 'integer', minimum: 2, maximum: 100, default: 50 });
    }
    expect(ACTIONS.reportDeliveryEvent.batchable).toBe(false);
    expect(actionKeys.filter((k) => ACTIONS[k].batchable)).toHaveLength(14);
  });

  it('getAction only knows own keys', () => {
    expect(getAction('__proto__')).toBeUndefined();
    expect(getAction('toString')).toBeUndefined();
    expect(getAction('trackEvent')?.title).toBe('Track Event');
  });
});
