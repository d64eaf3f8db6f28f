// Hostile inputs for the per-event side: JSON-shaped events whose keys come from JSON.parse
// (own `__proto__` keys), deep/huge/odd values, and the checks every test runs afterwards:
// no prototype pollution (sentinels), no mutation of the input (frozen + canonical snapshot).

import fc from 'fast-check';
import { expect } from 'vitest';
import { KEY_POOL } from './fql-arb.js';

/** Builds a plain object from entries the way JSON.parse does (own data properties, `__proto__` included). */
export function jsonObject(entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

/** Odd but JSON-possible leaves: precision loss, extreme dates, lone surrogates, empty things. */
export const ODD_LEAVES: readonly unknown[] = [
  2 ** 53 + 2, -(2 ** 53) - 2, 1e308, -1e308, 5e-324, -0, 0, 1.5, 9999999999, 99999999999999,
  '0000-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00Z', '+999999-12-31T23:59:59Z', '9999-12-31T23:59:59.999Z',
  '1970-01-01', '2026-02-30', '1e400', 'NaN', 'Infinity', '-1', '\ud800', 'a\udc00b', '\udfff\ud800', '😀', '', ' ', '\u0000',
  'SELECT * FROM x', '{{traits.email}}', '$..*', '*', '__proto__', true, false, null, [], {}, [null], ['track'],
];

const leafArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ODD_LEAVES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12, unit: 'binary' }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.double() .filter(Number.isFinite) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);

const keyArb = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KEY_POOL) }, { weight: 1, arbitrary: fc.string({ maxLength: 6, unit: 'binary' }) });

/** A JSON value with object keys from the shared pool (so generated paths resolve) and odd leaves. */
export const jsonValueArb: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    leafArb,
    fc.array(fc.tuple(keyArb, tie('value')), { maxLength: 5 }).map(jsonObject),
    fc.array(tie('value'), { maxLength: 4 }),
  ),
})).value;

/** A Segment-shaped event: mostly plausible top-level fields, plus arbitrary extra keys. */
export const eventArb: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.constantFrom('track', 'identify', 'page', 'screen', 'group', 'alias', 'TRACK', '', 42, null, undefined),
    fc.option(fc.constantFrom('Order Completed', 'Application Installed', 'Report Delivery Event', 'Product Added', '__proto__'), { nil: undefined }),
    fc.option(fc.oneof(fc.constantFrom('u1', '', 'SECRET'), leafArb), { nil: undefined }),
    fc.array(fc.tuple(keyArb, jsonValueArb), { maxLength: 6 }),
    fc.array(fc.tuple(fc.constantFrom('properties', 'traits', 'context', 'integrations', 'timestamp', 'messageId', 'anonymousId', 'groupId', 'previousId'), jsonValueArb), { maxLength: 5 }),
  )
  .map(([type, event, userId, extra, known]) => {
    const entries: Array<readonly [string, unknown]> = [...known, ...extra];
    if (type !== undefined) entries.push(['type', type]);
    if (event !== undefined) entries.push(['event', event]);
    if (userId !== undefined) entries.push(['userId', userId]);
    return jsonObject(entries);
  });

/** A value `depth` levels deep: `{a: {a: … }}` or `[[[…]]]`, built without recursion. */
export function deep(depth: number, kind: 'object' | 'array' = 'object', leaf: unknown = 'x'): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = kind === 'object' ? jsonObject([['a', v]]) : [v];
  return v;
}

/**
 * Canonical text of a JSON-ish value, iterative (safe at any depth), own enumerable keys in
 * order (so an own `__proto__` key counts), marking non-JSON things; used to prove "not mutated".
 */
export function canonical(value: unknown): string {
  const out: string[] = [];
  const stack: unknown[] = [value];
  const CLOSE_OBJ = Symbol('}');
  const CLOSE_ARR = Symbol(']');
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === CLOSE_OBJ) out.push('}');
    else if (v === CLOSE_ARR) out.push(']');
    else if (typeof v === 'string') out.push(JSON.stringify(v));
    else if (typeof v === 'number') out.push(Object.is(v, -0) ? '-0' : String(v));
    else if (typeof v === 'object' && v !== null) {
      if (Array.isArray(v)) {
        out.push('[');
        stack.push(CLOSE_ARR);
        for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
      } else {
        out.push(`{${Object.getPrototypeOf(v) === null ? 'null-proto ' : ''}`);
        stack.push(CLOSE_OBJ);
        const keys = Object.keys(v);
        for (let i = keys.length - 1; i >= 0; i--) {
          const d = Object.getOwnPropertyDescriptor(v, keys[i] as string);
          stack.push(d && 'value' in d ? d.value : '<accessor>');
          stack.push(`\u0000key:${keys[i] as string}`);
        }
      }
    } else out.push(`<${typeof v}:${String(v)}>`);
  }
  return out.join(',');
}

/** Freezes a value and everything reachable from it (iterative). Returns it. */
export function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    seen.add(v);
    Object.freeze(v);
    // read data properties only: a getter is part of the hostile input, not something to call here
    for (const d of Object.values(Object.getOwnPropertyDescriptors(v))) if ('value' in d) stack.push(d.value);
  }
  return value;
}

const PROTOS: ReadonlyArray<readonly [string, object]> = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
];

/** Own property names of the built-in prototypes, to compare before/after a hostile run. */
export function prototypeSnapshot(): Record<string, string[]> {
  return Object.fromEntries(PROTOS.map(([name, p]) => [name, Reflect.ownKeys(p).map(String).sort()]));
}

/** Asserts no prototype gained a property and the sentinel names are unset. */
export function expectNoPollution(before: Record<string, string[]>): void {
  expect(prototypeSnapshot()).toEqual(before);
  const probe: Record<string, unknown> = {};
  for (const name of ['polluted', 'isAdmin', 'SENTINEL_POLLUTED']) expect(probe[name], `Object.prototype.${name}`).toBeUndefined();
}

/** Events that try to pollute prototypes through every path a JSON key can take. */
export function pollutionEvents(): unknown[] {
  const payload = () => JSON.parse('{"polluted":"yes","isAdmin":true,"SENTINEL_POLLUTED":1}') as unknown;
  const levels = ['__proto__', 'constructor', 'prototype'];
  const out: unknown[] = [];
  for (const k of levels) {
    for (const where of ['', 'properties', 'traits', 'context', 'properties.products.0', 'traits.address']) {
      const base = JSON.parse(
        '{"type":"track","event":"Order Completed","userId":"u1","messageId":"m1","timestamp":"2026-01-01T00:00:00Z","properties":{"products":[{"sku":"s"}]},"traits":{"email":"a@b.c","address":{}},"context":{}}',
      ) as Record<string, unknown>;
      let target: Record<string, unknown> = base;
      for (const seg of where ? where.split('.') : []) target = target[seg] as Record<string, unknown>;
      Object.defineProperty(target, k, { value: k === 'constructor' ? jsonObject([['prototype', payload()]]) : payload(), enumerable: true, writable: true, configurable: true });
      out.push(base);
      // and the same as an identify with the key as trait names and values
      out.push(JSON.parse(`{"type":"identify","userId":"u1","traits":{"${k}":{"${k}":{"polluted":"yes"}},"email":"a@b.c"},"context":{"${k}":1}}`));
    }
  }
  out.push(JSON.parse('{"__proto__":{"type":"track"},"event":"x"}'));
  out.push(JSON.parse('{"type":"__proto__","event":"constructor","userId":"prototype"}'));
  return out;
}
