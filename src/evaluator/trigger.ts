// The trigger compiler: FQL source → parse (src/parser) → closure (compile.ts) + lints + Segment
// warnings → a frozen Trigger whose `matches(event)` is total. Public entry points
// compileTrigger / checkTrigger; compileTriggerSet (match/set.ts) builds on `analyzeTrigger`.

import { bySeverityThenPosition, CompileError, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Expr } from '../parser/ast.js';
import { parseFql } from '../parser/fql.js';
import { collectReads } from '../parser/walk.js';
import { compileExpr } from './compile.js';
import { fqlFunctionNames, lookupFqlFunction } from './functions/index.js';
import { lintTrigger } from './lint.js';
import { segmentCompatWarnings } from './segment-compat.js';
import { segmentLexerWarnings } from './segment-lexer.js';
import type { Closure } from './types.js';
import { gate } from './match/gate.js';
import { scan, scanner } from './match/scan.js';

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

/** Parses, compiles and checks one trigger; never throws on any source string. */
export function analyzeTrigger(source: string): TriggerAnalysis {
  if (typeof source !== 'string') {
    // JavaScript callers can pass anything: a diagnostic, never a TypeError
    const span = { start: 0, end: 0, line: 1, column: 1 };
    return { source: String(source), ast: undefined, predicate: undefined, diagnostics: [{ code: 'FQL204', severity: 'error', message: `a trigger must be a string, got ${source === null ? 'null' : Array.isArray(source) ? 'a list' : typeof source}`, span }] };
  }
  let parsed: { ast: Expr | undefined; diagnostics: Diagnostic[] };
  try {
    parsed = parseFql(source);
  } catch (err) {
    // a parser bug must not escape checkTrigger; report it as a diagnostic instead
    parsed = { ast: undefined, diagnostics: [{ code: 'FQL204', severity: 'error', message: `internal parser error: ${(err as Error).message}`, span: { start: 0, end: source.length, line: 1, column: 1 } }] };
  }
  if (parsed.ast) return analyzeParsedTrigger(source, parsed.ast, source, 0, source.length, parsed.diagnostics);
  const diagnostics = [...parsed.diagnostics];
  if (!hasErrors(diagnostics)) {
    diagnostics.push({ code: 'FQL204', severity: 'error', message: 'the parser produced no expression', span: { start: 0, end: source.length, line: 1, column: 1 } });
  }
  diagnostics.sort(bySeverityThenPosition);
  return { source, ast: undefined, diagnostics, predicate: undefined };
}

/**
 * Compiles and checks a trigger already parsed (a `.map` file's `when` header, parsed once by the
 * `.map` parser): `ast`'s spans point into `text`, where the trigger is `text.slice(start, end)`;
 * `source` is the trigger's text. `parseDiagnostics` are the parser's own findings, kept in front.
 */
export function analyzeParsedTrigger(source: string, ast: Expr, text: string, start: number, end: number, parseDiagnostics: readonly Diagnostic[] = []): TriggerAnalysis {
  const diagnostics: Diagnostic[] = [...parseDiagnostics];
  const compiled = compileExpr(ast, {
    lookupFunction: lookupFqlFunction,
    functionNames: fqlFunctionNames,
    report: (d) => diagnostics.push(d),
    language: 'FQL',
  });
  diagnostics.push(...lintTrigger(ast), ...segmentCompatWarnings(ast), ...segmentLexerWarnings(text, ast, start, end));
  diagnostics.sort(bySeverityThenPosition);
  return { source, ast, diagnostics, predicate: hasErrors(diagnostics) ? undefined : compiled };
}

/** What each Trigger made here was compiled from, so a trigger set reuses it instead of parsing the source again. */
const COMPILED = new WeakMap<Trigger, { readonly ast: Expr; readonly predicate: Closure }>();

/** The AST and predicate of a Trigger made by this module; `undefined` for any other object. */
export function compiledTrigger(trigger: unknown): { readonly ast: Expr; readonly predicate: Closure } | undefined {
  return typeof trigger === 'object' && trigger !== null ? COMPILED.get(trigger as Trigger) : undefined;
}

/** Wraps a compiled predicate into the public, frozen Trigger shape. */
export function makeTrigger(source: string, predicate: Closure, ast: Expr): Trigger {
  const reads = Object.freeze(collectReads([ast]).map((keys) => Object.freeze(keys))) as unknown as string[][];
  const fast = gate(ast, predicate);
  // Without a gate, `matches` is the scan closure itself (no call in between: the per-call cost of
  // a trigger like `properties.revenue > 100`).
  const matches = fast
    ? (event: unknown): boolean => {
        try {
          return fast(event);
        } catch {
          // only with non-JSON input (throwing getters, proxies): the fast path reads type and
          // event even when the trigger needs one of them; answer as the plain predicate would
        }
        return scan(predicate, event); // a throwing read of the predicate's own is never a match
      }
    : scanner(predicate);
  const trigger: Trigger = Object.freeze({ source, reads, matches });
  COMPILED.set(trigger, { ast, predicate });
  return trigger;
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
