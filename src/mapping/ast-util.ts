// Compile-time helper over .map ASTs: visiting every expression with the `$variables` in scope
// (the event paths a mapping reads: parser/walk.ts's collectReads). Run once per source.

import type { Expr } from '../parser/ast.js';
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
