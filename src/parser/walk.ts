// Generic traversal helpers over the AST of both languages (depth checks, the `when` purity check,
// printers, lints), and the event paths an expression reads (triggers' `reads`, mappings' `reads`,
// the trigger-set index). No recursion: explicit stacks.

import type { Expr, PathExpr } from './ast.js';

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

/** Key names of an event-rooted, keys-only path (`properties.plan`); undefined for variables, indexes or wildcards. */
export function eventKeys(path: PathExpr): string[] | undefined {
  if (path.root.kind !== 'event') return undefined;
  const keys: string[] = [];
  for (const s of path.segments) {
    if (s.kind !== 'key') return undefined;
    keys.push(s.name);
  }
  return keys;
}

/** The key prefix of an event path (`properties.items[0].sku` → `properties.items`); undefined for variable paths. */
export function eventKeyPrefix(path: PathExpr): string[] | undefined {
  if (path.root.kind !== 'event') return undefined;
  const keys: string[] = [];
  for (const s of path.segments) {
    if (s.kind !== 'key') break;
    keys.push(s.name);
  }
  return keys;
}

/**
 * Every distinct event path the expressions read, as key prefixes, in first-seen (source) order.
 * FQL paths are keys only, so for a trigger these are exactly its paths.
 */
export function collectReads(roots: Iterable<Expr>): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const root of roots) {
    const stack: Expr[] = [root];
    while (stack.length > 0) {
      const node = stack.pop() as Expr;
      if (node.kind === 'path') {
        const keys = eventKeyPrefix(node);
        const id = keys && JSON.stringify(keys);
        if (keys && id !== undefined && !seen.has(id)) {
          seen.add(id);
          out.push(keys);
        }
        continue;
      }
      const kids = childExprs(node);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as Expr);
    }
  }
  return out;
}
