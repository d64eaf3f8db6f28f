// The indexed trigger set (and each Trigger's own requirement fast path) must answer exactly like
// the plain compiled expression: a property test over random triggers (built to exercise the index:
// type/event equalities, `in`, and/or nesting, negation, residual conjuncts) and random events,
// plus the requirement analysis itself.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompileError, compileTrigger, compileTriggerSet } from '../../src/index.js';
import { requirement } from '../../src/evaluator/match/requirement.js';
import { PairMemo } from '../../src/evaluator/match/memo.js';
import { parseFql } from '../../src/parser/index.js';
import { compileExpr } from '../../src/evaluator/compile.js';
import { lookupFqlFunction } from '../../src/evaluator/functions/index.js';
import { isRecord } from '../../src/evaluator/value.js';

const VALUES = ['"track"', '"identify"', '"page"', '"A"', '"B"', '1', '0', 'true', 'null'];
const value = fc.constantFrom(...VALUES);
const field = fc.constantFrom('type', 'event', 'properties.x', 'userId');
const op = fc.constantFrom('=', '!=', '=', '>', '<=');

const leaf = fc.oneof(
  fc.tuple(field, op, value).map(([f, o, v]) => `${f} ${o} ${v}`),
  fc.tuple(value, field).map(([v, f]) => `${v} = ${f}`),
  fc.tuple(field, fc.array(value, { maxLength: 3 })).map(([f, vs]) => `${f} in [${vs.join(', ')}]`),
  fc.tuple(fc.constantFrom('type', 'event'), fc.constantFrom('"A"', '"track"')).map(([f, v]) => `${f} in [${v}, userId]`),
  fc.constantFrom('contains(event, "A")', 'match(type, "tr*")', 'properties.x', 'true', 'typeof(event) = "null"'),
);
const trigger: fc.Arbitrary<string> = fc.letrec<{ t: string }>((tie) => ({
  t: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('t'), fc.constantFrom('and', 'or'), tie('t')).map(([a, o, b]) => `${a} ${o} ${b}`),
    tie('t').map((a) => `(${a})`),
    tie('t').map((a) => `!(${a})`),
  ),
})).t;

const anyValue = fc.constantFrom<unknown>('track', 'identify', 'page', 'A', 'B', 1, 0, -0, true, false, null, undefined, ['track'], { a: 1 });
const event = fc
  .record({ type: anyValue, event: anyValue, userId: anyValue, x: anyValue })
  .map(({ type, event, userId, x }) => {
    const e: Record<string, unknown> = { properties: { x } };
    if (type !== undefined) e.type = type;
    if (event !== undefined) e.event = event;
    if (userId !== undefined) e.userId = userId;
    return e;
  });

/** The plain definition, without any index: parse, compileExpr, and `=== true` on plain objects. */
function reference(source: string): (event: unknown) => boolean {
  const { ast } = parseFql(source);
  const fn = compileExpr(ast!, { lookupFunction: lookupFqlFunction, report: () => undefined });
  return (event) => isRecord(event) && fn(event, undefined) === true;
}

describe('compileTriggerSet', () => {
  it('gives exactly the triggers that match alone (property test)', () => {
    fc.assert(
      fc.property(fc.array(trigger, { minLength: 1, maxLength: 12 }), fc.array(event, { minLength: 1, maxLength: 20 }), (sources, events) => {
        const singles = sources.map((s) => compileTrigger(s));
        const references = sources.map(reference);
        const set = compileTriggerSet(sources);
        for (const e of events) {
          const expected = references.flatMap((r, i) => (r(e) ? [i] : []));
          expect(singles.flatMap((t, i) => (t.matches(e) ? [i] : []))).toEqual(expected);
          expect(set.match(e)).toEqual(expected);
          expect(set.match(e)).toEqual(expected); // second time through the (type, event) memo
        }
      }),
      { numRuns: 400 },
    );
  });

  it('answers like the triggers on non-objects and on events whose type cannot be read', () => {
    const sources = ['type = "track"', 'properties.x = 1', 'true'];
    const set = compileTriggerSet(sources);
    for (const v of [null, 1, 'track', [{ type: 'track' }]]) expect(set.match(v)).toEqual([]);
    const tricky = { properties: { x: 1 } } as Record<string, unknown>;
    Object.defineProperty(tricky, 'type', { enumerable: true, get: () => { throw new Error('boom'); } });
    const expected = sources.flatMap((s, i) => (compileTrigger(s).matches(tricky) ? [i] : []));
    expect(expected).toEqual([1, 2]);
    expect(set.match(tricky)).toEqual(expected);
  });

  it('never takes type/event from a polluted Object.prototype', () => {
    const set = compileTriggerSet(['type = "track"', 'event = "A"', 'type = null']);
    const proto = Object.prototype as Record<string, unknown>;
    proto.type = 'track';
    proto.event = 'A';
    try {
      expect(set.match({})).toEqual([2]);
      expect(set.match({ type: 'track', event: 'A' })).toEqual([0, 1]);
      expect(set.match(Object.create(null))).toEqual([2]);
      expect(set.match(Object.create({ type: 'track' }))).toEqual([]); // not a plain object
      // each Trigger on its own (its one-trigger class table) answers the same
      const singles = ['type = "track"', 'event = "A"', 'type = null'].map((s) => compileTrigger(s));
      for (const [event, expected] of [[{}, [2]], [{ type: 'track', event: 'A' }, [0, 1]], [Object.create(null), [2]], [Object.create({ type: 'track' }), []]] as const) {
        expect(singles.flatMap((t, i) => (t.matches(event) ? [i] : []))).toEqual(expected);
      }
    } finally {
      delete proto.type;
      delete proto.event;
    }
  });

  it('hands out read-only lists: a shared one throws when changed; no change reaches a later answer', () => {
    const shared = compileTriggerSet(['type = "track"', 'event = "A"']).match({ type: 'track', event: 'A' });
    expect(Object.isFrozen(shared)).toBe(true);
    expect(() => (shared as number[]).push(99)).toThrow(TypeError);
    for (const sources of [['type = "track"', 'event = "A"'], ['contains(event, "A")', 'type = "track" and properties.x = 1']]) {
      const set = compileTriggerSet(sources);
      const event = { type: 'track', event: 'A', properties: { x: 1 } };
      const first = set.match(event);
      expect(first).toEqual([0, 1]);
      try {
        (first as number[]).push(99); // a list merged for this event alone may be changed
      } catch {
        /* a shared list is frozen */
      }
      expect(set.match(event)).toEqual([0, 1]);
    }
  });

  it('keeps its memo bounded under a flood of distinct event names', () => {
    // `contains` is not an equality with a literal: these go through the (type, event) memo
    const set = compileTriggerSet(['contains(event, "e5")', 'type = "track" and !contains(event, "e7")']);
    for (let i = 0; i < 20_000; i++) {
      const got = set.match({ type: 'track', event: `e${i}` });
      const expected = [...(`e${i}`.includes('e5') ? [0] : []), ...(`e${i}`.includes('e7') ? [] : [1])];
      expect(got).toEqual(expected);
    }
  });

  it('decides equality-only triggers ahead, with many literals and past its build limit', () => {
    const names = Array.from({ length: 30 }, (_, i) => `"e${i}"`);
    const many = names.map((n, i) => (i % 2 === 0 ? `event = ${n}` : `type = "track" and event != ${n} or event in [${names.slice(i).join(', ')}]`));
    // 40 literals per field in each of 50 triggers: too many cells to decide ahead, indexed instead
    const huge = Array.from({ length: 50 }, (_, i) => `type in [${names.map((n) => `${n.slice(0, -1)}t${i}"`).join(', ')}] and event in [${names.join(', ')}]`);
    for (const sources of [many, huge, [...many, 'properties.x = 1', 'match(type, "tr*")']]) {
      const set = compileTriggerSet(sources);
      const singles = sources.map((s) => compileTrigger(s));
      const events = [
        { type: 'track', event: 'e3' },
        { type: 'track', event: 'e4' },
        { type: 'page', event: 'e29' },
        { type: 'e0t3', event: 'e1' },
        { type: 'track', event: 'zzz', properties: { x: 1 } },
        { type: ['track'], event: null },
        { event: 4 },
        {},
      ];
      for (const e of events) expect(set.match(e)).toEqual(singles.flatMap((t, i) => (t.matches(e) ? [i] : [])));
    }
  });

  it('throws one CompileError naming the invalid triggers', () => {
    expect(() => compileTriggerSet(['type = "a"', 'type =', 'foo(1)'])).toThrow(/index 1, 2/);
    try {
      compileTriggerSet(['type =', 'foo(1)']);
    } catch (e) {
      expect(e).toBeInstanceOf(CompileError);
      expect((e as CompileError).diagnostics.filter((d) => d.severity === 'error').length).toBe(2);
    }
  });
});

describe('PairMemo', () => {
  it('keeps (type, event) pairs apart, past the scanned types, and drops everything at its limit', () => {
    const memo = new PairMemo<string>(100);
    const types: unknown[] = ['track', 'page', 1, true, null, undefined, 'a', 'b', 'c', 'd', 'e', 0];
    for (const t of types) for (const e of [undefined, 'A', 'B', null, 1]) memo.set(t, e, `${String(t)}|${String(e)}`);
    for (const t of types) for (const e of [undefined, 'A', 'B', null, 1]) expect(memo.get(t, e)).toBe(`${String(t)}|${String(e)}`);
    expect(memo.get('track', 'C')).toBeUndefined();
    expect(memo.get('zzz', undefined)).toBeUndefined();
    expect(memo.get(-0, 'A')).toBe('0|A'); // -0 and 0 are one key, as FQL equality says
    const small = new PairMemo<number>(3);
    small.set('t', 'a', 1);
    small.set('t', 'b', 2);
    small.set('t', 'c', 3);
    small.set('t', 'd', 4); // over the limit: starts afresh
    expect(small.get('t', 'a')).toBeUndefined();
    expect(small.get('t', 'd')).toBe(4);
  });
});

describe('requirement analysis', () => {
  const req = (source: string) => {
    const { ast } = parseFql(source);
    const r = requirement(ast!);
    return r && { atoms: r.atoms.map((a) => `${a.field}=${JSON.stringify(a.value)}`), exact: r.exact, residual: r.residual?.length ?? 0 };
  };
  it.each<[string, ReturnType<typeof req>]>([
    ['type = "track"', { atoms: ['type="track"'], exact: true, residual: 0 }],
    ['"track" = type', { atoms: ['type="track"'], exact: true, residual: 0 }],
    ['event = "A" or event = "B"', { atoms: ['event="A"', 'event="B"'], exact: true, residual: 0 }],
    ['type in ["page", "screen"]', { atoms: ['type="page"', 'type="screen"'], exact: true, residual: 0 }],
    ['type = "track" and event != "X" and event != "Y"', { atoms: ['type="track"'], exact: false, residual: 2 }],
    ['(type = "a" or event = "b") and properties.x = 1', { atoms: ['type="a"', 'event="b"'], exact: false, residual: 1 }],
    ['type = "a" and event = "b"', { atoms: ['event="b"'], exact: false, residual: 1 }],
    ['event = "b" and type = "a"', { atoms: ['event="b"'], exact: false, residual: 1 }],
    ['type = "a" and event in ["b", "c"]', { atoms: ['type="a"'], exact: false, residual: 1 }],
    ['type = 1', { atoms: ['type=1'], exact: true, residual: 0 }],
    ['type in []', { atoms: [], exact: true, residual: 0 }],
    ['type = null', undefined],
    ['type in ["a", null]', undefined],
    ['type in ["a", event]', undefined],
    ['type != "a"', undefined],
    ['!(type = "a")', undefined],
    ['type = "a" or properties.x = 1', undefined],
    ['properties.type = "a"', undefined],
    ['type.x = "a"', undefined],
  ])('%s', (source, expected) => {
    expect(req(source)).toEqual(expected);
  });
});
