// Hand-built AST helpers for evaluator unit tests (spans are dummies): they let compile.ts be
// tested independently of the parser.

import type { CompareOp, Expr, PathSegment } from '../../src/parser/ast.js';
import type { Diagnostic, Span } from '../../src/diagnostics/diagnostic.js';
import { compileExpr } from '../../src/evaluator/compile.js';
import { fqlFunctionNames, lookupFqlFunction } from '../../src/evaluator/functions/index.js';
import type { Closure } from '../../src/evaluator/types.js';

export const S: Span = { start: 0, end: 0, line: 1, column: 1 };

/** `a.b.c` from the event, keys only; `[n]` / `[*]` via `seg` objects. */
export function path(...parts: Array<string | number | '*'>): Expr {
  const segments: PathSegment[] = parts.map((p) =>
    typeof p === 'number' ? { kind: 'index', index: p, span: S } : p === '*' ? { kind: 'wildcard', span: S } : { kind: 'key', name: p, span: S },
  );
  return { kind: 'path', root: { kind: 'event' }, segments, span: S };
}

export function varPath(name: string, ...keys: string[]): Expr {
  return { kind: 'path', root: { kind: 'variable', name }, segments: keys.map((name) => ({ kind: 'key', name, span: S })), span: S };
}

export function lit(value: string | number | boolean | null, quote?: '"' | "'"): Expr {
  return quote ? { kind: 'literal', value, quote, span: S } : { kind: 'literal', value, span: S };
}

export function list(...items: Expr[]): Expr {
  return { kind: 'list', items, span: S };
}

export function cmp(op: CompareOp, left: Expr, right: Expr): Expr {
  return { kind: 'compare', op, opSpan: S, left, right, span: S };
}

export function and(...operands: Expr[]): Expr {
  return { kind: 'logical', op: 'and', operands, span: S };
}

export function or(...operands: Expr[]): Expr {
  return { kind: 'logical', op: 'or', operands, span: S };
}

export function not(operand: Expr): Expr {
  return { kind: 'not', operand, span: S };
}

export function paren(expr: Expr): Expr {
  return { kind: 'paren', expr, span: S };
}

export function call(name: string, ...args: Expr[]): Expr {
  return { kind: 'call', name, nameSpan: S, args, span: S };
}

/** Compiles with the FQL table, returning the closure and every diagnostic. */
export function compileFql(node: Expr): { fn: Closure; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const fn = compileExpr(node, {
    lookupFunction: lookupFqlFunction,
    functionNames: fqlFunctionNames,
    report: (d) => diagnostics.push(d),
  });
  return { fn, diagnostics };
}

/** Evaluates a hand-built expression against an event; fails the test on diagnostics. */
export function evalFql(node: Expr, event: unknown): unknown {
  const { fn, diagnostics } = compileFql(node);
  if (diagnostics.length > 0) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return fn(event, undefined);
}
