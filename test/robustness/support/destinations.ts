// The destinations the hostile-event tests run: both profiles, every preset, plus the robustness
// .map files that push every mapping function over whatever the event carries.

import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { createDestination, type Destination, type ProcessResult } from '../../../src/index.js';

/** Distinctive credentials: any output containing them (or their Basic form) is a leak. */
export const SITE_ID = 'SECRET-site-7f3a';
export const API_KEY = 'SECRET-key-91bc';
export const BASIC = Buffer.from(`${SITE_ID}:${API_KEY}`).toString('base64');
/** Every spelling of the credentials that must never appear in an output. */
export const SECRET_FORMS: readonly string[] = [SITE_ID, API_KEY, BASIC, `${SITE_ID}:${API_KEY}`, encodeURIComponent(`${SITE_ID}:${API_KEY}`)];

const mapDir = new URL('../../fixtures/robustness/maps/', import.meta.url);

/** The robustness .map files as [name, source]. */
export function robustnessMaps(): Array<[string, string]> {
  return readdirSync(mapDir)
    .filter((f) => f.endsWith('.map'))
    .sort()
    .map((f) => [f, readFileSync(new URL(f, mapDir), 'utf8')]);
}

/** Strict and segment destinations with every preset and the robustness mappings. */
export function hostileDestinations(endpoint?: string): Array<[string, Destination]> {
  const subscriptions = robustnessMaps().map(([, src]) => src);
  return (['strict', 'segment'] as const).map((profile) => [
    profile,
    createDestination({ settings: { siteId: SITE_ID, apiKey: API_KEY }, presets: 'all', subscriptions, profile, ...(endpoint ? { endpoint } : {}) } as Parameters<typeof createDestination>[0]),
  ]);
}

/** Messages that mean an exception escaped from inside the library (caught by process as a last resort). */
const INTERNAL = /\b(TypeError|RangeError|ReferenceError|SyntaxError|InternalError|Maximum call stack|is not a function|Cannot read propert|undefined is not)/;

/**
 * Structural checks of a process() result: the documented shape, JSON-serialisable, plain
 * prototypes only (no object in the output got its prototype from the event), no internal failure.
 */
export function expectSaneResult(r: ProcessResult, label: string): void {
  expect(Array.isArray(r.matched) && r.matched.every((m) => typeof m === 'string'), label).toBe(true);
  expect(Array.isArray(r.requests), label).toBe(true);
  expect(Array.isArray(r.errors), label).toBe(true);
  for (const e of r.errors) {
    expect(typeof e.subscription, label).toBe('string');
    expect(typeof e.message, label).toBe('string');
    expect(e.message, `${label}: internal failure leaked as a per-event error`).not.toMatch(INTERNAL);
  }
  for (const req of r.requests) {
    expect(typeof req.method).toBe('string');
    expect(typeof req.url).toBe('string');
    expect(() => JSON.stringify(req.body), label).not.toThrow();
  }
  expectPlainTree(r, label);
}

/** Every object reachable from `value` has Object.prototype, null or Array.prototype as prototype; no inherited sentinel. */
export function expectPlainTree(value: unknown, label: string): void {
  const stack: unknown[] = [value];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    seen.add(v);
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null && proto !== Array.prototype) throw new Error(`${label}: output object with a foreign prototype`);
    if ((v as Record<string, unknown>)['polluted'] !== undefined && !Object.hasOwn(v, 'polluted')) throw new Error(`${label}: inherited 'polluted' in output`);
    for (const k of Object.keys(v)) stack.push((v as Record<string, unknown>)[k]);
  }
}
