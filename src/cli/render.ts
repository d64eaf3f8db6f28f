// Diagnostics for people and for machines, shared by check, eval, test, repl and the config
// loader: the library's renderer (source line + caret) or JSON rows for CI.

// From the home modules of these public names (start-up: not the whole library; test/cli/public-api.test.ts).
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostic } from '../diagnostics/render.js';

/** Renders each diagnostic with the library's `formatDiagnostic` (source line and caret), blank line between. */
export function renderDiagnostics(source: string, diagnostics: readonly Diagnostic[], options: { filename?: string; color: boolean }): string {
  const parts = diagnostics.map((d) => formatDiagnostic(source, d, options).replace(/\n+$/, ''));
  return parts.length === 0 ? '' : `${parts.join('\n\n')}\n`;
}

/** A diagnostic as one flat JSON row (`--format json`): file, code, severity, message, line, column, span, hint. */
export function diagnosticRow(file: string, d: Diagnostic): Record<string, unknown> {
  const row: Record<string, unknown> = {
    file,
    code: d.code,
    severity: d.severity,
    message: d.message,
    line: d.span.line,
    column: d.span.column,
    start: d.span.start,
    end: d.span.end,
  };
  if (d.hint !== undefined) row.hint = d.hint;
  return row;
}

/** "2 errors, 1 warning" */
export function countLabel(errors: number, warnings: number): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
