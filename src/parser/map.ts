// parseMap: .map source → MapFile AST + diagnostics (lexer → depth pre-scan → Chevrotain parser →
// CST → AST, templates and the `when` header parsed from source slices). One parser instance,
// reused. Never throws. Also `parseMapExpression` for one expression (REPL, tests).

import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Expr, MapFile } from './ast.js';
import { findDeepNode, findTooDeep, MAX_DEPTH } from './depth.js';
import { notText } from './fql.js';
import { lex } from './lexer.js';
import { LineMap } from './line-map.js';
import { MapBuilder } from './map-ast.js';
import { buildMapFile } from './map-file.js';
import { MapParser } from './map-grammar.js';
import { finishDiagnostics, parseDiagnostics } from './parse-errors.js';

/** Largest .map source accepted (UTF-16 code units). */
export const MAX_MAP_SOURCE = 1024 * 1024;

/** The one .map parser instance. */
export const mapParser = new MapParser();

export interface MapParseResult {
  /** The file; statements that overlap a syntax error are left out. Undefined only when nothing could be parsed. */
  ast: MapFile | undefined;
  diagnostics: Diagnostic[];
}

const tooDeep = (lines: LineMap, start: number, end: number): Diagnostic => ({
  code: 'FQL108',
  severity: 'error',
  message: `expression nested too deeply (more than ${MAX_DEPTH} levels)`,
  span: lines.span(start, end),
  hint: 'split it with `let $x = …` steps',
});

const tooLarge = (lines: LineMap, size: number): Diagnostic => ({
  code: 'MAP001',
  severity: 'error',
  message: `.map source too large: ${size} characters (at most ${MAX_MAP_SOURCE})`,
  span: lines.span(0, 0),
});

/** Runs `fn`; a stack overflow (nesting no pre-scan foresaw) becomes a diagnostic. */
function guarded<T>(lines: LineMap, fn: () => T, onOverflow: (d: Diagnostic) => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof RangeError) return onOverflow(tooDeep(lines, 0, lines.source.length));
    throw e;
  }
}

/**
 * Parses one expression in [start, end) of `lines.source` with the .map grammar. Templates call
 * this for their `{{ … }}` parts (the parser is re-entered after the outer CST is complete).
 */
function parseExpressionRange(lines: LineMap, start: number, end: number, diagnostics: Diagnostic[]): Expr {
  const lexed = lex('map', lines, start, end);
  diagnostics.push(...lexed.diagnostics);
  const deep = findTooDeep(lexed.tokens);
  if (deep) {
    diagnostics.push(tooDeep(lines, deep.startOffset, deep.startOffset + 1));
    return { kind: 'literal', value: null, span: lines.span(start, end) };
  }
  mapParser.input = lexed.tokens;
  const cst = mapParser.expression();
  diagnostics.push(...parseDiagnostics(mapParser.errors, lines, lexed.droppedEnds, end));
  const builder: MapBuilder = new MapBuilder(lines, lexed.tokens, (s, e) => parseExpressionRange(lines, s, e, builder.diagnostics));
  const expr = builder.build(cst);
  diagnostics.push(...builder.diagnostics);
  return expr;
}

/**
 * Parses a `.map` file (mapping.md §1–§2). Never throws. Reports every lexical and syntax error in
 * one pass, plus structural ones (missing `target`, misplaced headers, non-FQL `when`, malformed
 * examples). Field names, functions and variables are not checked here (the mapping checker does).
 */
export function parseMap(source: string): MapParseResult {
  if (typeof source !== 'string') return { ast: undefined, diagnostics: [notText('MAP011', source)] };
  const lines = new LineMap(source);
  if (source.length > MAX_MAP_SOURCE) return { ast: undefined, diagnostics: [tooLarge(lines, source.length)] };
  return guarded<MapParseResult>(
    lines,
    () => {
      const lexed = lex('map', lines);
      const deep = findTooDeep(lexed.tokens);
      if (deep) return { ast: undefined, diagnostics: finishDiagnostics([...lexed.diagnostics, tooDeep(lines, deep.startOffset, deep.startOffset + 1)]) };
      mapParser.input = lexed.tokens;
      const cst = mapParser.mapFile();
      const syntax = parseDiagnostics(mapParser.errors, lines, lexed.droppedEnds, source.length).map((d) =>
        d.code === 'FQL102' && d.message.startsWith('unexpected') ? { ...d, code: 'MAP007', message: `expected a statement (field = value, let, example), ${d.message.replace(/^unexpected/, 'found')}` } : d,
      );
      const errorOffsets = [...lexed.diagnostics, ...syntax].map((d) => d.span.start);
      const builder: MapBuilder = new MapBuilder(lines, lexed.tokens, (s, e) => parseExpressionRange(lines, s, e, builder.diagnostics));
      const file = buildMapFile(builder, cst, errorOffsets);
      const diagnostics = [...lexed.diagnostics, ...syntax, ...builder.diagnostics];
      for (const stmt of file.statements) {
        for (const e of stmt.kind === 'assign' && stmt.guard ? [stmt.value, stmt.guard] : [stmt.value]) {
          const node = findDeepNode(e);
          if (node) diagnostics.push(tooDeep(lines, node.span.start, node.span.end));
        }
      }
      return { ast: file, diagnostics: finishDiagnostics(diagnostics) };
    },
    (d) => ({ ast: undefined, diagnostics: [d] }),
  );
}

/** Parses a single .map expression (the REPL's input, tests). Never throws; `ast` only when error-free. */
export function parseMapExpression(source: string): { ast: Expr | undefined; diagnostics: Diagnostic[] } {
  if (typeof source !== 'string') return { ast: undefined, diagnostics: [notText('MAP011', source)] };
  const lines = new LineMap(source);
  if (source.length > MAX_MAP_SOURCE) return { ast: undefined, diagnostics: [tooLarge(lines, source.length)] };
  if (/^[ \t\r\n]*$/.test(source))
    return { ast: undefined, diagnostics: [{ code: 'FQL100', severity: 'error', message: 'empty expression', span: lines.span(0, source.length) }] };
  return guarded(
    lines,
    () => {
      const raw: Diagnostic[] = [];
      const expr = parseExpressionRange(lines, 0, source.length, raw);
      const node = findDeepNode(expr);
      if (node) raw.push(tooDeep(lines, node.span.start, node.span.end));
      const diagnostics = finishDiagnostics(raw);
      return { ast: diagnostics.some((d) => d.severity === 'error') ? undefined : expr, diagnostics };
    },
    (d) => ({ ast: undefined, diagnostics: [d] }),
  );
}
