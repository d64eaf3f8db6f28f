// The parsers' error message provider: turns Chevrotain's recognition errors into "expected X
// after Y, found Z" messages with a diagnostic code and an optional hint. Chevrotain carries only a
// string, so code, hint and message travel packed (see `packMessage`/`unpackMessage`).

import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import { EOF, tokenMatcher } from './chevrotain.js';
import { isCode, type Code } from '../diagnostics/codes.js';
import {
  And,
  Comma,
  CompareOp,
  Dot,
  Identifier,
  Keyword,
  LBracket,
  LParen,
  NumberTok,
  Or,
  RBracket,
  RCurly,
  RParen,
  StringTok,
} from './tokens.js';

const SEP = '\u001f';

/** Packs a code, a hint and a message into the one string Chevrotain keeps. */
export function packMessage(code: Code, message: string, hint?: string): string {
  return `${code}${SEP}${hint ?? ''}${SEP}${message}`;
}

/** Inverse of {@link packMessage}; unpacked strings (Chevrotain's own) get code FQL102. */
export function unpackMessage(text: string): { code: Code; message: string; hint?: string } {
  const parts = text.split(SEP);
  if (parts.length < 3) return { code: 'FQL102', message: text };
  const [packed = 'FQL102', hint = '', ...rest] = parts;
  const code: Code = isCode(packed) ? packed : 'FQL102';
  return hint ? { code, message: rest.join(SEP), hint } : { code, message: rest.join(SEP) };
}

const isEof = (t: IToken | undefined): boolean => !t || t.tokenType === EOF;

/** Source spelling of a token type for messages. */
const SPELLING: Record<string, string> = {
  LParen: '(',
  RParen: ')',
  LBracket: '[',
  RBracket: ']',
  LCurly: '{',
  RCurly: '}',
  Comma: ',',
  Dot: '.',
  Colon: ':',
  Eq: '=',
  Identifier: 'a name',
  StringTok: 'a string',
  NumberTok: 'a number',
  Variable: 'a `$variable`',
  CompareOp: 'a comparison operator',
  Keyword: 'a key',
};

/** `expected` side: how to name a token type. */
export function describeType(t: TokenType): string {
  const s = SPELLING[t.name];
  if (s) return s.startsWith('a ') ? s : `\`${s}\``;
  const pattern = t.PATTERN;
  return pattern instanceof RegExp && pattern.source !== 'NOT_APPLICABLE' ? `\`${pattern.source.replace(/\\/g, '')}\`` : `<${t.name}>`;
}

/** `found` side: how to name an actual token. */
export function describeToken(t: IToken | undefined): string {
  if (isEof(t) || !t) return 'end of input';
  const image = t.image.length > 24 ? `${t.image.slice(0, 21)}...` : t.image;
  if (tokenMatcher(t, StringTok)) return `string ${image.replace(/\n/g, '\\n')}`;
  if (tokenMatcher(t, NumberTok)) return `number \`${image}\``;
  if (tokenMatcher(t, Keyword)) return `keyword \`${image}\``;
  if (tokenMatcher(t, Identifier)) return `name \`${image}\``;
  return `\`${image}\``;
}

/** Hints that depend only on the offending token and the one before it. */
export function hintFor(actual: IToken | undefined, previous: IToken | undefined): string | undefined {
  if (!actual || isEof(actual)) return undefined;
  if (tokenMatcher(actual, Identifier)) {
    const lower = actual.image.toLowerCase();
    if ((lower === 'and' || lower === 'or') && actual.image !== lower) return `\`${actual.image}\` must be lowercase: \`${lower}\``;
    if (actual.image === 'not') return '`not` is not FQL, use `!`';
  }
  if (previous && tokenMatcher(previous, Identifier) && previous.image === 'not') return '`not` is not FQL, use `!`';
  if (tokenMatcher(actual, LBracket) && previous && tokenMatcher(previous, Identifier) && (previous.endOffset ?? previous.startOffset) + 1 === actual.startOffset)
    return 'FQL has no indexing: brackets only make lists; use the whole list with `in`, `=` or `length()`';
  if (tokenMatcher(actual, CompareOp) && previous && tokenMatcher(previous, CompareOp))
    return 'two operators in a row; FQL compares with a single `=`';
  return undefined;
}

const closes = (t: IToken | undefined): boolean =>
  !!t && (tokenMatcher(t, RParen) || tokenMatcher(t, RBracket) || tokenMatcher(t, RCurly));

/** The custom message provider both parsers use. */
export const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous }) {
    if (expected === EOF) return errorMessageProvider.buildNotAllInputParsedMessage({ firstRedundant: actual, ruleName: '' });
    const found = describeToken(actual);
    const hint = hintFor(actual, previous);
    if (expected === RParen || expected === RBracket || expected === RCurly) {
      const what = expected === RParen ? '`)`' : expected === RBracket ? '`,` or `]`' : '`}`';
      return packMessage('FQL102', `expected ${what} after ${describeToken(previous)}, found ${found}`, hint);
    }
    return packMessage('FQL102', `expected ${describeType(expected)} after ${describeToken(previous)}, found ${found}`, hint);
  },

  buildNotAllInputParsedMessage({ firstRedundant }) {
    if (tokenMatcher(firstRedundant, RParen)) return packMessage('FQL102', 'unmatched `)`: no `(` before it');
    if (tokenMatcher(firstRedundant, RBracket)) return packMessage('FQL102', 'unmatched `]`: no `[` before it');
    return packMessage('FQL102', `unexpected ${describeToken(firstRedundant)}`, hintFor(firstRedundant, undefined));
  },

  buildNoViableAltMessage({ actual, previous, ruleName }) {
    const tok = actual[0];
    const found = describeToken(tok);
    if (ruleName === 'indexStep')
      return packMessage('MAP009', `expected an index after \`[\`, found ${found}`, 'use `[0]`, `[-1]`, `["key"]` or `[*]`');
    if (ruleName === 'statement')
      return packMessage('MAP007', `expected a statement (\`field = value\`, \`let\`, \`example\`, a header), found ${found}`);
    const hint = hintFor(tok, previous);
    if (ruleName === 'dotKey' || (previous && tokenMatcher(previous, Dot)))
      return packMessage(
        'FQL107',
        `expected a key after \`.\`, found ${found}`,
        tok && tokenMatcher(tok, NumberTok) ? 'a key that starts with a digit must escape it: `properties.\\1st`' : hint,
      );
    if (tok && tokenMatcher(tok, Dot)) return packMessage('FQL107', `expected a value${previous && !isEof(previous) ? ` after ${describeToken(previous)}` : ''}, found \`.\``, 'a path starts with a name: `properties.x`');
    const keywordHint =
      tok && (tokenMatcher(tok, And) || tokenMatcher(tok, Or))
        ? `a condition must come before \`${tok.image}\``
        : tok && tokenMatcher(tok, Keyword)
          ? `\`${tok.image}\` is a keyword; to use it as a name, escape it: \`\\${tok.image}\``
          : hint;
    if (!previous || isEof(previous) || previous.tokenType === undefined) return packMessage('FQL101', `expected a value, found ${found}`, keywordHint);
    if (tokenMatcher(previous, LParen) && tok && tokenMatcher(tok, RParen))
      return packMessage('FQL106', 'empty parentheses: expected an expression inside `( )`');
    if (tokenMatcher(previous, Comma) && closes(tok))
      return packMessage('FQL105', `trailing comma: expected a value after \`,\`, found ${found}`, 'remove the comma before the closing bracket');
    if (tok && (tokenMatcher(tok, And) || tokenMatcher(tok, Or)) && (tokenMatcher(previous, And) || tokenMatcher(previous, Or)))
      return packMessage('FQL101', `expected a value after \`${previous.image}\`, found ${found}`, 'two operators in a row');
    return packMessage('FQL101', `expected a value after ${describeToken(previous)}, found ${found}`, keywordHint);
  },

  buildEarlyExitMessage({ actual, previous, customUserDescription, ruleName }) {
    const what = customUserDescription ?? (ruleName === 'caseExpr' ? 'a `when … then …` branch' : 'at least one item');
    return packMessage('FQL102', `expected ${what} after ${describeToken(previous)}, found ${describeToken(actual[0])}`);
  },
};
