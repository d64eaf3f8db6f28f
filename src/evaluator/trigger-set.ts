// Many triggers at once (a destination's subscriptions): each trigger's AST is read once for the
// `type`/`event` values it requires, triggers are bucketed by those values, and an event only
// runs the triggers of its buckets plus those without a requirement. Same answers as running all.

import { CompileError, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Expr } from '../parser/ast.js';
import { eventKeys, unparen } from './ast-walk.js';
import { analyzeTrigger } from './trigger.js';
import type { Closure } from './types.js';
import { isRecord } from './value.js';

/** Indexed triggers: `match(event)` gives the indices of the matching triggers, ascending. */
export interface TriggerSet {
  match(event: unknown): number[];
}

type IndexKey = string | number | boolean;
type Field = 'type' | 'event';

/** "The trigger can only be true when event[field] is one of these values." */
interface Atom {
  field: Field;
  value: IndexKey;
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

/**
 * The values the expression requires (a disjunction of `field = value` atoms), or undefined when
 * it requires none we can index. `[]` means it can never be true.
 */
export function requirement(node: Expr): Atom[] | undefined {
  const n = unparen(node);
  if (n.kind === 'compare' && n.op === '=') {
    for (const [side, other] of [
      [n.left, n.right],
      [n.right, n.left],
    ] as const) {
      const field = indexedField(side);
      const value = literalKey(other);
      if (field && value !== undefined) return [{ field, value }];
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
    return atoms;
  }
  if (n.kind === 'logical' && n.op === 'and') {
    // every conjunct must hold, so any one conjunct's requirement is the whole one's: take the narrowest
    let best: Atom[] | undefined;
    for (const operand of n.operands) {
      const r = requirement(operand);
      if (r && (!best || r.length < best.length)) best = r;
    }
    return best;
  }
  if (n.kind === 'logical' && n.op === 'or') {
    const atoms: Atom[] = [];
    for (const operand of n.operands) {
      const r = requirement(operand);
      if (!r) return undefined;
      atoms.push(...r);
    }
    return atoms;
  }
  return undefined;
}

function ownKey(event: Record<string, unknown>, key: string): IndexKey | undefined {
  if (!Object.hasOwn(event, key)) return undefined;
  const v = event[key];
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
}

const NONE: readonly number[] = Object.freeze([]);

/**
 * Compiles many triggers into one indexed set.
 * @throws CompileError with the diagnostics of every invalid trigger (its message names the indices).
 */
export function compileTriggerSet(sources: string[]): TriggerSet {
  const predicates: Closure[] = [];
  const always: number[] = [];
  const buckets: Record<Field, Map<IndexKey, number[]>> = { type: new Map(), event: new Map() };
  const failures: number[] = [];
  const diagnostics: Diagnostic[] = [];
  sources.forEach((source, i) => {
    const analysis = analyzeTrigger(source);
    if (!analysis.predicate || !analysis.ast) {
      failures.push(i);
      diagnostics.push(...analysis.diagnostics);
      predicates.push(() => false);
      return;
    }
    predicates.push(analysis.predicate);
    const atoms = requirement(analysis.ast);
    if (!atoms) {
      always.push(i);
      return;
    }
    for (const { field, value } of atoms) {
      const list = buckets[field].get(value) ?? [];
      if (list[list.length - 1] !== i) list.push(i); // indices arrive in order: lists stay sorted, no repeats
      buckets[field].set(value, list);
    }
  });
  if (failures.length > 0) {
    const first = diagnostics.find((d) => d.severity === 'error');
    throw new CompileError(diagnostics, `invalid trigger${failures.length > 1 ? 's' : ''} at index ${failures.join(', ')}${first ? `: ${first.code} ${first.message}` : ''}`);
  }

  const run = (i: number, event: unknown): boolean => {
    try {
      return (predicates[i] as Closure)(event, undefined) === true;
    } catch {
      return false; // only reachable with non-JSON input (throwing getters, proxies)
    }
  };

  return Object.freeze({
    match(event: unknown): number[] {
      if (!isRecord(event)) return [];
      const t = ownKey(event, 'type');
      const e = ownKey(event, 'event');
      const a = always;
      const b = (t === undefined ? undefined : buckets.type.get(t)) ?? NONE;
      const c = (e === undefined ? undefined : buckets.event.get(e)) ?? NONE;
      const out: number[] = [];
      // three-way merge of sorted candidate lists; a trigger in two lists runs once
      let ia = 0;
      let ib = 0;
      let ic = 0;
      for (;;) {
        const va = ia < a.length ? (a[ia] as number) : Infinity;
        const vb = ib < b.length ? (b[ib] as number) : Infinity;
        const vc = ic < c.length ? (c[ic] as number) : Infinity;
        const next = Math.min(va, vb, vc);
        if (next === Infinity) break;
        if (va === next) ia++;
        if (vb === next) ib++;
        if (vc === next) ic++;
        if (run(next, event)) out.push(next);
      }
      return out;
    },
  });
}
