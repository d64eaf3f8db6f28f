// Warnings (FQL318) for spellings that Segment's lexer, @segment/fql-ts (fql.md §12 Q13), rejects
// or splits although FQL accepts them: operators and names run together, a closing quote followed
// by a letter, `!` before a space, keyword-named keys, CR line ends. Reads the source around AST spans.

import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { Expr } from '../parser/ast.js';
import { walk } from './ast-walk.js';

/** fql-ts `isTerminator`: end of input, space, tab, LF, `,`, `]`, `)`. */
function isTerminator(ch: string | undefined): boolean {
  return ch === undefined || ch === ' ' || ch === '\t' || ch === '\n' || ch === ',' || ch === ']' || ch === ')';
}

function show(ch: string | undefined): string {
  return ch === undefined ? 'the end' : ch === '\r' ? 'a CR' : `\`${ch}\``;
}

/**
 * FQL318 warnings for one trigger and its AST. The AST's spans point into `text`, where the trigger
 * is `text.slice(start, end)` (the whole text for a trigger on its own; the `when` range of a
 * `.map` file): nothing outside that range is read.
 */
export function segmentLexerWarnings(text: string, root: Expr, start = 0, end = text.length): Diagnostic[] {
  /** The character at `i` of the trigger; `undefined` outside it (as at the end of the input). */
  const char = (i: number): string | undefined => (i >= start && i < end ? text[i] : undefined);
  const out: Diagnostic[] = [];
  const warn = (span: Span, message: string, hint?: string) => {
    const d: Diagnostic = { code: 'FQL318', severity: 'warning', message, span };
    if (hint !== undefined) d.hint = hint;
    out.push(d);
  };
  const stringSpans: Span[] = [];
  walk(root, (node) => {
    switch (node.kind) {
      case 'compare': {
        const after = char(node.opSpan.end);
        if ((node.op === '!=' || node.op === '<=' || node.op === '>=') && !isTerminator(after) && after !== '\r') {
          warn(
            node.opSpan,
            node.op === '!='
              ? `Segment's lexer accepts \`!=\` only before a space, \`,\`, \`)\` or \`]\`; here ${show(after)} follows, so the trigger fails to lex and never matches`
              : `Segment's lexer splits \`${node.op}\` followed by ${show(after)} into \`${node.op[0]}\` and \`=\`: an always-false condition`,
            `add a space after \`${node.op}\``,
          );
        }
        break;
      }
      case 'path': {
        const after = char(node.span.end);
        // (a CR after it gets its own warning below)
        if (!(isTerminator(after) || after === '\r' || after === '.' || after === '(' || after === '=' || after === '!')) {
          warn(node.span, `Segment's lexer needs a space, \`=\` or \`!\` right after a field name; here ${show(after)} follows, so the trigger fails to lex and never matches`, 'add a space after the field name');
        }
        node.segments.forEach((s, i) => {
          if (i === 0 || s.kind !== 'key' || !['and', 'or', 'null'].includes(s.name)) return;
          if (char(s.span.start) !== '\\' && isTerminator(char(s.span.end))) {
            warn(s.span, `Segment's lexer reads \`${s.name}\` after a dot as the keyword, which breaks the path`, `escape it: \`\\${s.name}\``);
          }
        });
        break;
      }
      case 'literal': {
        if (typeof node.value !== 'string') break;
        stringSpans.push(node.span);
        const after = char(node.span.end);
        if (!isTerminator(after) && after !== '\r') {
          warn(node.span, `Segment's lexer re-reads a closing quote followed by ${show(after)} as an opening quote, so the text after it becomes part of a string`, 'add a space after the closing quote');
        }
        break;
      }
      case 'not': {
        const after = char(node.span.start + 1);
        if (!(after !== undefined && /[A-Za-z(]/.test(after))) {
          warn(node.span, `Segment's lexer accepts \`!\` only directly before a letter or \`(\`; here ${show(after)} follows, so the trigger fails to lex`, 'write `!` directly before `(` or the function name');
        }
        break;
      }
      case 'logical': {
        // `and(` is harmless there (an unknown word is skipped and `and` is the default join); `or(` is not
        if (node.op !== 'or') break;
        for (let i = 0; i + 1 < node.operands.length; i++) {
          const gap = text.slice((node.operands[i] as Expr).span.end, (node.operands[i + 1] as Expr).span.start);
          const at = gap.indexOf('or');
          if (at < 0) continue;
          const orAt = (node.operands[i] as Expr).span.end + at;
          const after = char(orAt + 2);
          if (!isTerminator(after) && after !== '\r') {
            warn({ ...node.span, start: orAt, end: orAt + node.op.length, column: node.span.column + (orAt - node.span.start) }, `Segment's lexer reads \`or\` followed by ${show(after)} as a word, not the operator: the conditions are joined with \`and\``, `add a space after \`${node.op}\``);
          }
        }
        break;
      }
      default:
        break;
    }
  });
  // fql-ts does not treat CR as whitespace: outside strings it is an invalid character
  for (let i = text.indexOf('\r', start); i >= 0 && i < end; i = text.indexOf('\r', i + 1)) {
    if (stringSpans.some((s) => s.start < i && i < s.end)) continue;
    const lineStart = text.lastIndexOf('\n', i - 1) + 1;
    const line = text.slice(0, i).split('\n').length;
    warn({ start: i, end: i + 1, line, column: i - lineStart + 1 }, "Segment's lexer does not accept CR (\\r) as whitespace: with CRLF line ends the trigger fails to lex or loses its later lines", 'save the trigger with LF line ends');
    break;
  }
  return out;
}
