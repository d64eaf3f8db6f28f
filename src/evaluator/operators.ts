// The FQL comparison operators (fql.md §7.3–7.5) as one table. `!=` is not a row of its own
// logic: it is negation wrapped around `=`. compile.ts builds closures from these rows,
// specialising when one side is a constant.

import type { CompareOp } from '../parser/ast.js';
import type { Closure } from './types.js';
import { fqlEquals, isNullish, ownIndex } from './value.js';

/** One operator: its spelling, a one-line doc and the total test on two evaluated operands. */
export interface OperatorDef {
  op: CompareOp;
  doc: string;
  /** Never throws; the result is always a boolean. */
  test(left: unknown, right: unknown): boolean;
  /** Set on `!=`: the operator this one negates. */
  negates?: CompareOp;
  /**
   * Orderings: `left op constant` as one closure, `test` with the constant bound in and the
   * comparison inlined (a trigger's `properties.revenue > 100` runs it per event).
   */
  against?(left: Closure, constant: number): Closure;
}

function bothNumbers(a: unknown, b: unknown): boolean {
  return typeof a === 'number' && typeof b === 'number';
}

/** `a in b`: b is a list holding an element FQL-equal to a (no substring semantics). */
export function inList(needle: unknown, haystack: unknown): boolean {
  if (!Array.isArray(haystack)) return false;
  for (let i = 0; i < haystack.length; i++) {
    // a hole (only possible from non-JSON input) reads as missing, which equals null
    const item = ownIndex(haystack, i);
    if (fqlEquals(needle, item)) return true;
  }
  return false;
}

const equals: OperatorDef = {
  op: '=',
  doc: 'true when both sides have the same type and are equal (missing = null; lists pairwise; no coercion)',
  test: fqlEquals,
};

/** Wraps an operator in negation: the one way a negative operator is made. */
export function negate(def: OperatorDef, op: CompareOp): OperatorDef {
  return {
    op,
    doc: `exactly not (a ${def.op} b)`,
    negates: def.op,
    test: (a, b) => !def.test(a, b),
  };
}

/** The operator table, keyed by spelling. */
export const OPERATORS: Readonly<Record<CompareOp, Readonly<OperatorDef>>> = Object.freeze({
  '=': Object.freeze(equals),
  '!=': Object.freeze(negate(equals, '!=')),
  '<': Object.freeze<OperatorDef>({
    op: '<',
    doc: 'numbers only: numeric less-than; anything else is false',
    test: (a, b) => bothNumbers(a, b) && (a as number) < (b as number),
    against: (left, c) => (e, s) => {
      const v = left(e, s);
      return typeof v === 'number' && v < c;
    },
  }),
  '<=': Object.freeze<OperatorDef>({
    op: '<=',
    doc: 'numbers only: numeric less-or-equal; anything else is false',
    test: (a, b) => bothNumbers(a, b) && (a as number) <= (b as number),
    against: (left, c) => (e, s) => {
      const v = left(e, s);
      return typeof v === 'number' && v <= c;
    },
  }),
  '>': Object.freeze<OperatorDef>({
    op: '>',
    doc: 'numbers only: numeric greater-than; anything else is false',
    test: (a, b) => bothNumbers(a, b) && (a as number) > (b as number),
    against: (left, c) => (e, s) => {
      const v = left(e, s);
      return typeof v === 'number' && v > c;
    },
  }),
  '>=': Object.freeze<OperatorDef>({
    op: '>=',
    doc: 'numbers only: numeric greater-or-equal; anything else is false',
    test: (a, b) => bothNumbers(a, b) && (a as number) >= (b as number),
    against: (left, c) => (e, s) => {
      const v = left(e, s);
      return typeof v === 'number' && v >= c;
    },
  }),
  in: Object.freeze<OperatorDef>({ op: 'in', doc: 'the right side is a list with an element equal to the left side', test: inList }),
});

/**
 * A fast equality test against one known constant, equivalent to `fqlEquals(x, constant)`:
 * primitives compare with `===`, null matches missing too, lists/objects go structural.
 */
export function equalsConstant(constant: unknown): (value: unknown) => boolean {
  if (isNullish(constant)) return isNullish;
  if (typeof constant === 'object') return (v) => fqlEquals(v, constant);
  return (v) => v === constant;
}

/**
 * A fast membership test against a constant list, equivalent to `inList(x, list)`: a Set for
 * strings/numbers/bools (Set's SameValueZero agrees with FQL here: `-0` = `0`, no coercion),
 * plus a null flag and a structural fallback for nested lists/objects.
 */
export function inConstantList(list: readonly unknown[]): (value: unknown) => boolean {
  const primitives = new Set<unknown>();
  const structured: unknown[] = [];
  let hasNull = false;
  for (let i = 0; i < list.length; i++) {
    const item = ownIndex(list, i);
    if (isNullish(item)) hasNull = true;
    else if (typeof item === 'object') structured.push(item);
    else primitives.add(item);
  }
  if (structured.length === 0) {
    return hasNull ? (v) => isNullish(v) || primitives.has(v) : (v) => primitives.has(v);
  }
  return (v) => {
    if (isNullish(v)) return hasNull;
    if (typeof v !== 'object') return primitives.has(v);
    for (const item of structured) if (fqlEquals(v, item)) return true;
    return false;
  };
}
