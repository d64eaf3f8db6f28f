// Golden tests of the 15 body builders: test/fixtures/actions/<action>/<case>.input.json holds the
// mapped fields; <case>.output.json the request (or errors, warnings) for both profiles.
// UPDATE_GOLDEN=1 rewrites the outputs; every produced body is also checked against the schemas.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACTIONS, isActionKey } from '../../src/actions/index.js';
import { validateEntity, validateMetrics } from '../../src/actions/schemas.js';
import type { BuildContext, BuildResult, Profile } from '../../src/actions/types.js';

const ROOT = fileURLToPath(new URL('../fixtures/actions/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const NOW = Date.parse('2025-01-01T00:00:00Z');
const PROFILES: Profile[] = ['segment', 'strict'];

function ctx(profile: Profile): BuildContext {
  return { profile, baseUrl: 'https://track.customer.io', now: () => NOW };
}

/** The result as stored in the golden file (stable, JSON-only). */
function stored(result: BuildResult): unknown {
  return JSON.parse(JSON.stringify(result)) as unknown;
}

/** Deep-freezes the input, so a builder that mutates its fields throws in strict mode. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const cases = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory() && isActionKey(d.name))
  .flatMap((d) =>
    readdirSync(`${ROOT}${d.name}`)
      .filter((f) => f.endsWith('.input.json'))
      .map((f) => ({ action: d.name as keyof typeof ACTIONS, name: f.replace('.input.json', ''), dir: `${ROOT}${d.name}/` })),
  );

describe('golden bodies', () => {
  it('covers every action', () => {
    expect(new Set(cases.map((c) => c.action)).size).toBe(15);
  });

  it.each(cases.map((c) => [`${c.action}/${c.name}`, c] as const))('%s', (_label, c) => {
    const input = JSON.parse(readFileSync(`${c.dir}${c.name}.input.json`, 'utf8')) as { fields: Record<string, unknown> };
    const fields = deepFreeze(input.fields);
    const actual: Record<string, unknown> = {};
    for (const profile of PROFILES) {
      const result = ACTIONS[c.action].build(fields, ctx(profile));
      if (result.ok) {
        const body = result.request.body;
        const errors = c.action === 'reportDeliveryEvent' ? validateMetrics(body) : validateEntity(profile, body);
        expect(errors, `${profile} body must validate`).toEqual([]);
        expect(JSON.parse(JSON.stringify(body)), 'body is plain JSON').toEqual(body);
      } else {
        for (const e of result.errors) expect(e.message.length).toBeGreaterThan(0);
      }
      actual[profile] = stored(result);
    }
    const outPath = `${c.dir}${c.name}.output.json`;
    if (UPDATE) writeFileSync(outPath, `${JSON.stringify(actual, null, 2)}\n`);
    expect(existsSync(outPath), `${outPath} missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
    expect(actual).toEqual(JSON.parse(readFileSync(outPath, 'utf8')));
  });
});
