// Strategy `table` (README.md): triggers that only compare `type`/`event` with literals (`=`,
// `!=`, `in [...]`, under and/or/!) are decided at compile time for every class of value, so an
// event costs two own-field reads, two classifications and one array read (no memo, no Map).
// Class of a value: which literal it equals, else nullish (missing/null), else "anything else".

import type { Expr } from '../../parser/ast.js';
import { unparen } from '../ast-walk.js';
import type { Closure } from '../types.js';
import { indexField, readIndexFields, type IndexFields, type IndexKey } from './fields.js';

/** Literal counts up to which a linear `===` scan classifies faster than a Map lookup. */
const SCAN_LIMIT = 8;
/** Most table cells × triggers evaluated at compile time before the set falls back to its memo. */
const MAX_WORK = 200_000;

function isField(node: Expr): boolean {
  return indexField(node) !== undefined;
}

function isLiteral(node: Expr): boolean {
  return unparen(node).kind === 'literal';
}

/**
 * True when the trigger's value depends on `type`/`event` only through equality with literals:
 * then every value that equals none of its literals (and is not nullish) gives the same answer.
 */
export function isTabulable(ast: Expr): boolean {
  const stack: Expr[] = [ast];
  while (stack.length > 0) {
    const n = unparen(stack.pop() as Expr);
    switch (n.kind) {
      case 'literal':
        break;
      case 'not':
        stack.push(n.operand);
        break;
      case 'logical':
        stack.push(...n.operands);
        break;
      case 'compare': {
        if (n.op === '=' || n.op === '!=') {
          const ok = (isField(n.left) && isLiteral(n.right)) || (isLiteral(n.left) && isField(n.right)) || (isLiteral(n.left) && isLiteral(n.right));
          if (!ok) return false;
        } else if (n.op === 'in') {
          const list = unparen(n.right);
          if (!(isField(n.left) || isLiteral(n.left)) || list.kind !== 'list' || !list.items.every(isLiteral)) return false;
        } else return false;
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

/** The literals a tabulable trigger compares `field` with (nulls excluded: they are the nullish class). */
export function literalsOf(ast: Expr, field: 'type' | 'event', into: Set<IndexKey>): void {
  const stack: Expr[] = [ast];
  while (stack.length > 0) {
    const n = unparen(stack.pop() as Expr);
    if (n.kind === 'not') stack.push(n.operand);
    else if (n.kind === 'logical') stack.push(...n.operands);
    else if (n.kind === 'compare') {
      const sides = n.op === 'in' ? [n.left] : [n.left, n.right];
      if (!sides.some((side) => indexField(side) === field)) continue;
      const right = unparen(n.right);
      const values = n.op === 'in' && right.kind === 'list' ? right.items : [n.left, n.right];
      for (const v of values) {
        const lit = unparen(v);
        if (lit.kind === 'literal' && lit.value !== null) into.add(lit.value);
      }
    }
  }
}

/** Maps a value to its class: `i` for `literals[i]`, `k` for nullish, `k + 1` for anything else. */
export type Classify = (value: unknown) => number;

export function classifier(literals: readonly IndexKey[]): Classify {
  const k = literals.length;
  if (k <= SCAN_LIMIT) {
    return (v) => {
      if (v === undefined || v === null) return k;
      for (let i = 0; i < k; i++) if (literals[i] === v) return i;
      return k + 1;
    };
  }
  const at = new Map<unknown, number>(literals.map((l, i) => [l, i]));
  return (v) => {
    if (v === undefined || v === null) return k;
    // `===` and Map's SameValueZero agree on primitives except NaN, which is never a literal
    return at.get(v) ?? k + 1;
  };
}

/** A value of the class "anything else": a string equal to none of the literals. */
function outsider(literals: ReadonlySet<IndexKey>): string {
  let s = '\u0000other';
  while (literals.has(s)) s += '\u0000';
  return s;
}

/** The decided set: `rows[classify.type(t) * width + classify.event(e)]` lists the matching indices. */
export interface ClassTable {
  classifyType: Classify;
  classifyEvent: Classify;
  width: number;
  rows: ReadonlyArray<readonly number[]>;
}

/**
 * Evaluates each tabulable trigger once per (type class, event class) on a representative event.
 * `triggers` pairs each trigger's index in the set with its predicate and AST; undefined when the
 * table would take too long to build (the caller keeps its memo path).
 */
export function buildClassTable(triggers: ReadonlyArray<{ index: number; predicate: Closure; ast: Expr }>): ClassTable | undefined {
  const typeSet = new Set<IndexKey>();
  const eventSet = new Set<IndexKey>();
  for (const t of triggers) {
    literalsOf(t.ast, 'type', typeSet);
    literalsOf(t.ast, 'event', eventSet);
  }
  const types = [...typeSet];
  const events = [...eventSet];
  const width = events.length + 2;
  const cells = (types.length + 2) * width;
  if (cells * triggers.length > MAX_WORK) return undefined;
  const typeValues: unknown[] = [...types, undefined, outsider(typeSet)];
  const eventValues: unknown[] = [...events, undefined, outsider(eventSet)];
  const shared = new Map<string, readonly number[]>(); // identical rows share one frozen array
  const rows: Array<readonly number[]> = [];
  for (const t of typeValues) {
    for (const e of eventValues) {
      const event: Record<string, unknown> = {};
      if (t !== undefined) event.type = t;
      if (e !== undefined) event.event = e;
      const hits = triggers.filter((tr) => tr.predicate(event, undefined) === true).map((tr) => tr.index);
      const id = hits.join(',');
      let row = shared.get(id);
      if (row === undefined) shared.set(id, (row = Object.freeze(hits)));
      rows.push(row);
    }
  }
  return { classifyType: classifier(types), classifyEvent: classifier(events), width, rows };
}

const OBJECT_PROTO = Object.prototype as Record<string, unknown>;

/**
 * The per-event lookup: the event's own `type`/`event` (readIndexFields' rules, inlined for the
 * usual Object.prototype event: this is the whole per-event cost of a common destination) → its
 * row; `notARecord` for anything but a plain object. May throw only on non-JSON input (proxies).
 */
export function tableMatcher<R>(table: { rows: ReadonlyArray<R>; width: number; classifyType: Classify; classifyEvent: Classify }, notARecord: R): (event: unknown) => R {
  const { rows, width, classifyType, classifyEvent } = table;
  const fields: IndexFields = { type: undefined, event: undefined }; // scratch for the rare path
  return (event) => {
    if (typeof event !== 'object' || event === null) return notARecord;
    const record = event as Record<string, unknown>;
    let t = record.type;
    let e = record.event;
    if (Object.getPrototypeOf(event) === OBJECT_PROTO) {
      if (t !== undefined && t === OBJECT_PROTO.type && !Object.hasOwn(record, 'type')) t = undefined;
      if (e !== undefined && e === OBJECT_PROTO.event && !Object.hasOwn(record, 'event')) e = undefined;
    } else {
      if (!readIndexFields(event, fields)) return notARecord;
      t = fields.type;
      e = fields.event;
    }
    return rows[classifyType(t) * width + classifyEvent(e)] as R;
  };
}
