// Shared types of the compiled form: closures over (event, scope) and the built-in function
// table shape used by both the FQL function table (src/evaluator) and the mapping library
// (src/mapping/functions). Nothing here walks an AST at run time.

import type { Span } from '../diagnostics/diagnostic.js';

/**
 * Variables visible to a closure: `let $x` values and `each … as $p` items. A plain
 * null-prototype object created per event (mapping) or `undefined` (triggers have no variables).
 */
export type Scope = Record<string, unknown> | undefined;

/**
 * A compiled expression. `undefined` is the value policy's **missing** (JSON never holds
 * `undefined`); FQL reads missing as null, mappings keep missing and null apart.
 */
export type Closure = (event: unknown, scope: Scope) => unknown;

/** One argument as a function's `compile` sees it. `constant` args have `value` known at compile time. */
export interface ArgInfo {
  eval: Closure;
  constant: boolean;
  value?: unknown;
  span: Span;
  /** The argument's AST (for messages that show what was evaluated, e.g. `required`'s). */
  node?: import('../parser/ast.js').Expr;
}

/** Thrown by a `FunctionDef.compile` for a bad constant argument; turned into a positioned diagnostic. */
export class ArgumentError extends Error {
  constructor(
    message: string,
    readonly argIndex: number,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ArgumentError';
  }
}

/** Thrown by a closure at run time for a *mapping* failure (`parse_json` of bad text, `required`, `fail`). Caught by `catch`. */
export class MappingRuntimeError extends Error {
  /**
   * Where inside the field's value it failed: object keys and `each` item indexes, outermost
   * first (filled in on the way out by the object and `each` closures; empty at the field itself).
   */
  readonly path: Array<string | number> = [];
  /** 1-based `.map` line and column of the innermost object entry on the way out (unset at the field itself). */
  line: number | undefined;
  column: number | undefined;
  constructor(message: string) {
    super(message);
    this.name = 'MappingRuntimeError';
  }
}

export interface ParamSpec {
  name: string;
  /** Informal type for docs and checks: 'string', 'number', 'any', 'list', 'object', 'bool', … */
  type: string;
  optional?: boolean;
  variadic?: boolean;
  /** Must be a compile-time constant (regex, date format, separator). */
  constant?: boolean;
}

/** A runnable example: evaluating `expr` (source text in the owning language) against `event` gives `result`. */
export interface FunctionExample {
  expr: string;
  event?: unknown;
  result: unknown;
}

/** One built-in function: a row of a function table. */
export interface FunctionDef {
  name: string;
  params: ParamSpec[];
  result: string;
  doc: string;
  examples: FunctionExample[];
  /**
   * The result depends only on the arguments and the closure never throws: a call whose
   * arguments are all constants is evaluated once at compile time (constant folding).
   * Leave unset for `now()`-like or failing functions.
   */
  pure?: boolean;
  /** Builds the closure once per call site. May throw ArgumentError for bad constant arguments. */
  compile(args: ArgInfo[]): Closure;
  /**
   * For a call with the one argument `arg` (its AST): the function of the argument's value that
   * the compiled closure computes, so a planner that reads the argument itself (the mapper reading
   * an event path) applies it directly. Unset, or undefined for this argument: not such a call.
   */
  one?(arg: import('../parser/ast.js').Expr): ((value: unknown) => unknown) | undefined;
}

/**
 * How `compileExpr` (src/evaluator/compile.ts) is told about its surroundings. Triggers pass the
 * FQL function table and no `extend`; the mapping compiler passes FQL + mapping functions and an
 * `extend` that compiles the .map-only node kinds (object, template, coalesce, if, case, each,
 * omit, catch), calling back `compile` for children.
 */
export interface CompileContext {
  lookupFunction(name: string): FunctionDef | undefined;
  extend?(node: import('../parser/ast.js').Expr, compile: (node: import('../parser/ast.js').Expr) => Closure): Closure | undefined;
  report(diagnostic: import('../diagnostics/diagnostic.js').Diagnostic): void;
  /** Every function name `lookupFunction` knows, for "did you mean" suggestions on unknown names. */
  functionNames?(): Iterable<string>;
  /** What the surrounding language is called in messages ("FQL", "a trigger"); default "FQL". */
  language?: string;
}
