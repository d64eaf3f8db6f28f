// What a trigger requires of an event's `type`/`event` fields, read from its AST once: the basis
// of the trigger-set index (trigger-set.ts). Sound by construction: if the trigger is true, the
// event's field equals one of the required values.

import type { Expr } from '../parser/ast.js';
import { eventKeys } from '../parser/walk.js';
import { unparen } from './ast-walk.js';

export type IndexKey = string | number | boolean;
export type Field = 'type' | 'event';

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

function indexedField(node: Expr): Field | undefined {
  const n = unparen(node);
  if (n.kind !== 'path') return undefined;
  const keys = eventKeys(n);
  if (keys?.length !== 1) return undefined;
  return keys[0] === 'type' || keys[0] === 'event' ? keys[0] : undefined;
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
      const field = indexedField(side);
      const value = literalKey(other);
      // FQL `field = "x"` is true exactly when the own field is the primitive "x" (no coercion)
      if (field && value !== undefined) return { atoms: [{ field, value }], exact: true };
    }
    return undefined;
  }
  if (n.kind === 'compare' && n.op === 'in') {
    const field = indexedField(n.left);
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

const OBJECT_PROTO = Object.prototype as Record<string, unknown>;

/** Where `readIndexFields` puts an event's own `type` and `event` (undefined when absent). */
export interface IndexFields {
  type: unknown;
  event: unknown;
}

/**
 * Reads an event's own `type` and `event` for the index; false when the event is not a plain
 * object (then no trigger matches it). On a JSON object only Object.prototype could lend these
 * keys, so a value that differs from Object.prototype's (normally undefined) is own without a
 * `hasOwn` call: this is the per-event hot path of every indexed trigger.
 */
export function readIndexFields(event: unknown, out: IndexFields): boolean {
  if (typeof event !== 'object' || event === null) return false;
  const proto: unknown = Object.getPrototypeOf(event);
  const record = event as Record<string, unknown>;
  let t = record.type;
  let e = record.event;
  if (proto === OBJECT_PROTO) {
    if (t !== undefined && t === OBJECT_PROTO.type && !Object.hasOwn(record, 'type')) t = undefined;
    if (e !== undefined && e === OBJECT_PROTO.event && !Object.hasOwn(record, 'event')) e = undefined;
  } else if (proto !== null) {
    // another realm's plain object (its prototype has no prototype), else not a record
    if (Array.isArray(event) || Object.getPrototypeOf(proto) !== null) return false;
    if (t !== undefined && !Object.hasOwn(record, 'type')) t = undefined;
    if (e !== undefined && !Object.hasOwn(record, 'event')) e = undefined;
  }
  out.type = t;
  out.event = e;
  return true;
}

/**
 * One own field of a plain-object event for a single trigger's gate (`type` or `event`), with the
 * same rules as readIndexFields; `NOT_A_RECORD` when the event is not a plain object.
 */
export const NOT_A_RECORD: unique symbol = Symbol('not a record');
export function readIndexField(event: unknown, key: Field): unknown {
  if (typeof event !== 'object' || event === null) return NOT_A_RECORD;
  const proto: unknown = Object.getPrototypeOf(event);
  const record = event as Record<string, unknown>;
  const v = record[key];
  if (proto === OBJECT_PROTO) return v !== undefined && v === OBJECT_PROTO[key] && !Object.hasOwn(record, key) ? undefined : v;
  if (proto !== null && (Array.isArray(event) || Object.getPrototypeOf(proto) !== null)) return NOT_A_RECORD;
  return v !== undefined && !Object.hasOwn(record, key) ? undefined : v;
}
