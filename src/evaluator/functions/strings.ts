// FQL string functions (fql.md §8): contains, match, length and the five case/spacing
// transforms. Rows of the FQL function table; every closure is total. Missing input stays
// missing where the result would be null (mappings tell them apart; FQL reads both as null).

import { compileGlob, GlobCache, MAX_GLOB_LENGTH, type Glob } from '../glob.js';
import { ArgumentError, type ArgInfo, type Closure, type FunctionDef } from '../types.js';
import { binaryRow, param, unaryRow } from './define.js';
import { replaceSpaces, titleWords, utf8Length } from './text.js';

/** Builds a string → string row: null/missing pass through, other non-strings give null. */
function stringTransform(name: string, doc: string, fn: (s: string) => string, examples: FunctionDef['examples']): FunctionDef {
  return unaryRow({ name, params: [param('s', 'string')], result: 'string', doc, examples }, (v) =>
    typeof v === 'string' ? fn(v) : v === undefined ? undefined : null,
  );
}

export const contains: FunctionDef = binaryRow(
  {
    name: 'contains',
    params: [param('s', 'string'), param('sub', 'string')],
    result: 'bool',
    doc: 'true when both are strings and `sub` occurs in `s` (case-sensitive); anything else is false. Not list membership: use `in`.',
    examples: [
      { expr: 'contains("Order Completed", "Order")', result: true },
      { expr: 'contains("Order Completed", "order")', result: false },
      { expr: 'contains("abc", "")', result: true },
      { expr: 'contains(properties.missing, "a")', event: { properties: {} }, result: false },
      { expr: 'contains(properties.tags, "a")', event: { properties: { tags: ['a'] } }, result: false },
    ],
  },
  (s, sub) => typeof s === 'string' && typeof sub === 'string' && s.includes(sub),
);

const patternCache = new GlobCache(64);

export const match: FunctionDef = Object.freeze({
  name: 'match',
  params: [param('s', 'string'), param('pattern', 'string')],
  result: 'bool',
  pure: true,
  doc: 'true when both are strings and the glob `pattern` matches the whole of `s`: `*` any run, `?` one character, `[a-z]`/`[^…]` classes, `\\` escapes. A malformed pattern never matches.',
  examples: [
    { expr: "match('abcd', 'a*d')", result: true },
    { expr: "match('abc', 'ab')", result: false },
    { expr: "match('abcd', 'a??d')", result: true },
    { expr: "match('ab*d', 'ab\\*d')", result: true },
    { expr: "match('abCd', 'ab[cC]d')", result: true },
    { expr: "match('abcd', 'ab[A-Z]d')", result: false },
    { expr: "match('a😀b', 'a?b')", result: true },
    { expr: "match('abc', '[')", result: false },
  ],
  compile(args: ArgInfo[]): Closure {
    const s = (args[0] as ArgInfo).eval;
    const p = args[1] as ArgInfo;
    if (p.constant) {
      // compiled once per call site; a non-string constant pattern never matches
      if (typeof p.value === 'string' && p.value.length > MAX_GLOB_LENGTH)
        throw new ArgumentError(`glob pattern is ${p.value.length} characters long; at most ${MAX_GLOB_LENGTH}`, 1, 'split it into several match() conditions joined with `and`');
      const glob: Glob | undefined = typeof p.value === 'string' ? compileGlob(p.value) : undefined;
      if (!glob) return () => false;
      return (event, scope) => glob.test(s(event, scope));
    }
    const pattern = p.eval;
    return (event, scope) => {
      const value = s(event, scope);
      if (typeof value !== 'string') return false;
      const pat = pattern(event, scope);
      return typeof pat === 'string' && patternCache.get(pat).test(value);
    };
  },
});

export const length: FunctionDef = unaryRow(
  {
    name: 'length',
    params: [param('x', 'string | list')],
    result: 'number',
    doc: 'A string’s length in UTF-8 bytes, a list’s number of elements, 0 for null/missing; null for other types.',
    examples: [
      { expr: 'length("a")', result: 1 },
      { expr: 'length("ア")', result: 3 },
      { expr: 'length("😀")', result: 4 },
      { expr: 'length(properties.items)', event: { properties: { items: [1, 2, 3] } }, result: 3 },
      { expr: 'length(properties.nothing)', event: { properties: {} }, result: 0 },
      { expr: 'length(properties.n)', event: { properties: { n: 5 } }, result: null },
    ],
  },
  (v) => {
    if (typeof v === 'string') return utf8Length(v);
    if (Array.isArray(v)) return v.length;
    return v === null || v === undefined ? 0 : null;
  },
);

/**
 * One implementation of case mapping, under two names in each language: `lowercase`/`uppercase`
 * (FQL's names) and `lower`/`upper` (the mapping library's, which Segment's `@case` imports to).
 * Semantics are mapping-kit's `@case`: JavaScript's full Unicode mapping (`ß` → `SS`), and any
 * non-string (null, missing, numbers, lists) returned unchanged. Segment's own FQL has no case
 * functions (its parser rejects them), so the only Segment behaviour to agree with is `@case`'s.
 */
function caseRow(name: string, alias: string, upper: boolean): FunctionDef {
  const Word = upper ? 'Upper' : 'Lower';
  return unaryRow(
    {
      name,
      params: [param('x', 'any')],
      result: 'any',
      doc: `${Word}-cases a string with the full Unicode mapping (\`${upper ? 'ß' : 'İ'}\` → \`${upper ? 'SS' : 'i̇'}\`), as Segment's \`@case\` does; any other value, null and missing included, is returned unchanged. \`${name}\` and \`${alias}\` are the same function (one implementation, two names): the mapping-kit behaviour was chosen over "a non-string gives null" so that imported Segment mappings send what Segment sends.`,
      examples: [
        { expr: `${name}("Ann@X.io")`, result: upper ? 'ANN@X.IO' : 'ann@x.io' },
        upper ? { expr: `${name}("straße")`, result: 'STRASSE' } : { expr: `${name}("ÀÉÎ")`, result: 'àéî' },
        { expr: `${name}(properties.n)`, event: { properties: { n: 42 } }, result: 42 },
        { expr: `${name}(null)`, result: null },
        { expr: `${name}(properties.missing)`, event: { properties: {} }, result: undefined },
      ],
    },
    upper ? caseUpper : caseLower,
  );
}

const caseLower = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v);
const caseUpper = (v: unknown): unknown => (typeof v === 'string' ? v.toUpperCase() : v);

export const lowercase = caseRow('lowercase', 'lower', false);
export const uppercase = caseRow('uppercase', 'upper', true);

/** The same row under another name (the mapping library's `lower`/`upper`): shared `compile`, doc and examples renamed. */
export function aliasRow(def: FunctionDef, name: string): FunctionDef {
  const rename = (text: string): string => text.split(`${def.name}(`).join(`${name}(`);
  return Object.freeze({ ...def, name, examples: def.examples.map((x) => ({ ...x, expr: rename(x.expr) })) });
}

export const snakecase = stringTransform(
  'snakecase',
  'Every space replaced by `_`, nothing else changed; null/non-string give null.',
  (s) => replaceSpaces(s, '_'),
  [
    { expr: 'snakecase("test string")', result: 'test_string' },
    { expr: 'snakecase("Order  Completed")', result: 'Order__Completed' },
  ],
);

export const kebabcase = stringTransform(
  'kebabcase',
  'Every space replaced by `-`, nothing else changed; null/non-string give null.',
  (s) => replaceSpaces(s, '-'),
  [
    { expr: 'kebabcase("test string")', result: 'test-string' },
    { expr: 'kebabcase(true)', result: null },
  ],
);

export const titlecase = stringTransform(
  'titlecase',
  'The first character of every space-separated word uppercased, the rest unchanged; null/non-string give null.',
  titleWords,
  [
    { expr: 'titlecase("test string")', result: 'Test String' },
    { expr: 'titlecase("hello wORLD")', result: 'Hello WORLD' },
    { expr: 'titlecase("élan vital")', result: 'Élan Vital' },
  ],
);
