// AST node builders for the Segment importer: every node gets the same synthetic span (imported
// JSON has no .map positions), so the importer reads as a list of .map constructs.

import type { Span } from '../../diagnostics/diagnostic.js';
import type { CallExpr, Expr, LiteralExpr, ObjectExpr, PathExpr, PathSegment } from '../../parser/ast.js';

/** The span of every imported node. */
export const NO_SPAN: Span = Object.freeze({ start: 0, end: 0, line: 1, column: 1 });

/** Where paths are read from: the event, or a `$variable` (an `@arrayPath` item, a `@transform` stage). */
export type Root = { kind: 'event' } | { kind: 'variable'; name: string };

export const lit = (value: string | number | boolean | null, quote?: '"' | "'"): LiteralExpr =>
  quote ? { kind: 'literal', value, quote, span: NO_SPAN } : { kind: 'literal', value, span: NO_SPAN };

export const call = (name: string, ...args: Expr[]): CallExpr => ({ kind: 'call', name, nameSpan: NO_SPAN, args, span: NO_SPAN });

export const path = (root: Root, segments: PathSegment[]): PathExpr => ({ kind: 'path', root, segments, span: NO_SPAN });

export const omit = (): Expr => ({ kind: 'omit', span: NO_SPAN });

export const obj = (entries: Array<[string, Expr]>): ObjectExpr => ({
  kind: 'object',
  entries: entries.map(([key, value]) => ({ key, keySpan: NO_SPAN, value })),
  span: NO_SPAN,
});

export const coalesce = (op: '??' | '?:', left: Expr, right: Expr): Expr => ({ kind: 'coalesce', op, left, right, span: NO_SPAN });

export const notNull = (x: Expr): Expr => ({ kind: 'compare', op: '!=', opSpan: NO_SPAN, left: x, right: lit(null), span: NO_SPAN });

export const not = (x: Expr): Expr => ({ kind: 'not', operand: x, span: NO_SPAN });

export const ifExpr = (cond: Expr, then: Expr, otherwise?: Expr): Expr =>
  otherwise ? { kind: 'if', cond, then, else: otherwise, span: NO_SPAN } : { kind: 'if', cond, then, span: NO_SPAN };
