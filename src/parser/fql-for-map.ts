// FQL trigger text made safe for a `.map` `when` header. The header is lexed as `.map` before it is
// re-parsed as FQL, and two FQL double-quoted strings read differently there: one ending in `\`
// (`.map` sees an escaped quote) and one holding `{{` (a template). FQL strings have no escapes,
// so the same string in single quotes means exactly the same and lexes the same in both languages.

import { LineMap } from './line-map.js';
import { lex } from './lexer.js';

/** Would this double-quoted FQL string content be misread by the `.map` lexer? */
function misreadInMap(content: string): boolean {
  return content.endsWith('\\') || content.includes('{{');
}

/**
 * The trigger with each double-quoted string that `.map` would misread written in single quotes
 * (same FQL meaning). A string that also holds a `'` has no safe spelling and is left as it is;
 * so is a source that does not lex as FQL.
 */
export function fqlForMapHeader(source: string): string {
  if (!source.includes('"')) return source;
  const lexed = lex('fql', new LineMap(source));
  if (lexed.diagnostics.length > 0) return source;
  let out = '';
  let at = 0;
  for (const t of lexed.tokens) {
    const image = t.image;
    if (image.length < 2 || !image.startsWith('"')) continue;
    const content = image.slice(1, -1);
    if (!misreadInMap(content) || content.includes("'")) continue;
    out += `${source.slice(at, t.startOffset)}'${content}'`;
    at = t.startOffset + image.length;
  }
  return at === 0 ? source : out + source.slice(at);
}
