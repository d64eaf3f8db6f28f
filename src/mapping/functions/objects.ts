// Mapping object functions (mapping.md §3): merge pick without flatten compact keys values get.
// Outputs are fresh plain objects (`__proto__` stays a data key); recursion is depth-capped.

import type { ArgInfo, Closure, FunctionDef } from '../../evaluator/types.js';
import { ArgumentError, MappingRuntimeError } from '../../evaluator/types.js';
import { compilePath, isRecord, setOwn } from '../../evaluator/value.js';
import { parseDottedPath } from '../paths.js';
import { MAX_DEPTH, customRow, p, row } from './util.js';

export const merge = row(
  {
    name: 'merge',
    params: [p('objects', 'object', { variadic: true })],
    result: 'object',
    doc: 'Shallow merge of objects, later ones win. Values that are not objects are skipped; when every argument is missing the result is missing.',
    examples: [
      { expr: 'merge({ a: 1, b: 1 }, { b: 2 })', result: { a: 1, b: 2 } },
      { expr: 'merge(traits, { plan: "pro" })', event: { traits: { plan: 'free', x: 1 } }, result: { plan: 'pro', x: 1 } },
      { expr: 'merge(traits.none, properties.none)', event: {}, result: undefined },
    ],
  },
  (...objects) => {
    let out: Record<string, unknown> | undefined;
    for (const o of objects) {
      if (o === undefined) continue;
      out ??= {};
      if (!isRecord(o)) continue;
      for (const key of Object.keys(o)) setOwn(out, key, o[key]);
    }
    return out;
  },
);

/** Collects key names from arguments (strings, or lists of strings). */
function keyNames(values: unknown[]): Set<string> {
  const names = new Set<string>();
  for (const v of values) {
    if (typeof v === 'string') names.add(v);
    else if (Array.isArray(v)) for (const k of v) if (typeof k === 'string') names.add(k);
  }
  return names;
}

export const pick = row(
  {
    name: 'pick',
    params: [p('obj', 'object'), p('keys', 'string', { variadic: true })],
    result: 'object',
    doc: 'A new object with only the named own keys (names as strings or lists of strings). A non-object gives null.',
    examples: [{ expr: 'pick(traits, "email", "name")', event: { traits: { email: 'a@b', name: 'A', age: 3 } }, result: { email: 'a@b', name: 'A' } }],
  },
  (obj, ...keys) => {
    if (obj === undefined) return undefined;
    if (!isRecord(obj)) return null;
    const wanted = keyNames(keys);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(obj)) if (wanted.has(key)) setOwn(out, key, obj[key]);
    return out;
  },
);

export const without = row(
  {
    name: 'without',
    params: [p('obj', 'object'), p('keys', 'string', { variadic: true })],
    result: 'object',
    doc: 'A new object without the named keys (names as strings or lists of strings). A non-object gives null.',
    examples: [{ expr: 'without(traits, ["age"])', event: { traits: { email: 'a@b', age: 3 } }, result: { email: 'a@b' } }],
  },
  (obj, ...keys) => {
    if (obj === undefined) return undefined;
    if (!isRecord(obj)) return null;
    const unwanted = keyNames(keys);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(obj)) if (!unwanted.has(key)) setOwn(out, key, obj[key]);
    return out;
  },
);

/**
 * mapping-kit's flattenObject: nested objects and lists become one level with joined keys; an empty
 * object or list contributes nothing. Iterative, with the depth cap as a field error.
 */
function flattenValue(value: unknown, sep: string, arrays: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const stack: Array<[string, unknown, number]> = [['', value, 0]];
  // process in document order: push children reversed
  while (stack.length > 0) {
    const [prefix, v, depth] = stack.pop() as [string, unknown, number];
    const isList = Array.isArray(v);
    if ((isRecord(v) || (arrays && isList)) && depth <= MAX_DEPTH) {
      const entries: Array<[string, unknown]> = isList ? (v as unknown[]).map((x, i) => [String(i), x]) : Object.entries(v as object);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i] as [string, unknown];
        stack.push([prefix ? `${prefix}${sep}${k}` : k, child, depth + 1]);
      }
    } else if (depth > MAX_DEPTH) {
      throw new MappingRuntimeError(`flatten: value is nested deeper than ${MAX_DEPTH} levels`);
    } else if (v !== undefined) setOwn(out, prefix, v);
  }
  return out;
}

export const flatten: FunctionDef = customRow(
  {
    name: 'flatten',
    params: [p('obj', 'object'), p('separator', 'string', { optional: true, constant: true }), p('options', 'object', { optional: true })],
    result: 'object',
    doc: 'Flattens nested objects (and lists, by index, unless `{ arrays: false }`) into one level, joining keys with `separator` (default "."). Other values are returned unchanged.',
    examples: [
      { expr: 'flatten({ a: { b: 1, c: [2, 3] } })', result: { 'a.b': 1, 'a.c.0': 2, 'a.c.1': 3 } },
      { expr: 'flatten({ a: { b: 1, c: [2] } }, "_", { arrays: false })', result: { a_b: 1, a_c: [2] } },
    ],
  },
  (args: ArgInfo[]): Closure => {
    const [obj, sepArg, optArg] = args as [ArgInfo, ArgInfo | undefined, ArgInfo | undefined];
    if (sepArg?.constant && typeof sepArg.value !== 'string') throw new ArgumentError('the separator must be a string', 1);
    const fo = obj.eval;
    const fs = sepArg?.eval;
    const fopt = optArg?.eval;
    return (event, scope) => {
      const v = fo(event, scope);
      if (!isRecord(v) && !Array.isArray(v)) return v;
      const sep = fs ? fs(event, scope) : '.';
      const opt = fopt?.(event, scope);
      const arrays = !(isRecord(opt) && opt.arrays === false);
      return flattenValue(v, typeof sep === 'string' ? sep : '.', arrays);
    };
  },
);

/** mapping-kit's cleanNulls: drops null values inside objects, recursing into objects (not lists). */
function compactValue(value: unknown): unknown {
  if (value === null) return undefined;
  if (!isRecord(value)) return value;
  const root: Record<string, unknown> = {};
  const stack: Array<[Record<string, unknown>, Record<string, unknown>, number]> = [[value, root, 0]];
  while (stack.length > 0) {
    const [src, dst, depth] = stack.pop() as [Record<string, unknown>, Record<string, unknown>, number];
    if (depth > MAX_DEPTH) throw new MappingRuntimeError(`compact: value is nested deeper than ${MAX_DEPTH} levels`);
    for (const key of Object.keys(src)) {
      const v = src[key];
      if (v === null) continue;
      if (isRecord(v)) {
        const child: Record<string, unknown> = {};
        setOwn(dst, key, child);
        stack.push([v, child, depth + 1]);
      } else setOwn(dst, key, v);
    }
  }
  return root;
}

export const compact = row(
  {
    name: 'compact',
    params: [p('x', 'any')],
    result: 'any',
    doc: "Drops null values: null itself becomes missing, and objects lose their null-valued keys, recursively into nested objects (lists are kept as they are, as Segment's `@excludeWhenNull` does).",
    examples: [
      { expr: 'compact({ a: null, b: { c: null, d: 1 }, e: [null] })', result: { b: { d: 1 }, e: [null] } },
      { expr: 'compact(traits.x)', event: { traits: { x: null } }, result: undefined },
    ],
  },
  compactValue,
);

export const keys = row(
  {
    name: 'keys',
    params: [p('obj', 'object')],
    result: 'list',
    doc: 'The own keys of an object, in order. A non-object gives null.',
    examples: [{ expr: 'keys({ a: 1, b: 2 })', result: ['a', 'b'] }],
  },
  (o) => (o === undefined ? undefined : isRecord(o) ? Object.keys(o) : null),
);

export const values = row(
  {
    name: 'values',
    params: [p('obj', 'object')],
    result: 'list',
    doc: 'The own values of an object, in key order. A non-object gives null.',
    examples: [{ expr: 'values({ a: 1, b: "x" })', result: [1, 'x'] }],
  },
  (o) => (o === undefined ? undefined : isRecord(o) ? Object.values(o) : null),
);

const pathCache = new Map<string, (root: unknown) => unknown>();

/** A getter for a dotted path, cached (bounded) for paths only known at run time. */
function getterFor(path: string): ((root: unknown) => unknown) | undefined {
  let g = pathCache.get(path);
  if (g) return g;
  const segments = parseDottedPath(path);
  if (typeof segments === 'string') return undefined;
  g = compilePath(segments);
  if (pathCache.size < 512) pathCache.set(path, g);
  return g;
}

export const get: FunctionDef = customRow(
  {
    name: 'get',
    params: [p('obj', 'any'), p('path', 'string')],
    result: 'any',
    doc: 'Reads a dotted path (`"a.b[0].c"`, `"[\'key with spaces\']"`) from a value, own properties only; missing when it does not resolve. A constant path is checked when the mapping is compiled.',
    examples: [
      { expr: 'get(properties, "items[0].sku")', event: { properties: { items: [{ sku: 'a' }] } }, result: 'a' },
      { expr: 'get(properties, "x.y")', event: { properties: {} }, result: undefined },
    ],
  },
  (args: ArgInfo[]): Closure => {
    const [obj, path] = args as [ArgInfo, ArgInfo];
    const fo = obj.eval;
    if (path.constant) {
      if (typeof path.value !== 'string') throw new ArgumentError('the path must be a string', 1);
      const segments = parseDottedPath(path.value);
      if (typeof segments === 'string') throw new ArgumentError(segments, 1);
      const g = compilePath(segments);
      return (event, scope) => g(fo(event, scope));
    }
    const fp = path.eval;
    return (event, scope) => {
      const pathText = fp(event, scope);
      if (typeof pathText !== 'string') return undefined;
      return getterFor(pathText)?.(fo(event, scope));
    };
  },
);

/** The object family, in documentation order. */
export const OBJECT_FUNCTIONS: readonly FunctionDef[] = [merge, pick, without, flatten, compact, keys, values, get];
