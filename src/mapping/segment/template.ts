// mapping-kit `@template` strings ("Hi {{traits.name}}", "{{{x}}}") → .map template parts: each
// placeholder is a path read from the current root; text stays text. Scans once, linear time.

import type { Expr } from '../../parser/ast.js';
import { parseDottedPath } from '../paths.js';
import { NO_SPAN, call, path, type Root } from './build.js';

/** Template parts, or a message for a placeholder whose path is malformed. */
export function templateParts(template: string, root: Root): Array<string | Expr> | string {
  const parts: Array<string | Expr> = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    if (template.startsWith('{{', i)) {
      // mapping-kit renders `{{{x}}}` first, then `{{x}}`; content is one or more non-`}` chars
      const triple = template.startsWith('{{{', i) ? /^\{\{\{([^}]+)\}\}\}/.exec(template.slice(i, i + 2048)) : null;
      const m = triple ?? /^\{\{([^}]+)\}\}/.exec(template.slice(i, i + 2048));
      if (m) {
        const segments = parseDottedPath((m[1] as string).trim(), NO_SPAN, false);
        if (typeof segments === 'string') return segments;
        if (text) parts.push(text);
        text = '';
        // mapping-kit renders with String(): lists comma-joined, objects "[object Object]"
        parts.push(call('segment_text', path(root, segments)));
        i += m[0].length;
        continue;
      }
    }
    text += template[i];
    i++;
  }
  if (text) parts.push(text);
  return parts;
}
