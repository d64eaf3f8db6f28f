// The FQL function table (fql.md §8): the twelve built-ins as rows, looked up by exact
// (case-sensitive) name. The mapping library extends this table with its own rows.

import type { FunctionDef } from '../types.js';
import { bool, number, string, typeOf } from './conversions.js';
import { contains, kebabcase, length, lowercase, match, snakecase, titlecase, uppercase } from './strings.js';

/** Every FQL function, in the order of fql.md §8. Frozen rows. */
export const FQL_FUNCTIONS: readonly FunctionDef[] = Object.freeze([
  contains,
  match,
  length,
  lowercase,
  uppercase,
  snakecase,
  kebabcase,
  titlecase,
  typeOf,
  bool,
  string,
  number,
]);

const byName = new Map<string, FunctionDef>(FQL_FUNCTIONS.map((f) => [f.name, f]));

/** The FQL function named exactly `name`, if any (names are case-sensitive). */
export function lookupFqlFunction(name: string): FunctionDef | undefined {
  return byName.get(name);
}

/** Names of the FQL functions, for "did you mean" suggestions. */
export function fqlFunctionNames(): string[] {
  return FQL_FUNCTIONS.map((f) => f.name);
}
