// parseFql: FQL trigger source → AST + diagnostics (lexer → depth pre-scan → Chevrotain parser →
// CST → AST). One parser instance, reused. Never throws; an AST only when there is no error.

import type { IToken } from 'chevrotain';
import type { Code } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Expr } from './ast.js';
import { ExprBuilder, isNode } from './ast-builder.js';
import { findDeepNode, findTooDeep, MAX_DEPTH } from './depth.js';
import { FqlParser } from './expression-grammar.js';
import { lex } from './lexer.js';
import { LineMap } from './line-map.js';
import { finishDiagnostics, parseDiagnostics } from './parse-errors.js';
import { fqlTokens } from './tokens.js';

/** Largest FQL source accepted (UTF-16 code units). Real triggers are under 2 KB; this still admits 10,000-term chains. */
export const MAX_FQL_SOURCE = 256 * 1024;

/** The one FQL parser instance (Chevrotain parsers are built once and fed new input). */
export const fqlParser = new FqlParser(fqlTokens);

export interface FqlParseResult {
  ast: Expr | undefined;
  diagnostics: Diagnostic[];
}

const tooDeep = (lines: LineMap, start: number, end: number): Diagnostic => ({
  code: 'FQL108',
  severity: 'error',
  message: `expression nested too deeply (more than ${MAX_DEPTH} levels)`,
  span: lines.span(start, end),
  hint: 'flatten it: `a and b and c` needs no parentheses',
});

/** For JavaScript callers passing something else than a string (the types forbid it). */
export function notText(code: Code, value: unknown): Diagnostic {
  const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  return { code, severity: 'error', message: `expected source text (a string), got ${what}`, span: { start: 0, end: 0, line: 1, column: 1 } };
}

/**
 * Parses `source.slice(start, end)` as one FQL expression; spans point into the whole `source`.
 * Used by {@link parseFql} and by the .map parser for its `when` header.
 */
export function parseFqlRange(lines: LineMap, start: number, end: number): FqlParseResult {
  const text = lines.source.slice(start, end);
  if (end - start > MAX_FQL_SOURCE)
    return { ast: undefined, diagnostics: [{ code: 'FQL006', severity: 'error', message: `trigger too large: ${end - start} characters (at most ${MAX_FQL_SOURCE})`, span: lines.span(start, start) }] };
  if (/^[ \t\r\n]*$/.test(text))
    return { ast: undefined, diagnostics: [{ code: 'FQL100', severity: 'error', message: 'empty trigger: expected an expression, found end of input', span: lines.span(start, end), hint: 'for example `type = "track"`' }] };

  const lexed = lex('fql', lines, start, end);
  const deep = findTooDeep(lexed.tokens);
  if (deep) return { ast: undefined, diagnostics: finishDiagnostics([...lexed.diagnostics, tooDeep(lines, deep.startOffset, deep.startOffset + 1)]) };

  try {
    fqlParser.input = lexed.tokens;
    const cst = fqlParser.trigger();
    const syntax = parseDiagnostics(fqlParser.errors, lines, lexed.droppedEnds, end);
    const builder = new ExprBuilder(lines, lexed.tokens);
    builder.knownErrors = [...lexed.diagnostics, ...syntax].map((d) => d.span.start);
    const parts = (cst.children['expression'] ?? []).filter(isNode).map((n) => builder.build(n));
    const commas = (cst.children['Comma'] ?? []) as IToken[];
    builder.reportJuxtaposed(parts, commas);
    const diagnostics = finishDiagnostics([...lexed.diagnostics, ...syntax, ...builder.diagnostics]);
    fqlParser.input = []; // do not keep the last input's tokens alive
    const ast = parts[0];
    if (ast) {
      const deepNode = findDeepNode(ast);
      if (deepNode) diagnostics.push(tooDeep(lines, deepNode.span.start, deepNode.span.end));
    }
    return { ast: diagnostics.some((d) => d.severity === 'error') ? undefined : ast, diagnostics };
  } catch (e) {
    // Safety net: a stack overflow on some nesting the pre-scan did not foresee.
    if (e instanceof RangeError) return { ast: undefined, diagnostics: [tooDeep(lines, start, end)] };
    throw e;
  }
}

/**
 * Parses an FQL trigger (fql.md §2–§4). Never throws: returns the AST when the source is valid,
 * otherwise `ast: undefined` and every lexical and syntax error found in one pass (§10). Unknown
 * functions and arity are not checked here (the evaluator does that).
 */
export function parseFql(source: string): FqlParseResult {
  if (typeof source !== 'string') return { ast: undefined, diagnostics: [notText('FQL007', source)] };
  const lines = new LineMap(source);
  return parseFqlRange(lines, 0, source.length);
}
