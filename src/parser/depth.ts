// Nesting limits, checked before and after parsing so hostile input (5,000 `(` or `!`) gives a
// diagnostic instead of a stack overflow in the parser, the CST → AST step or later compilers.

import type { IToken, TokenType } from 'chevrotain';
import { tokenMatcher } from './chevrotain.js';
import type { Expr } from './ast.js';
import { childExprs } from './walk.js';
import { Bang, Case, Dot, Each, End, Eq, If, LBracket, LCurly, LParen, Let, RBracket, RCurly, RParen } from './tokens.js';

/** Most nested levels of brackets, `!`, `if`/`each`/`case` and binary chains one expression may have. */
export const MAX_DEPTH = 128;

// None of these token types has sub-types (categories), so a set lookup on `tokenType` suffices.
const OPENERS = new Set<TokenType>([LParen, LBracket, LCurly, Case]);
const CLOSERS = new Set<TokenType>([RParen, RBracket, RCurly, End]);
const FORMS = new Set<TokenType>([If, Each]);

/**
 * Token pre-scan: the first token at which brackets plus pending prefixes exceed `limit`, or
 * undefined. Linear; never recurses. A `!` run ends where its operand starts; `if`/`each` nest
 * until their bracket closes or a new .map statement starts (a line that begins `name =`, `let`).
 */
export function findTooDeep(tokens: readonly IToken[], limit = MAX_DEPTH): IToken | undefined {
  const frames: Array<{ bangs: number; forms: number }> = [{ bangs: 0, forms: 0 }];
  let depth = 0; // brackets + every pending prefix on the stack
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as IToken;
    const top = frames[frames.length - 1] as { bangs: number; forms: number };
    if (OPENERS.has(t.tokenType)) {
      frames.push({ bangs: 0, forms: 0 });
      depth++;
    } else if (CLOSERS.has(t.tokenType)) {
      if (frames.length > 1) {
        frames.pop();
        depth -= 1 + top.bangs + top.forms;
      }
    } else if (t.tokenType === Bang) {
      top.bangs++;
      depth++;
    } else if (FORMS.has(t.tokenType)) {
      top.forms++;
      depth++;
    } else {
      depth -= top.bangs;
      top.bangs = 0;
      if (frames.length === 1 && startsStatement(tokens, i)) {
        depth -= top.forms;
        top.forms = 0;
      }
    }
    if (depth > limit) return t;
  }
  return undefined;
}

/** A .map statement start: first token of its line, `let`, or a name followed by `=` / `.`. */
function startsStatement(tokens: readonly IToken[], i: number): boolean {
  const t = tokens[i] as IToken;
  const prev = tokens[i - 1];
  if (prev && prev.startLine === t.startLine) return false;
  if (tokenMatcher(t, Let)) return true;
  const next = tokens[i + 1];
  return !!next && (tokenMatcher(next, Eq) || tokenMatcher(next, Dot));
}

/** Depth of an AST (iterative: safe on any input). Returns the first node deeper than `limit`, if any. */
export function findDeepNode(root: Expr, limit = MAX_DEPTH): Expr | undefined {
  const stack: Array<[Expr, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [Expr, number];
    if (depth > limit) return node;
    for (const child of childExprs(node)) stack.push([child, depth + 1]);
  }
  return undefined;
}
