// Regression fixtures for inputs the robustness suite found mishandled (test/fixtures/robustness/
// regressions.json); the performance regressions live in the *-shapes.json fixtures and the
// hostile-event regressions in support/hostile.ts.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkMapping, compileMapping, compileTrigger, compileTriggerSet } from '../../src/index.js';

interface Fixtures {
  'map-valid': Array<{ bug: string; source: string }>;
  'fql-invalid': Array<{ bug: string; value: unknown }>;
}
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/robustness/regressions.json', import.meta.url), 'utf8')) as Fixtures;

describe('.map sources that must compile', () => {
  it.each(fixtures['map-valid'].map((f) => [f.bug, f.source] as const))('%s', (_bug, source) => {
    expect(checkMapping(source).filter((d) => d.severity === 'error')).toEqual([]);
    // the trigger stops where the next statement starts
    expect(compileMapping(source).trigger.source).not.toContain('userId');
  });
});

describe('trigger values that must give a CompileError', () => {
  it.each(fixtures['fql-invalid'].map((f) => [f.bug, f.value === '__undefined__' ? undefined : f.value] as const))('%s', (_bug, value) => {
    expect(() => compileTrigger(value as string)).toThrow(expect.objectContaining({ name: 'CompileError' }));
    expect(() => compileTriggerSet(['type = "track"', value as string])).toThrow(expect.objectContaining({ name: 'CompileError' }));
  });
});
