// Mapping control functions (mapping.md §3): coalesce, required, fail. required/fail throw a
// MappingRuntimeError, which becomes a field error (or is handled by `catch`).

import type { ArgInfo, Closure, FunctionDef } from '../../evaluator/types.js';
import { ArgumentError, MappingRuntimeError } from '../../evaluator/types.js';
import { customRow, p, row } from './util.js';

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

export const required = row(
  {
    name: 'required',
    params: [p('x', 'any')],
    result: 'any',
    doc: 'The value itself; missing or null fails the field ("required value is missing"), rejecting the event for this subscription.',
    examples: [
      { expr: 'required(userId)', event: { userId: 'u1' }, result: 'u1' },
      { expr: 'required(userId) catch "none"', event: {}, result: 'none' },
    ],
  },
  (x) => {
    if (x === undefined || x === null) throw new MappingRuntimeError('required value is missing');
    return x;
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
