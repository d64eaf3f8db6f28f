// Token types of both languages, in the order the lexers try them (first stage of the parser).
// FQL's vocabulary is a subset of the .map vocabulary; shared token types are the same objects so
// one expression grammar serves both. Custom matchers implement what a regex would get wrong.

import type { CustomPatternMatcherReturn, TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';
import { scanDoubleQuoted } from './map-strings.js';

// ── character classes (ASCII only: FQL names are ASCII unless escaped, fql.md §2.3) ─────────

const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** Characters that may continue an identifier: letters, digits, `_`, `-`. */
export const isIdentPart = (c: number): boolean => isAlpha(c) || isDigit(c) || c === 95 || c === 45;
/** Characters that must not directly follow a number (fql.md §2.6): letter, digit, `_`, `.`, `\`. */
const isNumberStop = (c: number): boolean => isAlpha(c) || isDigit(c) || c === 95 || c === 46 || c === 92;

/** UTF-16 length of the code point at `i` (2 for an astral character). */
function cpLength(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
}

const LETTERS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'];
const DIGITS = [...'0123456789'];

const match = (text: string, start: number, end: number): CustomPatternMatcherReturn | null =>
  end > start ? [text.slice(start, end)] : null;

// ── custom matchers ──────────────────────────────────────────────────────────────────────

/**
 * Identifier (fql.md §2.3): first `A-Za-z_` or an escape, then `A-Za-z0-9_-` or escapes; an escape
 * is `\` plus any one code point. A `\` at the very end is left for {@link TrailingBackslash}.
 */
function matchIdentifier(text: string, offset: number): CustomPatternMatcherReturn | null {
  let i = offset;
  const first = text.charCodeAt(i);
  if (isAlpha(first) || first === 95) i++;
  else if (first === 92 && i + 1 < text.length) i += 1 + cpLength(text, i + 1);
  else return null;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isIdentPart(c)) i++;
    else if (c === 92 && i + 1 < text.length) i += 1 + cpLength(text, i + 1);
    else break;
  }
  return match(text, offset, i);
}

/** Digits, optional `.digits`, optional JSON exponent; returns the end or -1. */
function scanNumber(text: string, offset: number, exponent: boolean): number {
  let i = offset;
  const s = text.charCodeAt(i);
  if (s === 43 || s === 45) i++;
  const digitsStart = i;
  while (isDigit(text.charCodeAt(i))) i++;
  if (i === digitsStart) return -1;
  if (text.charCodeAt(i) === 46 && isDigit(text.charCodeAt(i + 1))) {
    i += 2;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  if (exponent && (text.charCodeAt(i) === 101 || text.charCodeAt(i) === 69)) {
    let j = i + 1;
    if (text.charCodeAt(j) === 43 || text.charCodeAt(j) === 45) j++;
    if (isDigit(text.charCodeAt(j))) {
      while (isDigit(text.charCodeAt(j))) j++;
      i = j;
    }
  }
  return i;
}

/** A well-formed number that is not glued to a following name character (fql.md §2.6). */
function numberMatcher(exponent: boolean) {
  return (text: string, offset: number): CustomPatternMatcherReturn | null => {
    const end = scanNumber(text, offset, exponent);
    if (end < 0 || (end < text.length && isNumberStop(text.charCodeAt(end)))) return null;
    return match(text, offset, end);
  };
}

/**
 * Anything number-like that {@link numberMatcher} rejected: `1e3`, `5.`, `1.2.3`, `1st`, a lone
 * sign, or `.5` where the dot cannot be a path separator. Kept in the token stream as a number so
 * one lexical error does not cascade into syntax errors.
 */
function matchMalformedNumber(text: string, offset: number): CustomPatternMatcherReturn | null {
  let i = offset;
  const c = text.charCodeAt(i);
  if (c === 46) {
    // `.5`: only when the dot cannot end a path or a bracket (`a.5` is a path error instead).
    const prev = offset > 0 ? text.charCodeAt(offset - 1) : 32;
    if (!isDigit(text.charCodeAt(i + 1)) || isIdentPart(prev) || prev === 92 || prev === 93 || prev === 41) return null;
  } else if (c === 43 || c === 45) {
    i++;
    if (!isDigit(text.charCodeAt(i))) return match(text, offset, i); // lone sign
  } else if (!isDigit(c)) return null;
  while (i < text.length) {
    const d = text.charCodeAt(i);
    if (d === 92 && i + 1 < text.length) i += 1 + cpLength(text, i + 1);
    else if (isNumberStop(d) || d === 43 || d === 45) {
      // a sign continues the run only right after an exponent letter (`1e-3`)
      if ((d === 43 || d === 45) && !(text.charCodeAt(i - 1) === 101 || text.charCodeAt(i - 1) === 69)) break;
      i++;
    } else break;
  }
  return match(text, offset, i);
}

/** A string in one quote style, no escape sequences (FQL §2.5, .map single quotes). */
function rawStringMatcher(quotes: string) {
  return (text: string, offset: number): CustomPatternMatcherReturn | null => {
    const q = text[offset];
    if (q === undefined || !quotes.includes(q)) return null;
    const end = text.indexOf(q, offset + 1);
    return end < 0 ? null : match(text, offset, end + 1);
  };
}

function matchMapDoubleString(text: string, offset: number): CustomPatternMatcherReturn | null {
  if (text.charCodeAt(offset) !== 34) return null;
  const end = scanDoubleQuoted(text, offset);
  return end < 0 ? null : match(text, offset, end);
}

/** An opening quote with no closing one: the rest of the input (reported at the opening quote). */
function matchUnterminated(text: string, offset: number): CustomPatternMatcherReturn | null {
  const q = text.charCodeAt(offset);
  return q === 34 || q === 39 ? match(text, offset, text.length) : null;
}

function matchTrailingBackslash(text: string, offset: number): CustomPatternMatcherReturn | null {
  return text.charCodeAt(offset) === 92 && offset === text.length - 1 ? ['\\'] : null;
}

// ── categories (no pattern) ─────────────────────────────────────────────────────────────

/** Any string literal token (well-formed or unterminated, either language). */
export const StringTok = createToken({ name: 'StringTok', pattern: Lexer.NA });
/** Any number token (well-formed or malformed). */
export const NumberTok = createToken({ name: 'NumberTok', pattern: Lexer.NA });
/** Every keyword: keyword spellings are accepted as keys after `.` (fql.md §2.4). */
export const Keyword = createToken({ name: 'Keyword', pattern: Lexer.NA });
/** `=` `!=` `<` `<=` `>` `>=` `in` */
export const CompareOp = createToken({ name: 'CompareOp', pattern: Lexer.NA });

// ── shared tokens ───────────────────────────────────────────────────────────────────────

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED, line_breaks: true });
export const Identifier = createToken({
  name: 'Identifier',
  pattern: { exec: matchIdentifier },
  line_breaks: true, // an escape may be `\` + newline
  start_chars_hint: [...LETTERS, '_', '\\'],
});

const keyword = (name: string, word: string, categories: TokenType[] = []): TokenType =>
  createToken({ name, pattern: new RegExp(word), longer_alt: Identifier, categories: [Keyword, ...categories] });

export const And = keyword('And', 'and');
export const Or = keyword('Or', 'or');
export const In = keyword('In', 'in', [CompareOp]);
export const Null = keyword('Null', 'null');
export const True = keyword('True', 'true');
export const False = keyword('False', 'false');

export const FqlString = createToken({
  name: 'FqlString',
  pattern: { exec: rawStringMatcher(`"'`) },
  line_breaks: true,
  categories: [StringTok],
  start_chars_hint: ['"', "'"],
});
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: { exec: matchUnterminated },
  line_breaks: true,
  categories: [StringTok],
  start_chars_hint: ['"', "'"],
});
export const FqlNumber = createToken({
  name: 'FqlNumber',
  pattern: { exec: numberMatcher(false) },
  line_breaks: false,
  categories: [NumberTok],
  start_chars_hint: [...DIGITS, '+', '-'],
});
export const MalformedNumber = createToken({
  name: 'MalformedNumber',
  pattern: { exec: matchMalformedNumber },
  line_breaks: true,
  categories: [NumberTok],
  start_chars_hint: [...DIGITS, '+', '-', '.'],
});
export const TrailingBackslash = createToken({
  name: 'TrailingBackslash',
  pattern: { exec: matchTrailingBackslash },
  line_breaks: false,
  group: 'problems',
  start_chars_hint: ['\\'],
});

// Operators. Foreign spellings (`==`, `&&`, …) are lexed and counted as the FQL operator they mean,
// so the parse goes on; the lexer stage reports each one with a hint.
export const NotEq = createToken({ name: 'NotEq', pattern: /!=/, categories: [CompareOp] });
export const NotEqEq = createToken({ name: 'NotEqEq', pattern: /!==/, categories: [NotEq] });
export const Bang = createToken({ name: 'Bang', pattern: /!/ });
export const Eq = createToken({ name: 'Eq', pattern: /=/, categories: [CompareOp] });
export const EqEq = createToken({ name: 'EqEq', pattern: /===?/, categories: [Eq] });
export const LessGreater = createToken({ name: 'LessGreater', pattern: /<>/, categories: [NotEq] });
export const Le = createToken({ name: 'Le', pattern: /<=/, categories: [CompareOp] });
export const Lt = createToken({ name: 'Lt', pattern: /</, categories: [CompareOp] });
export const Ge = createToken({ name: 'Ge', pattern: />=/, categories: [CompareOp] });
export const Gt = createToken({ name: 'Gt', pattern: />/, categories: [CompareOp] });
export const AmpAmp = createToken({ name: 'AmpAmp', pattern: /&&/, categories: [And] });
export const BarBar = createToken({ name: 'BarBar', pattern: /\|\|/, categories: [Or] });

export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', pattern: /]/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Dot = createToken({ name: 'Dot', pattern: /\./ });

// ── .map-only tokens ────────────────────────────────────────────────────────────────────

export const Comment = createToken({ name: 'Comment', pattern: /#[^\n]*/, group: Lexer.SKIPPED });
/** A byte-order mark at the very start of a .map file (editors on Windows write one). */
export const ByteOrderMark = createToken({
  name: 'ByteOrderMark',
  pattern: { exec: (text: string, offset: number) => (offset === 0 && text.charCodeAt(0) === 0xfeff ? ['\ufeff'] : null) },
  line_breaks: false,
  group: Lexer.SKIPPED,
  start_chars_hint: ['\ufeff'],
});
export const If = keyword('If', 'if');
export const Then = keyword('Then', 'then');
export const Else = keyword('Else', 'else');
export const Case = keyword('Case', 'case');
export const When = keyword('When', 'when');
export const End = keyword('End', 'end');
export const Each = keyword('Each', 'each');
export const As = keyword('As', 'as');
export const Omit = keyword('Omit', 'omit');
export const Catch = keyword('Catch', 'catch');
export const Let = keyword('Let', 'let');

export const MapRawString = createToken({
  name: 'MapRawString',
  pattern: { exec: rawStringMatcher("'") },
  line_breaks: true,
  categories: [StringTok],
  start_chars_hint: ["'"],
});
export const MapString = createToken({
  name: 'MapString',
  pattern: { exec: matchMapDoubleString },
  line_breaks: true,
  categories: [StringTok],
  start_chars_hint: ['"'],
});
export const MapNumber = createToken({
  name: 'MapNumber',
  pattern: { exec: numberMatcher(true) },
  line_breaks: false,
  categories: [NumberTok],
  start_chars_hint: [...DIGITS, '+', '-'],
});
export const Variable = createToken({ name: 'Variable', pattern: /\$[A-Za-z_][A-Za-z0-9_]*/ });
export const Dollar = createToken({ name: 'Dollar', pattern: /\$/ });
export const LCurly = createToken({ name: 'LCurly', pattern: /{/ });
export const RCurly = createToken({ name: 'RCurly', pattern: /}/ });
export const Coalesce = createToken({ name: 'Coalesce', pattern: /\?\?/ });
export const BlankCoalesce = createToken({ name: 'BlankCoalesce', pattern: /\?:/ });
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
export const Pipe = createToken({ name: 'Pipe', pattern: /\|/ });
export const Star = createToken({ name: 'Star', pattern: /\*/ });

// ── vocabularies (lexing order) ─────────────────────────────────────────────────────────

const operators = [NotEqEq, NotEq, Bang, EqEq, Eq, LessGreater, Le, Lt, Ge, Gt, AmpAmp];
const punctuation = [LParen, RParen, LBracket, RBracket, Comma];
const fqlKeywords = [And, Or, In, Null, True, False];

/** FQL tokens in lexing order; the categories are appended so the parser knows them. */
export const fqlTokens: TokenType[] = [
  WhiteSpace,
  FqlString,
  UnterminatedString,
  FqlNumber,
  MalformedNumber,
  ...fqlKeywords,
  Identifier,
  TrailingBackslash,
  ...operators,
  BarBar,
  ...punctuation,
  Dot,
  StringTok,
  NumberTok,
  Keyword,
  CompareOp,
];

/** .map tokens in lexing order (a superset of FQL's, with JSON-style numbers and `"` escapes). */
export const mapTokens: TokenType[] = [
  ByteOrderMark,
  WhiteSpace,
  Comment,
  MapString,
  MapRawString,
  UnterminatedString,
  MapNumber,
  MalformedNumber,
  ...fqlKeywords,
  If,
  Then,
  Else,
  Case,
  When,
  End,
  Each,
  As,
  Omit,
  Catch,
  Let,
  Identifier,
  TrailingBackslash,
  Variable,
  Dollar,
  ...operators,
  BarBar,
  Pipe,
  Coalesce,
  BlankCoalesce,
  Colon,
  LCurly,
  RCurly,
  Star,
  ...punctuation,
  Dot,
  StringTok,
  NumberTok,
  Keyword,
  CompareOp,
];

/** Foreign operator spellings and the FQL spelling to suggest. */
export const FOREIGN_OPERATORS = new Map<TokenType, string>([
  [EqEq, '='],
  [NotEqEq, '!='],
  [LessGreater, '!='],
  [AmpAmp, 'and'],
  [BarBar, 'or'],
]);
