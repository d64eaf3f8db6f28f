// Small helpers for building request bodies from hostile input: own-property reads, a key setter that
// can never touch a prototype, and the plain-object test Segment uses (lodash isPlainObject semantics).

/** Whether `value` is a plain object (prototype `Object.prototype` or `null`), like lodash `isPlainObject`. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === null || proto === Object.prototype;
}

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

/** A shallow copy of a plain object's own enumerable properties (safe for a `__proto__` key). */
export function copyObject(source: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) setOwn(out, key, source[key]);
  return out;
}
