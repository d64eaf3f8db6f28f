// Mapping control functions (mapping.md §3): coalesce, required, fail. required/fail throw a
// MappingRuntimeError, which becomes a field error (or is handled by `catch`).

import type { ArgInfo, Closure, CompileContext, FunctionDef } from '../../evaluator/types.js';
import { ArgumentError, MappingRuntimeError } from '../../evaluator/types.js';
import { compileExpr, markUnary } from '../../evaluator/compile.js';
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

export const required: FunctionDef = customRow(
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
    const text = a.node === undefined ? 'the value' : printExpr(a.node);
    const missing = (x: unknown) => new MappingRuntimeError(`required value is missing: ${text} is ${x === null ? 'null' : 'missing'}`);
    // `required(f(path, …))`: the failure also shows the values f was given (paths only: they
    // are re-read on the failure path, never on success)
    const inner = a.node?.kind === 'call' ? a.node.args.filter((n) => n.kind === 'path').map((n) => ({ text: printExpr(n), read: compileExpr(n, NO_FUNCTIONS) })) : [];
    if (inner.length === 0) {
      const apply = (x: unknown) => {
        if (x === undefined || x === null) throw missing(x);
        return x;
      };
      return markUnary((e, s) => apply(arg(e, s)), apply, arg);
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
