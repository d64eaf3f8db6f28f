// Warnings for triggers that Segment's own engine (@segment/destination-subscriptions, fql.md §12)
// would evaluate differently from FQL: each message says what Segment would do instead, so a user
// migrating or running both knows where results diverge. Runs once per trigger on its AST.

import type { Code } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { CallExpr, CompareExpr, Expr, LiteralExpr, LogicalExpr, PathExpr } from '../parser/ast.js';
import { conditionNodes, unparen, walk } from './ast-walk.js';
import { lookupFqlFunction } from './functions/index.js';
import { parseGlob } from './glob.js';
import { OPERATORS } from './operators.js';

/** The only path roots Segment's parser turns into conditions (R2 `tokenToConditionType`). */
export const SEGMENT_ROOTS: ReadonlySet<string> = new Set(['type', 'event', 'name', 'userId', 'properties', 'traits', 'context']);
const GET_ROOTS = new Set(['properties', 'traits', 'context']); // read with get(): split on . [ ]
const DIRECT_ROOTS = new Set(['type', 'event', 'name', 'userId']); // read as data[root]

function warn(out: Diagnostic[], code: Code, node: { span: Diagnostic['span'] }, message: string, hint?: string): void {
  const d: Diagnostic = { code, severity: 'warning', message, span: node.span };
  if (hint !== undefined) d.hint = hint;
  out.push(d);
}

function pathText(p: PathExpr): string {
  return p.segments.map((s) => (s.kind === 'key' ? s.name : s.kind === 'index' ? `[${s.index}]` : '[*]')).join('.');
}

function rootOf(p: PathExpr): string | undefined {
  const first = p.segments[0];
  return p.root.kind === 'event' && first?.kind === 'key' ? first.name : undefined;
}

function literalText(l: LiteralExpr): string {
  return typeof l.value === 'string' ? JSON.stringify(l.value) : String(l.value);
}

/** The operator Segment applies to a whole level: the last `and`/`or` in source order. */
function lastOperator(node: LogicalExpr): 'and' | 'or' {
  const last = node.operands[node.operands.length - 1];
  return last?.kind === 'logical' ? lastOperator(last) : node.op;
}

/** Leaves and operators of one parenthesis level (logical nodes reached without parentheses). */
function levelOf(node: LogicalExpr): { leaves: number; ops: Set<string> } {
  const ops = new Set<string>();
  let leaves = 0;
  const stack: Expr[] = [node];
  while (stack.length > 0) {
    const n = stack.pop() as Expr;
    if (n.kind === 'logical') {
      ops.add(n.op);
      stack.push(...n.operands);
    } else leaves++;
  }
  return { leaves, ops };
}

/** Q2 and Q3: precedence and parentheses. */
function structure(root: Expr, out: Diagnostic[]): void {
  walk(root, (node, parent) => {
    if (node.kind === 'logical' && parent?.kind !== 'logical') {
      const { leaves, ops } = levelOf(node);
      if (ops.size > 1) {
        const op = lastOperator(node);
        warn(out, 'FQL301', node, `Segment has no precedence between \`and\` and \`or\`: it joins all ${leaves} conditions at this level with \`${op}\` (the last one written)`, 'add parentheses around each `and` group so both engines read it the same way (FQL: `and` binds tighter)');
      }
    }
    if (node.kind !== 'paren') return;
    const inner = node.expr;
    walk(inner, (n) => {
      if (n.kind === 'paren') {
        warn(out, 'FQL302', n, 'Segment cuts a parenthesised group at the first `)`: nested parentheses make its parser fail, so the trigger never matches there', 'flatten the parentheses');
      } else if (n.kind === 'call' && n.span.end < inner.span.end) {
        warn(out, 'FQL302', n, `Segment ends the surrounding parenthesised group at the \`)\` of ${n.name}(): the conditions after it leave the group`, 'move the call to the end of the group, or the group’s other conditions out of it');
      }
    });
  });
}

/** Q4, Q9 (negation), Q11 (bare values). */
function conditions(root: Expr, out: Diagnostic[]): void {
  for (const node of conditionNodes(root)) {
    if (node.kind === 'path') {
      warn(out, 'FQL309', node, `Segment cannot use a bare \`${pathText(node)}\` as a condition: its parser fails ("Value token is missing") or reads the next word as a value`, `write \`${pathText(node)} = true\``);
    } else if (node.kind === 'literal') {
      warn(out, 'FQL309', node, `Segment does not accept a bare ${literalText(node)} as a condition: it is dropped`);
    }
  }
  walk(root, (node) => {
    if (node.kind !== 'not') return;
    const operand = node.operand;
    if (operand.kind === 'call' && (operand.name === 'contains' || operand.name === 'match')) {
      const subject = operand.args[0];
      const what = subject?.kind === 'path' ? `\`${pathText(subject)}\`` : 'the value';
      warn(out, 'FQL315', node, `Segment's negated ${operand.name}() is false when ${what} is missing or not a string; FQL's \`!\` makes it true`, subject?.kind === 'path' ? `add \`${pathText(subject)} != null and\` before it so both engines agree` : undefined);
    } else if (operand.kind === 'paren') {
      warn(out, 'FQL303', node, 'Segment ignores this `!`: it evaluates the parenthesised condition without the negation', 'negate the comparisons inside instead (`!=`, swapped `and`/`or`)');
    } else {
      warn(out, 'FQL303', node, 'Segment supports `!` only directly before contains() or match(): here its parser fails or drops the negation', 'write the negated comparison (`x != …`) instead');
    }
  });
}

/** Q5, Q10, Q12: paths and functions. */
function pathsAndCalls(root: Expr, out: Diagnostic[]): void {
  walk(root, (node) => {
    if (node.kind === 'path') {
      const r = rootOf(node);
      if (r === undefined) return;
      const rest = node.segments.slice(1);
      if (GET_ROOTS.has(r)) {
        for (const s of rest) {
          if (s.kind !== 'key') continue;
          if (/[.[\]]/.test(s.name)) {
            warn(out, 'FQL310', s, `Segment re-joins the path with dots and splits it on \`.\`, \`[\` and \`]\`: it reads \`${pathText(node)}\` as separate keys, not the key \`${s.name}\``, 'rename the key if you can; both engines agree only on keys without . [ ]');
          } else if (/^[0-9]+$/.test(s.name)) {
            warn(out, 'FQL310', s, `Segment's get() indexes lists: when the value before \`${s.name}\` is a list, Segment reads its element ${s.name}; FQL reads missing`);
          } else if (s.name === 'length') {
            warn(out, 'FQL310', s, "Segment's get() reads `.length` of strings and lists; FQL reads only an own key named `length` (use length(x))");
          } else if (s.name in Object.prototype) {
            warn(out, 'FQL310', s, `Segment's get() also reads inherited properties: where \`${s.name}\` is not an own key it finds Object.prototype's \`${s.name}\`; FQL reads missing`);
          }
        }
      } else if (DIRECT_ROOTS.has(r) && rest.length > 0) {
        warn(out, 'FQL310', node, `Segment reads \`${r}\` itself and ignores \`.${pathText(node).slice(r.length + 1)}\``);
      }
    } else if (node.kind === 'call' && node.name !== 'contains' && node.name !== 'match' && lookupFqlFunction(node.name)) {
      // (unknown names are already errors)
      warn(out, 'FQL308', node.nameSpan === undefined ? node : { span: node.nameSpan }, `Segment supports only contains() and match(): with ${node.name}() its parser fails ("Value token is missing") or drops the condition`);
    }
  });
}

/** A path in a position where Segment reads it as a field: left of a comparison, first argument. */
function checkRoot(path: PathExpr, out: Diagnostic[], allowed: (root: string) => boolean, what: string): void {
  const r = rootOf(path);
  if (r !== undefined && !allowed(r)) {
    warn(out, 'FQL304', path, `Segment silently drops ${what} on \`${r}\`: it reads only type, event, name, userId, properties, traits and context`, 'the rest of the trigger is evaluated without it');
  }
}

/** Q6–Q8: one comparison's shape and literal. */
function comparison(node: CompareExpr, out: Diagnostic[]): void {
  const left = unparen(node.left);
  const right = unparen(node.right);
  if (node.op === 'in') {
    warn(out, 'FQL307', { span: node.opSpan }, 'Segment has no `in` operator: it reads `in` as an unknown operator with the value "[", so the condition is always false', 'write `x = "a" or x = "b"` for Segment');
  }
  if (left.kind !== 'path') {
    if (left.kind === 'call' && (left.name === 'contains' || left.name === 'match')) {
      warn(out, 'FQL306', node, `Segment ignores \`${node.op} …\` after ${left.name}() and uses the call's result alone`, 'use the call alone, or `!call(...)` for the negation');
    } else {
      warn(out, 'FQL306', node.left, 'Segment reads only `field operator literal`: with this on the left the condition is dropped or fails to parse', left.kind === 'literal' ? 'swap the sides: put the field on the left' : undefined);
    }
    return;
  }
  checkRoot(left, out, (r) => SEGMENT_ROOTS.has(r), 'conditions');
  if (node.op === 'in') return;
  if (right.kind === 'path') {
    warn(out, 'FQL306', node.right, `Segment reads \`${pathText(right)}\` on the right as the string "${pathText(right)}", not as a field`);
    return;
  }
  if (right.kind === 'list') return; // FQL307 says it
  if (right.kind !== 'literal') {
    warn(out, 'FQL306', node.right, 'Segment takes a single literal on the right of a comparison: this right side is not read as written');
    return;
  }
  const root = rootOf(left);
  if (root === undefined) return;
  const v = right.value;
  if (GET_ROOTS.has(root) && left.segments.length >= 3) falsyIntermediate(node, left, v, out);
  if (node.op === '=' || node.op === '!=') {
    if (root === 'type' || root === 'event') {
      if (v === null || typeof v === 'number' || typeof v === 'boolean') {
        const extra = v === null ? (node.op === '=' ? ': false for a missing value' : ': true for a missing value') : '';
        warn(out, 'FQL312', node.right, `Segment compares \`${root}\` with the string "${String(v)}"${extra}; FQL compares with ${v === null ? 'null (missing)' : `the ${typeof v} ${String(v)}`}`);
      }
    } else if (root === 'name' || root === 'userId') {
      const stringified = typeof v === 'number' || (typeof v === 'boolean' && (root === 'name' || node.op === '!='));
      if (stringified) warn(out, 'FQL312', node.right, `Segment compares \`${root}\` with the string "${String(v)}", so it matches that string and not the ${typeof v} ${String(v)}`);
    } else if (GET_ROOTS.has(root) && node.op === '!=') {
      if (typeof v === 'number') {
        warn(out, 'FQL313', node.right, `Segment's \`!= ${v}\` requires a real number: it is false when \`${pathText(left)}\` is missing or not a number; FQL gives true`, `add \`${pathText(left)} != null and\` only if you want Segment's behaviour`);
      } else if (typeof v === 'boolean') {
        warn(out, 'FQL313', node.right, `Segment compares \`!= ${v}\` with the string "${v}": it is true even when \`${pathText(left)}\` is the boolean ${v}`);
      }
    }
  } else if (SEGMENT_ROOTS.has(root)) {
    // ordering: Segment passes the literal through Number(); FQL never compares non-numbers
    // (Segment reads `null` as the text "null" → NaN; single-quoted text keeps its quotes → NaN)
    const coerced = v === null || (typeof v === 'string' && right.quote === "'") ? Number.NaN : Number(v);
    if (typeof v !== 'number' && !Number.isNaN(coerced)) {
      warn(out, 'FQL314', node.right, `Segment converts ${literalText(right)} with Number() to ${coerced} and compares numerically; FQL compares numbers only, so here it is always false`, `write the number ${coerced} without quotes`);
    }
  }
}

/**
 * Q12: Segment's get() walks with `&&`, so a falsy value on the way (0, "", false) is the result.
 * Warn when such a value would make Segment's comparison true where FQL's missing makes it false
 * or the reverse: `= 0`, `= ""`, `= false`, their `!=`, and orderings that 0 satisfies.
 */
function falsyIntermediate(node: CompareExpr, left: PathExpr, v: LiteralExpr['value'], out: Diagnostic[]): void {
  const parent = pathText({ ...left, segments: left.segments.slice(0, -1) });
  const ordering = node.op === '<' || node.op === '<=' || node.op === '>' || node.op === '>=';
  const equality = (node.op === '=' || node.op === '!=') && (v === 0 || v === '' || v === false);
  const zeroSatisfies = ordering && typeof v === 'number' && OPERATORS[node.op].test(0, v);
  if (equality || zeroSatisfies) {
    warn(out, 'FQL317', node, `Segment's get() stops at a falsy value: when \`${parent}\` is 0, "" or false, Segment compares that value itself instead of missing`, `add \`${parent} != null and\` only if you want to rule such events out in both engines`);
  }
}

/** Q9: contains()/match() argument shapes and glob patterns. */
function segmentCall(node: CallExpr, out: Diagnostic[]): void {
  const [subject, second] = node.args;
  if (subject) {
    const s = unparen(subject);
    if (s.kind !== 'path') {
      warn(out, 'FQL316', subject, `Segment takes the first argument of ${node.name}() as a field name: this argument is not read as written`);
    } else {
      checkRoot(s, out, (root) => root === 'event' || root === 'name' || root === 'userId' || GET_ROOTS.has(root), `${node.name}()`);
    }
  }
  if (!second) return;
  const p = unparen(second);
  if (p.kind !== 'literal' || typeof p.value !== 'string') {
    const text = p.kind === 'path' ? `the string "${pathText(p)}"` : 'the token text';
    warn(out, 'FQL316', second, `Segment takes the second argument of ${node.name}() as a literal: it uses ${text}`);
    return;
  }
  if (node.name !== 'match' || p.quote === "'") return; // single quotes: FQL305 already says it
  const pattern = p.value;
  const segments = parseGlob(pattern);
  const plain = (t: string) => !/[*?[\\]/.test(t);
  const isPrefix = pattern.endsWith('*') && plain(pattern.slice(0, -1));
  const isSuffix = pattern.startsWith('*') && plain(pattern.slice(1));
  if (segments && (isPrefix || isSuffix)) return;
  const segmentReads = pattern.endsWith('*') ? `starts with "${pattern.slice(0, -1)}"` : `ends with "${pattern.slice(1)}"`;
  warn(out, 'FQL311', second, `Segment has no glob matching: for this pattern it tests whether the value ${segmentReads}, literally`, 'Segment agrees only on plain prefix `"abc*"` or suffix `"*abc"` patterns');
}

/** Every Segment-divergence warning (FQL301–FQL316) for one parsed trigger. */
export function segmentCompatWarnings(root: Expr): Diagnostic[] {
  const out: Diagnostic[] = [];
  structure(root, out);
  conditions(root, out);
  pathsAndCalls(root, out);
  walk(root, (node, parent) => {
    if (node.kind === 'literal' && node.quote === "'") {
      warn(out, 'FQL305', node, `Segment keeps the quotes of single-quoted strings: it uses '${String(node.value)}' with the quote characters, so comparisons, contains() and match() see different text`, 'use double quotes');
    } else if (node.kind === 'list' && !(parent?.kind === 'compare' && parent.op === 'in')) {
      warn(out, 'FQL307', node, 'Segment has no list literals: this comparison is always false there');
    } else if (node.kind === 'compare') {
      comparison(node, out);
    } else if (node.kind === 'call' && (node.name === 'contains' || node.name === 'match')) {
      segmentCall(node, out);
    }
  });
  out.sort((a, b) => a.span.start - b.span.start);
  return out;
}
