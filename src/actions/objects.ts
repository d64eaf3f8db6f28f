// Small helpers for building request bodies from hostile input: own-property reads, a key setter that
// can never touch a prototype, and the plain-object test Segment uses (lodash isPlainObject semantics).

/** Whether `value` is a plain object (prototype `Object.prototype` or `null`), like lodash `isPlainObject`. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === null || proto === Object.prototype;
}

/**
 * `Object.prototype.hasOwnProperty`, for own-key filters inside `for…in` loops: V8 recognises
 * `for (k in o) if (hasOwn.call(o, k))` and walks the object's enum cache without allocating a
 * key list (unlike `Object.keys`) and without a real call (unlike `Object.hasOwn`).
 */
export const hasOwn: (this: object, key: PropertyKey) => boolean = Object.prototype.hasOwnProperty;

/**
 * Sets an own enumerable property. Ordinary keys use assignment (fast); `__proto__` is defined with
 * `Object.defineProperty` so it stays a plain data key and never replaces the prototype.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/**
 * A shallow copy of an object's own enumerable properties. Object spread defines each key
 * (CreateDataProperty), so a `__proto__` key stays a plain data key, and V8 clones the whole
 * shape at once instead of adding keys one by one.
 */
export function copyObject(source: Record<string, unknown>): Record<string, unknown> {
  return { ...source };
}
