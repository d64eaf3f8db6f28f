// Diagnostics as data: the shape every stage reports (lexer, parser, checkers, compilers),
// and the one error class that carries them out of `compile*` calls.

/** A range of source text: `start`/`end` are UTF-16 offsets (end exclusive); `line`/`column` are 1-based, of `start`. */
export interface Span {
  start: number;
  end: number;
  line: number;
  column: number;
}

/** One finding about a source text. `code` is stable (see codes.ts) and never reused. */
export interface Diagnostic {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  span: Span;
  hint?: string;
  /**
   * The text that fixes the problem when put in place of `span`, set where the checker is sure of
   * it (the "did you mean" of an unknown field, action, function or choice). Editors apply it in one step.
   */
  replacement?: string;
}

/** Thrown by `compileTrigger`, `compileMapping` and friends; `diagnostics` holds every finding (errors first). */
export class CompileError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[], message?: string) {
    const first = diagnostics.find((d) => d.severity === 'error') ?? diagnostics[0];
    super(message ?? (first ? `${first.code} at ${first.span.line}:${first.span.column}: ${first.message}` : 'compile error'));
    this.name = 'CompileError';
    this.diagnostics = diagnostics;
  }
}

/** Computes a Span for [start, end) of `source` (line/column of `start`, 1-based). */
export function spanAt(source: string, start: number, end: number = start): Span {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < start && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { start, end, line, column: start - lineStart + 1 };
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
