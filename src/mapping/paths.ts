// Dotted path strings (`traits.email`, `$.properties.items[0].sku`, `properties['Product Name']`)
// turned into AST path segments once, at compile time: used by `get(obj, "path")` and by the
// Segment importer for `@path`, `@arrayPath` and `{{ }}` placeholders.

import type { PathSegment } from '../parser/ast.js';
import type { Span } from '../diagnostics/diagnostic.js';

const NO_SPAN: Span = { start: 0, end: 0, line: 1, column: 1 };

/**
 * Splits a path the way mapping-kit's `get` does: `.` separates keys, `[0]`/`["k"]`/`['k']` are
 * steps, a leading `$.` (or a bare `$`) means the root. Digits in brackets become index steps;
 * everything else is a key. Returns a message for malformed text (unclosed bracket, empty step).
 */
export function parseDottedPath(text: string, span: Span = NO_SPAN, dollarRoot = true): PathSegment[] | string {
  let s = text.trim();
  if (s === '' || s === '.') return [];
  // mapping-kit strips `$.` in @path only; in `{{ }}` placeholders `$` is an ordinary key
  if (dollarRoot) {
    if (s === '$' || s === '$.') return [];
    if (s.startsWith('$.')) s = s.slice(2);
    else if (s.startsWith('$[')) s = s.slice(1);
  }
  const out: PathSegment[] = [];
  let i = 0;
  let key = '';
  let expectKey = true; // a key may start here
  const pushKey = (): string | undefined => {
    if (key === '') return `empty step in path \`${text}\``;
    out.push({ kind: 'key', name: key, span });
    key = '';
    return undefined;
  };
  while (i < s.length) {
    const c = s[i] as string;
    if (c === '.') {
      if (key !== '') {
        const err = pushKey();
        if (err) return err;
      } else if (expectKey) return `empty step in path \`${text}\``;
      expectKey = true;
      i++;
    } else if (c === '[') {
      if (key !== '') {
        const err = pushKey();
        if (err) return err;
      }
      const close = s.indexOf(']', i);
      if (close < 0) return `unclosed \`[\` in path \`${text}\``;
      const inner = s.slice(i + 1, close).trim();
      if (/^-?\d+$/.test(inner)) out.push({ kind: 'index', index: Number(inner), span });
      else if (inner === '*') out.push({ kind: 'wildcard', span });
      else if (/^(['"]).*\1$/.test(inner) && inner.length >= 2) out.push({ kind: 'key', name: inner.slice(1, -1), span });
      else return `bad step \`[${inner}]\` in path \`${text}\``;
      i = close + 1;
      expectKey = false;
    } else {
      key += c;
      expectKey = false;
      i++;
    }
  }
  if (key !== '') {
    const err = pushKey();
    if (err) return err;
  } else if (expectKey && out.length > 0) return `path \`${text}\` ends with \`.\``;
  return out;
}
