// Golden FQL fixtures: test/fixtures/fql/<name>.fql with <name>.cases.json ([{event, expect}]) and
// <name>.txt (every diagnostic checkTrigger reports, rendered as the CLI shows them; UPDATE_GOLDEN=1
// rewrites them).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkTrigger, compileTrigger, compileTriggerSet } from '../../src/index.js';
import { formatDiagnostic } from '../../src/diagnostics/render.js';

const dir = fileURLToPath(new URL('../fixtures/fql/', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.fql'))
  .map((f) => f.slice(0, -'.fql'.length))
  .sort();

describe.each(names)('%s.fql', (name) => {
  const source = readFileSync(`${dir}${name}.fql`, 'utf8');
  const cases = JSON.parse(readFileSync(`${dir}${name}.cases.json`, 'utf8')) as Array<{ event: unknown; expect: boolean }>;

  it('matches each case, alone and in a trigger set', () => {
    const trigger = compileTrigger(source);
    const set = compileTriggerSet([source, 'type = "never-used"']);
    expect(cases.length).toBeGreaterThan(0);
    cases.forEach((c, i) => {
      expect(trigger.matches(c.event), `case ${i}: ${JSON.stringify(c.event)}`).toBe(c.expect);
      expect(set.match(c.event), `set, case ${i}`).toEqual(c.expect ? [0] : []);
    });
  });

  it('reports the golden diagnostics', () => {
    const diagnostics = checkTrigger(source);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const actual = diagnostics.map((d) => `${formatDiagnostic(source, d, { filename: `${name}.fql`, color: false })}\n`).join('\n');
    const file = `${dir}${name}.txt`;
    if (update || !existsSync(file)) writeFileSync(file, actual);
    expect(actual).toBe(readFileSync(file, 'utf8'));
  });
});
