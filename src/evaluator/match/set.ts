// Many triggers at once (a destination's subscriptions), README.md's strategies put together:
// triggers that only compare `type`/`event` with literals go to the `table`; the others are
// `buckets` by the type/event values they require (requirement.ts), so an event runs only its
// buckets' triggers (and only what the bucket does not already prove), memoised per pair for
// triggers reading nothing else; triggers without a requirement, and unreadable events, `scan`.

import { CompileError, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Expr } from '../../parser/ast.js';
import { walk } from '../ast-walk.js';
import { analyzeTrigger, compiledTrigger, type Trigger } from '../trigger.js';
import type { Closure } from '../types.js';
import { indexField, readIndexFields, type Field, type IndexFields, type IndexKey } from './fields.js';
import { compileResidual } from './gate.js';
import { PairMemo } from './memo.js';
import { requirement } from './requirement.js';
import { scan } from './scan.js';
import { buildClassTable, isTabulable, tableMatcher, type ClassTable } from './table.js';

/**
 * Indexed triggers: `match(event)` gives the indices of the matching triggers, ascending. The
 * list is read-only: for the common triggers it is one frozen list shared by all events alike.
 */
export interface TriggerSet {
  match(event: unknown): readonly number[];
}

/** One group of triggers with its buckets; `checks[i]` is what must still hold once i is a candidate. */
interface Index {
  always: number[];
  buckets: Record<Field, Map<IndexKey, number[]>>;
}

const NONE: readonly number[] = Object.freeze([]);
/** Distinct (type, event) pairs remembered before the memo is reset (hostile events cannot grow it). */
const MEMO_LIMIT = 4096;

function newIndex(): Index {
  return { always: [], buckets: { type: new Map(), event: new Map() } };
}

/** True when every path of the trigger is exactly `type` or `event`: its result depends on nothing else. */
function readsOnlyTypeAndEvent(ast: Expr): boolean {
  let only = true;
  walk(ast, (node) => {
    if (node.kind === 'path' && indexField(node) === undefined) only = false;
  });
  return only;
}

function isPrimitiveKey(v: unknown): v is IndexKey | null | undefined {
  return v === undefined || v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/**
 * Compiles many triggers into one indexed set; `match` gives exactly the indices for which the
 * trigger alone would match. Each entry is FQL source or a compiled Trigger (a subscription's `trigger`,
 * reused as compiled: its source is not parsed again).
 * @throws CompileError with the diagnostics of every invalid trigger (its message names the indices).
 */
export function compileTriggerSet(sources: ReadonlyArray<string | Trigger>): TriggerSet {
  if (!Array.isArray(sources)) {
    throw new CompileError([{ code: 'FQL204', severity: 'error', message: 'compileTriggerSet expects a list of trigger strings', span: { start: 0, end: 0, line: 1, column: 1 } }]);
  }
  const checks: Array<Closure | undefined> = []; // undefined: bucket membership alone proves the match
  const predicates: Closure[] = []; // the whole triggers, for events the index cannot read
  const pure = newIndex();
  const other = newIndex();
  const failures: number[] = [];
  const diagnostics: Diagnostic[] = [];
  const compiled: Array<{ index: number; predicate: Closure; ast: Expr; tabulable: boolean }> = [];
  sources.forEach((source, i) => {
    // A compiled Trigger (a subscription's) brings its AST and predicate: no second parse.
    const known = compiledTrigger(source);
    if (known) {
      predicates.push(known.predicate);
      compiled.push({ index: i, predicate: known.predicate, ast: known.ast, tabulable: isTabulable(known.ast) });
      return;
    }
    const analysis = analyzeTrigger(typeof source === 'string' ? source : (source as Partial<Trigger> | null)?.source ?? (source as unknown as string));
    if (!analysis.predicate || !analysis.ast) {
      failures.push(i);
      diagnostics.push(...analysis.diagnostics);
      return;
    }
    predicates.push(analysis.predicate);
    compiled.push({ index: i, predicate: analysis.predicate, ast: analysis.ast, tabulable: isTabulable(analysis.ast) });
  });
  if (failures.length > 0) {
    const first = diagnostics.find((d) => d.severity === 'error');
    throw new CompileError(diagnostics, `invalid trigger${failures.length > 1 ? 's' : ''} at index ${failures.join(', ')}${first ? `: ${first.code} ${first.message}` : ''}`);
  }
  const table: ClassTable | undefined = buildClassTable(compiled.filter((c) => c.tabulable));
  for (const { index: i, predicate, ast, tabulable } of compiled) {
    checks.push(predicate);
    if (table && tabulable) continue; // decided by the table
    const index = readsOnlyTypeAndEvent(ast) ? pure : other;
    const req = requirement(ast);
    if (!req) {
      index.always.push(i);
      continue;
    }
    checks[i] = req.exact ? undefined : req.residual ? compileResidual(req.residual, ast) : predicate;
    for (const { field, value } of req.atoms) {
      const list = index.buckets[field].get(value) ?? [];
      if (list[list.length - 1] !== i) list.push(i); // indices arrive in order: sorted, no repeats
      index.buckets[field].set(value, list);
    }
  }

  const passes = (i: number, event: unknown): boolean => {
    const check = checks[i];
    if (check === undefined) return true;
    try {
      return check(event, undefined) === true;
    } catch {
      return false; // only reachable with non-JSON input (throwing getters, proxies)
    }
  };

  /** Runs an index's candidates for this event, ascending, into `out`. */
  const runIndex = (index: Index, event: unknown, t: unknown, e: unknown, out: number[]): void => {
    const a = index.always;
    const b = (isPrimitiveKey(t) && t !== null && t !== undefined ? index.buckets.type.get(t) : undefined) ?? NONE;
    const c = (isPrimitiveKey(e) && e !== null && e !== undefined ? index.buckets.event.get(e) : undefined) ?? NONE;
    forEachInUnion(a, b, c, (next) => {
      if (passes(next, event)) out.push(next); // a trigger in two lists runs once
    });
  };

  const hasPure = pure.always.length > 0 || pure.buckets.type.size > 0 || pure.buckets.event.size > 0;
  const hasOther = other.always.length > 0 || other.buckets.type.size > 0 || other.buckets.event.size > 0;
  const fields: IndexFields = { type: undefined, event: undefined }; // scratch, filled per call
  const memo = new PairMemo<readonly number[]>(MEMO_LIMIT);

  const pureMatches = (event: unknown, t: unknown, e: unknown): readonly number[] => {
    // objects/lists (and NaN, from JS callers) are not memo keys: compute directly
    const memoable = (typeof t !== 'object' || t === null) && (typeof e !== 'object' || e === null) && t === t && e === e;
    if (memoable) {
      const hit = memo.get(t, e);
      if (hit !== undefined) return hit;
    }
    const out: number[] = [];
    runIndex(pure, event, t, e, out);
    if (memoable) memo.set(t, e, Object.freeze(out)); // handed out as is to every event of the pair
    return out;
  };

  /** Every trigger on its own (strategy `scan`): for events the index cannot read (proxies, throwing getters). */
  const unindexed = (event: unknown): number[] => {
    const all: number[] = [];
    predicates.forEach((p, i) => {
      if (scan(p, event)) all.push(i);
    });
    return all;
  };

  if (table && !hasPure && !hasOther) {
    // every trigger is decided by the table: the per-event work is two reads and two classes
    const decide = tableMatcher(table, NONE);
    return Object.freeze({
      match(event: unknown): readonly number[] {
        try {
          return decide(event);
        } catch {
          return unindexed(event); // only reachable with non-JSON input (proxies, throwing getters)
        }
      },
    });
  }
  return Object.freeze({
    match(event: unknown): readonly number[] {
      let t: unknown;
      let e: unknown;
      try {
        if (!readIndexFields(event, fields)) return NONE;
        t = fields.type;
        e = fields.event;
      } catch {
        return unindexed(event);
      }
      const fromTable = table ? (table.rows[table.classifyType(t) * table.width + table.classifyEvent(e)] as readonly number[]) : NONE;
      if (!hasPure && !hasOther) return fromTable;
      const fromPure = hasPure ? pureMatches(event, t, e) : NONE;
      let fromOther: readonly number[] = NONE;
      if (hasOther) {
        const out: number[] = [];
        runIndex(other, event, t, e, out);
        fromOther = out;
      }
      return mergeDisjoint(fromTable, fromPure, fromOther);
    },
  });
}

/** The union of three ascending, disjoint lists (a trigger is in one part only), ascending. */
function mergeDisjoint(a: readonly number[], b: readonly number[], c: readonly number[]): readonly number[] {
  if (b.length === 0 && c.length === 0) return a;
  if (a.length === 0 && c.length === 0) return b;
  if (a.length === 0 && b.length === 0) return c;
  const out: number[] = [];
  forEachInUnion(a, b, c, (i) => out.push(i));
  return out;
}

/** Visits each index of the union of three ascending lists once, ascending (an index in two lists once). */
function forEachInUnion(a: readonly number[], b: readonly number[], c: readonly number[], visit: (i: number) => void): void {
  let ia = 0;
  let ib = 0;
  let ic = 0;
  while (ia < a.length || ib < b.length || ic < c.length) {
    const va = ia < a.length ? (a[ia] as number) : Infinity;
    const vb = ib < b.length ? (b[ib] as number) : Infinity;
    const vc = ic < c.length ? (c[ic] as number) : Infinity;
    const next = va < vb ? (va < vc ? va : vc) : vb < vc ? vb : vc;
    if (va === next) ia++;
    if (vb === next) ib++;
    if (vc === next) ic++;
    visit(next);
  }
}
