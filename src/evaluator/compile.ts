// The expression compiler shared by triggers and mappings: turns an FQL AST into closures once
// (paths precompiled, operators specialised for constant operands, constant subtrees folded).
// Non-FQL node kinds go to `ctx.extend` (the mapping compiler) or are reported as "not FQL".

import type { Code } from '../diagnostics/codes.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { CallExpr, CompareExpr, Expr, ListExpr, LogicalExpr, PathExpr } from '../parser/ast.js';
import { eventKeys } from '../parser/walk.js';
import { unparen } from './ast-walk.js';
import { fuseComparisons, keyPathEquals } from './match/fuse.js';
import { equalsConstant, inConstantList, OPERATORS, type OperatorDef } from './operators.js';
import { suggestedFunctionName, suggestFunction } from './suggest.js';
import { ArgumentError, type ArgInfo, type Closure, type CompileContext, type FunctionDef } from './types.js';
import { compilePath, fqlEquals } from './value.js';

// The one compile-time fact about a closure that rides on the function object (under a private
// symbol: a WeakMap made big triggers GC-bound): it is a constant. Everything else a caller plans
// (which event paths a field reads, which function applies to them) is read from the AST.
const CONSTANT = Symbol('fql.constant');
type Marked = Closure & { [CONSTANT]?: { value: unknown } };

/** A closure that always returns `value`, recognised as a compile-time constant by `constantOf`. */
export function constantClosure(value: unknown): Closure {
  const fn: Marked = () => value;
  fn[CONSTANT] = { value };
  return fn;
}

/** The constant a closure always returns, when it was built as one (literals, folded subtrees). */
export function constantOf(fn: Closure): { value: unknown } | undefined {
  return (fn as Marked)[CONSTANT];
}

/** The keys of a plain key path read from the event root (`traits.email` → ["traits", "email"], through parentheses), else undefined. */
export function eventKeyPath(node: Expr): string[] | undefined {
  const n = unparen(node);
  return n.kind === 'path' ? eventKeys(n) : undefined;
}

const MISSING = constantClosure(undefined);
const TRUE = constantClosure(true);
const FALSE = constantClosure(false);

/** Readable names for the .map-only node kinds, for "X is not FQL". */
const NON_FQL: Record<string, string> = {
  object: 'an object literal `{ … }`',
  template: 'a `{{ … }}` template string',
  coalesce: 'the coalesce operator',
  if: '`if … then … else`',
  case: '`case … end`',
  each: '`each … as $x`',
  omit: '`omit`',
  catch: '`catch`',
};

function diag(code: Code, message: string, span: Span, hint?: string, replacement?: string): Diagnostic {
  const d: Diagnostic = { code, severity: 'error', message, span };
  if (hint !== undefined) d.hint = hint;
  if (replacement !== undefined) d.replacement = replacement;
  return d;
}

/**
 * Compiles one expression into a closure `(event, scope) => value` (`undefined` = missing).
 * Problems are reported through `ctx.report`; the returned closure is then a placeholder that
 * yields missing, so a caller can keep compiling and collect every diagnostic. FQL closures are
 * total: they never throw on any event.
 */
export function compileExpr(node: Expr, ctx: CompileContext): Closure {
  const compile = (n: Expr): Closure => compileExpr(n, ctx);
  switch (node.kind) {
    case 'literal':
      return constantClosure(node.value);
    case 'path':
      return compilePathExpr(node);
    case 'paren':
      return compile(node.expr);
    case 'list':
      return compileList(node, compile);
    case 'not': {
      const operand = compile(node.operand);
      const c = constantOf(operand);
      if (c) return c.value === true ? FALSE : TRUE;
      return (event, scope) => operand(event, scope) !== true;
    }
    case 'compare':
      return compileCompare(node, compile);
    case 'logical':
      return compileLogical(node, compile);
    case 'call':
      return compileCall(node, ctx, compile);
    default: {
      const extended = ctx.extend?.(node, compile);
      if (extended) return extended;
      const what = NON_FQL[node.kind] ?? `a \`${node.kind}\` expression`;
      ctx.report(diag('FQL204', `${what} is not ${ctx.language ?? 'FQL'}`, node.span, 'a trigger is pure FQL: paths, literals, lists, comparisons, and/or/!, and FQL functions'));
      return MISSING;
    }
  }
}

function compilePathExpr(node: PathExpr): Closure {
  const get = compilePath(node.segments);
  if (node.root.kind === 'event') return get; // (root) => value is a valid (event, scope) closure
  const name = node.root.name;
  return (_event, scope) => get(scope !== undefined && Object.hasOwn(scope, name) ? scope[name] : undefined);
}

function compileList(node: ListExpr, compile: (n: Expr) => Closure): Closure {
  const items = node.items.map(compile);
  const consts = items.map(constantOf);
  // missing elements become null: a list value is JSON
  if (consts.every((c) => c !== undefined)) {
    return constantClosure(Object.freeze(consts.map((c) => (c as { value: unknown }).value ?? null)));
  }
  return (event, scope) => {
    const out = new Array<unknown>(items.length);
    for (let i = 0; i < items.length; i++) out[i] = (items[i] as Closure)(event, scope) ?? null;
    return out;
  };
}

/** `=` with the constant folded in when one side is constant; both constant → constant. */
function compileEquals(left: Closure, right: Closure, leftNode: Expr, rightNode: Expr): Closure {
  const lc = constantOf(left);
  const rc = constantOf(right);
  if (lc && rc) return fqlEquals(lc.value, rc.value) ? TRUE : FALSE;
  if (rc || lc) {
    const c = (rc ?? lc)!.value;
    const side = rc ? left : right;
    // a keys-only event path is read without a closure hop
    const keys = eventKeyPath(rc ? leftNode : rightNode);
    const direct = keys && (typeof c === 'string' || typeof c === 'number' || typeof c === 'boolean') ? keyPathEquals(keys, c) : undefined;
    if (direct) return direct;
    const test = equalsConstant(c);
    return (event, scope) => test(side(event, scope));
  }
  return (event, scope) => fqlEquals(left(event, scope), right(event, scope));
}

function compileIn(node: CompareExpr, left: Closure, compile: (n: Expr) => Closure): Closure {
  let inner: Expr = node.right;
  while (inner.kind === 'paren') inner = inner.expr;
  if (inner.kind === 'list') {
    const items = inner.items.map(compile);
    const consts = items.map(constantOf);
    if (consts.some((c) => c === undefined)) {
      // some items read the event: test item by item, no array built per event
      return (event, scope) => {
        const v = left(event, scope);
        for (let i = 0; i < items.length; i++) if (fqlEquals(v, (items[i] as Closure)(event, scope))) return true;
        return false;
      };
    }
    return inConstant(left, consts.map((c) => (c as { value: unknown }).value));
  }
  const right = compile(node.right);
  const rc = constantOf(right);
  if (rc) return Array.isArray(rc.value) ? inConstant(left, rc.value) : FALSE;
  const test = OPERATORS.in.test;
  return (event, scope) => test(left(event, scope), right(event, scope));
}

function inConstant(left: Closure, list: readonly unknown[]): Closure {
  const test = inConstantList(list);
  const lc = constantOf(left);
  if (lc) return test(lc.value) ? TRUE : FALSE;
  return (event, scope) => test(left(event, scope));
}

function compileOrdering(op: '<' | '<=' | '>' | '>=', left: Closure, right: Closure): Closure {
  const test = OPERATORS[op].test;
  const lc = constantOf(left);
  const rc = constantOf(right);
  if (lc && rc) return test(lc.value, rc.value) ? TRUE : FALSE;
  // a constant non-number makes every ordering false (no coercion)
  if ((lc && typeof lc.value !== 'number') || (rc && typeof rc.value !== 'number')) return FALSE;
  if (rc) {
    // the operator table's row with the constant bound in (operators.ts): no second statement of `<`/`>`
    return (OPERATORS[op].against as NonNullable<OperatorDef['against']>)(left, rc.value as number);
  }
  return (event, scope) => test(left(event, scope), right(event, scope));
}

function compileCompare(node: CompareExpr, compile: (n: Expr) => Closure): Closure {
  const left = compile(node.left);
  if (node.op === 'in') return compileIn(node, left, compile);
  const right = compile(node.right);
  switch (node.op) {
    case '=':
      return compileEquals(left, right, node.left, node.right);
    case '!=': {
      // negation wraps `=`; it is never a second copy of equality
      const eq = compileEquals(left, right, node.left, node.right);
      const c = constantOf(eq);
      if (c) return c.value === true ? FALSE : TRUE;
      return (event, scope) => !eq(event, scope);
    }
    default:
      return compileOrdering(node.op, left, right);
  }
}

function compileLogical(node: LogicalExpr, compile: (n: Expr) => Closure): Closure {
  const isAnd = node.op === 'and';
  const { fused, rest } = fuseComparisons(node, compile);
  const all = [...fused, ...rest.map(compile)];
  // fold constants: a not-true constant decides `and`, a true constant decides `or`;
  // the others are neutral and dropped (evaluation has no side effects)
  const ops: Closure[] = [];
  for (const fn of all) {
    const c = constantOf(fn);
    if (!c) ops.push(fn);
    else if ((c.value === true) !== isAnd) return isAnd ? FALSE : TRUE;
  }
  const [a, b, c] = ops as [Closure, Closure, Closure];
  if (isAnd) {
    switch (ops.length) {
      case 0:
        return TRUE;
      case 1:
        return (e, s) => a(e, s) === true;
      case 2:
        return (e, s) => a(e, s) === true && b(e, s) === true;
      case 3:
        return (e, s) => a(e, s) === true && b(e, s) === true && c(e, s) === true;
      default:
        return (e, s) => {
          for (let i = 0; i < ops.length; i++) if ((ops[i] as Closure)(e, s) !== true) return false;
          return true;
        };
    }
  }
  switch (ops.length) {
    case 0:
      return FALSE;
    case 1:
      return (e, s) => a(e, s) === true;
    case 2:
      return (e, s) => a(e, s) === true || b(e, s) === true;
    case 3:
      return (e, s) => a(e, s) === true || b(e, s) === true || c(e, s) === true;
    default:
      return (e, s) => {
        for (let i = 0; i < ops.length; i++) if ((ops[i] as Closure)(e, s) === true) return true;
        return false;
      };
  }
}

/** Arity bounds of a row: required params, and the maximum (Infinity with a variadic param). */
export function arity(def: FunctionDef): { min: number; max: number } {
  let min = 0;
  let max = 0;
  for (const p of def.params) {
    if (p.variadic) max = Infinity;
    else {
      max++;
      if (!p.optional) min++;
    }
  }
  return { min, max };
}

function describeArity(def: FunctionDef): string {
  const { min, max } = arity(def);
  const n = (k: number) => `${k} argument${k === 1 ? '' : 's'}`;
  const signature = `${def.name}(${def.params.map((p) => `${p.name}${p.optional ? '?' : ''}${p.variadic ? '…' : ''}`).join(', ')})`;
  if (min === max) return `${signature} takes ${n(min)}`;
  if (max === Infinity) return `${signature} takes at least ${n(min)}`;
  return `${signature} takes ${min} to ${n(max)}`;
}

function compileCall(node: CallExpr, ctx: CompileContext, compile: (n: Expr) => Closure): Closure {
  const def = ctx.lookupFunction(node.name);
  const args = node.args.map(compile); // compiled anyway, so errors inside arguments are reported too
  if (!def) {
    const known = [...(ctx.functionNames?.() ?? [])];
    ctx.report(diag('FQL201', `unknown function \`${node.name}\``, node.nameSpan, suggestFunction(node.name, known), suggestedFunctionName(node.name, known)));
    return MISSING;
  }
  const { min, max } = arity(def);
  if (args.length < min || args.length > max) {
    const where = args.length > max ? ((node.args[max] as Expr).span ?? node.span) : node.span;
    ctx.report(diag('FQL202', `${def.name}() got ${args.length} argument${args.length === 1 ? '' : 's'}`, where, describeArity(def)));
    return MISSING;
  }
  const infos: ArgInfo[] = args.map((fn, i) => {
    const c = constantOf(fn);
    const info: ArgInfo = { eval: fn, constant: c !== undefined, span: (node.args[i] as Expr).span, node: node.args[i] as Expr };
    if (c) info.value = c.value;
    return info;
  });
  let ok = true;
  infos.forEach((info, i) => {
    const p = def.params[Math.min(i, def.params.length - 1)];
    if (p?.constant && !info.constant) {
      ctx.report(diag('FQL205', `argument \`${p.name}\` of ${def.name}() must be a constant`, info.span, 'write a literal value here'));
      ok = false;
    }
  });
  if (!ok) return MISSING;
  let fn: Closure;
  try {
    fn = def.compile(infos);
  } catch (err) {
    if (err instanceof ArgumentError) {
      const span = infos[err.argIndex]?.span ?? node.span;
      ctx.report(diag('FQL203', err.message, span, err.hint));
      return MISSING;
    }
    throw err;
  }
  if (def.pure && infos.every((a) => a.constant)) {
    // constant folding: a pure function of constants is itself a constant
    try {
      return constantClosure(fn(undefined, undefined));
    } catch {
      return fn;
    }
  }
  return fn;
}
