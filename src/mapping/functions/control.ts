// Mapping control functions (mapping.md §3): coalesce, required, fail. required/fail throw a
// MappingRuntimeError, which becomes a field error (or is handled by `catch`).

import type { ArgInfo, Closure, CompileContext, FunctionDef } from '../../evaluator/types.js';
import { ArgumentError, MappingRuntimeError } from '../../evaluator/types.js';
import { compileExpr } from '../../evaluator/compile.js';
import type { Expr } from '../../parser/ast.js';
import { printExpr } from '../print.js';
import { customRow, p, typeName } from './util.js';

export const coalesce: FunctionDef = customRow(
  {
    name: 'coalesce',
    params: [p('values', 'any', { variadic: true })],
    result: 'any',
    doc: 'The first argument that is neither missing nor null (arguments after it are not evaluated); missing when there is none. Same as `a ?? b ?? …`.',
    examples: [
      { expr: 'coalesce(userId, traits.email, "anon")', event: { traits: { email: 'a@b' } }, result: 'a@b' },
      { expr: 'coalesce(userId, anonymousId)', event: {}, result: undefined },
    ],
  },
  (args: ArgInfo[]): Closure => {
    const evals = args.map((a) => a.eval);
    return (event, scope) => {
      for (const f of evals) {
        const v = f(event, scope);
        if (v !== undefined && v !== null) return v;
      }
      return undefined;
    };
  },
);

/** A value for a message: JSON, cut at 60 characters. */
function shown(v: unknown): string {
  if (v === undefined) return 'missing';
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = typeName(v);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A context with no functions: `required`'s argument is re-compiled only to read its paths. */
const NO_FUNCTIONS: CompileContext = { lookupFunction: () => undefined, functionNames: () => [], report: () => undefined, language: 'FQL' };

const textOf = (node: Expr | undefined): string => (node === undefined ? 'the value' : printExpr(node));
const missingError = (text: string, x: unknown) => new MappingRuntimeError(`required value is missing: ${text} is ${x === null ? 'null' : 'missing'}`);

/**
 * `required(f(path, …))`: the failure also shows the values f was given (paths only: they are
 * re-read on the failure path, never on success).
 */
function innerPaths(node: Expr | undefined): Array<{ text: string; read: Closure }> {
  return node?.kind === 'call' ? node.args.filter((n) => n.kind === 'path').map((n) => ({ text: printExpr(n), read: compileExpr(n, NO_FUNCTIONS) })) : [];
}

/** `required` of a value whose failure names only the expression `text`. */
function requiredOf(text: string): (x: unknown) => unknown {
  return (x) => {
    if (x === undefined || x === null) throw missingError(text, x);
    return x;
  };
}

const requiredRow: FunctionDef = customRow(
  {
    name: 'required',
    params: [p('x', 'any')],
    result: 'any',
    doc: 'The value itself; missing or null fails the field ("required value is missing: …", naming the expression and the values it read), rejecting the event for this subscription.',
    examples: [
      { expr: 'required(userId)', event: { userId: 'u1' }, result: 'u1' },
      { expr: 'required(userId) catch "none"', event: {}, result: 'none' },
    ],
  },
  (args: ArgInfo[]): Closure => {
    const [a] = args as [ArgInfo];
    const arg = a.eval;
    const text = textOf(a.node);
    const missing = (x: unknown) => missingError(text, x);
    const inner = innerPaths(a.node);
    if (inner.length === 0) {
      const apply = requiredOf(text);
      return (e, s) => apply(arg(e, s));
    }
    return (e, s) => {
      const x = arg(e, s);
      if (x !== undefined && x !== null) return x;
      const err = missing(x);
      err.message += ` (${inner.map((i) => `${i.text} is ${shown(i.read(e, s))}`).join(', ')})`;
      throw err;
    };
  },
);

/** `required(x)` as a function of x's value, when its failure needs nothing else (not `required(f(path, …))`). */
export const required: FunctionDef = Object.freeze({ ...requiredRow, one: (arg: Expr) => (innerPaths(arg).length === 0 ? requiredOf(textOf(arg)) : undefined) });

export const fail: FunctionDef = customRow(
  {
    name: 'fail',
    params: [p('message', 'string', { constant: true })],
    result: 'never',
    doc: 'Fails the field with `message`: typically `else fail("…")` in an `if` or `case`.',
    examples: [{ expr: 'fail("no plan") catch "default"', result: 'default' }],
  },
  (args: ArgInfo[]): Closure => {
    const [m] = args as [ArgInfo];
    if (m.constant && typeof m.value !== 'string') throw new ArgumentError('the message must be a string', 0);
    const fm = m.eval;
    return (event, scope) => {
      const msg = fm(event, scope);
      throw new MappingRuntimeError(typeof msg === 'string' ? msg : 'fail() called');
    };
  },
);

/** The control family. */
export const CONTROL_FUNCTIONS: readonly FunctionDef[] = [coalesce, required, fail];
