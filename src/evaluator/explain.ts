// Why a trigger matched or not: the value of each of its sub-expressions for one event, in source
// order, each compiled with the same compiler as the whole trigger (no second evaluator). Used by
// the playground's trigger pane; cheap enough to run on every keystroke, not meant per event.

import type { Expr } from '../parser/ast.js';
import { childExprs } from '../parser/walk.js';
import { compileExpr } from './compile.js';
import { fqlFunctionNames, lookupFqlFunction } from './functions/index.js';
import { analyzeTrigger } from './trigger.js';
import { isRecord } from './value.js';

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

const IGNORE = () => undefined;

/**
 * Evaluates each sub-expression of `source` against `event`. Never throws: a trigger with errors
 * gives `matches: false` and no steps (`checkTrigger` says why).
 */
export function explainTrigger(source: string, event: unknown): TriggerExplanation {
  const analysis = analyzeTrigger(source);
  if (!analysis.predicate || !analysis.ast) return { matches: false, steps: [] };
  const record = isRecord(event);
  let matches = false;
  try {
    matches = record && analysis.predicate(event, undefined) === true;
  } catch {
    matches = false; // as Trigger.matches: a throwing read is never a match
  }
  const steps: TriggerStep[] = [];
  const visit = (node: Expr, depth: number): void => {
    if (node.kind === 'paren') return visit(node.expr, depth);
    if (node.kind === 'literal' || node.kind === 'list') return; // constants: their value is their text
    const fn = compileExpr(node, { lookupFunction: lookupFqlFunction, functionNames: fqlFunctionNames, report: IGNORE, language: 'FQL' });
    let value: unknown;
    try {
      value = record ? fn(event, undefined) : undefined;
    } catch {
      value = undefined;
    }
    const { start, end } = node.span;
    steps.push(value === undefined ? { text: source.slice(start, end), start, end, depth, missing: true } : { text: source.slice(start, end), start, end, depth, value });
    for (const child of childExprs(node)) visit(child, depth + 1);
  };
  visit(analysis.ast, 0);
  return { matches, steps };
}
