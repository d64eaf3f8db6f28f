// The .map checker (mapping.md §4): everything that can be known from the AST and the action's
// field schemas: target, fields, literal types, required fields, variables, duplicates, and the
// warnings (paths the trigger rules out, suspicious date formats). Reports all at once.

import type { ActionDefinition, FieldSchema } from '../actions/types.js';
import { actionKeys, getAction } from '../actions/index.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { AssignStmt, Expr, MapFile } from '../parser/ast.js';
import { closestName } from '../evaluator/suggest.js';
import { visitExpr } from './ast-util.js';
import { dateFormatAdvice } from './functions/dates.js';
import { possibleTypes, typesForRoot } from './trigger-types.js';

function diag(code: string, severity: 'error' | 'warning', message: string, span: Span, hint?: string, replacement?: string): Diagnostic {
  const d: Diagnostic = { code, severity, message, span };
  if (hint !== undefined) d.hint = hint;
  if (replacement !== undefined) d.replacement = replacement;
  return d;
}

function unparen(e: Expr): Expr {
  let n = e;
  while (n.kind === 'paren') n = n.expr;
  return n;
}

/** What a constant-ish expression is, for type checks: undefined when it depends on the event. */
function literalKind(e: Expr): { kind: 'string' | 'number' | 'bool' | 'null' | 'object' | 'list'; value?: unknown } | undefined {
  const n = unparen(e);
  switch (n.kind) {
    case 'literal':
      if (n.value === null) return { kind: 'null' };
      return { kind: typeof n.value === 'string' ? 'string' : typeof n.value === 'number' ? 'number' : 'bool', value: n.value };
    case 'template':
      return { kind: 'string' };
    case 'object':
      return { kind: 'object' };
    case 'list':
      return { kind: 'list' };
    default:
      return undefined;
  }
}

/**
 * The closest known name: edit distance first (evaluator's closestName), else the longest known
 * name that is a prefix of `name` or that `name` is a prefix of (`identifers` → `id`, `open` → `opened`).
 */
export function suggestName(name: string, known: readonly string[]): string | undefined {
  const close = closestName(name, known);
  if (close) return close;
  const lower = name.toLowerCase();
  let best: string | undefined;
  for (const k of known) {
    const kl = k.toLowerCase();
    if (kl.length >= 2 && (lower.startsWith(kl) || (lower.length >= 3 && kl.startsWith(lower))) && (!best || k.length > best.length)) best = k;
  }
  return best;
}

const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

/** Checks a literal assigned to a whole field against its schema. */
function checkLiteral(stmt: AssignStmt, f: FieldSchema, out: Diagnostic[]): void {
  const lit = literalKind(stmt.value);
  if (!lit || lit.kind === 'null') return;
  const span = stmt.value.span;
  const wrong = (expected: string) =>
    out.push(diag('MAP103', 'error', `\`${f.key}\` is ${article(f.type)} field; ${article(lit.kind)} cannot go there`, span, `expected ${expected}`));
  switch (f.type) {
    case 'string':
      // numbers and bools are turned into text by Segment's field typing; structures are not
      if (lit.kind === 'object' || lit.kind === 'list') wrong('a string');
      break;
    case 'number':
    case 'integer':
      if (lit.kind === 'string' && typeof lit.value === 'string' && /^-?\d+(\.\d+)?$/.test(lit.value.trim())) break;
      if (lit.kind !== 'number') wrong(f.type === 'integer' ? 'a whole number' : 'a number');
      else if (f.type === 'integer' && !Number.isInteger(lit.value)) wrong('a whole number');
      else if ((f.minimum !== undefined && (lit.value as number) < f.minimum) || (f.maximum !== undefined && (lit.value as number) > f.maximum))
        out.push(diag('MAP108', 'error', `\`${f.key}\` must be between ${f.minimum ?? '-∞'} and ${f.maximum ?? '∞'}`, span));
      break;
    case 'boolean':
      if (lit.kind !== 'bool') wrong('`true` or `false`');
      break;
    case 'datetime':
      if (lit.kind !== 'string' && lit.kind !== 'number') wrong('a date string or epoch number');
      break;
    case 'object':
      if (lit.kind !== 'object') wrong('an object `{ … }` or a path to one');
      break;
  }
  if (f.choices && lit.kind === 'string' && typeof lit.value === 'string' && !f.choices.includes(lit.value)) {
    const close = suggestName(lit.value, f.choices);
    out.push(diag('MAP105', 'error', `"${lit.value}" is not a choice of \`${f.key}\``, span, `${close ? `did you mean "${close}"? ` : ''}choices: ${f.choices.join(', ')}`, close === undefined ? undefined : JSON.stringify(close)));
  }
}

function fieldList(action: ActionDefinition): string {
  const keys = Object.keys(action.fields);
  return keys.length > 8 ? `${keys.slice(0, 8).join(', ')}, ...` : keys.join(', ');
}

/** Options of the checker: the default mapping's assigned fields (from defaults.ts) and the trigger source in effect. */
export interface CheckOptions {
  /** Top-level fields the action's default mapping assigns. */
  defaultFields: ReadonlySet<string>;
  /** The trigger's AST, when known (the file's `when`, or the parsed default trigger). */
  trigger?: Expr;
  /**
   * The file had syntax errors, so statements may be missing from the AST: findings that depend
   * on what is absent (required fields, variables defined by a dropped `let`) are not reported.
   */
  partial?: boolean;
}

/** Checks the target header; returns the action when it is known. */
export function checkTarget(file: MapFile, out: Diagnostic[]): ActionDefinition | undefined {
  if (!file.target) return undefined; // the parser reports a missing target (MAP002)
  const action = getAction(file.target.name);
  if (!action) {
    const close = suggestName(file.target.name, actionKeys);
    out.push(diag('MAP100', 'error', `\`${file.target.name}\` is not a Customer.io action`, file.target.span, `${close ? `did you mean \`${close}\`? ` : ''}actions: ${actionKeys.join(', ')}`, close));
  }
  return action;
}

/** MAP201 for one node: a `format_date`/`parse_date` call whose literal format has a suspicious token. */
function dateFormatWarnings(node: Expr, out: Diagnostic[]): void {
  if (node.kind !== 'call' || (node.name !== 'format_date' && node.name !== 'parse_date')) return;
  const fmt = node.args[1] && unparen(node.args[1]);
  if (fmt?.kind === 'literal' && typeof fmt.value === 'string') {
    for (const advice of dateFormatAdvice(fmt.value)) out.push(diag('MAP201', 'warning', advice.message, fmt.span, advice.hint));
  }
}

/** The warnings one expression earns on its own, without a file or an action (the REPL's, `compileMappingExpression`'s). */
export function expressionWarnings(expr: Expr): Diagnostic[] {
  const out: Diagnostic[] = [];
  visitExpr(expr, new Set(), (node) => dateFormatWarnings(node, out));
  return out;
}

/** Checks the statements of a file against `action`; every problem is pushed to `out`. */
export function checkStatements(file: MapFile, action: ActionDefinition, options: CheckOptions, out: Diagnostic[]): void {
  const defined = new Set<string>();
  const assigned = new Map<string, AssignStmt>();
  const wholeAssigned = new Map<string, AssignStmt[]>();
  const dotted = new Set<string>();
  const allowedTypes = options.trigger ? possibleTypes(options.trigger) : undefined;

  const checkExpr = (e: Expr) =>
    visitExpr(e, new Set(), (node, vars) => {
      if (node.kind === 'path' && node.root.kind === 'variable') {
        const name = node.root.name;
        if (!vars.has(name) && !defined.has(name) && !options.partial) {
          out.push(diag('MAP106', 'error', `\`$${name}\` is not defined here`, node.span, `define it above with \`let $${name} = …\` (or bind it with \`each … as $${name}\`)`));
        }
      } else if (node.kind === 'path' && allowedTypes && node.segments[0]?.kind === 'key') {
        const root = node.segments[0].name;
        const present = typesForRoot(root);
        if (present && ![...allowedTypes].some((t) => present.has(t))) {
          out.push(diag('MAP200', 'warning', `\`${root}\` is never present here: the trigger admits only ${[...allowedTypes].join(', ')} events`, node.span, `\`${root}\` belongs to ${[...present].join('/')} events`));
        }
      } else dateFormatWarnings(node, out);
    });

  for (const stmt of file.statements) {
    if (stmt.kind === 'let') {
      checkExpr(stmt.value);
      if (defined.has(stmt.name)) out.push(diag('MAP202', 'warning', `\`$${stmt.name}\` is defined again`, stmt.nameSpan, 'statements below see the new value'));
      defined.add(stmt.name);
      continue;
    }
    checkExpr(stmt.value);
    if (stmt.guard) checkExpr(stmt.guard);
    const [top, ...rest] = stmt.field as [string, ...string[]];
    const f = Object.hasOwn(action.fields, top) ? action.fields[top] : undefined;
    if (!f) {
      const close = suggestName(top, Object.keys(action.fields));
      // the span is the whole (maybe dotted) key: a one-step fix only when the key is the field alone
      const fix = close !== undefined && rest.length === 0 ? close : undefined;
      out.push(diag('MAP101', 'error', `\`${top}\` is not a field of ${action.key}`, stmt.fieldSpan, `${close ? `did you mean \`${close}\`? ` : ''}fields: ${fieldList(action)}`, fix));
      continue;
    }
    if (rest.length > 0 && f.type !== 'object') {
      out.push(diag('MAP102', 'error', `\`${top}\` is ${article(f.type)} field, not an object: \`${stmt.field.join('.')}\` cannot be assigned`, stmt.fieldSpan, `assign the whole field: \`${top} = …\``));
      continue;
    }
    const id = stmt.field.join('.');
    const earlier = assigned.get(id);
    if (earlier && !(earlier.guard && stmt.guard)) {
      out.push(diag('MAP107', 'error', `\`${id}\` is assigned more than once`, stmt.fieldSpan, `first assigned on line ${earlier.span.line}; give every assignment a \`when\` guard to choose between them`));
    }
    if (rest.length === 0 && dotted.has(top)) {
      out.push(diag('MAP107', 'error', `\`${top}\` is assigned after assignments into it, which it would overwrite`, stmt.fieldSpan, `put \`${top} = …\` before the \`${top}.…\` lines`));
    }
    assigned.set(id, stmt);
    if (rest.length === 0) {
      wholeAssigned.set(top, [...(wholeAssigned.get(top) ?? []), stmt]);
      checkLiteral(stmt, f, out);
    } else dotted.add(top);
  }

  // required fields: mapped by the file (not only `omit`), or by the default mapping and not replaced
  for (const key of options.partial ? [] : Object.keys(action.fields)) {
    const f = action.fields[key] as FieldSchema;
    if (!f.required) continue;
    const whole = wholeAssigned.get(key);
    const mapped = whole ? whole.some((s) => unparen(s.value).kind !== 'omit') : options.defaultFields.has(key) || dotted.has(key);
    if (!mapped) {
      const span = whole?.[0]?.span ?? file.target?.span ?? file.span;
      out.push(diag('MAP104', 'error', `required field \`${key}\` (${f.label}) has no mapping`, span, `map it, e.g. \`${key} = …\`${whole ? ' instead of `omit`' : ''}`));
    }
  }
}
