// The Segment front end on the 15 presets over the 2,000-event parity corpus: (1) an imported
// preset, printed as .map and recompiled, maps every event exactly like the import; (2) the import
// matches Segment's own pipeline (actions-core transform → root clean-up → ajv field typing).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { getAction } from '../../src/actions/index.js';
import { compileMapping, importSegmentSubscription } from '../../src/mapping/api.js';
import type { SegmentSubscription } from '../../src/mapping/segment/import.js';

const require = createRequire(import.meta.url);
const core = require('@segment/actions-core') as {
  transform: (mapping: unknown, data: unknown) => Record<string, unknown>;
  fieldsToJsonSchema: (fields: unknown) => unknown;
  validateSchema: (obj: unknown, schema: unknown, opts: unknown) => boolean;
};
// not in the package's exports map: load the file by path (test-only)
const coreDir = join(require.resolve('@segment/actions-core'), '..');
const { removeEmptyValues } = require(join(coreDir, 'remove-empty-values.js')) as {
  removeEmptyValues: (obj: unknown, schema: unknown, isRoot: boolean) => Record<string, unknown>;
};

const data = join(import.meta.dirname, '..', 'data', 'segment-parity');
const presets = JSON.parse(readFileSync(join(data, 'segment-presets.json'), 'utf8')) as SegmentSubscription[];
const events = readFileSync(join(data, 'events.ndjson'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Record<string, unknown>);

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
/** A map result without `.map` line numbers (imported JSON has none; its printed form has). */
const withoutLines = (v: unknown) => JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === 'line' ? undefined : x))) as unknown;

/** Segment's own steps for one action: transform, remove root empties, ajv with coercion. */
function segmentFields(preset: SegmentSubscription, event: unknown): Record<string, unknown> | 'invalid' {
  const action = getAction(preset.partnerAction)!;
  const schema = core.fieldsToJsonSchema(action.fields);
  const payload = removeEmptyValues(core.transform(preset.mapping, event), schema, true);
  const ok = core.validateSchema(payload, schema, { schemaKey: `parity:${action.key}`, throwIfInvalid: false });
  return ok ? payload : 'invalid';
}

describe.each(presets.map((p) => [p.name ?? p.partnerAction, p] as const))('%s', (_name, preset) => {
  const imported = importSegmentSubscription(preset);
  const printed = imported.toMapSource();
  const recompiled = compileMapping(printed, { filename: `${preset.partnerAction}.map` });

  test('prints as .map that recompiles to the same trigger and fields on every corpus event', () => {
    expect(recompiled.action).toBe(imported.action);
    for (const event of events) {
      expect(recompiled.trigger.matches(event)).toBe(imported.trigger.matches(event));
      expect(withoutLines(recompiled.map(event))).toEqual(json(imported.map(event)));
    }
  });

  test("maps every matching corpus event as Segment's pipeline does", () => {
    let compared = 0;
    for (const event of events) {
      if (!imported.trigger.matches(event)) continue;
      compared++;
      const ours = imported.map(event);
      const theirs = segmentFields(preset, event);
      if (theirs === 'invalid') expect(ours.ok, JSON.stringify(event)).toBe(false);
      else expect(ours.ok ? json(ours.fields) : ours, JSON.stringify(event)).toEqual(json(theirs));
    }
    expect(compared).toBeGreaterThan(0);
  });
});
