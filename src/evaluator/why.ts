// Why a trigger did or did not match one event, in words: the first sub-expression that decided
// it, with the values of the paths it read. For `run --explain` and the REPL; never on the hot path.

import type { Expr } from '../parser/ast.js';
import { collectReads } from '../parser/walk.js';
import { compileExpr } from './compile.js';
import { fqlFunctionNames, lookupFqlFunction } from './functions/index.js';
import { analyzeTrigger } from './trigger.js';
import type { Closure } from './types.js';
import { getKey } from './value.js';

/** The verdict on one event: whether the trigger matched and the deciding sub-expression, explained. */
export interface TriggerWhy {
  matched: boolean;
  /** `` `type = "identify"` is false (type is "track") ``; for a match, the whole trigger held. */
  reason: string;
}

interface Explainer {
  source: string;
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
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return { matched: false, reason: 'the event is not a JSON object' };
  const v = valueOf(x, x.ast, event);
  if (v === true) return { matched: true, reason: `\`${text(x, x.ast)}\` is true` };
  return { matched: false, reason: whyNot(x, x.ast, event) };
}
