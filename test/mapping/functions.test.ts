// Runs every documented example of the mapping function library (and the FQL rows it reuses)
// through the real .map parser and compiler, plus compile-time checks of constant arguments.
import { describe, expect, test } from 'vitest';
import { CompileError } from '../../src/diagnostics/diagnostic.js';
import { MAPPING_FAMILIES, MAPPING_FUNCTIONS } from '../../src/mapping/functions/index.js';
import { compileMappingExpression } from '../../src/mapping/expression.js';
import { jsonPathProblem } from '../../src/mapping/functions/jsonpath.js';

const rows = MAPPING_FUNCTIONS.flatMap((f) => f.examples.map((ex) => ({ name: f.name, ...ex })));

describe('every function row documents itself', () => {
  test.each(Object.values(MAPPING_FAMILIES).flat().map((f) => [f.name, f] as const))('%s', (_name, f) => {
    expect(f.doc.length).toBeGreaterThan(20);
    expect(f.examples.length).toBeGreaterThan(0);
  });
});

describe('function examples run', () => {
  test.each(rows)('$name: $expr', ({ expr, event, result }) => {
    const fn = compileMappingExpression(expr);
    expect(fn(event ?? {})).toStrictEqual(result);
  });
});

function diagnosticsOf(expr: string): string[] {
  try {
    compileMappingExpression(expr);
    return [];
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    return e.diagnostics.map((d) => `${d.code} ${d.message}${d.hint ? ` (${d.hint})` : ''}`);
  }
}

describe('constant arguments are checked at compile time', () => {
  test.each([
    ['format_date(timestamp, "yyyy-MM-dd f")', /FQL203 bad date format/],
    ['format_date(timestamp, "yyyy-MM-dd x-X-j")', /FQL203 bad date format/],
    ['parse_date(timestamp, "dd/MM/yyyy bogus")', /FQL203 bad date format/],
    ['jsonpath(properties, "$..[?(@.price > 10)]")', /FQL203 bad JSONPath: script and filter/],
    ['jsonpath(properties, "items[0")', /FQL203 bad JSONPath/],
    ['replace(userId, "", "x")', /FQL203 `find` must not be empty/],
    ['replace(userId, "a", "b", { every: true })', /FQL203 unknown option `every`/],
    ['replace(userId, "a", "b", { all: "yes" })', /FQL203 option `all` must be true or false/],
    ['get(properties, "a[")', /FQL203 unclosed/],
    ['flatten(properties, 3)', /FQL203 the separator must be a string/],
    ['format_date(timestamp, properties.fmt)', /FQL205 argument `format` of format_date\(\) must be a constant/],
    ['lower()', /FQL202 lower\(\) got 0 arguments/],
    ['lowr(userId)', /FQL201 unknown function `lowr` \(did you mean `lower`\?\)/],
  ])('%s', (expr, pattern) => {
    expect(diagnosticsOf(expr).join('\n')).toMatch(pattern);
  });

  test('YYYY is accepted by the function (the checker warns) and means week-year', () => {
    expect(compileMappingExpression('format_date("2024-12-30", "YYYY")')({})).toBe('2025');
    expect(compileMappingExpression('format_date("2024-12-30", "yyyy")')({})).toBe('2024');
  });
});

describe('missing input gives a missing result', () => {
  test.each(['lower', 'upper', 'trim', 'to_json', 'parse_json', 'to_unix', 'to_iso', 'compact', 'keys', 'values', 'first', 'last', 'unique'])('%s', (name) => {
    expect(compileMappingExpression(`${name}(properties.none)`)({ properties: {} })).toBeUndefined();
  });
});

describe('jsonpath never evaluates scripts', () => {
  test('the path must be a constant, so it is always checked', () => {
    expect(diagnosticsOf('jsonpath(properties, properties.p)').join()).toMatch(/FQL205/);
  });
  test('jsonpath-plus itself refuses scripts when eval is off (defence in depth)', () => {
    expect(jsonPathProblem('$..[?(@.x)]')).toMatch(/disabled/);
    expect(jsonPathProblem('$..x')).toBeUndefined();
  });
});

describe('dates are UTC and strict', () => {
  test.each([
    ['to_unix("2024-05-01T14:00:00+02:00")', 1714564800],
    ['to_unix("2024-05-01 12:00")', 1714564800],
    ['to_unix(1714564800.9)', 1714564800],
    ['to_iso("2024-02-29")', '2024-02-29T00:00:00.000Z'],
    ['to_unix("2024-02-31") catch "bad"', 'bad'],
    ['to_unix("25 Mar 2015") catch "bad"', 'bad'],
    ['format_date("1969-12-31T23:59:59Z", "yyyy-MM-dd HH:mm:ss")', '1969-12-31 23:59:59'],
  ])('%s', (expr, result) => {
    expect(compileMappingExpression(expr)({})).toStrictEqual(result);
  });
});

describe('lower/lowercase and upper/uppercase are one function under two names', () => {
  const values: unknown[] = ['Ann@X.io', 'straße', 'İ', 42, null, true, ['A'], { A: 1 }];
  test.each([
    ['lower', 'lowercase'],
    ['upper', 'uppercase'],
  ])('%s and %s', (a, b) => {
    const fa = MAPPING_FUNCTIONS.find((f) => f.name === a);
    const fb = MAPPING_FUNCTIONS.find((f) => f.name === b);
    expect(fa?.compile).toBe(fb?.compile); // one implementation
    expect(fa?.doc).toBe(fb?.doc);
    for (const v of values) {
      const event = { properties: { v } };
      expect(compileMappingExpression(`${a}(properties.v)`)(event)).toStrictEqual(compileMappingExpression(`${b}(properties.v)`)(event));
    }
    // mapping-kit's @case: a non-string comes back unchanged, missing stays missing
    expect(compileMappingExpression(`${b}(properties.v)`)({ properties: { v: 42 } })).toBe(42);
    expect(compileMappingExpression(`${b}(properties.none)`)({ properties: {} })).toBe(undefined);
  });
});
