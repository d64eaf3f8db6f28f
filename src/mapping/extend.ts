// The .map-only expression kinds (object, template, coalesce, if, case, each, omit, catch),
// compiled into closures. The evaluator's compileExpr handles FQL kinds and calls `extendMap`
// for these, passing `compile` back for children. Runs once per expression, never per event.

import type { CaseExpr, EachExpr, Expr, ObjectExpr, TemplateExpr } from '../parser/ast.js';
import type { Span } from '../diagnostics/diagnostic.js';
import type { Closure, Scope } from '../evaluator/types.js';
import { MappingRuntimeError } from '../evaluator/types.js';
import { fqlEquals, hasOwn, isRecord, ownIndex, setOwn } from '../evaluator/value.js';
import { constantClosure, constantOf } from '../evaluator/compile.js';
import { toJsonText } from './functions/util.js';

type Compile = (node: Expr) => Closure;

/** `.map` blank (mapping.md §2, `?:`): missing, null, `""`, `[]` or `{}`; `0` and `false` are values. */
export function isBlank(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isRecord(v)) {
    for (const _ in v) if (hasOwn.call(v, _)) return false;
    return true;
  }
  return false;
}

/** Text of a template part: missing and null render as "", strings as is, objects and lists as JSON. */
export function templateText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return toJsonText(v) ?? '';
}

function compileObject(node: ObjectExpr, compile: Compile): Closure {
  const keys = node.entries.map((e) => e.key);
  const values = node.entries.map((e) => compile(e.value));
  const n = keys.length;
  const consts = values.map(constantOf);
  if (consts.every((c) => c !== undefined)) {
    // a constant object is built once and frozen: it is shared by every event
    const out: Record<string, unknown> = {};
    consts.forEach((c, i) => c.value !== undefined && setOwn(out, keys[i] as string, c.value));
    return constantClosure(Object.freeze(out));
  }
  const spans = node.entries.map((e) => e.keySpan);
  return (event, scope) => {
    // a fresh plain object; `__proto__` keys become data via setOwn
    const out: Record<string, unknown> = {};
    let i = 0;
    try {
      for (; i < n; i++) {
        const v = (values[i] as Closure)(event, scope);
        if (v !== undefined) setOwn(out, keys[i] as string, v);
      }
    } catch (e) {
      // the error names the key it failed under (and the innermost entry's position)
      if (e instanceof MappingRuntimeError) {
        e.path.unshift(keys[i] as string);
        if (e.line === undefined) {
          e.line = (spans[i] as Span).line;
          e.column = (spans[i] as Span).column;
        }
      }
      throw e;
    }
    return out;
  };
}

function compileTemplate(node: TemplateExpr, compile: Compile): Closure {
  const parts = node.parts.map((p) => (typeof p === 'string' ? p : compile(p)));
  if (parts.every((p) => typeof p === 'string' || constantOf(p) !== undefined)) {
    try {
      return constantClosure(parts.map((p) => (typeof p === 'string' ? p : templateText(constantOf(p)?.value))).join(''));
    } catch {
      // a constant too deep for JSON: leave the error to run time, where it is a field error
    }
  }
  if (parts.length === 1 && typeof parts[0] !== 'string') {
    const only = parts[0] as Closure;
    return (event, scope) => templateText(only(event, scope));
  }
  return (event, scope) => {
    let s = '';
    for (const part of parts) s += typeof part === 'string' ? part : templateText(part(event, scope));
    return s;
  };
}

function compileCase(node: CaseExpr, compile: Compile): Closure {
  const branches = node.branches.map((b) => ({ when: b.when.map(compile), then: compile(b.then) }));
  const otherwise = node.else ? compile(node.else) : undefined;
  if (node.subject) {
    const subject = compile(node.subject);
    return (event, scope) => {
      const s = subject(event, scope);
      for (const b of branches) {
        for (const w of b.when) if (fqlEquals(s, w(event, scope))) return b.then(event, scope);
      }
      return otherwise?.(event, scope);
    };
  }
  return (event, scope) => {
    for (const b of branches) {
      for (const w of b.when) if (w(event, scope) === true) return b.then(event, scope);
    }
    return otherwise?.(event, scope);
  };
}

/**
 * `each list as $p { … }`: a list maps item by item, a single object is a one-item list, missing
 * stays missing, and any other value passes through unchanged (as mapping-kit's `@arrayPath`).
 * The item is bound in the per-event scope and restored afterwards, so nested `each` and event
 * paths keep working; an item body that is missing becomes null (JSON has no holes).
 */
function compileEach(node: EachExpr, compile: Compile): Closure {
  const list = compile(node.list);
  const body = compile(node.body);
  const name = node.variable;
  return (event, scope) => {
    const value = list(event, scope);
    const items = Array.isArray(value) ? value : isRecord(value) ? [value] : undefined;
    if (items === undefined) return value;
    const vars: Record<string, unknown> = scope ?? Object.create(null);
    const had = Object.hasOwn(vars, name);
    const saved = vars[name];
    const out: unknown[] = new Array(items.length);
    let i = 0;
    try {
      for (; i < items.length; i++) {
        vars[name] = ownIndex(items, i);
        const v = body(event, vars as Scope);
        out[i] = v === undefined ? null : v;
      }
    } catch (e) {
      if (e instanceof MappingRuntimeError) e.path.unshift(i);
      throw e;
    } finally {
      if (had) vars[name] = saved;
      else delete vars[name];
    }
    return out;
  };
}

/**
 * `expr catch fallback`: a MappingRuntimeError raised while evaluating `expr` (a function that
 * failed: parse_json, required, fail, to_unix, a depth cap) yields the fallback. Other errors are
 * bugs, not data problems, and propagate to Subscription.map, which reports them as field errors.
 */
function compileCatch(expr: Closure, fallback: Closure): Closure {
  return (event, scope) => {
    try {
      return expr(event, scope);
    } catch (e) {
      if (e instanceof MappingRuntimeError) return fallback(event, scope);
      throw e;
    }
  };
}

/** The `CompileContext.extend` of the mapping compiler. */
export function extendMap(node: Expr, compile: Compile): Closure | undefined {
  switch (node.kind) {
    case 'object':
      return compileObject(node, compile);
    case 'template':
      return compileTemplate(node, compile);
    case 'coalesce': {
      const left = compile(node.left);
      const right = compile(node.right);
      if (node.op === '??') {
        return (event, scope) => {
          const v = left(event, scope);
          return v === undefined || v === null ? right(event, scope) : v;
        };
      }
      return (event, scope) => {
        const v = left(event, scope);
        return isBlank(v) ? right(event, scope) : v;
      };
    }
    case 'if': {
      const cond = compile(node.cond);
      const then = compile(node.then);
      const otherwise = node.else ? compile(node.else) : undefined;
      return (event, scope) => (cond(event, scope) === true ? then(event, scope) : otherwise?.(event, scope));
    }
    case 'case':
      return compileCase(node, compile);
    case 'each':
      return compileEach(node, compile);
    case 'omit':
      return () => undefined;
    case 'catch':
      return compileCatch(compile(node.expr), compile(node.fallback));
    default:
      return undefined;
  }
}
