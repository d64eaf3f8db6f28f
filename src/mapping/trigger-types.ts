// Which Segment event types a trigger can admit (`type = "identify"`, `type in [...]`, and/or),
// and which types carry a given top-level field: feeds the "path the trigger makes impossible"
// warning (MAP200). Conservative: anything it does not understand admits every type.

import type { Expr } from '../parser/ast.js';

const ALL = null; // "any type"
type Types = Set<string> | typeof ALL;

// Top-level fields that exist only on some call types (Segment spec). `event` and `name` are
// left out: presets match `event = …` on page/screen calls too (customerio.md §3.18).
const ROOT_TYPES: Record<string, readonly string[]> = {
  properties: ['track', 'page', 'screen'],
  traits: ['identify', 'group'],
  previousId: ['alias'],
  groupId: ['group'],
};

/** The types on which top-level field `root` exists, or undefined when any call may carry it. */
export function typesForRoot(root: string): ReadonlySet<string> | undefined {
  return Object.hasOwn(ROOT_TYPES, root) ? new Set(ROOT_TYPES[root]) : undefined;
}

function unparen(e: Expr): Expr {
  let n = e;
  while (n.kind === 'paren') n = n.expr;
  return n;
}

function isTypePath(e: Expr): boolean {
  const n = unparen(e);
  return n.kind === 'path' && n.root.kind === 'event' && n.segments.length === 1 && n.segments[0]?.kind === 'key' && n.segments[0].name === 'type';
}

function stringLiteral(e: Expr): string | undefined {
  const n = unparen(e);
  return n.kind === 'literal' && typeof n.value === 'string' ? n.value : undefined;
}

function typesOf(e: Expr): Types {
  const n = unparen(e);
  if (n.kind === 'compare') {
    if (n.op === '=') {
      const lit = isTypePath(n.left) ? stringLiteral(n.right) : isTypePath(n.right) ? stringLiteral(n.left) : undefined;
      return lit === undefined ? ALL : new Set([lit]);
    }
    if (n.op === 'in' && isTypePath(n.left)) {
      const list = unparen(n.right);
      if (list.kind !== 'list') return ALL;
      const values = list.items.map(stringLiteral);
      return values.every((v) => v !== undefined) ? new Set(values as string[]) : ALL;
    }
    return ALL;
  }
  if (n.kind === 'logical') {
    const parts = n.operands.map(typesOf);
    if (n.op === 'or') {
      if (parts.some((p) => p === ALL)) return ALL;
      return new Set(parts.flatMap((p) => [...(p as Set<string>)]));
    }
    let acc: Set<string> | undefined;
    for (const p of parts) {
      if (p === ALL) continue;
      const prev = acc;
      acc = prev === undefined ? p : new Set([...prev].filter((t) => p.has(t)));
    }
    return acc ?? ALL;
  }
  return ALL;
}

/** The event types a trigger admits, or undefined when it may admit any type. */
export function possibleTypes(trigger: Expr): ReadonlySet<string> | undefined {
  const t = typesOf(trigger);
  return t === ALL ? undefined : t;
}
