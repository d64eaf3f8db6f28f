// Read-only helpers over FQL ASTs for the compile-time passes (reads, lints, Segment warnings,
// the trigger-set index). Run once per trigger source, never per event.

import type { Expr, PathExpr } from '../parser/ast.js';

/** Child expressions of an FQL node (non-FQL nodes have none here: triggers never contain them). */
export function childrenOf(node: Expr): Expr[] {
  switch (node.kind) {
    case 'paren':
      return [node.expr];
    case 'not':
      return [node.operand];
    case 'compare':
      return [node.left, node.right];
    case 'logical':
      return node.operands;
    case 'call':
      return node.args;
    case 'list':
      return node.items;
    default:
      return [];
  }
}

/** Visits every node depth-first, parents before children, with an explicit stack (no recursion). */
export function walk(root: Expr, visit: (node: Expr, parent: Expr | undefined) => void): void {
  const stack: Array<[Expr, Expr | undefined]> = [[root, undefined]];
  while (stack.length > 0) {
    const [node, parent] = stack.pop() as [Expr, Expr | undefined];
    visit(node, parent);
    const kids = childrenOf(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i] as Expr, node]);
  }
}

/** The node with any wrapping parentheses removed. */
export function unparen(node: Expr): Expr {
  let n = node;
  while (n.kind === 'paren') n = n.expr;
  return n;
}

/** Key names of an event-rooted, keys-only path; undefined for variables, indexes or wildcards. */
export function eventKeys(node: PathExpr): string[] | undefined {
  if (node.root.kind !== 'event') return undefined;
  const keys: string[] = [];
  for (const s of node.segments) {
    if (s.kind !== 'key') return undefined;
    keys.push(s.name);
  }
  return keys;
}

/** Every distinct event path the expression reads, as key lists, in first-seen order. */
export function collectReads(root: Expr): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  walk(root, (node) => {
    if (node.kind !== 'path') return;
    const keys = eventKeys(node);
    if (!keys) return;
    const id = JSON.stringify(keys);
    if (seen.has(id)) return;
    seen.add(id);
    out.push(keys);
  });
  return out;
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
