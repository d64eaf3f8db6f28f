// Lexing stage of both parsers: one Chevrotain lexer per language (built once), token offsets
// shifted when a slice of a bigger source is lexed (`when` header, template parts), and every
// lexical problem turned into a positioned diagnostic with a hint.

import type { IToken, Lexer as ChevrotainLexer } from 'chevrotain';
import { Lexer, tokenMatcher } from './chevrotain.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LineMap } from './line-map.js';
import { FOREIGN_OPERATORS, fqlTokens, isIdentPart, MalformedNumber, mapTokens, UnterminatedString } from './tokens.js';

export type Language = 'fql' | 'map';

// 'full' tracking: spans need end offsets, and .map needs token lines (a guard's `when` stays on its line).
// Validations skipped at start-up: test/parser/grammar-validation builds both with them on.
// Each built on first use (`eval` never needs the .map one).
const lexers: Partial<Record<Language, ChevrotainLexer>> = {};
function lexerFor(lang: Language): ChevrotainLexer {
  return (lexers[lang] ??= new Lexer(lang === 'fql' ? fqlTokens : mapTokens, { positionTracking: 'full', ensureOptimizations: true, skipValidations: true }));
}

export interface LexOutput {
  tokens: IToken[];
  diagnostics: Diagnostic[];
  /** Offsets where dropped characters end: a parse error right there is a cascade, not news. */
  droppedEnds: number[];
}

const error = (code: string, message: string, lines: LineMap, start: number, end: number, hint?: string): Diagnostic => ({
  code,
  severity: 'error',
  message,
  span: lines.span(start, end),
  ...(hint ? { hint } : {}),
});

/** Hint for a character that is not part of the language. */
function invalidCharHint(ch: string, lang: Language): string | undefined {
  if ((ch.codePointAt(0) ?? 0) > 0x7f) return `outside strings only ASCII is allowed; in a name escape it: \`\\${ch}\``;
  if (lang === 'fql') {
    if (ch === '&') return '`&` is not FQL, use `and`';
    if (ch === '|') return '`|` is not FQL, use `or`';
    if (ch === '#') return 'FQL has no comments';
    if (ch === '$') return 'FQL paths have no `$` prefix: write `properties.x`';
    if (ch === '{' || ch === '}' || ch === ':' || ch === '?' || ch === '*')
      return `\`${ch}\` is .map syntax, not FQL; in a name escape it: \`\\${ch}\``;
  }
  if (ch === '`') return 'strings use `"` or `\'`';
  return undefined;
}

/** What is wrong with a malformed number, as a message and a hint. `before`: the character before it. */
function malformedNumber(image: string, before: string, afterName: boolean, lang: Language): { message: string; hint?: string } {
  const body = image.replace(/^[+-]/, '');
  if (body === '') return { message: `lone \`${image}\`: a sign must be followed by digits` };
  if (image.startsWith('.')) return { message: `malformed number \`${image}\``, hint: `write a digit before the dot: \`0${image}\`` };
  if (before === '.' && /^\d/.test(image))
    return { message: `a key cannot start with a digit: \`${image}\``, hint: `escape the first character: \`\\${image}\`` };
  if (afterName) return { message: `unexpected \`${image}\` after a name`, hint: 'a space inside a name must be escaped: `product\\ 1`' };
  if (lang === 'fql' && /^\d+(\.\d+)?[eE][+-]?\d+$/.test(body))
    return { message: `numbers have no exponent in FQL: \`${image}\``, hint: `write it out: \`${String(Number(image))}\`` };
  if (/^\d+\.$/.test(body) || /^\d+\.[^\d]/.test(body)) return { message: `malformed number \`${image}\`: no digit after the decimal point` };
  if (/^\d+(\.\d+){2,}/.test(body)) return { message: `malformed number \`${image}\`: more than one decimal point` };
  return { message: `malformed number \`${image}\`: a number cannot run into a name`, hint: 'names cannot start with a digit; escape it (`\\1st`) or put a space after the number' };
}

/**
 * Lexes `lines.source.slice(start, end)` as `lang`. Token offsets are shifted to the whole source,
 * so spans and CST locations point into it. Problem tokens stay in the stream (an unterminated
 * string still counts as a string, `&&` as `and`) and are reported once here.
 */
export function lex(lang: Language, lines: LineMap, start = 0, end = lines.source.length): LexOutput {
  const source = lines.source;
  const text = start === 0 && end === source.length ? source : source.slice(start, end);
  const result = lexerFor(lang).tokenize(text);
  const diagnostics: Diagnostic[] = [];
  const droppedEnds: number[] = [];

  if (start !== 0) {
    for (const t of result.tokens) {
      t.startOffset += start;
      t.endOffset = (t.endOffset ?? t.startOffset) + start;
    }
  }

  for (const e of result.errors) {
    const from = e.offset + start;
    const bad = text.slice(e.offset, e.offset + e.length);
    const first = String.fromCodePoint(bad.codePointAt(0) ?? 63);
    const many = [...bad].length > 1;
    const message = many ? `invalid characters \`${bad.length > 24 ? `${bad.slice(0, 21)}...` : bad}\`` : `invalid character \`${first}\``;
    diagnostics.push(error('FQL001', message, lines, from, from + e.length, invalidCharHint(first, lang)));
    droppedEnds.push(from + e.length);
  }

  for (const t of result.groups['problems'] ?? []) {
    const from = t.startOffset + start;
    diagnostics.push(error('FQL003', 'backslash at end of input: an escape needs a character after `\\`', lines, from, from + 1));
    droppedEnds.push(from + 1);
  }

  for (const t of result.tokens) {
    const from = t.startOffset;
    const to = (t.endOffset ?? from) + 1;
    if (tokenMatcher(t, UnterminatedString)) {
      const q = t.image[0] ?? '"';
      const other = q === '"' ? "'" : '"';
      diagnostics.push(
        error('FQL002', `unterminated string: no closing \`${q}\``, lines, from, from + 1, `a string cannot contain its own quote; use the other style (${other}…${other}) for text with \`${q}\``),
      );
    } else if (tokenMatcher(t, MalformedNumber)) {
      let k = from - 1;
      while (k >= 0 && ' \t'.includes(source[k] ?? '')) k--;
      const afterName = k < from - 1 && k >= 0 && isIdentPart(source.charCodeAt(k));
      const { message, hint } = malformedNumber(t.image, source[from - 1] ?? '', afterName, lang);
      diagnostics.push(error('FQL004', message, lines, from, to, hint));
    } else {
      const suggestion = FOREIGN_OPERATORS.get(t.tokenType);
      if (suggestion !== undefined) {
        const not = lang === 'fql' ? 'FQL' : 'part of the language';
        diagnostics.push(error('FQL005', `unexpected \`${t.image}\``, lines, from, to, `\`${t.image}\` is not ${not}, use \`${suggestion}\``));
      }
    }
  }
  diagnostics.sort((a, b) => a.span.start - b.span.start);
  return { tokens: result.tokens, diagnostics, droppedEnds };
}
