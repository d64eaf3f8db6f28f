// Hostile input: `__proto__`/`constructor`/`prototype` keys in events and object literals, frozen
// (never mutated) events, 10,000-level nesting, random JSON. Mapping never throws and never
// pollutes prototypes; deep values that cannot be processed become field errors.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compileMapping, importSegmentSubscription } from '../../src/mapping/api.js';

function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
      Object.freeze(v);
      for (const child of Object.values(v)) stack.push(child);
    }
  }
  return value;
}

function nested(depth: number): unknown {
  let v: unknown = { leaf: null };
  for (let i = 0; i < depth; i++) v = { x: v, n: null };
  return v;
}

const kitchenSink = compileMapping(`target createUpdatePerson
let $t = traits
custom_attributes = merge($t, { __proto__: "literal", constructor: "c", prototype: "p" })
custom_attributes.__proto__.inner = "dotted"
relationship_attributes = { copy: compact(traits.obj), flat: flatten(traits.obj), json: to_json(traits.obj) catch "too deep" }
email = "{{ traits.email }}"
group_id = jsonpath(traits, "$..leaf") | to_json catch omit
`);

describe('__proto__ and friends are plain keys', () => {
  test('in events (JSON.parse) and in object literals', () => {
    const event = JSON.parse('{"type":"identify","userId":"u1","traits":{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},"email":"a@b.c","obj":{"__proto__":{"y":null}}}}') as unknown;
    const result = kitchenSink.map(deepFreeze(event));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const attrs = result.fields.custom_attributes as Record<string, unknown>;
    expect(Object.getPrototypeOf(attrs)).toBe(Object.prototype);
    expect(Object.keys(attrs)).toEqual(['__proto__', 'constructor', 'email', 'obj', 'prototype']);
    expect(attrs.__proto__).toEqual({ inner: 'dotted' }); // the dotted write replaced the literal's string with an object
    expect(JSON.parse(JSON.stringify(result.fields.relationship_attributes))).toEqual(JSON.parse('{"copy":{"__proto__":{}},"flat":{"__proto__.y":null},"json":"{\\"__proto__\\":{\\"y\\":null}}"}'));
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(({} as Record<string, unknown>).inner).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('y');
  });
});

describe('deep events', () => {
  test('10,000 levels: mapping answers (field errors at worst), never throws', () => {
    const event = deepFreeze({ type: 'identify', userId: 'u1', traits: { email: 'a@b.c', obj: nested(10_000) } });
    const result = kitchenSink.map(event);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // compact and flatten give up past their depth cap; to_json's failure is caught by `catch`
    // the error names the key inside the field that failed (issue 16.3)
    expect(result.errors.map((e) => e.field)).toEqual(['relationship_attributes.copy']);
    expect(result.errors[0]?.message).toMatch(/deeper than 256 levels/);
  });

  test('a deep value passed through untouched is fine', () => {
    const sub = compileMapping('target createUpdatePerson\ncustom_attributes = traits\nid = userId');
    const result = sub.map(deepFreeze({ userId: 'u', traits: { deep: nested(10_000) } }));
    expect(result.ok).toBe(true);
  });

  test('templates and equality on deep values', () => {
    const sub = compileMapping('target trackEvent\nname = "{{ properties.deep }}" catch "too deep"\ndata = { same: case properties.deep when properties.other then "eq" else "ne" end }');
    const deep = nested(10_000);
    const result = sub.map({ event: 'x', properties: { deep, other: deep } });
    expect(result).toEqual({ ok: true, fields: expect.objectContaining({ name: 'too deep', data: { same: 'eq' } }) });
  });
});

describe('hostile Segment mapping JSON', () => {
  test('a 20,000-deep mapping is a SEG001 CompileError, not a stack overflow', () => {
    let mapping: unknown = { '@path': '$.properties.x' };
    for (let i = 0; i < 20_000; i++) mapping = { a: mapping };
    expect(() => importSegmentSubscription({ partnerAction: 'trackEvent', mapping: { name: 'n', data: mapping } })).toThrow(/nested too deeply/);
  });

  test('`__proto__` keys in mapping JSON are plain object keys', () => {
    const mapping = JSON.parse('{"name":"n","data":{"__proto__":{"@path":"$.properties.x"},"constructor":1}}') as Record<string, unknown>;
    const sub = importSegmentSubscription({ partnerAction: 'trackEvent', mapping });
    const r = sub.map({ properties: { x: 'polluted?' } });
    expect(r.ok && JSON.stringify(r.fields.data)).toBe('{"__proto__":"polluted?","constructor":1}');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('events that are not objects', () => {
  test.each([null, undefined, 'identify', 42, [], [{ userId: 'u' }], true])('%j: field errors, no throw', (event) => {
    const sub = compileMapping('target trackEvent\nlet $x = lower(properties.a)\nname = event\n');
    expect(sub.map(event)).toEqual({ ok: false, errors: [expect.objectContaining({ field: 'name', message: expect.stringMatching(/required field `name`/) })] });
  });
});

describe('random JSON events', () => {
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), tie('list'), tie('object')),
    list: fc.array(tie('value'), { maxLength: 4 }),
    object: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'traits', 'email', 'obj', 'leaf')), tie('value'), { maxKeys: 5 }),
  }));
  test('map() never throws and its fields are JSON', () => {
    fc.assert(
      fc.property(json.object, fc.option(json.object), (traits, extra) => {
        const event = JSON.parse(JSON.stringify({ type: 'identify', userId: 'u', traits: { ...traits, obj: extra } })) as unknown;
        const result = kitchenSink.map(event);
        if (result.ok) expect(() => JSON.stringify(result.fields)).not.toThrow();
        else expect(result.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
