// Statement boundaries of a .map token stream (between the lexer and the parser): each statement
// is parsed on its own, so a syntax error is recovered at the next statement and every statement's
// first error is reported in one pass. A boundary is where the grammar would end a statement in
// valid input anyway: a new line, after a finished line, that starts like a statement (`name =`,
// `name.key =`, `let`; and outside brackets and `case … end`: `when`, `word word`, `word "text"`).

import type { IToken, TokenType } from 'chevrotain';
import { tokenMatcher } from './chevrotain.js';
import {
  And,
  As,
  Bang,
  BlankCoalesce,
  Case,
  Catch,
  Coalesce,
  Colon,
  Comma,
  CompareOp,
  Dot,
  Each,
  Else,
  End,
  Eq,
  Identifier,
  If,
  LBracket,
  LCurly,
  Let,
  LParen,
  Or,
  Pipe,
  RBracket,
  RCurly,
  RParen,
  StringTok,
  Then,
  When,
} from './tokens.js';

const OPENERS = new Set<TokenType>([LParen, LBracket, LCurly, Case]);
const CLOSERS = new Set<TokenType>([RParen, RBracket, RCurly, End]);

/**
 * Tokens after which a line is unfinished: the expression must go on. A bare `$` is not among
 * them: it is a whole path (the event), which the Segment importer prints for `{"@path": "$"}`.
 */
const CONTINUES: TokenType[] = [
  And, Or, CompareOp, Coalesce, BlankCoalesce, Pipe, Catch, Comma, Colon, If, Then, Else, When, Each, As, Case, Bang, Let, Dot, LParen, LBracket, LCurly,
];

const continues = (t: IToken): boolean => CONTINUES.some((type) => tokenMatcher(t, type));

/** Does `name =`, `name.key =` or `let` start at `tokens[i]`? (Asked for the first token of a line.) */
function looksLikeAssignment(tokens: readonly IToken[], i: number): boolean {
  const t = tokens[i] as IToken;
  if (tokenMatcher(t, Let)) return true;
  if (!tokenMatcher(t, Identifier)) return false;
  // `name.key.key =`: a dotted field path followed by `=` (not a path inside an expression)
  let j = i + 1;
  while (tokens[j] && tokens[j + 1] && tokenMatcher(tokens[j] as IToken, Dot)) j += 2;
  return !!tokens[j] && tokenMatcher(tokens[j] as IToken, Eq);
}

/** Does a header (`when …`, `word word`, `word "text"`) start at `tokens[i]`? */
function looksLikeHeader(tokens: readonly IToken[], i: number): boolean {
  const t = tokens[i] as IToken;
  if (tokenMatcher(t, When)) return true;
  const next = tokens[i + 1];
  return tokenMatcher(t, Identifier) && !!next && (tokenMatcher(next, Identifier) || tokenMatcher(next, StringTok));
}

/** Splits the tokens into statement chunks (each non-empty), in order. Linear. */
export function splitStatements(tokens: readonly IToken[]): IToken[][] {
  const chunks: IToken[][] = [];
  let current: IToken[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as IToken;
    const prev = tokens[i - 1];
    const newLine = !!prev && (prev.endLine ?? prev.startLine) !== t.startLine;
    // An unclosed bracket must not swallow the rest of the file: `name =` lines split even inside
    // one (a valid bracket never holds a finished line followed by `name =`); headers and `when`
    // only at depth 0, because `when` lines are normal inside `case … end`.
    const starts = looksLikeAssignment(tokens, i) || (depth === 0 && looksLikeHeader(tokens, i));
    // A keyword right after a dot is a key (`when properties.and`), not an operator awaiting more.
    const prevIsKey = i >= 2 && tokenMatcher(tokens[i - 2] as IToken, Dot);
    if (newLine && current.length > 0 && (prevIsKey || !continues(prev as IToken)) && starts) {
      chunks.push(current);
      current = [];
    }
    current.push(t);
    if (OPENERS.has(t.tokenType)) depth++;
    else if (CLOSERS.has(t.tokenType) && depth > 0) depth--;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
