// "Did you mean" for the command line: unknown commands, options and configuration keys, with the
// library's one closest-name rule (diagnostics/suggest.ts).

import { closestName } from '../diagnostics/suggest.js';

/** ` (did you mean `x`?)` or the empty string. */
export function suggestion(input: string, candidates: Iterable<string>): string {
  const best = closestName(input, candidates);
  return best === undefined ? '' : ` (did you mean \`${best}\`?)`;
}
