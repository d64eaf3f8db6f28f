// Unit tables for the retry policy (status classes, Retry-After, backoff bounds) and for reading
// responses (207 / 200-with-errors mapping, 400 bisection, reasons) — no network involved.

import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/runtime/clock.js';
import { interpret } from '../../src/runtime/response.js';
import { backoffDelay, classifyStatus, DEFAULT_RETRY, parseRetryAfter, resolveRetryPolicy } from '../../src/runtime/retry.js';
import type { SendResult } from '../../src/runtime/sender.js';

describe('classifyStatus', () => {
  const rows: Array<[number, ReturnType<typeof classifyStatus>]> = [
    [200, 'success'], [207, 'success'], [204, 'success'],
    [301, 'redirect'], [302, 'redirect'], [307, 'redirect'], [308, 'redirect'], [304, 'permanent'],
    [408, 'retry'], [429, 'retry'], [500, 'retry'], [502, 'retry'], [503, 'retry'], [504, 'retry'], [522, 'retry'], [524, 'retry'],
    [501, 'permanent'], [400, 'permanent'], [401, 'permanent'], [403, 'permanent'], [404, 'permanent'], [422, 'permanent'],
    [413, 'split'], [100, 'permanent'], [600, 'permanent'],
  ];
  for (const [status, cls] of rows) it(`${status} → ${cls}`, () => expect(classifyStatus(status)).toBe(cls));
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const rows: Array<[string | null, number | undefined]> = [
    ['3', 3000], ['0', 0], [' 10 ', 10_000], ['1.5', 1500],
    ['Thu, 01 Jan 2026 00:00:30 GMT', 30_000], ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
    [null, undefined], ['', undefined], ['soon', undefined], ['-5', undefined], ['9'.repeat(80), undefined],
  ];
  for (const [v, ms] of rows) it(`${JSON.stringify(v)} → ${ms}`, () => expect(parseRetryAfter(v, now)).toBe(ms));
});

describe('backoffDelay', () => {
  const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 };
  it('full jitter stays within [0, min(max, base·2^(n-1))] and is reproducible with a seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    for (let n = 1; n <= 8; n++) {
      const cap = Math.min(1_000, 100 * 2 ** (n - 1));
      for (let k = 0; k < 50; k++) {
        const d = backoffDelay(policy, n, a);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(cap);
        expect(backoffDelay(policy, n, b)).toBe(d);
      }
    }
  });
  it('never waits less than Retry-After, which is clamped', () => {
    expect(backoffDelay(policy, 1, () => 0.5, 2_000)).toBe(2_000);
    expect(backoffDelay(policy, 1, () => 0.5, 60_000)).toBe(5_000);
    expect(backoffDelay(policy, 5, () => 0.99, 10)).toBe(990);
  });
  it('resolveRetryPolicy fills defaults and rejects nonsense', () => {
    expect(resolveRetryPolicy({ maxAttempts: 0, baseDelayMs: -1, maxTotalMs: Number.NaN })).toMatchObject({ maxAttempts: 1, baseDelayMs: 500, maxTotalMs: 120_000 });
    expect(resolveRetryPolicy({ maxAttempts: 1e9 }).maxAttempts).toBe(100);
  });
});

describe('interpret', () => {
  const response = (status: number, body: unknown, extra: Partial<SendResult> = {}): SendResult => ({
    final: { kind: 'response', status, headers: new Headers(), bodyText: typeof body === 'string' ? body : JSON.stringify(body) },
    attempts: 1,
    ambiguous: false,
    exhausted: false,
    ...extra,
  });
  const id = (s: string) => s;

  it('200 {} accepts everything', () => {
    expect(interpret(response(200, {}), 3, true, id)).toEqual({ kind: 'accepted', status: 200, itemErrors: new Map() });
  });
  it('207 maps batch_index to item reasons; out-of-range indexes are ignored', () => {
    const v = interpret(
      response(207, { errors: [{ batch_index: 1, reason: 'invalid', field: 'attributes.plan', message: 'too long' }, { batch_index: 1, message: 'again' }, { batch_index: 9 }, { batch_index: '2', message: 'str index' }] }),
      3,
      true,
      id,
    );
    expect(v.kind).toBe('accepted');
    if (v.kind !== 'accepted') return;
    expect([...v.itemErrors]).toEqual([
      [1, 'invalid attributes.plan: too long; again'],
      [2, 'str index'],
    ]);
  });
  it('a 200 carrying errors is read like a 207', () => {
    const v = interpret(response(200, { errors: [{ batch_index: 0, message: 'bad' }] }), 2, true, id);
    expect(v.kind === 'accepted' && [...v.itemErrors.keys()]).toEqual([0]);
  });
  it('a 207 naming no item is an unknown outcome for all', () => {
    expect(interpret(response(207, 'oops'), 2, true, id)).toMatchObject({ kind: 'failed', status: 207, reason: expect.stringMatching(/outcome unknown/) });
  });
  it('400 on a batch asks for bisection; on one entity it fails with the API message', () => {
    expect(interpret(response(400, { errors: [{ reason: 'invalid', field: 'primary.id', message: 'must be a string or a number' }] }), 4, true, id)).toMatchObject({ kind: 'bisect', status: 400 });
    expect(interpret(response(400, { errors: [{ reason: 'invalid', field: 'primary.id', message: 'must be a string or a number' }] }), 1, false, id)).toEqual({
      kind: 'failed',
      status: 400,
      reason: 'HTTP 400: invalid primary.id: must be a string or a number',
      auth: false,
    });
  });
  it('v1 error bodies give the reason', () => {
    expect(interpret(response(400, { meta: { errors: ["value for attribute 'x' cannot be longer than 1000 bytes"] } }), 1, false, id)).toMatchObject({ reason: "HTTP 400: value for attribute 'x' cannot be longer than 1000 bytes" });
    expect(interpret(response(400, { meta: { error: 'nope' } }), 1, false, id)).toMatchObject({ reason: 'HTTP 400: nope' });
  });
  it('401 is flagged as an auth failure', () => {
    expect(interpret(response(401, ''), 2, true, id)).toMatchObject({ kind: 'failed', auth: true });
  });
  it('transport failures carry the kind and the attempt count', () => {
    const r: SendResult = { final: { kind: 'transport', error: 'timeout', message: 'no response within 10 ms' }, attempts: 3, ambiguous: true, exhausted: true };
    expect(interpret(r, 1, false, id)).toEqual({ kind: 'failed', status: null, reason: 'timeout: no response within 10 ms (gave up after 3 attempts)', auth: false });
  });
  it('hostile bodies: __proto__ keys and huge lists do not break it', () => {
    const v = interpret(response(207, '{"errors":[{"batch_index":0,"__proto__":{"x":1},"message":"m"}]}'), 1, true, id);
    expect(v.kind === 'accepted' && v.itemErrors.get(0)).toBe('m');
    const many = interpret(response(207, { errors: Array.from({ length: 5000 }, (_, i) => ({ batch_index: i % 2, message: 'x'.repeat(50) })) }), 2, true, id);
    expect(many.kind === 'accepted' && [...many.itemErrors.values()].every((r) => r.length <= 300)).toBe(true);
  });
});
