// The two fields every matching strategy keys on, `type` and `event`: the one test of "is this path
// exactly `type` or `event`", and the one reading of an event's own `type`/`event` (own properties
// of a plain object only; a polluted Object.prototype lends nothing).

import type { Expr } from '../../parser/ast.js';
import { eventKeys } from '../../parser/walk.js';
import { unparen } from '../ast-walk.js';

/** A value a trigger can require of `type`/`event` (a non-null literal). */
export type IndexKey = string | number | boolean;
/** The two indexed fields. */
export type Field = 'type' | 'event';

/** `type` or `event` when the node (through parentheses) is exactly that event path, else undefined. */
export function indexField(node: Expr): Field | undefined {
  const n = unparen(node);
  if (n.kind !== 'path') return undefined;
  const keys = eventKeys(n);
  if (keys?.length !== 1) return undefined;
  return keys[0] === 'type' || keys[0] === 'event' ? keys[0] : undefined;
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
