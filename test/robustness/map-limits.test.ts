// .map resource limits (docs/limits.md) and per-event cost: source size and nesting refused with
// diagnostics; compile time linear in the source; every list/object/string function linear in the
// event; jsonpath never evaluates scripts; unique() agrees with FQL equality.

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fqlEquals } from '../../src/evaluator/value.js';
import { MAX_MAP_SOURCE } from '../../src/parser/map.js';
import { checkMapping, compileMapping, type Diagnostic } from '../../src/index.js';
import { compileOutcome } from './support/diagnostics.js';
import { deep, jsonObject, jsonValueArb } from './support/events.js';
import { check, countCases, LONG_RUN, PROPERTY_TIMEOUT, tallyReport } from './support/fuzz.js';
import { expectLinear } from './support/linear.js';

afterAll(() => console.log(tallyReport('map-limits')));

const errors = (src: string): Diagnostic[] => checkMapping(src, { filename: 'limits.map' }).filter((d) => d.severity === 'error');
const HEAD = 'target trackEvent\nname = "x"\n';

describe('source size and nesting', () => {
  it(`refuses more than ${MAX_MAP_SOURCE} characters with MAP001 naming the limit`, () => {
    const over = `${HEAD}# ${'x'.repeat(MAX_MAP_SOURCE)}\n`;
    const d = errors(over);
    expect(d.map((x) => x.code)).toEqual(['MAP001']);
    expect(d[0]?.message).toContain(String(MAX_MAP_SOURCE));
    expect(errors(`${HEAD}# ${'x'.repeat(MAX_MAP_SOURCE - HEAD.length - 4)}\n`)).toEqual([]);
  });

  const nestings: Array<[string, (n: number) => string]> = [
    ['object literals', (n) => `data = ${'{ a: '.repeat(n)}1${' }'.repeat(n)}`],
    ['list literals', (n) => `data = { a: ${'['.repeat(n)}1${']'.repeat(n)} }`],
    ['parentheses', (n) => `event_id = ${'('.repeat(n)}userId${')'.repeat(n)}`],
    ['if/then/else', (n) => `event_id = ${'if true then '.repeat(n)}userId${' else null'.repeat(n)}`],
    ['case', (n) => `event_id = ${'case userId when "a" then '.repeat(n)}userId${' end'.repeat(n)}`],
    ['each', (n) => `data = { a: ${'each properties.items as $p { a: '.repeat(n)}1${' }'.repeat(n)} }`],
    ['calls', (n) => `event_id = ${'lower('.repeat(n)}userId${')'.repeat(n)}`],
    ['coalesce chain', (n) => `event_id = ${Array.from({ length: n }, () => 'userId').join(' ?? ')}`],
    ['unclosed braces', (n) => `data = ${'{ a: '.repeat(n)}`],
    ['templates in templates', (n) => `event_id = "${'{{ "'.repeat(n)}x${'" }}'.repeat(n)}"`],
  ];
  it.each(nestings)('%s: 10,000 levels give a positioned diagnostic, no stack overflow', (_name, make) => {
    for (const n of [200, 10_000]) {
      const src = `${HEAD}${make(n)}\n`;
      const outcome = compileOutcome(src, (s) => compileMapping(s, { filename: 'deep.map' }));
      if (outcome.ok) {
        // a long chain may legitimately compile; it must then map without throwing
        expect(typeof outcome.value.map({ type: 'track', userId: 'u', properties: { items: [] } }).ok).toBe('boolean');
      }
    }
    countCases('map.depth', 2);
  });
});

interface Shape { name: string; expr: string; item: 'object' | 'null-mixed'; input: 'items' | 'wide' | 's' | 'json'; bug?: string }
const shapes = (JSON.parse(readFileSync(new URL('../fixtures/robustness/map-event-shapes.json', import.meta.url), 'utf8')) as { shapes: Shape[] }).shapes;

/** An event whose one sized input (see the fixture) has n units; only that input is built. */
function sizedEvent(n: number, shape: Shape): unknown {
  const items = (): unknown[] => Array.from({ length: n }, (_, i) => (shape.item === 'null-mixed' && i % 2 ? null : { sku: `s${i}`, n: i, tags: [i % 7, null] }));
  const properties: Record<string, unknown> = { p: `*${'a?'.repeat(100)}*` };
  if (shape.input === 'items') properties['items'] = items();
  if (shape.input === 'wide') properties['wide'] = jsonObject(Array.from({ length: n }, (_, i) => [`k${i}`, i] as const));
  if (shape.input === 's') properties['s'] = 'ab '.repeat(Math.ceil(n / 3)).slice(0, n);
  if (shape.input === 'json') properties['json'] = JSON.stringify(items());
  return { type: 'track', event: 'x', userId: 'u', properties };
}

describe('per-event time is linear in the event', () => {
  it.each(shapes.map((s) => [s.name, s] as const))('%s', { timeout: PROPERTY_TIMEOUT }, (_name, shape) => {
    const sub = compileMapping(`${HEAD}data = { v: ${shape.expr} }\n`, { filename: 'shape.map' });
    expectLinear(shape.name, (n) => sizedEvent(n, shape), (e) => void sub.map(e), 2_000, 200_000);
    countCases('map.linear-event', 2);
  });
});

describe('compile time is linear in the source', () => {
  const compileShapes: Array<[string, (n: number) => string, boolean]> = [
    ['many fields of an object literal', (n) => `${HEAD}data = { ${Array.from({ length: n }, (_, i) => `k${i}: properties.v${i}`).join(', ')} }\n`, true],
    ['many let lines', (n) => `${HEAD}${Array.from({ length: n }, (_, i) => `let $v${i} = properties.v${i} ?? userId`).join('\n')}\n`, true],
    ['long list literal', (n) => `${HEAD}data = { l: [${Array.from({ length: n }, (_, i) => `"${i}"`).join(', ')}] }\n`, LONG_RUN],
    ['template with many holes', (n) => `${HEAD}event_id = "${'{{ userId }}-'.repeat(n)}"\n`, LONG_RUN],
    ['many syntax errors', (n) => `${HEAD}${'data = = {\n'.repeat(n)}`, true],
    ['long pipe chain', (n) => `${HEAD}event_id = userId${' | lower'.repeat(n)}\n`, LONG_RUN],
  ];
  it.each(compileShapes.filter(([, , on]) => on))('%s', { timeout: PROPERTY_TIMEOUT }, (name, make) => {
    expectLinear(name, make, (src) => void checkMapping(src), 200, 8_000);
    countCases('map.linear-compile', 2);
  });
});

describe('jsonpath', () => {
  const sentinel = globalThis as Record<string, unknown>;
  const scripts = [
    '$..[?(@.price > 10)]',
    '$..[?(globalThis.__jsonpathPwned = 1)]',
    '$[(globalThis.__jsonpathPwned = 1)]',
    '$..[?(@constructor.constructor("globalThis.__jsonpathPwned = 1")())]',
    '$..*[?(this.__jsonpathPwned = 1)]',
  ];
  it.each(scripts)('script path %s: compile error, never evaluated', (path) => {
    const src = `${HEAD}data = { v: jsonpath(properties, ${JSON.stringify(path)}) }\n`;
    const outcome = compileOutcome(src, (s) => compileMapping(s));
    if (outcome.ok) outcome.value.map({ type: 'track', userId: 'u', properties: { items: [{ price: 20 }] } });
    expect(outcome.ok, 'a script path must be refused at compile time').toBe(false);
    expect(sentinel['__jsonpathPwned']).toBeUndefined();
  });

  it('a script path coming from the event is never evaluated', () => {
    const sub = compileOutcome(`${HEAD}data = { v: jsonpath(properties, properties.path) catch null }\n`, (s) => compileMapping(s));
    if (sub.ok) for (const path of scripts) sub.value.map({ type: 'track', userId: 'u', properties: { path, items: [{ price: 20 }] } });
    expect(sentinel['__jsonpathPwned']).toBeUndefined();
  });

  it('descendant scans of 10,000-deep events give a result or a field error, not a crash', () => {
    const sub = compileMapping(`${HEAD}data = { v: jsonpath(properties, "$..sku") catch null, w: jsonpath(properties, "$..*") catch null }\n`);
    for (const kind of ['object', 'array'] as const) {
      const r = sub.map({ type: 'track', userId: 'u', event: 'x', properties: { d: deep(10_000, kind, { sku: 'x' }) } });
      expect(typeof r.ok).toBe('boolean');
    }
  });
});

describe('unique() agrees with FQL equality (regression of the linear rewrite)', () => {
  const reference = (xs: unknown[]): unknown[] => {
    const out: unknown[] = [];
    for (const x of xs) if (!out.some((o) => fqlEquals(o, x === undefined ? null : x))) out.push(x === undefined ? null : x);
    return out;
  };
  const sub = compileMapping(`${HEAD}data = { v: unique(properties.items) }\n`);
  it('on generated lists with repeats, reordered keys, -0 and nulls', { timeout: PROPERTY_TIMEOUT }, () =>
    check(
      'map.unique-differential',
      300,
      fc.property(fc.array(jsonValueArb, { maxLength: 8 }), fc.array(fc.nat(7), { maxLength: 8 }), (pool, picks) => {
        // repeats: the same values again, objects with their keys in reverse order
        const again = picks.map((i) => pool[i % Math.max(1, pool.length)]).map((v) => (v && typeof v === 'object' && !Array.isArray(v) ? jsonObject(Object.entries(v).reverse()) : v));
        const items = [...pool, ...again, -0, 0, null];
        const r = sub.map({ type: 'track', userId: 'u', event: 'x', properties: { items } });
        expect(r.ok).toBe(true);
        if (r.ok) expect(((r.fields as { data: { v: unknown[] } }).data.v).length).toBe(reference(items).length);
      }),
    ),
  );
});
