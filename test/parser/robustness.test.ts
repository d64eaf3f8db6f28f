// Hostile and random input: the parsers never throw, always return an AST or positioned
// diagnostics, stay linear on long chains and refuse deep nesting and huge sources quickly.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { spanAt } from '../../src/diagnostics/diagnostic.js';
import { formatDiagnostic } from '../../src/diagnostics/render.js';
import type { Expr } from '../../src/parser/ast.js';
import { childExprs, MAX_FQL_SOURCE, MAX_MAP_SOURCE, parseFql, parseMap, parseMapExpression, serializedGrammars } from '../../src/parser/index.js';

const SEED = 20261128;

/** Every diagnostic points into the source, its line/column agree with its offset, and it renders. */
function checkPositioned(source: string, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    expect(d.span.end).toBeGreaterThanOrEqual(d.span.start);
    expect(d.span.end).toBeLessThanOrEqual(source.length);
    const at = spanAt(source, d.span.start, d.span.end);
    expect([d.span.line, d.span.column]).toEqual([at.line, at.column]);
    expect(d.code).toMatch(/^(FQL|MAP)\d{3}$/);
    expect(formatDiagnostic(source, d, { filename: 'fuzz' })).toContain(`[${d.code}]`);
  }
}

/** Every node's span lies inside the source and inside its parent's span. */
function checkSpans(source: string, root: Expr): void {
  const stack: Array<[Expr, number, number]> = [[root, 0, source.length]];
  while (stack.length > 0) {
    const [node, lo, hi] = stack.pop() as [Expr, number, number];
    expect(node.span.start).toBeGreaterThanOrEqual(lo);
    expect(node.span.end).toBeLessThanOrEqual(hi);
    expect(node.span.end).toBeGreaterThan(node.span.start);
    for (const child of childExprs(node)) stack.push([child, node.span.start, node.span.end]);
  }
}

function checkFql(source: string): void {
  const r = parseFql(source);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  expect(r.ast === undefined).toBe(errors.length > 0);
  checkPositioned(source, r.diagnostics);
  if (r.ast) checkSpans(source, r.ast);
}

function checkMap(source: string): void {
  const r = parseMap(source);
  expect(r.ast !== undefined || r.diagnostics.length > 0).toBe(true);
  checkPositioned(source, r.diagnostics);
  if (r.ast && r.diagnostics.length === 0) for (const st of r.ast.statements) checkSpans(source, st.value);
  const e = parseMapExpression(source);
  expect(e.ast !== undefined || e.diagnostics.length > 0).toBe(true);
  checkPositioned(source, e.diagnostics);
}

const FQL_SEEDS = [
  'type = "track" and event != "Application Installed"',
  '( type = \'track\' or type = \'identify\' ) and ( properties.enabled or match( traits.email, \'*@company.com\' ) )',
  '!( type in [\'track\', \'identify\'] ) and properties.price\\ 1 > -5.25',
  'contains(lowercase(event), "order") = false or length(userId) >= 0',
];
const MAP_SEEDS = [
  'target createUpdatePerson\ntitle "P"\nwhen type = "identify"\nid = userId ?? traits.email\nemail = traits.email | lower | trim\n',
  'target trackEvent\nlet $p = properties.products ?? []\nname = "Hi {{ traits.name }}!"\ndata = each $p as $i { sku: $i.sku, n: $i["Product Name"] }\n',
  'target t\nx = case lower(a) when "x", "y" then 1 else omit end\ny = if a = 1 then b else c catch d\nexample "e" { input: {"a": [1, 2.5e3, null]}, fields: {"x": 1} }\n',
];

/** Characters that stress the lexers: every token start, quotes, escapes, non-ASCII, controls. */
const NASTY = [...'()[]{},.:;=!<>&|?$#*\\"\'-+0123456789 \t\r\nabzAZ_éé😀注\u0000\u001b{{}}'];

const mutation = (seeds: string[]) =>
  fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 3 }), fc.constantFrom(...NASTY), fc.nat({ max: 8 })), { maxLength: 6 }),
    )
    .map(([seed, edits]) => {
      let s = seed;
      for (const [pos, op, ch, len] of edits) {
        const i = s.length === 0 ? 0 : pos % (s.length + 1);
        if (op === 0) s = s.slice(0, i) + ch + s.slice(i); // insert
        else if (op === 1) s = s.slice(0, i) + s.slice(i + 1 + len); // delete
        else if (op === 2) s = s.slice(0, i) + s.slice(i, i + len) + s.slice(i); // duplicate
        else s = s.slice(0, i) + ch + s.slice(i + 1); // replace
      }
      return s;
    });

describe('fuzz: never throws, always an AST or positioned diagnostics', () => {
  it('FQL: mutated real triggers', () => {
    fc.assert(fc.property(mutation(FQL_SEEDS), checkFql), { seed: SEED, numRuns: 600 });
  });

  it('FQL: random strings over the token alphabet', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...NASTY), { maxLength: 40 }).map((a) => a.join('')), checkFql), { seed: SEED, numRuns: 600 });
  });

  it('FQL: arbitrary unicode', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), checkFql), { seed: SEED, numRuns: 300 });
  });

  it('.map: mutated real files', () => {
    fc.assert(fc.property(mutation(MAP_SEEDS), checkMap), { seed: SEED, numRuns: 400 });
  });

  it('.map: random strings over the token alphabet', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...NASTY), { maxLength: 60 }).map((a) => a.join('')), checkMap), { seed: SEED, numRuns: 400 });
  });
});

describe('non-string sources (JavaScript callers)', () => {
  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an object', {}],
    ['an array', ['type = "track"']],
  ])('%s is a diagnostic, not an exception', (_name, value) => {
    expect(parseFql(value as string).diagnostics.map((d) => d.code)).toEqual(['FQL007']);
    expect(parseMap(value as string).diagnostics.map((d) => d.code)).toEqual(['MAP011']);
    expect(parseMapExpression(value as string).diagnostics.map((d) => d.code)).toEqual(['MAP011']);
  });
});

describe('valid sources: node spans nest', () => {
  it.each([...FQL_SEEDS])('FQL %s', (source) => {
    const r = parseFql(source);
    expect(r.diagnostics).toEqual([]);
    if (r.ast) checkSpans(source, r.ast);
  });

  it.each([...MAP_SEEDS])('.map %#', (source) => {
    const r = parseMap(source);
    expect(r.diagnostics).toEqual([]);
    for (const st of r.ast?.statements ?? []) checkSpans(source, st.value);
  });
});

describe('serialized grammars (for the railroad diagrams)', () => {
  it('exposes both grammars with their rules', () => {
    const { fql, map } = serializedGrammars() as { fql: Array<{ name: string }>; map: Array<{ name: string }> };
    expect(fql.map((r) => r.name)).toEqual(expect.arrayContaining(['trigger', 'expression', 'orExpr', 'andExpr', 'comparison', 'unary', 'primary', 'dotKey']));
    expect(map.map((r) => r.name)).toEqual(expect.arrayContaining(['mapFile', 'assignment', 'whenHeader', 'coalesceExpr', 'pipeTarget', 'eachExpr', 'caseExpr']));
  });
});

describe('resource limits', () => {
  const timed = <T>(fn: () => T): { result: T; ms: number } => {
    const t0 = performance.now();
    const result = fn();
    return { result, ms: performance.now() - t0 };
  };

  it.each<[string, string]>([
    ['5,000 nested parentheses', `${'('.repeat(5000)}x${')'.repeat(5000)}`],
    ['5,000 unclosed parentheses', '('.repeat(5000)],
    ['5,000 bangs', `${'!'.repeat(5000)}x`],
    ['5,000 nested lists', `${'['.repeat(5000)}${']'.repeat(5000)}`],
    ['5,000 nested calls', `${'f('.repeat(5000)}x${')'.repeat(5000)}`],
    ['alternating !(', `${'!('.repeat(5000)}x${')'.repeat(5000)}`],
  ])('FQL: %s is a diagnostic, quickly', (_name, source) => {
    const { result, ms } = timed(() => parseFql(source));
    expect(result.ast).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toContain('FQL108');
    expect(ms).toBeLessThan(1000);
  });

  it.each<[string, string]>([
    ['5,000 nested objects', `target t\nx = ${'{a: '.repeat(5000)}1${'}'.repeat(5000)}\n`],
    ['5,000 nested ifs', `target t\nx = ${'if a then '.repeat(5000)}1\n`],
    ['5,000 chained else-ifs over many lines', `target t\nx = ${'if a then\n b else\n '.repeat(5000)}1\n`],
    ['5,000 nested cases', `target t\nx = ${'case when a then '.repeat(5000)}1${' end'.repeat(5000)}\n`],
    ['5,000 nested each', `target t\nx = ${'each a as $p { '.repeat(5000)}1${' }'.repeat(5000)}\n`],
    ['a 5,000-deep template nesting', `target t\nx = ${'"{{ '.repeat(5000)}1${' }}"'.repeat(5000)}\n`],
    ['5,000 pipes', `target t\nx = a${' | f'.repeat(5000)}\n`],
    ['5,000 ?? operands', `target t\nx = a${' ?? b'.repeat(5000)}\n`],
    ['5,000 catch fallbacks', `target t\nx = a${' catch b'.repeat(5000)}\n`],
  ])('.map: %s is a diagnostic, quickly', (_name, source) => {
    const { result, ms } = timed(() => parseMap(source));
    expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    checkPositioned(source, result.diagnostics);
    expect(ms).toBeLessThan(2000);
  });

  it('accepts nesting up to the limit', () => {
    expect(parseFql(`${'('.repeat(120)}x${')'.repeat(120)}`).ast).toBeDefined();
    expect(parseMap(`target t\nx = ${'['.repeat(120)}${']'.repeat(120)}\n`).diagnostics).toEqual([]);
  });

  it('parses 10,000-term and / or chains in linear time into one flat node', () => {
    const chain = (n: number, op: string) => Array.from({ length: n }, (_, i) => `p.a${i} = ${i}`).join(` ${op} `);
    parseFql(chain(500, 'and')); // warm up
    const small = timed(() => parseFql(chain(1000, 'and')));
    const big = timed(() => parseFql(chain(10000, 'and')));
    expect(big.result.ast?.kind === 'logical' && big.result.ast.operands.length).toBe(10000);
    expect(big.ms).toBeLessThan(Math.max(50, small.ms) * 40);
    const or = parseFql(chain(10000, 'or'));
    expect(or.ast?.kind === 'logical' && or.ast.op).toBe('or');
  });

  it('refuses sources over the size limits with one diagnostic', () => {
    const fql = parseFql(`x = "${'a'.repeat(MAX_FQL_SOURCE)}"`);
    expect(fql.diagnostics.map((d) => d.code)).toEqual(['FQL006']);
    const map = parseMap(`# ${'a'.repeat(MAX_MAP_SOURCE)}`);
    expect(map.diagnostics.map((d) => d.code)).toEqual(['MAP001']);
    expect(map.ast).toBeUndefined();
  });

  it('parses large .map files (5,000 statements) in linear time', () => {
    const file = (n: number) => `target t\n${Array.from({ length: n }, (_, i) => `f${i} = traits.x${i} ?? "v{{ a.b }}" | lower`).join('\n')}\n`;
    parseMap(file(200)); // warm up
    const small = timed(() => parseMap(file(500)));
    const { result, ms } = timed(() => parseMap(file(5000)));
    expect(result.diagnostics).toEqual([]);
    expect(result.ast?.statements).toHaveLength(5000);
    expect(ms).toBeLessThan(Math.max(50, small.ms) * 40);
  });
});
