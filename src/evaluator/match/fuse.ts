// Strategy `fuse` (README.md), inside one trigger's closure, at compile time: comparisons of a path
// with literals. Many comparisons of ONE path joined by one operator (`event != "A" and event !=
// "B" and …`, `event = "A" or event = "B"`, the shape every preset uses) become one path read and
// one Set lookup instead of n reads and n tests; one `key.path = literal` becomes one closure with
// a primitive `===` (the hottest shape of all, `type = "track"`).

import type { Expr, LogicalExpr, PathExpr } from '../../parser/ast.js';
import { unparen } from '../ast-walk.js';
import type { Closure } from '../types.js';
import { getKey } from '../value.js';

type Primitive = string | number | boolean;

/** `path op literal` (either order) with a non-null literal, as a fusable comparison. */
function asPathLiteral(node: Expr, op: '=' | '!='): { path: PathExpr; value: Primitive } | undefined {
  const n = unparen(node);
  if (n.kind !== 'compare' || n.op !== op) return undefined;
  const l = unparen(n.left);
  const r = unparen(n.right);
  if (l.kind === 'path' && r.kind === 'literal' && r.value !== null) return { path: l, value: r.value };
  if (r.kind === 'path' && l.kind === 'literal' && l.value !== null) return { path: r, value: l.value };
  return undefined;
}

function pathId(p: PathExpr): string {
  const root = p.root.kind === 'event' ? '' : `$${p.root.name}`;
  return JSON.stringify([root, ...p.segments.map((s) => (s.kind === 'key' ? `k${s.name}` : s.kind === 'index' ? `i${s.index}` : '*'))]);
}

/**
 * Splits the operands of an `and` (fusing `!=`) or `or` (fusing `=`) into fused membership tests
 * and the operands left as they are. Equivalent because for a non-null primitive `c`, FQL
 * `v = c` is `v === c`, and a Set's SameValueZero agrees with `===` on every JSON value.
 */
export function fuseComparisons(node: LogicalExpr, compile: (n: Expr) => Closure): { fused: Closure[]; rest: Expr[] } {
  const op = node.op === 'and' ? '!=' : '=';
  const groups = new Map<string, { path: PathExpr; values: Primitive[]; nodes: Expr[] }>();
  for (const operand of node.operands) {
    const m = asPathLiteral(operand, op);
    if (!m) continue;
    const id = pathId(m.path);
    const g = groups.get(id) ?? { path: m.path, values: [], nodes: [] };
    g.values.push(m.value);
    g.nodes.push(operand);
    groups.set(id, g);
  }
  const fusedNodes = new Set<Expr>();
  const fused: Closure[] = [];
  for (const g of groups.values()) {
    if (g.nodes.length < 2) continue;
    for (const n of g.nodes) fusedNodes.add(n);
    const get = compile(g.path);
    const set = new Set<Primitive>(g.values);
    fused.push(op === '!=' ? (e, s) => !set.has(get(e, s) as Primitive) : (e, s) => set.has(get(e, s) as Primitive));
  }
  if (fused.length === 0) return { fused, rest: node.operands };
  return { fused, rest: node.operands.filter((n) => !fusedNodes.has(n)) };
}

/**
 * `event.k0[.k1] = c` for a primitive `c`, as one closure (FQL `=` on a primitive constant is `===`;
 * getKey reads own properties only); undefined for longer paths (the general equality handles them).
 */
export function keyPathEquals(keys: readonly string[], c: Primitive): Closure | undefined {
  const [k0, k1] = keys as [string, string];
  if (keys.length === 1) return (event) => getKey(event, k0) === c;
  if (keys.length === 2) return (event) => getKey(getKey(event, k0), k1) === c;
  return undefined;
}
