// Tiny helpers for the parser tests: one-line AST printing and "code at line:col" summaries.

import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { parseFql, parseMap, parseMapExpression, toSexpr, mapFileToText } from '../../src/parser/index.js';

/** FQL source → s-expression, or throws with the diagnostics (for table rows that must parse). */
export function fql(source: string): string {
  const r = parseFql(source);
  if (!r.ast) throw new Error(`expected to parse: ${source}\n${summarize(r.diagnostics).join('\n')}`);
  return toSexpr(r.ast);
}

/** .map expression source → s-expression, or throws with the diagnostics. */
export function mapExpr(source: string): string {
  const r = parseMapExpression(source);
  if (!r.ast) throw new Error(`expected to parse: ${source}\n${summarize(r.diagnostics).join('\n')}`);
  return toSexpr(r.ast);
}

/** .map file → text summary; throws when there is any error. */
export function mapFile(source: string): string {
  const r = parseMap(source);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.ast || errors.length > 0) throw new Error(`expected to parse:\n${source}\n${summarize(r.diagnostics).join('\n')}`);
  return mapFileToText(r.ast);
}

/** `CODE line:col` for each diagnostic, in order. */
export function summarize(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.column}`);
}

export const fqlErrors = (source: string): string[] => summarize(parseFql(source).diagnostics);
export const mapErrors = (source: string): string[] => summarize(parseMap(source).diagnostics);
