// The trigger compiler: FQL source → parse (src/parser) → closure (compile.ts) + lints + Segment
// warnings → a frozen Trigger whose `matches(event)` is total. Public entry points
// compileTrigger / checkTrigger; compileTriggerSet (trigger-set.ts) builds on `analyzeTrigger`.

import { CompileError, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Expr } from '../parser/ast.js';
import { parseFql } from '../parser/fql.js';
import { collectReads } from './ast-walk.js';
import { compileExpr } from './compile.js';
import { fqlFunctionNames, lookupFqlFunction } from './functions/index.js';
import { lintTrigger } from './lint.js';
import { segmentCompatWarnings } from './segment-compat.js';
import { segmentLexerWarnings } from './segment-lexer.js';
import type { Closure } from './types.js';
import { NOT_A_RECORD, readIndexField, readIndexFields, requirement, type Field, type IndexFields, type IndexKey } from './requirement.js';
import { isRecord } from './value.js';
import { buildClassTable, isTabulable, tableMatcher } from './class-table.js';

/** A compiled FQL trigger. Frozen; `matches` never throws. */
export interface Trigger {
  /** The source text it was compiled from. */
  readonly source: string;
  /** `true` only when the expression evaluates to the boolean `true`; non-objects never match. */
  matches(event: unknown): boolean;
  /** Every event path the trigger reads, as key lists (`[["type"], ["properties", "price"]]`). */
  readonly reads: string[][];
}

/** Everything known about one trigger source after the compile-time passes. */
export interface TriggerAnalysis {
  source: string;
  ast: Expr | undefined;
  /** Errors first, then warnings; each group in source order. */
  diagnostics: Diagnostic[];
  /** Present when there are no errors. */
  predicate: Closure | undefined;
}

function bySeverityThenPosition(a: Diagnostic, b: Diagnostic): number {
  if (a.severity !== b.severity) return a.severity === 'error' ? -1 : 1;
  return a.span.start - b.span.start;
}

/** Parses, compiles and checks one trigger; never throws on any source string. */
export function analyzeTrigger(source: string): TriggerAnalysis {
  if (typeof source !== 'string') {
    // JavaScript callers can pass anything: a diagnostic, never a TypeError
    const span = { start: 0, end: 0, line: 1, column: 1 };
    return { source: String(source), ast: undefined, predicate: undefined, diagnostics: [{ code: 'FQL204', severity: 'error', message: `a trigger must be a string, got ${source === null ? 'null' : Array.isArray(source) ? 'a list' : typeof source}`, span }] };
  }
  const diagnostics: Diagnostic[] = [];
  let ast: Expr | undefined;
  try {
    const parsed = parseFql(source);
    ast = parsed.ast;
    diagnostics.push(...parsed.diagnostics);
  } catch (err) {
    // a parser bug must not escape checkTrigger; report it as a diagnostic instead
    diagnostics.push({ code: 'FQL204', severity: 'error', message: `internal parser error: ${(err as Error).message}`, span: { start: 0, end: source.length, line: 1, column: 1 } });
  }
  let predicate: Closure | undefined;
  if (ast) {
    const compiled = compileExpr(ast, {
      lookupFunction: lookupFqlFunction,
      functionNames: fqlFunctionNames,
      report: (d) => diagnostics.push(d),
      language: 'FQL',
    });
    diagnostics.push(...lintTrigger(ast), ...segmentCompatWarnings(ast), ...segmentLexerWarnings(source, ast));
    if (!hasErrors(diagnostics)) predicate = compiled;
  } else if (!hasErrors(diagnostics)) {
    diagnostics.push({ code: 'FQL204', severity: 'error', message: 'the parser produced no expression', span: { start: 0, end: source.length, line: 1, column: 1 } });
  }
  diagnostics.sort(bySeverityThenPosition);
  return { source, ast, diagnostics, predicate };
}

/** Compiles the conjuncts left to check once a trigger's type/event requirement holds. */
export function compileResidual(operands: Expr[], ast: Expr): Closure {
  const node: Expr = operands.length === 1 ? (operands[0] as Expr) : { kind: 'logical', op: 'and', operands, span: ast.span };
  // already compiled once without errors as part of the whole trigger: nothing to report
  return compileExpr(node, { lookupFunction: lookupFqlFunction, functionNames: fqlFunctionNames, report: () => undefined });
}

/**
 * The same predicate through a class table when it only compares type/event with literals, else
 * through the trigger's type/event requirement (requirement.ts), when it has one that decides or gates it: `type = "page"` becomes one own-field read and a Set test,
 * the Track Event preset a type test, then its fused `event` test.
 */
function requirementMatcher(ast: Expr, predicate: Closure): ((event: unknown) => boolean) | undefined {
  if (isTabulable(ast)) {
    // decided ahead for each class of type/event value (class-table.ts)
    const table = buildClassTable([{ index: 0, predicate, ast }]);
    if (table) return tableMatcher({ ...table, rows: table.rows.map((row) => row.length > 0) }, false);
  }
  const req = requirement(ast);
  if (!req || (!req.exact && !req.residual)) return undefined;
  const types = new Set(req.atoms.filter((a) => a.field === 'type').map((a) => a.value));
  const events = new Set(req.atoms.filter((a) => a.field === 'event').map((a) => a.value));
  const residual = req.residual ? compileResidual(req.residual, ast) : undefined;
  const only: Field | undefined = events.size === 0 ? 'type' : types.size === 0 ? 'event' : undefined;
  if (only) {
    // the usual gate reads one field: `type = "page"`, `event = "A" or event = "B"`
    const values = only === 'type' ? types : events;
    return (event) => {
      const v = readIndexField(event, only);
      if (v === NOT_A_RECORD || !values.has(v as IndexKey)) return false;
      return residual === undefined || residual(event, undefined) === true;
    };
  }
  const fields: IndexFields = { type: undefined, event: undefined }; // scratch, filled per call
  return (event) => {
    if (!readIndexFields(event, fields)) return false;
    if (!types.has(fields.type as IndexKey) && !events.has(fields.event as IndexKey)) return false;
    return residual === undefined || residual(event, undefined) === true;
  };
}

/** Wraps a compiled predicate into the public, frozen Trigger shape. */
export function makeTrigger(source: string, predicate: Closure, ast: Expr): Trigger {
  const reads = Object.freeze(collectReads(ast).map((keys) => Object.freeze(keys))) as unknown as string[][];
  const fast = requirementMatcher(ast, predicate);
  return Object.freeze({
    source,
    reads,
    matches(event: unknown): boolean {
      if (fast) {
        try {
          return fast(event);
        } catch {
          // only with non-JSON input (throwing getters, proxies): the fast path reads type and
          // event even when the trigger needs one of them; answer as the plain predicate would
        }
      }
      try {
        return isRecord(event) && predicate(event, undefined) === true;
      } catch {
        return false; // the predicate itself read a throwing field: never a match
      }
    },
  });
}

/**
 * Compiles an FQL trigger once into a reusable matcher.
 * @throws CompileError carrying every diagnostic (errors first, warnings after) when the source is invalid.
 */
export function compileTrigger(source: string): Trigger {
  // JavaScript callers (config files) can pass anything: a non-string is a CompileError, not a TypeError
  if (typeof source !== 'string') throw new CompileError(checkTrigger(source));
  const analysis = analyzeTrigger(source);
  if (!analysis.predicate || !analysis.ast) throw new CompileError(analysis.diagnostics);
  return makeTrigger(source, analysis.predicate, analysis.ast);
}

/** Every diagnostic for an FQL trigger: errors, then warnings (incl. where Segment would differ). Never throws. */
export function checkTrigger(source: string): Diagnostic[] {
  return analyzeTrigger(source).diagnostics;
}
