// Why a trigger matched or not, for one event: one home for both forms of the answer.
// `explainTrigger` gives the value of every sub-expression in source order (the playground's
// trigger pane); `whyTrigger` gives the first sub-expression that decided it, in words (`run
// --explain`, the REPL). Both read the same compiled sub-expressions (the trigger's own compiler,
// no second evaluator) and the same verdict, which agrees with `compileTrigger(source).matches`.
// Never on the hot path.

import type { Expr } from '../parser/ast.js';
import { childExprs, collectReads } from '../parser/walk.js';
import { compileExpr } from './compile.js';
import { fqlFunctionNames, lookupFqlFunction } from './functions/index.js';
import { analyzeTrigger } from './trigger.js';
import type { Closure } from './types.js';
import { getKey, isRecord } from './value.js';

/** One sub-expression of a trigger and what it evaluates to (`missing` when it has no value). */
export interface TriggerStep {
  /** The sub-expression as written (a slice of the trigger source). */
  readonly text: string;
  /** UTF-16 offsets into the trigger source, end exclusive. */
  readonly start: number;
  readonly end: number;
  /** Nesting depth: 0 for the whole trigger. */
  readonly depth: number;
  /** The value, or `missing: true` for FQL's "no value" (a missing path). */
  readonly value?: unknown;
  readonly missing?: true;
}

export interface TriggerExplanation {
  /** What `compileTrigger(source).matches(event)` answers. */
  readonly matches: boolean;
  /** The whole trigger and every sub-expression that is not a constant (parentheses skipped), outermost first. */
  readonly steps: readonly TriggerStep[];
}

/** The verdict on one event: whether the trigger matched and the deciding sub-expression, explained. */
export interface TriggerWhy {
  matched: boolean;
  /** `` `type = "identify"` is false (type is "track") ``; for a match, the whole trigger held. */
  reason: string;
}

/** A trigger analysed once, with each sub-expression's closure compiled on first use. */
interface Explainer {
  source: string;
  /** Undefined when the trigger does not compile. */
  ast: Expr | undefined;
  closures: WeakMap<Expr, Closure>;
}

const cache = new Map<string, Explainer>();

function explainerFor(source: string): Explainer {
  let e = cache.get(source);
  if (e === undefined) {
    const analysis = analyzeTrigger(source);
    e = { source, ast: analysis.predicate === undefined ? undefined : analysis.ast, closures: new WeakMap() };
    if (cache.size > 1000) cache.clear(); // a bound, for long-lived callers with generated triggers
    cache.set(source, e);
  }
  return e;
}

/** What a sub-expression evaluates to for `event`; undefined (missing) when a read throws. */
function valueOf(x: Explainer, node: Expr, event: unknown): unknown {
  let fn = x.closures.get(node);
  if (fn === undefined) {
    fn = compileExpr(node, { lookupFunction: lookupFqlFunction, functionNames: fqlFunctionNames, report: () => undefined, language: 'FQL' });
    x.closures.set(node, fn);
  }
  try {
    return fn(event, undefined);
  } catch {
    return undefined;
  }
}

/** The verdict, as `Trigger.matches` gives it: only a plain JSON object is an event, and only `true` matches. */
function verdict(x: Explainer, ast: Expr, event: unknown): boolean {
  return isRecord(event) && valueOf(x, ast, event) === true;
}

/**
 * Evaluates each sub-expression of `source` against `event`. Never throws: a trigger with errors
 * gives `matches: false` and no steps (`checkTrigger` says why).
 */
export function explainTrigger(source: string, event: unknown): TriggerExplanation {
  const x = explainerFor(source);
  if (x.ast === undefined) return { matches: false, steps: [] };
  const record = isRecord(event);
  const steps: TriggerStep[] = [];
  const visit = (node: Expr, depth: number): void => {
    if (node.kind === 'paren') return visit(node.expr, depth);
    if (node.kind === 'literal' || node.kind === 'list') return; // constants: their value is their text
    const value = record ? valueOf(x, node, event) : undefined;
    const { start, end } = node.span;
    steps.push(value === undefined ? { text: source.slice(start, end), start, end, depth, missing: true } : { text: source.slice(start, end), start, end, depth, value });
    for (const child of childExprs(node)) visit(child, depth + 1);
  };
  visit(x.ast, 0);
  return { matches: verdict(x, x.ast, event), steps };
}

/** A value for a message: JSON (cut at 60 characters), `missing` for undefined. */
export function shownValue(v: unknown): string {
  if (v === undefined) return 'missing';
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = typeof v;
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function text(x: Explainer, node: Expr): string {
  const t = x.source.slice(node.span.start, node.span.end).replace(/\s+/g, ' ');
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}

/** `(type is "track", traits.email is missing)`: the event paths a node reads and their values. */
function readsOf(node: Expr, event: unknown): string {
  const reads = collectReads([node]).slice(0, 4);
  if (reads.length === 0) return '';
  const parts = reads.map((keys) => {
    let v: unknown = event;
    for (const k of keys) v = getKey(v, k);
    return `${keys.join('.')} is ${shownValue(v)}`;
  });
  return ` (${parts.join(', ')})`;
}

function outcome(v: unknown): string {
  return v === true ? 'true' : v === false ? 'false' : v === null || v === undefined ? 'null' : `${shownValue(v)}, not a boolean`;
}

/** Why `node` did not come out `true` (or, for `!`, why its operand did). */
function whyNot(x: Explainer, node: Expr, event: unknown): string {
  switch (node.kind) {
    case 'paren':
      return whyNot(x, node.expr, event);
    case 'logical':
      if (node.op === 'and') {
        const first = node.operands.find((o) => valueOf(x, o, event) !== true);
        if (first !== undefined) return whyNot(x, first, event);
        break;
      }
      // `or`: no alternative held; say why for each (at most three)
      return node.operands
        .slice(0, 3)
        .map((o) => whyNot(x, o, event))
        .join('; ') + (node.operands.length > 3 ? `; and ${node.operands.length - 3} more alternatives` : '');
    case 'not': {
      const inner = node.operand.kind === 'paren' ? node.operand.expr : node.operand;
      return `\`${text(x, node)}\` is false: \`${text(x, inner)}\` is true${readsOf(inner, event)}`;
    }
    default:
      break;
  }
  return `\`${text(x, node)}\` is ${outcome(valueOf(x, node, event))}${readsOf(node, event)}`;
}

/** Whether `source` matches `event`, and the first sub-expression that decided it. Never throws. */
export function whyTrigger(source: string, event: unknown): TriggerWhy {
  const x = explainerFor(source);
  if (x.ast === undefined) return { matched: false, reason: 'the trigger does not compile' };
  if (!isRecord(event)) return { matched: false, reason: 'the event is not a JSON object' };
  if (verdict(x, x.ast, event)) return { matched: true, reason: `\`${text(x, x.ast)}\` is true` };
  return { matched: false, reason: whyNot(x, x.ast, event) };
}
