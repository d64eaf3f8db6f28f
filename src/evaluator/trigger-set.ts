// Many triggers at once (a destination's subscriptions): each trigger's AST is read once for the
// `type`/`event` values it requires; triggers are bucketed by those values, so an event runs only
// its buckets' triggers (and only what the bucket does not already prove) plus the unindexed ones.
// Triggers that read nothing but `type`/`event` are memoised per (type, event) pair.

import { CompileError, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Expr } from '../parser/ast.js';
import { eventKeys, walk } from './ast-walk.js';
import { readIndexFields, requirement, type Field, type IndexFields, type IndexKey } from './requirement.js';
import { PairMemo } from './pair-memo.js';
import { analyzeTrigger, compileResidual } from './trigger.js';
import type { Closure } from './types.js';
import { isRecord } from './value.js';

/** Indexed triggers: `match(event)` gives the indices of the matching triggers, ascending. */
export interface TriggerSet {
  match(event: unknown): number[];
}

/** One group of triggers with its buckets; `checks[i]` is what must still hold once i is a candidate. */
interface Index {
  always: number[];
  buckets: Record<Field, Map<IndexKey, number[]>>;
}

const NONE: readonly number[] = [];
/** Distinct (type, event) pairs remembered before the memo is reset (hostile events cannot grow it). */
const MEMO_LIMIT = 4096;

function newIndex(): Index {
  return { always: [], buckets: { type: new Map(), event: new Map() } };
}

/** True when every path of the trigger is exactly `type` or `event`: its result depends on nothing else. */
function readsOnlyTypeAndEvent(ast: Expr): boolean {
  let only = true;
  walk(ast, (node) => {
    if (node.kind !== 'path') return;
    const keys = eventKeys(node);
    if (!keys || keys.length !== 1 || (keys[0] !== 'type' && keys[0] !== 'event')) only = false;
  });
  return only;
}

function isPrimitiveKey(v: unknown): v is IndexKey | null | undefined {
  return v === undefined || v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/**
 * Compiles many triggers into one indexed set; `match` gives exactly the indices for which the
 * trigger alone would match.
 * @throws CompileError with the diagnostics of every invalid trigger (its message names the indices).
 */
export function compileTriggerSet(sources: string[]): TriggerSet {
  if (!Array.isArray(sources)) {
    throw new CompileError([{ code: 'FQL204', severity: 'error', message: 'compileTriggerSet expects a list of trigger strings', span: { start: 0, end: 0, line: 1, column: 1 } }]);
  }
  const checks: Array<Closure | undefined> = []; // undefined: bucket membership alone proves the match
  const predicates: Closure[] = []; // the whole triggers, for events the index cannot read
  const pure = newIndex();
  const other = newIndex();
  const failures: number[] = [];
  const diagnostics: Diagnostic[] = [];
  sources.forEach((source, i) => {
    const analysis = analyzeTrigger(source);
    if (!analysis.predicate || !analysis.ast) {
      failures.push(i);
      diagnostics.push(...analysis.diagnostics);
      checks.push(() => false);
      return;
    }
    predicates.push(analysis.predicate);
    const index = readsOnlyTypeAndEvent(analysis.ast) ? pure : other;
    const req = requirement(analysis.ast);
    if (!req) {
      index.always.push(i);
      checks.push(analysis.predicate);
      return;
    }
    checks.push(req.exact ? undefined : req.residual ? compileResidual(req.residual, analysis.ast) : analysis.predicate);
    for (const { field, value } of req.atoms) {
      const list = index.buckets[field].get(value) ?? [];
      if (list[list.length - 1] !== i) list.push(i); // indices arrive in order: sorted, no repeats
      index.buckets[field].set(value, list);
    }
  });
  if (failures.length > 0) {
    const first = diagnostics.find((d) => d.severity === 'error');
    throw new CompileError(diagnostics, `invalid trigger${failures.length > 1 ? 's' : ''} at index ${failures.join(', ')}${first ? `: ${first.code} ${first.message}` : ''}`);
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
    // three-way merge of sorted candidate lists; a trigger in two lists runs once
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
      if (passes(next, event)) out.push(next);
    }
  };

  const hasPure = pure.always.length > 0 || pure.buckets.type.size > 0 || pure.buckets.event.size > 0;
  const hasOther = other.always.length > 0 || other.buckets.type.size > 0 || other.buckets.event.size > 0;
  const fields: IndexFields = { type: undefined, event: undefined }; // scratch, filled per call
  const memo = new PairMemo<number[]>(MEMO_LIMIT);

  const pureMatches = (event: unknown, t: unknown, e: unknown): readonly number[] => {
    // objects/lists (and NaN, from JS callers) are not memo keys: compute directly
    const memoable = (typeof t !== 'object' || t === null) && (typeof e !== 'object' || e === null) && t === t && e === e;
    if (memoable) {
      const hit = memo.get(t, e);
      if (hit !== undefined) return hit;
    }
    const out: number[] = [];
    runIndex(pure, event, t, e, out);
    // kept private and unfrozen: `match` hands out copies (slice of a frozen array is ~40× slower)
    if (memoable) memo.set(t, e, out);
    return out;
  };

  return Object.freeze({
    match(event: unknown): number[] {
      let t: unknown;
      let e: unknown;
      try {
        if (!readIndexFields(event, fields)) return [];
        t = fields.type;
        e = fields.event;
      } catch {
        // only reachable with non-JSON input (proxies, throwing getters): no index, run each trigger
        const all: number[] = [];
        predicates.forEach((p, i) => {
          try {
            if (isRecord(event) && p(event, undefined) === true) all.push(i);
          } catch {
            /* not a match */
          }
        });
        return all;
      }
      const fromPure = hasPure ? pureMatches(event, t, e) : NONE;
      if (!hasOther) return fromPure.slice();
      const fromOther: number[] = [];
      runIndex(other, event, t, e, fromOther);
      if (fromPure.length === 0) return fromOther;
      // merge two ascending lists (disjoint: a trigger is in one index only)
      const out: number[] = [];
      let i = 0;
      let j = 0;
      while (i < fromPure.length || j < fromOther.length) {
        if (j >= fromOther.length || (i < fromPure.length && (fromPure[i] as number) < (fromOther[j] as number))) out.push(fromPure[i++] as number);
        else out.push(fromOther[j++] as number);
      }
      return out;
    },
  });
}
