// Compile-time warnings about a trigger that is valid FQL but cannot behave as written: malformed
// glob patterns, comparisons whose operand types make them always false, and values in condition
// position that are never true. Runs once per trigger on its AST.

import type { Code } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Expr } from '../parser/ast.js';
import { conditionNodes, unparen, walk } from './ast-walk.js';
import { lookupFqlFunction } from './functions/index.js';
import { isValidGlob } from './glob.js';
import { closestName } from '../diagnostics/suggest.js';

function warning(code: Code, message: string, node: Expr, hint?: string): Diagnostic {
  const d: Diagnostic = { code, severity: 'warning', message, span: node.span };
  if (hint !== undefined) d.hint = hint;
  return d;
}

/** The value of a constant literal node, if it is one (through parentheses). */
function literalOf(node: Expr): { value: string | number | boolean | null } | undefined {
  const n = unparen(node);
  return n.kind === 'literal' ? { value: n.value } : undefined;
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value === 'string' ? `the string ${JSON.stringify(value)}` : `\`${String(value)}\``;
}

/** The top-level fields of a Segment event (the spec's common fields and each call's own). */
export const SEGMENT_EVENT_FIELDS: readonly string[] = [
  'type', 'event', 'name', 'userId', 'anonymousId', 'messageId', 'timestamp', 'sentAt', 'receivedAt', 'originalTimestamp',
  'properties', 'traits', 'context', 'integrations', 'groupId', 'previousId', 'category', 'channel', 'version',
];

/** Warnings FQL210–FQL214 for one parsed trigger. */
export function lintTrigger(root: Expr): Diagnostic[] {
  const out: Diagnostic[] = [];
  const flagged = new Set<string>();
  walk(root, (node) => {
    // `Type = "track"`, `trais.email`: a root that is not a Segment field but nearly one
    if (node.kind === 'path' && node.root.kind === 'event' && node.segments[0]?.kind === 'key') {
      const first = node.segments[0].name;
      if (!SEGMENT_EVENT_FIELDS.includes(first) && !flagged.has(first)) {
        const near = closestName(first, SEGMENT_EVENT_FIELDS);
        if (near !== undefined) {
          flagged.add(first);
          const d = warning('FQL214', `\`${first}\` is not a field of Segment events: did you mean \`${near}\`?`, node, `names are case-sensitive; write \`${near}\``);
          d.span = node.segments[0].span;
          out.push(d);
        }
      }
    }
    if (node.kind === 'call' && node.name === 'match' && node.args.length === 2) {
      const pattern = literalOf(node.args[1] as Expr);
      if (pattern && typeof pattern.value === 'string' && !isValidGlob(pattern.value)) {
        out.push(warning('FQL210', `malformed glob pattern ${JSON.stringify(pattern.value)}: match() is always false`, node.args[1] as Expr, 'classes need a closing `]` and at least one item; `-` and `]` inside a class need `\\`; a lone trailing `\\` is not allowed'));
      }
    }
    if (node.kind !== 'compare') return;
    if (node.left.kind === 'not') {
      out.push(warning('FQL213', `\`!\` binds tighter than \`${node.op}\`: this compares the boolean \`!…\` with the right side`, node, `to negate the comparison write \`!(… ${node.op} …)\`${node.op === '=' ? ' or use `!=`' : ''}`));
    }
    if (node.op === '<' || node.op === '<=' || node.op === '>' || node.op === '>=') {
      for (const side of [node.left, node.right]) {
        const lit = literalOf(side);
        if (lit && typeof lit.value !== 'number') {
          out.push(warning('FQL211', `\`${node.op}\` compares numbers only; ${describe(lit.value)} is not a number, so this is always false`, side, typeof lit.value === 'string' && /^[+-]?[0-9]+(\.[0-9]+)?$/.test(lit.value) ? `write the number without quotes: ${lit.value}` : undefined));
        }
      }
    } else if (node.op === 'in') {
      const right = unparen(node.right);
      if (right.kind === 'literal') {
        out.push(warning('FQL211', `\`in\` needs a list on the right; ${describe(right.value)} is not a list, so this is always false`, node.right, typeof right.value === 'string' ? 'for a substring test write contains(x, "…")' : undefined));
      }
    }
  });
  for (const node of conditionNodes(root)) {
    if (node.kind === 'literal' && node.value !== true && node.value !== false) {
      out.push(warning('FQL212', `${describe(node.value)} used as a condition is never true`, node, 'only the boolean true is true'));
    } else if (node.kind === 'list') {
      out.push(warning('FQL212', 'a list used as a condition is never true', node, 'only the boolean true is true; use `x in [...]` for membership'));
    } else if (node.kind === 'call') {
      const def = lookupFqlFunction(node.name);
      if (def && def.result !== 'bool' && def.result !== 'any') {
        out.push(warning('FQL212', `${node.name}() returns a ${def.result}, so as a condition it is never true`, node, `compare it: e.g. ${node.name}(…) = …`));
      }
    }
  }
  return out;
}
