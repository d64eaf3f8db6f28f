// Runs the `example` blocks of every shipped .map file (the actions' default mappings and
// examples/maps) through compileMapping: `fields` are compared with the mapped fields and
// `body` with the action's request body (strict profile, US region).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { getAction } from '../../src/actions/index.js';
import { compileMapping } from '../../src/mapping/api.js';

const root = join(import.meta.dirname, '..', '..');
const files = [
  ...readdirSync(join(root, 'src/actions'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join('src/actions', d.name, 'default.map')),
  ...readdirSync(join(root, 'examples/maps'))
    .filter((f) => f.endsWith('.map'))
    .map((f) => join('examples/maps', f)),
].filter((f) => {
  try {
    readFileSync(join(root, f));
    return true;
  } catch {
    return false;
  }
});

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

describe.each(files)('%s', (file) => {
  const source = readFileSync(join(root, file), 'utf8');
  const sub = compileMapping(source, { filename: file });

  test('has examples', () => {
    expect(sub.examples.length).toBeGreaterThan(0);
  });

  test.each(sub.examples.map((ex) => [ex.title, ex] as const))('example %s', (_title, ex) => {
    expect(sub.trigger.matches(ex.input)).toBe(true);
    const result = sub.map(ex.input);
    if (ex.fields !== undefined) {
      expect(result).toEqual({ ok: true, fields: json(ex.fields) });
    }
    if (ex.body !== undefined) {
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      const built = getAction(sub.action)!.build(result.fields, { profile: 'strict', baseUrl: 'https://track.customer.io', now: () => 1735689600000 });
      expect(built.ok && json(built.request.body)).toEqual(json(ex.body));
    }
  });
});
