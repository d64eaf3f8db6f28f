// Golden FQL fixtures: test/fixtures/fql/<name>.fql with <name>.cases.json ([{event, expect}]) and
// <name>.diagnostics.json (every diagnostic checkTrigger reports; UPDATE_GOLDEN=1 rewrites them).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkTrigger, compileTrigger, compileTriggerSet } from '../../src/index.js';

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
    const actual = checkTrigger(source).map((d) => ({ code: d.code, severity: d.severity, line: d.span.line, column: d.span.column, message: d.message }));
    const file = `${dir}${name}.diagnostics.json`;
    if (update || !existsSync(file)) writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
  });
});
