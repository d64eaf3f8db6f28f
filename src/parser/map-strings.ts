// .map string literals (part of CST → AST): JSON escape decoding for double-quoted strings and the
// split of a template `"Hi {{ expr }}!"` into text parts and expression source ranges. Single
// quotes are raw text, like FQL; a double-quoted string without `{{` is a plain literal.

/** A problem inside a string literal, at absolute offsets. */
export interface StringProblem {
  code: 'MAP005' | 'MAP006';
  message: string;
  start: number;
  end: number;
  hint?: string;
}

/** A template piece: decoded text, or the absolute source range of an expression. */
export type TemplatePiece = { text: string } | { exprStart: number; exprEnd: number };

/** JSON's escapes, plus `\{` so a template-looking `"\{{x}}"` can be written literally. */
const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '{': '{' };
const HEX4 = /^[0-9a-fA-F]{4}$/;

/** Most nested `"{{ "{{ …` strings inside one template (keeps the scan iterative-safe). */
const MAX_TEMPLATE_NESTING = 16;

/**
 * End (exclusive, after `}}`) of the template expression starting at `i` (just after `{{`), or -1
 * when it is not closed on the same line. Quoted strings inside are skipped whole.
 */
export function scanTemplateExpr(text: string, i: number, nesting = 0, limit = text.length): number {
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c === 125 && i + 1 < limit && text.charCodeAt(i + 1) === 125) return i + 2;
    if (c === 10) return -1;
    if (c === 39) {
      const close = text.indexOf("'", i + 1);
      const nl = text.indexOf('\n', i + 1);
      if (close < 0 || close >= limit || (nl >= 0 && nl < close)) return -1;
      i = close + 1;
    } else if (c === 34) {
      const close = scanDoubleQuoted(text, i, nesting + 1);
      const nl = text.indexOf('\n', i + 1);
      if (close < 0 || close > limit || (nl >= 0 && nl < close)) return -1;
      i = close;
    } else i++;
  }
  return -1;
}

/**
 * End (exclusive) of the double-quoted .map string opening at `offset`, or -1 when unterminated.
 * A backslash escapes the next character; a `{{ … }}` closed on its line is skipped whole so it
 * may contain quotes; an unclosed `{{` is plain text (reported later as a template error).
 */
export function scanDoubleQuoted(text: string, offset: number, nesting = 0): number {
  if (nesting > MAX_TEMPLATE_NESTING) return -1;
  let i = offset + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c === 92) i += 2;
    else if (c === 123 && text.charCodeAt(i + 1) === 123) {
      const end = scanTemplateExpr(text, i + 2, nesting);
      i = end < 0 ? i + 2 : end;
    } else i++;
  }
  return -1;
}

/** Decodes JSON escapes of `source.slice(start, end)` (no quotes), reporting bad ones. */
export function decodeEscapes(source: string, start: number, end: number, problems: StringProblem[]): string {
  let out = '';
  let run = start;
  for (let i = start; i < end; i++) {
    if (source.charCodeAt(i) !== 92) continue;
    out += source.slice(run, i);
    const next = source[i + 1] ?? '';
    if (Object.hasOwn(SIMPLE_ESCAPES, next)) {
      out += SIMPLE_ESCAPES[next];
      i += 1;
    } else if (next === 'u' && HEX4.test(source.slice(i + 2, i + 6))) {
      out += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
      i += 5;
    } else {
      problems.push({
        code: 'MAP005',
        message: `invalid escape \`\\${next}\` in a double-quoted string`,
        start: i,
        end: Math.min(i + 2, end),
        hint: 'double-quoted strings use JSON escapes (`\\"` `\\\\` `\\n` `\\u00e9`) and `\\{`; for raw text use single quotes',
      });
      out += next;
      i += 1;
    }
    run = i + 1;
  }
  return out + source.slice(run, end);
}

/** True when the double-quoted content has a `{{` that is not escaped (i.e. it is a template). */
export function hasTemplate(source: string, start: number, end: number): boolean {
  for (let i = start; i < end - 1; i++) {
    const c = source.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 123 && source.charCodeAt(i + 1) === 123) return true;
  }
  return false;
}

/** Splits template content [start, end) into decoded text pieces and expression ranges. */
export function splitTemplate(source: string, start: number, end: number, problems: StringProblem[]): TemplatePiece[] {
  const pieces: TemplatePiece[] = [];
  let textStart = start;
  const flush = (to: number): void => {
    if (to > textStart) pieces.push({ text: decodeEscapes(source, textStart, to, problems) });
  };
  for (let i = start; i < end - 1; i++) {
    const c = source.charCodeAt(i);
    if (c === 92) {
      i++;
      continue;
    }
    if (c !== 123 || source.charCodeAt(i + 1) !== 123) continue;
    const close = scanTemplateExpr(source, i + 2, 0, end);
    if (close < 0) {
      problems.push({ code: 'MAP006', message: 'unclosed `{{` in a template', start: i, end: i + 2, hint: 'close it with `}}` on the same line; for a literal `{{` use single quotes' });
      break;
    }
    flush(i);
    if (/^\s*$/.test(source.slice(i + 2, close - 2)))
      problems.push({ code: 'MAP006', message: 'empty `{{ }}` in a template', start: i, end: close, hint: 'put an expression inside: `{{ traits.name }}`' });
    else pieces.push({ exprStart: i + 2, exprEnd: close - 2 });
    textStart = close;
    i = close - 1;
  }
  flush(end);
  return pieces;
}
