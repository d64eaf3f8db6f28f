// Generic traversal helpers over the AST of both languages (used by depth checks, the `when`
// purity check and printers). No recursion here: callers choose how to walk.

import type { Expr } from './ast.js';

/** The direct sub-expressions of a node, in source order. */
export function childExprs(e: Expr): Expr[] {
  switch (e.kind) {
    case 'path':
    case 'literal':
    case 'omit':
      return [];
    case 'list':
      return e.items;
    case 'paren':
      return [e.expr];
    case 'not':
      return [e.operand];
    case 'compare':
    case 'coalesce':
      return [e.left, e.right];
    case 'logical':
      return e.operands;
    case 'call':
      return e.args;
    case 'object':
      return e.entries.map((entry) => entry.value);
    case 'template':
      return e.parts.filter((p): p is Expr => typeof p !== 'string');
    case 'if':
      return e.else ? [e.cond, e.then, e.else] : [e.cond, e.then];
    case 'case': {
      const out: Expr[] = e.subject ? [e.subject] : [];
      for (const b of e.branches) out.push(...b.when, b.then);
      if (e.else) out.push(e.else);
      return out;
    }
    case 'each':
      return [e.list, e.body];
    case 'catch':
      return [e.expr, e.fallback];
  }
}
