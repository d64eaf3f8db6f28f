// Every AST node of both languages (FQL triggers and .map files) in one discriminated union on
// `kind`. The parser builds these from the CST; the evaluator and the mapping compiler turn them
// into closures. FQL is a subset: a trigger uses only the nodes marked [FQL].

import type { Span } from '../diagnostics/diagnostic.js';

// ── Expressions ──────────────────────────────────────────────────────────────────────────

/** One step of a path. FQL paths use only `key` steps. */
export type PathSegment =
  | { kind: 'key'; name: string; span: Span } //              .name  ["name"]  (escapes already resolved)
  | { kind: 'index'; index: number; span: Span } //           [0]  [-1] (negative counts from the end)
  | { kind: 'wildcard'; span: Span }; //                      [*]

/** [FQL] A field path. `root` is the event, or a `$variable` (let / each). `$.a.b` is an event path. */
export interface PathExpr {
  kind: 'path';
  root: { kind: 'event' } | { kind: 'variable'; name: string };
  segments: PathSegment[];
  span: Span;
}

/** [FQL] A literal. `quote` records the string delimiter (a `"` string in .map is a template only if it has `{{`). */
export interface LiteralExpr {
  kind: 'literal';
  value: string | number | boolean | null;
  quote?: '"' | "'";
  span: Span;
}

/** [FQL] `[a, b, c]` */
export interface ListExpr {
  kind: 'list';
  items: Expr[];
  span: Span;
}

/** [FQL] `( expr )` kept so diagnostics and printing can see explicit grouping. */
export interface ParenExpr {
  kind: 'paren';
  expr: Expr;
  span: Span;
}

/** [FQL] prefix `!` */
export interface NotExpr {
  kind: 'not';
  operand: Expr;
  span: Span;
}

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'in';

/** [FQL] `left op right` (comparisons do not chain). */
export interface CompareExpr {
  kind: 'compare';
  op: CompareOp;
  opSpan: Span;
  left: Expr;
  right: Expr;
  span: Span;
}

/** [FQL] n-ary `and` / `or`, flattened: `a and b and c` is one node with three operands. */
export interface LogicalExpr {
  kind: 'logical';
  op: 'and' | 'or';
  operands: Expr[];
  span: Span;
}

/** [FQL] `name(args…)`. A .map pipe `x | f(a)` is parsed to `f(x, a)` with `piped: true`. */
export interface CallExpr {
  kind: 'call';
  name: string;
  nameSpan: Span;
  args: Expr[];
  piped?: boolean;
  span: Span;
}

/** .map: `{ key: expr, "quoted key": expr }`. Keys are plain own keys (`__proto__` included). */
export interface ObjectExpr {
  kind: 'object';
  entries: Array<{ key: string; keySpan: Span; value: Expr }>;
  span: Span;
}

/** .map: a double-quoted string containing `{{ expr }}` parts. Text parts are raw strings. */
export interface TemplateExpr {
  kind: 'template';
  parts: Array<string | Expr>;
  span: Span;
}

/** .map: `a ?? b` (null-coalesce) and `a ?: b` (blank-coalesce). */
export interface CoalesceExpr {
  kind: 'coalesce';
  op: '??' | '?:';
  left: Expr;
  right: Expr;
  span: Span;
}

/** .map: `if cond then a [else b]`. */
export interface IfExpr {
  kind: 'if';
  cond: Expr;
  then: Expr;
  else?: Expr;
  span: Span;
}

/**
 * .map: `case [subject] when v1, v2 then r … [else r] end`. With a subject, each `when` lists
 * values compared with FQL `=`; without one, each `when` holds conditions (any true one selects).
 */
export interface CaseExpr {
  kind: 'case';
  subject?: Expr;
  branches: Array<{ when: Expr[]; then: Expr; span: Span }>;
  else?: Expr;
  span: Span;
}

/** .map: `each list as $p { … }` (body is any expression, usually an object literal). */
export interface EachExpr {
  kind: 'each';
  list: Expr;
  variable: string;
  body: Expr;
  span: Span;
}

/** .map: `omit` ("do not write this field"). */
export interface OmitExpr {
  kind: 'omit';
  span: Span;
}

/** .map: `expr catch fallback` */
export interface CatchExpr {
  kind: 'catch';
  expr: Expr;
  fallback: Expr;
  span: Span;
}

export type FqlExpr = PathExpr | LiteralExpr | ListExpr | ParenExpr | NotExpr | CompareExpr | LogicalExpr | CallExpr;
export type Expr = FqlExpr | ObjectExpr | TemplateExpr | CoalesceExpr | IfExpr | CaseExpr | EachExpr | OmitExpr | CatchExpr;

// ── .map files ───────────────────────────────────────────────────────────────────────────

/** `field.path = value [when guard]` */
export interface AssignStmt {
  kind: 'assign';
  /** Dotted field path: `["custom_attributes", "plan"]`. */
  field: string[];
  fieldSpan: Span;
  value: Expr;
  guard?: Expr;
  span: Span;
}

/** `let $name = value` */
export interface LetStmt {
  kind: 'let';
  name: string;
  nameSpan: Span;
  value: Expr;
  span: Span;
}

/** `example "title" { input: …, fields: …, body: … }`; the values are constant expressions (JSON). */
export interface ExampleBlock {
  kind: 'example';
  title: string;
  input?: Expr;
  fields?: Expr;
  body?: Expr;
  span: Span;
}

export interface MapFile {
  kind: 'mapFile';
  target?: { name: string; span: Span };
  title?: { value: string; span: Span };
  /** The trigger after `when`: pure FQL; `source` is its exact text. */
  when?: { expr: Expr; source: string; span: Span };
  statements: Array<AssignStmt | LetStmt>;
  examples: ExampleBlock[];
  span: Span;
}

export type Node = Expr | AssignStmt | LetStmt | ExampleBlock | MapFile;
