// Can two triggers both be true for one event? Searched at compile time over events built from
// the literals the triggers compare their paths with: an answer is always a real witness event
// (both predicates evaluated true on it), so a reported overlap is never a false alarm. Triggers
// whose overlap needs values the search does not try (e.g. `contains(event, "Order")`) go
// unreported: the search is a bounded best effort, not a proof of disjointness.

import type { Expr } from '../parser/ast.js';
import { collectReads, eventKeys } from '../parser/walk.js';
import { unparen, walk } from './ast-walk.js';
import { analyzeTrigger } from './trigger.js';
import type { Closure } from './types.js';

/** Most candidate events tried per pair of triggers. */
const MAX_CANDIDATES = 4000;
/** A value that is neither missing nor null nor any literal (for `!= null`, `!= "x"` and the like). */
const FILLER = 'any value';

type Assignment = Map<string, unknown>;

function key(keys: readonly string[]): string {
  return JSON.stringify(keys);
}

/** The literal values each event path is compared with (`=`, `!=`, `in [...]`), by path. */
function literalsByPath(ast: Expr, into: Map<string, Set<unknown>>): void {
  walk(ast, (node) => {
    if (node.kind !== 'compare') return;
    const left = unparen(node.left);
    const right = unparen(node.right);
    const add = (path: Expr, values: Expr[]) => {
      if (path.kind !== 'path') return;
      const keys = eventKeys(path);
      if (!keys || keys.length === 0) return;
      const set = into.get(key(keys)) ?? new Set<unknown>();
      for (const v of values) {
        const lit = unparen(v);
        if (lit.kind === 'literal') set.add(lit.value);
      }
      into.set(key(keys), set);
    };
    if (node.op === 'in' && right.kind === 'list') add(left, right.items);
    else {
      add(left, [right]);
      add(right, [left]);
    }
  });
}

/** An event with `assignment`'s paths set (deeper paths win over a scalar on the way). */
function build(assignment: Assignment): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  const entries = [...assignment.entries()].map(([k, v]) => [JSON.parse(k) as string[], v] as const).sort((a, b) => a[0].length - b[0].length);
  for (const [keys, value] of entries) {
    if (value === undefined) continue;
    let target = event;
    for (let i = 0; i < keys.length - 1; i++) {
      const k = keys[i] as string;
      const next = Object.hasOwn(target, k) ? target[k] : undefined;
      if (typeof next !== 'object' || next === null || Array.isArray(next)) Object.defineProperty(target, k, { value: {}, enumerable: true, writable: true, configurable: true });
      target = target[k] as Record<string, unknown>;
    }
    Object.defineProperty(target, keys[keys.length - 1] as string, { value, enumerable: true, writable: true, configurable: true });
  }
  return event;
}

function holds(predicate: Closure, event: unknown): boolean {
  try {
    return predicate(event, undefined) === true;
  } catch {
    return false;
  }
}

/**
 * An event both triggers match, or undefined when the search finds none. `type` and `event` take
 * every value either trigger names (or missing, or another value); every other path takes each of
 * its literals in turn, the others held at a filler value, or missing.
 */
export function overlapWitness(a: string, b: string): Record<string, unknown> | undefined {
  const ta = analyzeTrigger(a);
  const tb = analyzeTrigger(b);
  if (!ta.predicate || !tb.predicate || !ta.ast || !tb.ast) return undefined;
  const pa = ta.predicate;
  const pb = tb.predicate;
  const literals = new Map<string, Set<unknown>>();
  literalsByPath(ta.ast, literals);
  literalsByPath(tb.ast, literals);
  const paths = new Map<string, readonly string[]>();
  for (const keys of [...collectReads([ta.ast]), ...collectReads([tb.ast])]) if (keys.length > 0) paths.set(key(keys), keys);
  const main = [key(['type']), key(['event'])];
  const valuesOf = (k: string): unknown[] => [...(literals.get(k) ?? [])].filter((v) => v !== null).concat(FILLER, undefined);
  const others = [...paths.keys()].filter((k) => !main.includes(k));
  // the other paths: all at the filler, all missing, then each literal of one path with the rest at the filler
  const variants: Assignment[] = [new Map(others.map((k) => [k, FILLER])), new Map(others.map((k) => [k, undefined]))];
  for (const k of others) {
    for (const v of valuesOf(k)) {
      const m: Assignment = new Map(others.map((o) => [o, FILLER]));
      m.set(k, v);
      variants.push(m);
    }
  }
  const types = paths.has(main[0] as string) ? valuesOf(main[0] as string) : [undefined];
  const events = paths.has(main[1] as string) ? valuesOf(main[1] as string) : [undefined];
  let tried = 0;
  for (const t of types) {
    for (const e of events) {
      for (const variant of variants) {
        if (++tried > MAX_CANDIDATES) return undefined;
        // type and event first: they lead the example event
        const assignment: Assignment = new Map([[main[0] as string, t], [main[1] as string, e], ...variant]);
        const event = build(assignment);
        if (holds(pa, event) && holds(pb, event)) return event;
      }
    }
  }
  return undefined;
}
