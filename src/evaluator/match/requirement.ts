// What a trigger requires of an event's `type`/`event` fields, read from its AST once: the basis
// of a trigger set's buckets (set.ts) and of a single trigger's gate (gate.ts). Sound by
// construction: if the trigger is true, the event's field equals one of the required values.

import type { Expr } from '../../parser/ast.js';
import { unparen } from '../ast-walk.js';
import { indexField, type Field, type IndexKey } from './fields.js';

/** "event[field] equals value" */
export interface Atom {
  field: Field;
  value: IndexKey;
}

/**
 * The trigger can be true only when one of `atoms` holds (`[]`: never true). `exact`: the
 * trigger is true exactly when one holds. `residual`: conjuncts that must still be checked
 * once the atoms hold (the rest of a top-level `and` whose chosen conjunct is exact).
 */
export interface Requirement {
  atoms: Atom[];
  exact: boolean;
  residual?: Expr[];
}

function literalKey(node: Expr): IndexKey | undefined {
  const n = unparen(node);
  return n.kind === 'literal' && n.value !== null ? n.value : undefined;
}

function narrower(a: Requirement, b: Requirement): boolean {
  if (a.atoms.length !== b.atoms.length) return a.atoms.length < b.atoms.length;
  if (a.exact !== b.exact) return a.exact;
  const onEvent = (r: Requirement) => r.atoms.length > 0 && r.atoms.every((x) => x.field === 'event');
  return onEvent(a) && !onEvent(b);
}

/** The requirement of an expression, or undefined when it has none we can index. */
export function requirement(node: Expr): Requirement | undefined {
  const n = unparen(node);
  if (n.kind === 'compare' && n.op === '=') {
    for (const [side, other] of [
      [n.left, n.right],
      [n.right, n.left],
    ] as const) {
      const field = indexField(side);
      const value = literalKey(other);
      // FQL `field = "x"` is true exactly when the own field is the primitive "x" (no coercion)
      if (field && value !== undefined) return { atoms: [{ field, value }], exact: true };
    }
    return undefined;
  }
  if (n.kind === 'compare' && n.op === 'in') {
    const field = indexField(n.left);
    const list = unparen(n.right);
    if (!field || list.kind !== 'list') return undefined;
    const atoms: Atom[] = [];
    for (const item of list.items) {
      const value = literalKey(item);
      if (value === undefined) return undefined; // a null or a path among the items: no requirement
      atoms.push({ field, value });
    }
    return { atoms, exact: true };
  }
  if (n.kind === 'logical' && n.op === 'and') {
    // every conjunct must hold, so any conjunct's requirement is the whole one's: take the
    // narrowest (fewest values; then exact; then `event`, whose values are far more selective
    // than the handful of types)
    let best: { req: Requirement; at: number } | undefined;
    n.operands.forEach((operand, at) => {
      const r = requirement(operand);
      if (r && (!best || narrower(r, best.req))) best = { req: r, at };
    });
    if (!best) return undefined;
    const { req, at } = best;
    const rest = n.operands.filter((_, k) => k !== at);
    if (!req.exact) return { atoms: req.atoms, exact: false };
    return rest.length === 0 ? req : { atoms: req.atoms, exact: false, residual: rest };
  }
  if (n.kind === 'logical' && n.op === 'or') {
    const atoms: Atom[] = [];
    let exact = true;
    for (const operand of n.operands) {
      const r = requirement(operand);
      if (!r) return undefined;
      atoms.push(...r.atoms);
      exact &&= r.exact;
    }
    return { atoms, exact };
  }
  return undefined;
}
