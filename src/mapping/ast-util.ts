// Compile-time helpers over .map ASTs: visiting every expression with the `$variables` in scope,
// and collecting the event paths a mapping reads. Run once per source, never per event.

import type { Expr, PathExpr } from '../parser/ast.js';
import { childExprs } from '../parser/walk.js';

/**
 * Visits `root` and every sub-expression, parents first, with the set of variables bound by
 * enclosing `each … as $x` (added to `outer`). Iterative: no recursion on deep ASTs.
 */
export function visitExpr(root: Expr, outer: ReadonlySet<string>, visit: (node: Expr, vars: ReadonlySet<string>) => void): void {
  const stack: Array<[Expr, ReadonlySet<string>]> = [[root, outer]];
  while (stack.length > 0) {
    const [node, vars] = stack.pop() as [Expr, ReadonlySet<string>];
    visit(node, vars);
    if (node.kind === 'each') {
      stack.push([node.body, new Set([...vars, node.variable])]);
      stack.push([node.list, vars]);
      continue;
    }
    const kids = childExprs(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i] as Expr, vars]);
  }
}

/** The key prefix of an event path (`properties.items[0].sku` → `properties.items`), or undefined for variable paths. */
export function eventKeys(path: PathExpr): string[] | undefined {
  if (path.root.kind !== 'event') return undefined;
  const keys: string[] = [];
  for (const seg of path.segments) {
    if (seg.kind !== 'key') break;
    keys.push(seg.name);
  }
  return keys;
}

/** Distinct event paths read by some expressions (key prefixes, in first-seen order). */
export function collectReads(exprs: Iterable<Expr>): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const e of exprs) {
    visitExpr(e, new Set(), (node) => {
      if (node.kind !== 'path') return;
      const keys = eventKeys(node);
      if (!keys) return;
      const id = JSON.stringify(keys);
      if (!seen.has(id)) {
        seen.add(id);
        out.push(keys);
      }
    });
  }
  return out;
}
