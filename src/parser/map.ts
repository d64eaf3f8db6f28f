// parseMap: .map source → MapFile AST + diagnostics (lexer → depth pre-scan → Chevrotain parser →
// CST → AST, templates and the `when` header parsed from source slices). One parser instance,
// reused. Never throws. Also `parseMapExpression` for one expression (REPL, tests).

import type { CstNode, IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Expr, MapFile } from './ast.js';
import { findDeepNode, findTooDeep, MAX_DEPTH } from './depth.js';
import { notText } from './fql.js';
import { lex } from './lexer.js';
import { LineMap } from './line-map.js';
import { MapBuilder } from './map-ast.js';
import { buildMapFile } from './map-file.js';
import { MapParser } from './map-grammar.js';
import { anyInRange, finishDiagnostics, parseDiagnostics } from './parse-errors.js';
import { splitStatements } from './map-split.js';

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

/**
 * Parses each statement chunk (see map-split.ts) on its own: recovery restarts at every statement
 * and only the first syntax error of a statement is kept (later ones are its consequences).
 */
function parseStatements(
  lines: LineMap,
  tokens: IToken[],
  lexical: readonly Diagnostic[],
  droppedEnds: readonly number[],
): { statements: CstNode[]; broken: boolean[]; syntax: Diagnostic[] } {
  /** `x | default: "y"`, `x | upcase: …`: Liquid's filter syntax, pointed at the .map spelling. */
  const liquidHint = (before: string, found: string): string | undefined => {
    if (found !== '`:`') return undefined;
    const filter = /\|\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(before)?.[1];
    if (filter === undefined) return undefined;
    if (filter === 'default') return 'Liquid\'s `default` filter is `??` here: `x ?? "fallback"` (or `?:` to replace "" and empty values too)';
    return `Liquid's \`| ${filter}: arg\` is written \`| ${filter}(arg)\` here`;
  };
  const chunks = splitStatements(tokens);
  const lexicalStarts = lexical.map((d) => d.span.start).sort((a, b) => a - b);
  const statements: CstNode[] = [];
  const broken: boolean[] = [];
  const syntax: Diagnostic[] = [];
  chunks.forEach((chunk, k) => {
    const first = chunk[0] as IToken;
    const last = chunk[chunk.length - 1] as IToken;
    const end = (last.endOffset ?? last.startOffset) + 1;
    mapParser.input = chunk;
    statements.push(mapParser.statement());
    const errors = parseDiagnostics(mapParser.errors, lines, droppedEnds, end).sort((a, b) => a.span.start - b.span.start);
    let error = errors[0];
    if (error && k < chunks.length - 1) error = { ...error, message: error.message.replace(/found end of input$/, 'found end of line') };
    if (error?.code === 'FQL102' && error.message.startsWith('unexpected ')) {
      // The statement parsed but tokens are left: on its line (`x = 1 2`) or on a line of their own.
      const found = error.message.slice('unexpected '.length);
      const lineStart = lines.source.lastIndexOf('\n', error.span.start - 1) + 1;
      error = lines.source.slice(lineStart, error.span.start).trim() === ''
        ? { code: 'MAP007', severity: 'error', message: `expected a statement (\`field = value\`, \`let\`, \`example\`, a header), found ${found}`, span: error.span }
        : { code: 'FQL104', severity: 'error', message: `expected an operator or the end of the statement, found ${found}`, span: error.span, hint: liquidHint(lines.source.slice(lineStart, error.span.start), found) ?? 'a new field starts on its own line' };
    }
    if (error) syntax.push(error);
    broken.push(!!error || anyInRange(lexicalStarts, first.startOffset, end));
  });
  return { statements, broken, syntax };
}

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
      const { statements, broken, syntax } = parseStatements(lines, lexed.tokens, lexed.diagnostics, lexed.droppedEnds);
      const builder: MapBuilder = new MapBuilder(lines, lexed.tokens, (s, e) => parseExpressionRange(lines, s, e, builder.diagnostics));
      const file = buildMapFile(builder, statements, broken);
      const diagnostics = [...lexed.diagnostics, ...syntax, ...builder.diagnostics];
      for (const stmt of file.statements) {
        for (const e of stmt.kind === 'assign' && stmt.guard ? [stmt.value, stmt.guard] : [stmt.value]) {
          const node = findDeepNode(e);
          if (node) diagnostics.push(tooDeep(lines, node.span.start, node.span.end));
        }
      }
      mapParser.input = []; // do not keep the last input's tokens alive
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
      mapParser.input = [];
      return { ast: diagnostics.some((d) => d.severity === 'error') ? undefined : expr, diagnostics };
    },
    (d) => ({ ast: undefined, diagnostics: [d] }),
  );
}
