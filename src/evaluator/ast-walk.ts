// Read-only helpers over FQL ASTs for the compile-time passes (reads, lints, Segment warnings,
// the trigger-set index). Run once per trigger source, never per event.

import type { Expr } from '../parser/ast.js';
import { childExprs } from '../parser/walk.js';

/** Visits every node depth-first, parents before children, with an explicit stack (no recursion). */
export function walk(root: Expr, visit: (node: Expr, parent: Expr | undefined) => void): void {
  const stack: Array<[Expr, Expr | undefined]> = [[root, undefined]];
  while (stack.length > 0) {
    const [node, parent] = stack.pop() as [Expr, Expr | undefined];
    visit(node, parent);
    const kids = childExprs(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i] as Expr, node]);
  }
}

/** The node with any wrapping parentheses removed. */
export function unparen(node: Expr): Expr {
  let n = node;
  while (n.kind === 'paren') n = n.expr;
  return n;
}

/**
 * Nodes in condition position: the root, operands of and/or, the operand of `!` (through
 * parentheses). Their value is read for truth, so a non-boolean there is never true.
 */
export function conditionNodes(root: Expr): Expr[] {
  const out: Expr[] = [];
  const stack: Expr[] = [root];
  while (stack.length > 0) {
    const node = unparen(stack.pop() as Expr);
    out.push(node);
    if (node.kind === 'logical') stack.push(...node.operands);
    else if (node.kind === 'not') stack.push(node.operand);
  }
  return out;
}
