// Small builders for rows of a function table: most built-ins are a pure function of their
// evaluated arguments, so the row only states the per-value logic and `compile` wires closures.

import type { ArgInfo, Closure, FunctionDef, FunctionExample, ParamSpec } from '../types.js';

/** The documentation part of a row (everything but `compile`). */
export interface RowInfo {
  name: string;
  params: ParamSpec[];
  result: string;
  doc: string;
  examples: FunctionExample[];
}

/** A one-argument row: `apply(value)` must be total (never throw). */
export function unaryRow(info: RowInfo, apply: (value: unknown) => unknown): FunctionDef {
  return Object.freeze({
    ...info,
    pure: true,
    compile(args: ArgInfo[]): Closure {
      const a = (args[0] as ArgInfo).eval;
      return (event, scope) => apply(a(event, scope));
    },
    one: () => apply,
  });
}

/** A two-argument row: `apply(a, b)` must be total (never throw). */
export function binaryRow(info: RowInfo, apply: (a: unknown, b: unknown) => unknown): FunctionDef {
  return Object.freeze({
    ...info,
    pure: true,
    compile(args: ArgInfo[]): Closure {
      const a = (args[0] as ArgInfo).eval;
      const b = (args[1] as ArgInfo).eval;
      return (event, scope) => apply(a(event, scope), b(event, scope));
    },
  });
}

/** Shorthand for a parameter spec. */
export function param(name: string, type: string): ParamSpec {
  return { name, type };
}
