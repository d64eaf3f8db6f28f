// compileExpr as the mapping compiler uses it: hand-built ASTs with variables, index/wildcard
// paths, `extend` for non-FQL nodes, diagnostics (unknown function, arity, constant args,
// ArgumentError), constant folding, and same-path fusion equivalence.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { Expr } from '../../src/parser/ast.js';
import { compileExpr, constantOf } from '../../src/evaluator/compile.js';
import { fqlFunctionNames, lookupFqlFunction } from '../../src/evaluator/functions/index.js';
import { ArgumentError, type Closure, type CompileContext, type FunctionDef } from '../../src/evaluator/types.js';
import { and, call, cmp, compileFql, evalFql, list, lit, not, or, paren, path, S, varPath } from './ast-builders.js';

function ctxWith(extra: FunctionDef[], diagnostics: Diagnostic[], extend?: CompileContext['extend']): CompileContext {
  const table = new Map<string, FunctionDef>([...fqlFunctionNames().map((n) => [n, lookupFqlFunction(n)!] as const), ...extra.map((f) => [f.name, f] as const)]);
  const ctx: CompileContext = { lookupFunction: (n) => table.get(n), functionNames: () => table.keys(), report: (d) => diagnostics.push(d), language: 'FQL' };
  if (extend) ctx.extend = extend;
  return ctx;
}

describe('paths', () => {
  const event = { properties: { items: [{ sku: 'a' }, { sku: 'b' }] }, userId: 'u' };
  it.each<[Expr, unknown]>([
    [path('properties', 'items', 0, 'sku'), 'a'],
    [path('properties', 'items', -1, 'sku'), 'b'],
    [path('properties', 'items', '*', 'sku'), ['a', 'b']],
    [path('properties', 'items', 'sku'), undefined],
    [path(), event],
  ])('%#', (node, expected) => {
    expect(evalFql(node, event)).toEqual(expected);
  });

  it('reads $variables from the scope (own keys only)', () => {
    const { fn } = compileFql(varPath('p', 'sku'));
    const scope = Object.create(null) as Record<string, unknown>;
    scope.p = { sku: 'x' };
    expect(fn({}, scope)).toBe('x');
    expect(fn({}, undefined)).toBeUndefined();
    expect(compileFql(varPath('toString')).fn({}, {})).toBeUndefined();
    expect(compileFql(cmp('=', varPath('p', 'sku'), path('s'))).fn({ s: 'x' }, scope)).toBe(true);
  });
});

describe('diagnostics', () => {
  it('reports unknown functions with suggestions, and keeps compiling', () => {
    const { diagnostics } = compileFql(and(call('Contains', path('event'), lit('x')), call('startsWith', path('event'), lit('x')), call('lenght', path('e'))));
    expect(diagnostics.map((d) => [d.code, d.hint])).toEqual([
      ['FQL201', 'did you mean `contains`?'],
      ['FQL201', 'did you mean `match(x, "prefix*")`?'],
      ['FQL201', 'did you mean `length`?'],
    ]);
    const far = compileFql(call('zzzzzz')).diagnostics[0];
    expect(far?.hint).toMatch(/^known functions: contains, match/);
  });

  it('reports errors inside arguments of unknown functions too', () => {
    const { diagnostics } = compileFql(call('nope', call('alsoNope')));
    expect(diagnostics.map((d) => d.message)).toEqual(['unknown function `alsoNope`', 'unknown function `nope`']);
  });

  const upper: FunctionDef = {
    name: 'pad',
    params: [
      { name: 'x', type: 'string' },
      { name: 'width', type: 'number', constant: true },
      { name: 'fill', type: 'string', optional: true },
    ],
    result: 'string',
    doc: 'test row',
    examples: [],
    compile(args) {
      const width = args[1]?.value;
      if (typeof width !== 'number' || width < 0) throw new ArgumentError('width must be a non-negative number', 1, 'e.g. 10');
      const x = args[0]!.eval;
      return (e, s) => String(x(e, s)).padStart(width, '*');
    },
  };
  const join: FunctionDef = { name: 'join_all', params: [{ name: 'parts', type: 'any', variadic: true }], result: 'string', doc: 'v', examples: [], pure: true, compile: (args) => (e, s) => args.map((a) => String(a.eval(e, s))).join('') };

  it.each<[Expr, string[]]>([
    [call('pad', path('x')), ['FQL202']],
    [call('pad', path('x'), lit(3), lit('*'), lit(1)), ['FQL202']],
    [call('pad', path('x'), path('w')), ['FQL205']],
    [call('pad', path('x'), lit(-1)), ['FQL203']],
    [call('pad', path('x'), lit(3)), []],
    [call('join_all'), []],
    [call('join_all', lit(1), lit(2), lit(3), lit(4)), []],
  ])('arity / constant / ArgumentError %#', (node, codes) => {
    const diagnostics: Diagnostic[] = [];
    compileExpr(node, ctxWith([upper, join], diagnostics));
    expect(diagnostics.map((d) => d.code)).toEqual(codes);
  });

  it('puts an ArgumentError on its argument, with the hint', () => {
    const diagnostics: Diagnostic[] = [];
    const badArg: Expr = { kind: 'literal', value: -1, span: { start: 9, end: 11, line: 1, column: 10 } };
    compileExpr({ kind: 'call', name: 'pad', nameSpan: S, args: [path('x'), badArg], span: S }, ctxWith([upper], diagnostics));
    expect(diagnostics[0]).toMatchObject({ code: 'FQL203', message: 'width must be a non-negative number', hint: 'e.g. 10', span: { column: 10 } });
  });

  it('folds pure calls on constants, never impure ones', () => {
    const diagnostics: Diagnostic[] = [];
    const ctx = ctxWith([upper, join], diagnostics);
    expect(constantOf(compileExpr(call('join_all', lit('a'), lit('b')), ctx))?.value).toBe('ab');
    expect(constantOf(compileExpr(call('pad', lit('a'), lit(3)), ctx))).toBeUndefined(); // not marked pure
    expect(constantOf(compileExpr(call('length', lit('ア')), ctx))?.value).toBe(3);
    expect(constantOf(compileExpr(cmp('in', lit('a'), list(lit('a'), lit('b'))), ctx))?.value).toBe(true);
    expect(constantOf(compileExpr(and(lit(true), cmp('=', path('x'), lit(1))), ctx))).toBeUndefined();
    expect(constantOf(compileExpr(and(lit(false), cmp('=', path('x'), lit(1))), ctx))?.value).toBe(false);
    expect(constantOf(compileExpr(or(lit(true), cmp('=', path('x'), lit(1))), ctx))?.value).toBe(true);
    expect(constantOf(compileExpr(not(paren(lit(null))), ctx))?.value).toBe(true);
    expect(diagnostics).toEqual([]);
  });

  it('hands non-FQL nodes to extend, or reports them as not FQL', () => {
    const omit: Expr = { kind: 'omit', span: S };
    const template: Expr = { kind: 'template', parts: ['a', path('x')], span: S };
    const none: Diagnostic[] = [];
    const { fn } = { fn: compileExpr(template, ctxWith([], none)) };
    expect(fn({ x: 1 }, undefined)).toBeUndefined();
    expect(none.map((d) => [d.code, d.message])).toEqual([['FQL204', 'a `{{ … }}` template string is not FQL']]);
    const seen: string[] = [];
    const diagnostics: Diagnostic[] = [];
    const extended = compileExpr(and(cmp('=', omit, lit(null)), cmp('=', template, lit('a1'))), ctxWith([], diagnostics, (node, compile) => {
      seen.push(node.kind);
      if (node.kind === 'template') {
        const parts = node.parts.map((p) => (typeof p === 'string' ? () => p : compile(p)));
        return (e, s) => parts.map((p) => String(p(e, s))).join('');
      }
      if (node.kind === 'omit') return () => undefined;
      return undefined;
    }));
    expect(diagnostics).toEqual([]);
    expect(seen.sort()).toEqual(['omit', 'template']);
    expect(extended({ x: 1 }, undefined)).toBe(true);
  });
});

describe('n-ary and/or and same-path fusion agree with the plain definition', () => {
  const samples: unknown[] = ['A', 'B', 'C', 1, 0, true, false, null, undefined, ['A'], { a: 1 }];
  for (const n of [1, 2, 3, 4, 6]) {
    it(`${n} operands`, () => {
      const values = ['A', 'B', 1, true, 'C', 0].slice(0, n);
      const ands = and(...values.map((v) => cmp('!=', path('event'), lit(v as string))));
      const ors = or(...values.map((v) => cmp('=', lit(v as string), path('event'))));
      const mixed = and(cmp('!=', path('event'), lit('A')), cmp('=', path('type'), lit('t')), cmp('!=', path('event'), lit('B')));
      const fa = compileFql(ands).fn;
      const fo = compileFql(ors).fn;
      const fm = compileFql(mixed).fn;
      for (const v of samples) {
        for (const t of ['t', 'u']) {
          const event: Record<string, unknown> = { type: t };
          if (v !== undefined) event.event = v;
          const eq = (c: unknown) => (v === null || v === undefined ? c === null : v === c);
          expect(fa(event, undefined)).toBe(values.every((c) => !eq(c)));
          expect(fo(event, undefined)).toBe(values.some((c) => eq(c)));
          expect(fm(event, undefined)).toBe(t === 't' && v !== 'A' && v !== 'B');
        }
      }
    });
  }

  it('and/or results are booleans even when operands are not', () => {
    const f: Closure = compileFql(or(path('a'), path('b'))).fn;
    expect(f({ a: 'x', b: 1 }, undefined)).toBe(false);
    expect(compileFql(and(path('a'), path('b'))).fn({ a: true, b: true }, undefined)).toBe(true);
  });
});
