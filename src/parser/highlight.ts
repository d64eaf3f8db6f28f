// Syntax classes for editors, from the parser's own lexer and token list (tokens.ts): what an
// editor colours is exactly what the parser reads, with no second token table. Comments and
// whitespace are skipped by the lexer; a comment is the `#…` run in a gap between tokens.

import { tokenMatcher } from './chevrotain.js';
import { lex, type Language } from './lexer.js';
import { LineMap } from './line-map.js';
import {
  BlankCoalesce, Coalesce, Colon, CompareOp, Dollar, Dot, False, Identifier, Keyword, LCurly, LParen, LBracket,
  MalformedNumber, Null, NumberTok, Pipe, RCurly, RParen, RBracket, Comma, Star, StringTok, True,
  UnterminatedString, Variable, Bang, And, Or, FOREIGN_OPERATORS,
} from './tokens.js';

/** What a run of source text is, for colouring. */
export type TokenClass = 'comment' | 'keyword' | 'atom' | 'string' | 'number' | 'variable' | 'name' | 'operator' | 'punctuation' | 'invalid';

export interface HighlightToken {
  /** UTF-16 offsets, end exclusive. */
  readonly start: number;
  readonly end: number;
  readonly class: TokenClass;
}

const PUNCTUATION = [LParen, RParen, LBracket, RBracket, LCurly, RCurly, Comma, Dot, Colon];
const OPERATORS = [CompareOp, Bang, Pipe, Coalesce, BlankCoalesce, Star, Dollar, And, Or];

function classOf(t: Parameters<typeof tokenMatcher>[0]): TokenClass {
  if (tokenMatcher(t, UnterminatedString) || tokenMatcher(t, MalformedNumber) || FOREIGN_OPERATORS.has(t.tokenType)) return 'invalid';
  if (tokenMatcher(t, StringTok)) return 'string';
  if (tokenMatcher(t, NumberTok)) return 'number';
  if (tokenMatcher(t, True) || tokenMatcher(t, False) || tokenMatcher(t, Null)) return 'atom';
  if (t.tokenType === And || t.tokenType === Or) return 'keyword';
  if (tokenMatcher(t, Keyword)) return 'keyword';
  if (tokenMatcher(t, Variable)) return 'variable';
  if (tokenMatcher(t, Identifier)) return 'name';
  if (PUNCTUATION.some((p) => tokenMatcher(t, p))) return 'punctuation';
  if (OPERATORS.some((p) => tokenMatcher(t, p))) return 'operator';
  return 'operator';
}

/**
 * The text between two tokens: whitespace, `.map` comments (`#` to the end of the line; FQL has
 * none), or characters the lexer dropped (invalid).
 */
function gap(source: string, from: number, to: number, lang: Language, out: HighlightToken[]): void {
  let i = from;
  while (i < to) {
    const c = source[i] as string;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++;
    } else if (c === '#' && lang === 'map') {
      const nl = source.indexOf('\n', i);
      const end = nl < 0 || nl > to ? to : nl;
      out.push({ start: i, end, class: 'comment' });
      i = end;
    } else {
      let end = i + 1;
      while (end < to && !' \t\r\n'.includes(source[end] as string) && !(lang === 'map' && source[end] === '#')) end++;
      out.push({ start: i, end, class: 'invalid' });
      i = end;
    }
  }
}

/**
 * The highlight tokens of `source` in order, for `.map` text (`lang` = 'map', the default) or an
 * FQL trigger ('fql'). Never throws; characters the lexer rejects are `invalid`.
 */
export function highlightTokens(source: string, lang: Language = 'map'): HighlightToken[] {
  const { tokens } = lex(lang, new LineMap(source));
  const out: HighlightToken[] = [];
  let pos = 0;
  for (const t of tokens) {
    const start = t.startOffset;
    const end = (t.endOffset ?? start) + 1;
    if (start > pos) gap(source, pos, start, lang, out);
    out.push({ start, end, class: classOf(t) });
    pos = end;
  }
  if (pos < source.length) gap(source, pos, source.length, lang, out);
  return out;
}
