// The public trigger API: compileTrigger / checkTrigger / Trigger on real parsed sources:
// precedence, whitespace and escaping, errors (all at once, with did-you-mean), totality on
// hostile input, frozen results, declared reads.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTrigger, CompileError, compileTrigger } from '../../src/index.js';

const m = (source: string, event: unknown) => compileTrigger(source).matches(event);

describe('precedence and grouping (§4)', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ['type = "a" or type = "b" and event = "x"', { type: 'a' }, true], // a or (b and x)
    ['type = "a" or type = "b" and event = "x"', { type: 'b' }, false],
    ['(type = "a" or type = "b") and event = "x"', { type: 'a' }, false],
    ['type = "b" and event = "x" or type = "a"', { type: 'a' }, true],
    ['!event = "X"', { event: 'X' }, false], // (!event) = "X"
    ['!event = false', { event: 'X' }, false], // !"X" is true, and true = false is false
    ['!event = true', { event: 'X' }, true],
    ['!(event = "X")', { event: 'Y' }, true],
    ['!!(event = "X")', { event: 'X' }, true],
    ['!(!(event = "X"))', { event: 'X' }, true],
    ['!properties.gift', { properties: {} }, true], // ! of missing is true
    ['!properties.gift', { properties: { gift: 'yes' } }, true], // non-boolean is not true
    ['!properties.gift', { properties: { gift: true } }, false],
    ['properties.enabled', { properties: { enabled: true } }, true],
    ['properties.enabled', { properties: { enabled: 'true' } }, false],
    ['true', {}, true],
    ['null = null', {}, true],
    ['"x"', {}, false],
    ['[true]', {}, false],
    ['length(userId)', { userId: 'abc' }, false], // a number is never true
    ['bool(properties.n)', { properties: { n: 2 } }, true],
    ['"Order Completed" = event', { event: 'Order Completed' }, true],
    ['"track" in [event, type]', { type: 'track' }, true],
  ])('%s on %j → %s', (source, event, expected) => {
    expect(m(source, event)).toBe(expected);
  });
});

describe('lexical forms (§2)', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ['type="page"', { type: 'page' }, true],
    ['properties.revenue>50', { properties: { revenue: 51 } }, true],
    ['type = "track"\r\nand event = "A"', { type: 'track', event: 'A' }, true],
    ['\n  type = "track"\n  and event = "A"\n', { type: 'track', event: 'B' }, false],
    ["event = 'Say \"hi\"'", { event: 'Say "hi"' }, true],
    ['match(properties.p, "ab\\*d")', { properties: { p: 'ab*d' } }, true], // no escapes in strings
    ['properties.product\\ 1.price = 5', { properties: { 'product 1': { price: 5 } } }, true],
    ['properties.a\\.b = 1', { properties: { 'a.b': 1, a: { b: 2 } } }, true],
    ['properties.price\\[0\\] = 1', { properties: { 'price[0]': 1 } }, true],
    ['properties.\\1st = 1', { properties: { '1st': 1 } }, true],
    ['properties.in = 1 and properties.true = 2', { properties: { in: 1, true: 2 } }, true],
    ['properties.delta > -5', { properties: { delta: -4 } }, true],
    ['properties.n = 007', { properties: { n: 7 } }, true],
    ['properties.user-id = "u"', { properties: { 'user-id': 'u' } }, true],
    ['userid = "u"', { userId: 'u' }, false], // case-sensitive names
    ['message.event = "x"', { event: 'x' }, false], // no message. prefix
    ['properties.count.value = null', { properties: { count: 0 } }, true], // key on a number is missing
  ])('%s', (source, event, expected) => {
    expect(m(source, event)).toBe(expected);
  });
});

describe('errors', () => {
  it('throws CompileError with every diagnostic at once', () => {
    let error: unknown;
    try {
      compileTrigger('Contains(event, "x") and lenght(userId) > 0 and startsWith(event, "a")');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CompileError);
    const diags = (error as CompileError).diagnostics;
    const errors = diags.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.hint])).toEqual([
      ['FQL201', 'did you mean `contains`?'],
      ['FQL201', 'did you mean `length`?'],
      ['FQL201', 'did you mean `match(x, "prefix*")`?'],
    ]);
    expect(errors.map((d) => d.span.column)).toEqual([1, 26, 49]);
    expect(diags.indexOf(errors[2]!)).toBeLessThan(diags.findIndex((d) => d.severity === 'warning') === -1 ? Infinity : diags.findIndex((d) => d.severity === 'warning'));
  });

  it.each<[string, string]>([
    ['contains(event)', 'FQL202'],
    ['contains(event, "a", "b")', 'FQL202'],
    ['length()', 'FQL202'],
    ['foo(1)', 'FQL201'],
    ['type =', 'FQL'],
    ['', 'FQL'],
    ['type = "a" AND event = "b"', 'FQL'],
    ['properties.items[0] = 1', 'FQL'],
  ])('%j is rejected (%s…)', (source, codePrefix) => {
    expect(() => compileTrigger(source)).toThrow(CompileError);
    const errors = checkTrigger(source).filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]!.code.startsWith(codePrefix)).toBe(true);
  });

  it('arity errors name the signature', () => {
    const [d] = checkTrigger('match(event)');
    expect(d?.message).toBe('match() got 1 argument');
    expect(d?.hint).toBe('match(s, pattern) takes 2 arguments');
  });

  it('checkTrigger never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (source) => {
        const diags = checkTrigger(source);
        expect(Array.isArray(diags)).toBe(true);
        const valid = !diags.some((d) => d.severity === 'error');
        if (valid) expect(typeof compileTrigger(source).matches({})).toBe('boolean');
        else expect(() => compileTrigger(source)).toThrow(CompileError);
      }),
      { numRuns: 2000 },
    );
    for (const bad of [undefined, null, 42, {}, ['type = "track"']]) {
      expect(checkTrigger(bad as unknown as string)[0]?.code).toBe('FQL204');
      expect(() => compileTrigger(bad as unknown as string)).toThrow(CompileError);
    }
  });

  it('warns about constructs that can never be true', () => {
    const codes = (s: string) => checkTrigger(s).map((d) => d.code);
    expect(codes('properties.price > "100"')).toContain('FQL211');
    expect(codes('properties.tags in "abc"')).toContain('FQL211');
    expect(codes('match(event, "[a")')).toContain('FQL210');
    expect(codes('length(userId)')).toContain('FQL212');
    expect(codes('"yes"')).toContain('FQL212');
    expect(codes('!event = "X"')).toContain('FQL213');
    expect(codes('!(event = "X")')).not.toContain('FQL213');
    expect(codes('type = "track"')).toEqual([]);
  });
});

describe('Trigger objects', () => {
  const t = compileTrigger('type = "track" and (properties.revenue > 10 or contains(context.page.url, "/buy"))');

  it('are frozen, keep their source, and declare what they read', () => {
    expect(Object.isFrozen(t)).toBe(true);
    expect(Object.isFrozen(t.reads)).toBe(true);
    expect(t.source).toContain('properties.revenue');
    expect(t.reads).toEqual([['type'], ['properties', 'revenue'], ['context', 'page', 'url']]);
  });

  it.each([null, undefined, 0, 'track', true, [], [{ type: 'track' }], () => 1, new Date(), new Map()])('never matches a non-object (%o)', (v) => {
    expect(compileTrigger('true').matches(v)).toBe(false);
    expect(t.matches(v)).toBe(false);
  });

  it('is total on hostile events', () => {
    const deep = (n: number) => {
      let v: unknown = 1;
      for (let i = 0; i < n; i++) v = { a: v };
      return v;
    };
    const deepEvent = { type: 'track', properties: { x: deep(10_000), y: deep(10_000) } };
    expect(compileTrigger('properties.x = properties.y').matches(deepEvent)).toBe(false); // depth cap, no stack overflow
    expect(compileTrigger('properties.x != null').matches(deepEvent)).toBe(true);
    const getter = { type: 'track' } as Record<string, unknown>;
    Object.defineProperty(getter, 'properties', { enumerable: true, get: () => { throw new Error('boom'); } });
    expect(t.matches(getter)).toBe(false);
    const proxy = new Proxy({}, { get: () => { throw new Error('trap'); }, getPrototypeOf: () => { throw new Error('trap'); } });
    expect(t.matches(proxy)).toBe(false);
    const fromJson = JSON.parse('{"__proto__": {"type": "track"}, "type": "page", "constructor": {"prototype": {"x": 1}}}');
    expect(compileTrigger('type = "track"').matches(fromJson)).toBe(false);
    expect(compileTrigger('__proto__.type = "track"').matches(fromJson)).toBe(true);
    expect(({} as Record<string, unknown>).type).toBeUndefined(); // nothing was polluted
  });

  it('never reads type/event from a polluted Object.prototype', () => {
    const triggers = ['type = "track"', 'event = "A" or event = "B"', 'type = "track" and event != "X"', 'type = "track" and event = "A"'].map((s) => compileTrigger(s));
    const proto = Object.prototype as Record<string, unknown>;
    proto.type = 'track';
    proto.event = 'A';
    try {
      for (const t of triggers) {
        expect(t.matches({})).toBe(false);
        expect(t.matches(Object.create({ type: 'track', event: 'A' }))).toBe(false);
      }
      expect(triggers.map((t) => t.matches({ type: 'track', event: 'A' }))).toEqual([true, true, true, true]);
    } finally {
      delete proto.type;
      delete proto.event;
    }
  });

  it('returns true only for the boolean true', () => {
    expect(compileTrigger('properties.v').matches({ properties: { v: 1 } })).toBe(false);
    expect(compileTrigger('properties.v').matches({ properties: { v: [true] } })).toBe(false);
    expect(compileTrigger('properties.v').matches({ properties: { v: true } })).toBe(true);
  });
});
