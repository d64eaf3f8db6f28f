// How the REPL evaluates what a person types: a .map expression (a superset of FQL) compiled with
// the public compileMappingExpression, with the session's `let` variables computed per event.

import { checkTrigger, CompileError, compileMappingExpression, type Diagnostic, type MappingExpression } from '../../index.js';

/** What one input evaluated to. `missing` is the value policy's "no value" (a field would be omitted). */
export type Evaluation =
  | { kind: 'value'; value: unknown; warnings?: Diagnostic[]; source?: string }
  | { kind: 'missing'; hint?: string; warnings?: Diagnostic[]; source?: string }
  | { kind: 'defined'; name: string; warnings?: Diagnostic[]; source?: string }
  | { kind: 'runtime-error'; message: string }
  | { kind: 'diagnostics'; source: string; diagnostics: Diagnostic[] };

interface Let {
  name: string;
  source: string;
  fn: MappingExpression;
}

const LET = /^let\s+\$([A-Za-z_][A-Za-z0-9_]*)\s*=\s*/;
const VARIABLE = /\$([A-Za-z_][A-Za-z0-9_]*)/g;
const EACH = /\beach\s+(.+?)\s+as\s+\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Moves a diagnostic of `expr` to its place in the whole input, which starts `offset` characters later on line 1. */
function shift(d: Diagnostic, offset: number): Diagnostic {
  const column = d.span.line === 1 ? d.span.column + offset : d.span.column;
  return { ...d, span: { start: d.span.start + offset, end: d.span.end + offset, line: d.span.line, column } };
}

export interface Evaluator {
  /** Evaluates an expression against `event` (after computing the `let`s for that event). */
  evaluate(input: string, event: unknown): Evaluation;
  /** Checks `let $name = expr` and keeps it (replacing an earlier `$name`) for the rest of the session. */
  define(statement: string): Evaluation;
  /** The `let` statements defined so far, in order. */
  readonly lets: readonly string[];
  /** Forgets every `let`. */
  reset(): void;
}

/** Compiles an expression; diagnostics come back positioned on `whole` (the text as typed). */
function compile(expr: string, whole: string, offset: number): { fn: MappingExpression } | { evaluation: Evaluation } {
  try {
    return { fn: compileMappingExpression(expr) };
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    return { evaluation: { kind: 'diagnostics', source: whole, diagnostics: e.diagnostics.map((d) => shift(d, offset)) } };
  }
}

/**
 * The warnings worth showing for an input: the compiler's, and when the input is also a valid
 * trigger, the trigger's (lints such as a comparison that can never be true, and where Segment's
 * engine would answer differently): the REPL is where people try triggers.
 */
function warningsOf(input: string, compiled: MappingExpression, offset: number, usedAsTrigger: boolean): Diagnostic[] {
  const all = compiled.warnings.map((d) => shift(d, offset));
  // the trigger lints only for what is used as a trigger (a condition: its value is a boolean),
  // not for a plain value such as `userId` or a template
  const asTrigger = offset === 0 && usedAsTrigger ? checkTrigger(input) : [];
  if (!asTrigger.some((d) => d.severity === 'error')) {
    for (const d of asTrigger) if (!all.some((w) => w.code === d.code && w.span.start === d.span.start)) all.push(d);
  }
  return all.sort((a, b) => a.span.start - b.span.start);
}

/** Adds the warnings (if any) to an evaluation, with the text they point into. */
function withWarnings<E extends Evaluation & { warnings?: Diagnostic[] }>(e: E, warnings: Diagnostic[], source: string): E {
  return warnings.length > 0 ? { ...e, warnings, source } : e;
}

/** A fresh evaluator with no `let`s. */
export function createEvaluator(): Evaluator {
  const lets: Let[] = [];

  /** The variables for one event, computed in definition order (a later `let` sees the earlier ones). */
  const variables = (event: unknown): Record<string, unknown> => {
    const vars: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const l of lets) {
      try {
        vars[l.name] = l.fn(event, vars);
      } catch (e) {
        throw new Error(`in $${l.name}: ${(e as Error).message}`);
      }
    }
    return vars;
  };

  return {
    get lets() {
      return lets.map((l) => l.source);
    },
    evaluate(input, event) {
      const compiled = compile(input, input, 0);
      if ('evaluation' in compiled) return compiled.evaluation;
      let value: unknown;
      try {
        value = compiled.fn(event, variables(event));
      } catch (e) {
        return { kind: 'runtime-error', message: (e as Error).message };
      }
      const warnings = warningsOf(input, compiled.fn, 0, typeof value === 'boolean');
      if (value !== undefined) return withWarnings({ kind: 'value', value }, warnings, input);
      // variables bound by `each … as $x` are defined inside their body: not a missing `let`
      const bound = new Set([...input.matchAll(EACH)].map((m) => m[2] as string));
      const unknown = [...input.matchAll(VARIABLE)].map((m) => m[1] as string).filter((n) => !bound.has(n) && !lets.some((l) => l.name === n));
      const each = EACH.exec(input);
      EACH.lastIndex = 0;
      const missing: Evaluation =
        unknown.length > 0 ? { kind: 'missing', hint: `$${unknown[0]} is not defined here; define it with \`let $${unknown[0]} = …\`` }
        : each !== null && input.trimStart().startsWith('each') ? { kind: 'missing', hint: `\`${(each[1] as string).trim()}\` is missing, so \`each\` over it is missing` }
        : { kind: 'missing' };
      return withWarnings(missing, warnings, input);
    },
    define(statement) {
      const m = LET.exec(statement);
      if (!m) return { kind: 'runtime-error', message: 'write a definition as `let $name = expression`' };
      const name = m[1] as string;
      const expr = statement.slice(m[0].length);
      const compiled = compile(expr, statement, m[0].length);
      if ('evaluation' in compiled) return compiled.evaluation;
      const entry: Let = { name, source: statement.trim(), fn: compiled.fn };
      const previous = lets.findIndex((l) => l.name === name);
      if (previous >= 0) lets[previous] = entry;
      else lets.push(entry);
      return withWarnings({ kind: 'defined', name: `$${name}` }, warningsOf(expr, compiled.fn, m[0].length, false), statement);
    },
    reset() {
      lets.length = 0;
    },
  };
}
