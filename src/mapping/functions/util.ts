// Shared helpers of the mapping function library: building output objects safely (own keys,
// `__proto__` as data), depth caps for recursive work on hostile events, row builders.

import { isRecord } from '../../evaluator/value.js';
import type { ArgInfo, Closure, FunctionDef, ParamSpec } from '../../evaluator/types.js';
import type { RowInfo as FqlRowInfo } from '../../evaluator/functions/define.js';
import { MappingRuntimeError } from '../../evaluator/types.js';

/** Deeper than this, recursive functions (compact, flatten, to_json) fail with a field error instead of overflowing the stack. */
export const MAX_DEPTH = 256;

/** The documentation part of a row (everything but `compile`): the evaluator's, plus purity. */
export interface RowInfo extends FqlRowInfo {
  /** Set to false for rows whose result is not a function of the arguments alone (`now`), so they are never constant-folded. */
  pure?: boolean;
}

/** Shorthand for a parameter spec. */
export function p(name: string, type: string, extra: Partial<ParamSpec> = {}): ParamSpec {
  return { name, type, ...extra };
}

/**
 * A row whose closure applies `apply` to all evaluated arguments (any arity). Rows are pure
 * unless `info.pure` is false: the evaluator folds calls with constant arguments (a folded call
 * that throws is left to run per event, so failing functions stay correct).
 */
export function row(info: RowInfo, apply: (...values: unknown[]) => unknown): FunctionDef {
  return Object.freeze({
    pure: true,
    ...info,
    compile(args: ArgInfo[]): Closure {
      const evals = args.map((a) => a.eval);
      const [a, b, c] = evals as [Closure, Closure, Closure];
      switch (evals.length) {
        case 0:
          return () => apply();
        case 1:
          return (e, s) => apply(a(e, s));
        case 2:
          return (e, s) => apply(a(e, s), b(e, s));
        case 3:
          return (e, s) => apply(a(e, s), b(e, s), c(e, s));
        default:
          return (e, s) => apply(...evals.map((f) => f(e, s)));
      }
    },
    one: () => apply,
  });
}

/** A row with custom compile (constant-argument checks); `info` documents it. */
export function customRow(info: RowInfo, compile: (args: ArgInfo[]) => Closure): FunctionDef {
  return Object.freeze({ pure: true, ...info, compile });
}

/** Type name used in messages. */
export function typeName(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (isRecord(value)) return 'object';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

/** JSON text of a value; too-deep or non-JSON values become a MappingRuntimeError (never a RangeError). */
export function toJsonText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (depthExceeds(value, MAX_DEPTH)) throw new MappingRuntimeError(`value is nested deeper than ${MAX_DEPTH} levels`);
  try {
    return JSON.stringify(value);
  } catch (e) {
    throw new MappingRuntimeError(`value cannot be written as JSON: ${(e as Error).message}`);
  }
}

/** True when `value` nests objects/lists deeper than `limit` (iterative, so it cannot overflow). */
export function depthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (d >= limit) return true;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const child of children) if (typeof child === 'object' && child !== null) stack.push([child, d + 1]);
  }
  return false;
}

/** Text of a scalar for string functions: strings as is, numbers and bools as text, anything else undefined. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}
