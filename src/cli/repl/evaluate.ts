// How the REPL evaluates what a person types: as a mapping expression (a superset of FQL) through
// the public compileMapping, wrapped in a one-field subscription; or, without it, as an FQL trigger.

import { CompileError, compileMapping, compileTrigger, maybe, type Diagnostic, type Subscription } from '../api.js';

/** What one input evaluated to. `missing` is the value policy's "no value" (a field would be omitted). */
export type Evaluation =
  | { kind: 'value'; value: unknown }
  | { kind: 'missing' }
  | { kind: 'defined'; name: string }
  | { kind: 'runtime-error'; message: string }
  | { kind: 'diagnostics'; source: string; diagnostics: Diagnostic[] };

// The wrapper: `when true` matches every event; the value lands in one key of an object-typed field.
const TARGET = 'createUpdatePerson';
const FIELD = 'custom_attributes';
const KEY = '__repl_value';

interface Wrapped {
  source: string;
  /** Where the text the person typed starts in `source`: offset, 1-based line and column. */
  start: number;
  line: number;
  column: number;
  length: number;
}

/** Wraps `focus` (an expression, or a `let` statement when `asStatement`) after the session's lets. */
function wrap(lets: readonly string[], focus: string, asStatement: boolean): Wrapped {
  let source = `target ${TARGET}\nwhen true\n${lets.map((l) => `${l}\n`).join('')}`;
  if (!asStatement) source += `${FIELD}.${KEY} = `;
  const start = source.length;
  const before = source.slice(0, start);
  const line = before.split('\n').length;
  const column = start - before.lastIndexOf('\n');
  source += asStatement ? `${focus}\n${FIELD}.${KEY} = null\n` : `${focus}\n`;
  return { source, start, line, column, length: focus.length };
}

/** Moves a diagnostic of the wrapped source onto the typed text; undefined when it is about something else. */
function unwrap(d: Diagnostic, w: Wrapped): Diagnostic | undefined {
  if (d.span.start < w.start || d.span.start > w.start + w.length) return undefined;
  const start = d.span.start - w.start;
  const end = Math.min(Math.max(d.span.end - w.start, start), w.length);
  const line = d.span.line - w.line + 1;
  const column = line === 1 ? d.span.column - w.column + 1 : d.span.column;
  return { ...d, span: { start, end, line, column } };
}

export interface Evaluator {
  /** `mapping` when compileMapping is available, else `trigger` (true/false only). */
  readonly mode: 'mapping' | 'trigger';
  /** Evaluates an expression against `event`. */
  evaluate(input: string, event: unknown): Evaluation;
  /** Checks `let $name = expr` and keeps it for the rest of the session. */
  define(statement: string): Evaluation;
  /** The `let` statements defined so far. */
  readonly lets: readonly string[];
  /** Forgets every `let`. */
  reset(): void;
}

/** An evaluator over the public API. */
export function createEvaluator(): Evaluator {
  const lets: string[] = [];
  const mode = maybe('compileMapping') ? 'mapping' : 'trigger';

  const compile = (focus: string, asStatement: boolean): { sub: Subscription } | { evaluation: Evaluation } => {
    const w = wrap(lets, focus, asStatement);
    try {
      return { sub: compileMapping(w.source, { filename: '<repl>' }) };
    } catch (e) {
      if (!(e instanceof CompileError)) throw e;
      const mine = e.diagnostics.map((d) => unwrap(d, w)).filter((d): d is Diagnostic => d !== undefined);
      // a diagnostic outside the typed text would be a wrapper problem; show it raw rather than nothing
      return { evaluation: { kind: 'diagnostics', source: mine.length > 0 ? focus : w.source, diagnostics: mine.length > 0 ? mine : e.diagnostics } };
    }
  };

  return {
    mode,
    lets,
    evaluate(input, event) {
      if (mode === 'trigger') {
        try {
          return { kind: 'value', value: compileTrigger(input).matches(event) };
        } catch (e) {
          if (e instanceof CompileError) return { kind: 'diagnostics', source: input, diagnostics: e.diagnostics };
          throw e;
        }
      }
      const compiled = compile(input, false);
      if ('evaluation' in compiled) return compiled.evaluation;
      const result = compiled.sub.map(event);
      if (!result.ok) return { kind: 'runtime-error', message: result.errors.map((e) => e.message).join('; ') || 'the expression failed' };
      const bag = (result.fields as Record<string, unknown>)[FIELD];
      if (typeof bag !== 'object' || bag === null || !Object.hasOwn(bag, KEY)) return { kind: 'missing' };
      return { kind: 'value', value: (bag as Record<string, unknown>)[KEY] };
    },
    define(statement) {
      if (mode === 'trigger') return { kind: 'runtime-error', message: '`let` needs the mapping language (compileMapping), which this build does not export' };
      // a redefinition replaces the earlier `let` of the same name
      const name = /^\s*let\s+(\$[A-Za-z_][A-Za-z0-9_]*)/.exec(statement)?.[1];
      const previous = name === undefined ? -1 : lets.findIndex((l) => /^\s*let\s+(\$[A-Za-z_][A-Za-z0-9_]*)/.exec(l)?.[1] === name);
      const removed = previous >= 0 ? lets.splice(previous, 1) : [];
      const compiled = compile(statement, true);
      if ('evaluation' in compiled) {
        if (removed[0] !== undefined) lets.splice(previous, 0, removed[0]);
        return compiled.evaluation;
      }
      lets.push(statement);
      return { kind: 'defined', name: name ?? '' };
    },
    reset() {
      lets.length = 0;
    },
  };
}
