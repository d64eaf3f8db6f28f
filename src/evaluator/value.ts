// The value policy shared by triggers (FQL) and mappings (.map): how a path reads an event
// (own properties of plain objects only), missing vs null, FQL equality, truth and type names.
// Everything here is total on hostile input: no throws on JSON data, no deep recursion.

import type { PathSegment } from '../parser/ast.js';

/** The JSON kinds a value can have; `missing` is `undefined` (a path that did not resolve). */
export type ValueKind = 'missing' | 'null' | 'bool' | 'number' | 'string' | 'list' | 'object' | 'other';

/** FQL `typeof` names (fql.md §5): missing reads as `"null"`. */
export type FqlTypeName = 'null' | 'bool' | 'number' | 'string' | 'list' | 'object';

/** Reads one value of a root (event or variable); `undefined` means missing. */
export type PathGetter = (root: unknown) => unknown;

const OBJECT_PROTO = Object.prototype as Record<string, unknown>;

/**
 * `Object.prototype.hasOwnProperty`, for own-key filters inside `for…in` loops: V8 recognises
 * `for (k in o) if (hasOwn.call(o, k))` and walks the object's enum cache without allocating a
 * key list (unlike `Object.keys`) and without a real call (unlike `Object.hasOwn`).
 */
export const hasOwn: (this: object, key: PropertyKey) => boolean = Object.prototype.hasOwnProperty;

/**
 * True for objects whose properties a path may read: JSON objects (prototype `Object.prototype`,
 * or none). Class instances, Dates, Maps and arrays are not records. A prototype whose own
 * prototype is null is accepted too, so objects from another realm (vm, worker) still count.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
}

/** `value` when it is a record (isRecord), else undefined; the usual Object.prototype case is tested first. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return Object.getPrototypeOf(value) === OBJECT_PROTO ? (value as Record<string, unknown>) : isRecord(value) ? value : undefined;
}

/** Own property `key` of a record (a value isRecord accepted), else undefined: never an inherited one. */
export function ownOf(record: Record<string, unknown>, key: string): unknown {
  const v = record[key];
  return v !== undefined && !hasOwn.call(record, key) ? undefined : v;
}

/**
 * Sets an own, enumerable, writable property. Plain assignment of `__proto__` would replace the
 * prototype; `defineProperty` keeps it an ordinary key, as JSON.parse does.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else target[key] = value;
}

/**
 * A fresh plain object with the own enumerable entries of `source` (shallow copy). Object spread
 * defines each key (CreateDataProperty), so a `__proto__` key stays a plain data key, and V8
 * clones the whole shape at once instead of adding keys one by one.
 */
export function copyRecord(source: Record<string, unknown>): Record<string, unknown> {
  return { ...source };
}

/** The kind of a value; `other` for anything JSON cannot hold (functions, symbols, bigints, class instances). */
export function kindOf(value: unknown): ValueKind {
  switch (typeof value) {
    case 'undefined':
      return 'missing';
    case 'string':
      return 'string';
    case 'number':
      return Number.isFinite(value) ? 'number' : 'other';
    case 'boolean':
      return 'bool';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return 'list';
      return isRecord(value) ? 'object' : 'other';
    default:
      return 'other';
  }
}

/** FQL `typeof` (fql.md §8): missing and non-JSON values are `"null"`. */
export function fqlTypeName(value: unknown): FqlTypeName {
  const kind = kindOf(value);
  return kind === 'missing' || kind === 'other' ? 'null' : kind;
}

/** FQL null-ness: missing (`undefined`) and JSON `null` are the same to conditions. */
export function isNullish(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

/** Deeper than this, structural equality gives up and answers `false` (also ends cyclic inputs). */
export const MAX_EQUALITY_DEPTH = 1000;

/**
 * FQL `=` (fql.md §7.3): same type and equal, no coercion; missing = null; lists pairwise and
 * ordered; objects by the same own keys with equal values. Iterative (explicit stack), so a
 * 10,000-deep event cannot overflow the call stack; beyond MAX_EQUALITY_DEPTH the answer is false.
 */
export function fqlEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object') {
    // primitives of different value, or one primitive vs object; missing vs null is equal
    return isNullish(a) && isNullish(b);
  }
  if (a === null || b === null) return false;
  // Explicit stack of pairs with their depth.
  const left: unknown[] = [a];
  const right: unknown[] = [b];
  const depth: number[] = [0];
  while (left.length > 0) {
    const x = left.pop();
    const y = right.pop();
    const d = depth.pop() as number;
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) {
      if (isNullish(x) && isNullish(y)) continue;
      return false;
    }
    if (d >= MAX_EQUALITY_DEPTH) return false;
    const xList = Array.isArray(x);
    if (xList !== Array.isArray(y)) return false;
    if (xList) {
      const xs = x as unknown[];
      const ys = y as unknown[];
      if (xs.length !== ys.length) return false;
      for (let i = 0; i < xs.length; i++) {
        left.push(ownIndex(xs, i));
        right.push(ownIndex(ys, i));
        depth.push(d + 1);
      }
      continue;
    }
    if (!isRecord(x) || !isRecord(y)) return false;
    const keys = Object.keys(x);
    if (keys.length !== Object.keys(y).length) return false;
    for (const k of keys) {
      if (!Object.hasOwn(y, k)) return false;
      left.push(x[k]);
      right.push(y[k]);
      depth.push(d + 1);
    }
  }
  return true;
}

/** Element `i` of a list as an own property (a polluted `Array.prototype[0]` is never read). */
export function ownIndex(list: readonly unknown[], i: number): unknown {
  return Object.hasOwn(list, i) ? list[i] : undefined;
}

/**
 * One key step: an own property of a plain object, else missing (lists, strings, numbers,
 * class instances give missing). The read comes first because most misses end there (one
 * lookup); a found value is then confirmed own (`Object.hasOwn`: never an inherited or polluted
 * prototype property) and its holder a plain object.
 */
export function getKey(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = (value as Record<string, unknown>)[key];
  if (v === undefined || !Object.hasOwn(value, key)) return undefined;
  const proto: unknown = Object.getPrototypeOf(value);
  // plain: Object.prototype, no prototype, or another realm's Object.prototype (whose own prototype is null)
  return proto === Object.prototype || proto === null || (!Array.isArray(value) && Object.getPrototypeOf(proto) === null) ? v : undefined;
}

/** One index step: `[i]` on a list, negative counting from the end; anything else is missing. */
export function getIndex(value: unknown, index: number): unknown {
  if (!Array.isArray(value)) return undefined;
  const i = index < 0 ? value.length + index : index;
  if (i < 0 || i >= value.length) return undefined;
  return ownIndex(value, i);
}

/** Path steps without the wildcard, as the compiled getter walks them. */
type Step = { key: string } | { index: number };

function toStep(segment: PathSegment): Step {
  if (segment.kind === 'key') return { key: segment.name };
  if (segment.kind === 'index') return { index: segment.index };
  throw new Error('wildcard is not a single step');
}

function applyStep(value: unknown, step: Step): unknown {
  return 'key' in step ? getKey(value, step.key) : getIndex(value, step.index);
}

/** Compiles wildcard-free steps into one getter, specialised for 0–3 key steps. */
function compileSteps(steps: Step[]): PathGetter {
  if (steps.every((s) => 'key' in s)) {
    const keys = steps.map((s) => (s as { key: string }).key);
    const [k0, k1, k2] = keys as [string, string, string];
    switch (keys.length) {
      case 0:
        return (root) => root;
      case 1:
        return (root) => getKey(root, k0);
      case 2:
        return (root) => getKey(getKey(root, k0), k1);
      case 3:
        return (root) => getKey(getKey(getKey(root, k0), k1), k2);
      default:
        return (root) => {
          let v = root;
          for (let i = 0; i < keys.length && v !== undefined; i++) v = getKey(v, keys[i] as string);
          return v;
        };
    }
  }
  if (steps.length === 1) {
    const only = steps[0] as Step;
    return (root) => applyStep(root, only);
  }
  return (root) => {
    let v = root;
    for (let i = 0; i < steps.length && v !== undefined; i++) v = applyStep(v, steps[i] as Step);
    return v;
  };
}

/**
 * Compiles a path into a getter, once: keys (own properties of plain objects), `[i]`/`[-i]`
 * indexes (lists only) and `[*]` wildcards. A path with a wildcard always yields a list (empty
 * when nothing matches); later wildcards flatten, and missing items are skipped (nulls are kept).
 */
export function compilePath(segments: readonly PathSegment[]): PathGetter {
  const star = segments.findIndex((s) => s.kind === 'wildcard');
  if (star < 0) return compileSteps(segments.map(toStep));
  const before = compileSteps(segments.slice(0, star).map(toStep));
  const rest = segments.slice(star + 1);
  const restHasStar = rest.some((s) => s.kind === 'wildcard');
  const after = compilePath(rest);
  return (root) => {
    const list = before(root);
    const out: unknown[] = [];
    if (!Array.isArray(list)) return out;
    for (let i = 0; i < list.length; i++) {
      if (!Object.hasOwn(list, i)) continue;
      const v = after(list[i]);
      if (restHasStar) {
        for (const item of v as unknown[]) out.push(item);
      } else if (v !== undefined) out.push(v);
    }
    return out;
  };
}
