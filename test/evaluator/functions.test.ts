// The FQL function table (§8): every row's runnable examples are executed, then each function's
// semantics table, including UTF-8 lengths and case mapping (mapping-kit's `@case`: full Unicode mapping).
import { describe, expect, it } from 'vitest';
import { compileExpr } from '../../src/evaluator/compile.js';
import { FQL_FUNCTIONS, fqlFunctionNames, lookupFqlFunction } from '../../src/evaluator/functions/index.js';
import { formatNumber, parseNumberText, utf8Length } from '../../src/evaluator/functions/text.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { parseFql } from '../../src/parser/index.js';

/** Parses and evaluates an FQL expression (not only conditions) against an event. */
function run(source: string, event: unknown = {}): unknown {
  const { ast, diagnostics } = parseFql(source);
  if (!ast) throw new Error(`parse failed: ${diagnostics.map((d) => d.message).join('; ')}`);
  const errors: Diagnostic[] = [];
  const fn = compileExpr(ast, { lookupFunction: lookupFqlFunction, functionNames: fqlFunctionNames, report: (d) => errors.push(d) });
  expect(errors).toEqual([]);
  return fn(event, undefined);
}

describe('function table', () => {
  it('has the twelve functions of §8, each documented with examples', () => {
    expect(fqlFunctionNames().sort()).toEqual(
      ['bool', 'contains', 'kebabcase', 'length', 'lowercase', 'match', 'number', 'snakecase', 'string', 'titlecase', 'typeof', 'uppercase'].sort(),
    );
    for (const f of FQL_FUNCTIONS) {
      expect(f.doc.length).toBeGreaterThan(10);
      expect(f.examples.length).toBeGreaterThan(1);
      expect(f.pure).toBe(true);
      expect(Object.isFrozen(f)).toBe(true);
    }
    expect(lookupFqlFunction('Contains')).toBeUndefined(); // names are case-sensitive
  });

  for (const f of FQL_FUNCTIONS) {
    describe(`${f.name} examples`, () => {
      it.each(f.examples.map((e) => [e.expr, e] as const))('%s', (_expr, example) => {
        expect(run(example.expr, example.event ?? {})).toEqual(example.result);
      });
    });
  }
});

const E = { properties: { s: 'Hello World', n: 42, b: true, l: ['a', 'b'], o: { k: 1 }, z: null } };

describe('semantics per function (missing, null and each type)', () => {
  it.each<[string, unknown]>([
    ['contains(properties.s, "World")', true],
    ['contains(properties.s, "world")', false],
    ['contains(properties.n, "4")', false],
    ['contains(properties.l, "a")', false],
    ['contains(properties.z, "a")', false],
    ['contains(properties.nope, "")', false],
    ['contains(properties.s, properties.nope)', false],
    ['contains(lowercase(properties.s), "world")', true],
    ['match(properties.s, "Hello*")', true],
    ['match(properties.s, properties.s)', true], // non-constant pattern (LRU path)
    ['match(properties.n, "*")', false],
    ['match(properties.z, "*")', false],
    ['match(properties.s, 5)', false],
    ['length(properties.s)', 11],
    ['length(properties.l)', 2],
    ['length(properties.o)', null],
    ['length(properties.b)', null],
    ['length(properties.z)', 0],
    ['length(properties.nope)', 0],
    ['length("é")', 2],
    ['length("e\u0301")', 3],
    ['lowercase(properties.s)', 'hello world'],
    ['lowercase(properties.n)', 42], // non-strings unchanged, as Segment's @case (one function with mapping's lower)
    ['lowercase(properties.z)', null],
    ['lowercase(properties.nope)', undefined], // missing stays missing (FQL reads it as null)
    ['uppercase(properties.s)', 'HELLO WORLD'],
    ['uppercase(properties.l)', ['a', 'b']],
    ['snakecase("a b c")', 'a_b_c'],
    ['snakecase("a\tb")', 'a\tb'], // only U+0020
    ['kebabcase("a b")', 'a-b'],
    ['kebabcase(properties.o)', null],
    ['titlecase("hello  world")', 'Hello  World'],
    ['titlecase(" x")', ' X'],
    ['titlecase(properties.n)', null],
    ['typeof(properties.s)', 'string'],
    ['typeof(properties.n)', 'number'],
    ['typeof(properties.b)', 'bool'],
    ['typeof(properties.l)', 'list'],
    ['typeof(properties.o)', 'object'],
    ['typeof(properties.z)', 'null'],
    ['typeof(properties.nope)', 'null'],
    ['bool(properties.n)', true],
    ['bool(0)', false],
    ['bool(properties.l)', true],
    ['bool(properties.o)', null],
    ['bool(properties.nope)', false],
    ['bool("TRUE")', false],
    ['string(properties.n)', '42'],
    ['string(0.1)', '0.1'],
    ['string(-0)', '0'],
    ['string(properties.b)', 'true'],
    ['string(properties.z)', null],
    ['string(properties.o)', null],
    ['number("  12 ")', 12],
    ['number("+3")', 3],
    ['number("007")', 7],
    ['number("1.")', null],
    ['number(".5")', null],
    ['number("0x10")', null],
    ['number("")', null],
    ['number(properties.b)', null],
    ['number(properties.z)', null],
    ['number("3") > 2', true],
    ['string(42) = "42"', true],
    ['bool(true) = true', true],
  ])('%s → %j', (source, expected) => {
    expect(run(source, E)).toEqual(expected);
  });
});

describe('text helpers', () => {
  it.each<[string, number]>([
    ['', 0],
    ['a', 1],
    ['é', 2],
    ['ア', 3],
    ['😀', 4],
    ['a😀b', 6],
    ['\ud800', 3], // lone surrogate: encoded as U+FFFD
    ['\udc00x', 4],
  ])('utf8Length(%j) = %i', (s, n) => {
    expect(utf8Length(s)).toBe(n);
    expect(utf8Length(s)).toBe(Buffer.byteLength(s, 'utf8')); // Node also encodes lone surrogates as U+FFFD
  });

  it.each<[string, string, string]>([
    ['straße', 'STRASSE', 'straße'], // full mapping, as JavaScript and Segment's @case: ß → SS
    ['İstanbul', 'İSTANBUL', 'i̇stanbul'], // full lowercase of İ is i + U+0307
    ['ΣΑΣ', 'ΣΑΣ', 'σας'], // final-sigma rule of the full mapping
    ['𐐀', '𐐀', '𐐨'], // astral (Deseret)
    ['ÀÉÎ', 'ÀÉÎ', 'àéî'],
  ])('%s → uppercase %s, lowercase %s (the JavaScript mapping)', (s, up, low) => {
    expect(run('uppercase(properties.s)', { properties: { s } })).toBe(up);
    expect(run('lowercase(properties.s)', { properties: { s } })).toBe(low);
    expect(up).toBe(s.toUpperCase());
    expect(low).toBe(s.toLowerCase());
  });

  it.each<[number, string]>([
    [42, '42'],
    [1.5, '1.5'],
    [1e21, '1000000000000000000000'],
    [1.5e21, '1500000000000000000000'],
    [1e-7, '0.0000001'],
    [-1.25e-7, '-0.000000125'],
    [123456789012345680000, '123456789012345680000'],
  ])('formatNumber(%d) = %s', (n, text) => {
    expect(formatNumber(n)).toBe(text);
    expect(Number(text)).toBe(n);
  });

  it('parseNumberText trims ASCII whitespace without regex backtracking', () => {
    expect(parseNumberText(`${' '.repeat(50_000)}x${' '.repeat(50_000)}`)).toBeNull();
    expect(parseNumberText(`\t\r\n 5 \n`)).toBe(5);
    expect(parseNumberText('9'.repeat(400))).toBeNull(); // not finite
  });
});
