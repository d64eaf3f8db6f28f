// The Track API JSON Schemas per profile (customerio.md §2.7): the documented examples validate, the
// overlays accept exactly what they should, errors name the field; byte limits in UTF-8 bytes.

import { describe, expect, it } from 'vitest';
import { checkEntityLimits, tooDeepField } from '../../src/actions/limits.js';
import fc from 'fast-check';
import { entityPairs, entityVerdicts, schemaFor, validateBatch, validateEntity, validateMetrics } from '../../src/actions/schemas.js';
import type { Profile } from '../../src/actions/types.js';

const person = (extra: Record<string, unknown>) => ({ type: 'person', identifiers: { id: 'u1' }, ...extra });

/** [name, body, valid in strict, valid in segment] */
const rows: Array<[string, Record<string, unknown>, boolean, boolean]> = [
  ['identify', person({ action: 'identify', attributes: { plan: 'pro' }, timestamp: 1714564800 }), true, true],
  ['event with messageId id (overlay 1)', person({ action: 'event', name: 'x', id: 'msg-1' }), true, true],
  ['anonymous event (overlay 2)', { type: 'person', action: 'event', name: 'x', identifiers: { anonymous_id: 'a' } }, true, true],
  ['content event (overlay 3)', { type: 'person', action: 'viewed_content', name: 'viewed_content', identifiers: { anonymous_id: 'a' } }, true, true],
  ['two identifiers', { type: 'person', action: 'delete', identifiers: { id: 'u1', email: 'a@b.co' } }, false, false],
  ['no identifiers', { type: 'person', action: 'identify' }, false, false],
  ['string timestamp (overlay 5)', person({ action: 'event', name: 'x', timestamp: '1705323471' }), false, true],
  ['device iOS + number attribute (overlay 4)', person({ action: 'add_device', device: { token: 't', platform: 'iOS', attributes: { n: 3 } } }), false, true],
  ['device ios + string attributes', person({ action: 'add_device', device: { token: 't', platform: 'ios', last_used: 1, attributes: { n: '3' } } }), true, true],
  ['device ISO last_used (overlay 4)', person({ action: 'add_device', device: { token: 't', platform: 'ios', last_used: '2024-01-01T00:00:00Z' } }), false, true],
  ['merge', { type: 'person', action: 'merge', primary: { id: 'a' }, secondary: { email: 'b@c.io' } }, true, true],
  ['merge with identifiers', { type: 'person', action: 'merge', primary: { id: 'a' }, secondary: { id: 'b' }, identifiers: { id: 'a' } }, false, false],
  ['object identify', { type: 'object', action: 'identify', identifiers: { object_type_id: '1', object_id: 'acme' }, created_at: 1 }, true, true],
  ['object type 0', { type: 'object', action: 'delete', identifiers: { object_type_id: '0', object_id: 'acme' } }, false, false],
  ['unknown action', { type: 'person', action: 'explode', identifiers: { id: 'u1' } }, false, false],
  ['numeric event name', person({ action: 'event', name: 1704067200 }), false, false],
];

describe('entity schema', () => {
  for (const [index, profile] of (['strict', 'segment'] as Profile[]).entries()) {
    it.each(rows)(`${profile}: %s`, (_name, body, strictOk, segmentOk) => {
      const errors = validateEntity(profile, body);
      expect(errors.length === 0).toBe(index === 0 ? strictOk : segmentOk);
      for (const e of errors) expect(e.message).not.toBe('');
    });
  }

  it('errors name the failing field', () => {
    expect(validateEntity('strict', person({ action: 'event' }))).toEqual([{ field: 'name', message: 'is required' }]);
    expect(validateEntity('strict', { type: 'person', action: 'delete', identifiers: { id: '' } })).toEqual([
      { field: 'identifiers.id', message: 'must NOT have fewer than 1 characters' },
    ]);
    expect(validateEntity('strict', person({ action: 'add_device', device: { token: 't', platform: 'web' } }))).toEqual([
      { field: 'device.platform', message: 'must be one of "ios", "android"' },
    ]);
  });

  it('batch schema wraps entities of the same profile', () => {
    const ok = { batch: [rows[0]![1], rows[2]![1]] };
    expect(validateBatch('strict', ok)).toEqual([]);
    expect(validateBatch('strict', { batch: [] }).length).toBeGreaterThan(0);
    expect(validateBatch('strict', { batch: [rows[6]![1]] }).length).toBeGreaterThan(0);
    expect(validateBatch('segment', { batch: [rows[6]![1]] })).toEqual([]);
  });

  it('metrics schema', () => {
    expect(validateMetrics({ delivery_id: 'd', metric: 'opened', timestamp: 1 })).toEqual([]);
    expect(validateMetrics({ delivery_id: 'd', metric: 'liked' })[0]?.field).toBe('metric');
  });

  it('exposes the schemas with distinct ids per profile', () => {
    expect(schemaFor('strict').entity.$id).not.toBe(schemaFor('segment').entity.$id);
  });
});

describe('byte limits (strict)', () => {
  const base = { type: 'person', action: 'identify', identifiers: { id: 'u1' } };
  it.each([
    ['attribute value of 1001 bytes', { ...base, attributes: { bio: 'x'.repeat(1001) } }, 'attributes.bio'],
    ['multi-byte value over 1000 bytes', { ...base, attributes: { bio: 'é'.repeat(501) } }, 'attributes.bio'],
    ['serialized object value over 1000 bytes', { ...base, attributes: { obj: { a: 'x'.repeat(995) } } }, 'attributes.obj'],
    ['nested multi-byte value over 1000 bytes in a short body', { ...base, attributes: { obj: { a: 'é'.repeat(500) } } }, 'attributes.obj'],
    ['attribute name of 51 three-byte characters', { ...base, attributes: { ['€'.repeat(51)]: 1 } }, 'attributes'],
    ['attribute name over 150 bytes', { ...base, attributes: { ['n'.repeat(151)]: 1 } }, 'attributes'],
    ['id over 150 bytes', { ...base, identifiers: { id: 'é'.repeat(76) } }, 'identifiers.id'],
    ['event name over 100 bytes', { type: 'person', action: 'event', name: 'é'.repeat(51), identifiers: { id: 'u' } }, 'name'],
    ['relationship attribute', { ...base, cio_relationships: [{ identifiers: { object_type_id: '1', object_id: 'o' }, relationship_attributes: { r: 'x'.repeat(1001) } }] }, 'cio_relationships.0.relationship_attributes.r'],
    ['device attribute', { ...base, action: 'add_device', device: { token: 't', attributes: { a: 'x'.repeat(1001) } } }, 'device.attributes.a'],
    ['entity over 32 KB', { type: 'person', action: 'event', name: 'n', identifiers: { id: 'u' }, attributes: { big: 'x'.repeat(33_000) } }, undefined],
  ])('%s', (_name, body, field) => {
    const errors = checkEntityLimits(body);
    expect(errors.length).toBe(1);
    expect(errors[0]!.field).toBe(field);
  });

  it('accepts values at the limits', () => {
    expect(checkEntityLimits({ ...base, attributes: { bio: 'x'.repeat(1000), ['n'.repeat(150)]: 1 }, identifiers: { id: 'u'.repeat(150) } })).toEqual([]);
  });
});

describe('specialised validators agree with the entity schema', () => {
  const bodies = rows.map(([, body]) => body);
  const jsonValue = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.constantFrom('person', 'object', 'identify', 'event', 'delete', 'add_device', 'merge', 'ios'), fc.dictionary(fc.constantFrom('id', 'email', 'token', 'platform', 'object_id', 'object_type_id', 'anonymous_id', 'cio_id'), fc.oneof(fc.string(), fc.integer())));
  const key = fc.constantFrom('type', 'action', 'identifiers', 'name', 'id', 'timestamp', 'attributes', 'device', 'primary', 'secondary', 'cio_relationships', 'created_at');
  // The fast validator answers min/maxLength from UTF-16 length when it decides; surrogate pairs
  // (2 units, 1 code point) around every limit must give the full schema's verdict.
  const around = (n: number) => [n - 1, n, n + 1, 2 * n - 1, 2 * n, 2 * n + 1].filter((k) => k >= 0);
  const strings = [1, 3, 100, 150, 254, 1000].flatMap((limit) =>
    around(limit).flatMap((units) => ['x'.repeat(units), '😀'.repeat(Math.floor(units / 2)) + 'x'.repeat(units % 2), 'é'.repeat(units)]),
  );
  const placed = (s: string): Array<Record<string, unknown>> => [
    person({ action: 'event', name: s }),
    { type: 'person', action: 'delete', identifiers: { id: s } },
    { type: 'person', action: 'delete', identifiers: { email: s } },
    person({ action: 'identify', attributes: { [s]: 1, v: s } }),
    person({ action: 'add_device', device: { token: s, platform: s } }),
  ];
  it.each(['strict', 'segment'] as Profile[])('%s: on strings around every length limit (surrogate pairs)', (profile) => {
    for (const s of strings) {
      for (const body of placed(s)) {
        const { fast, full } = entityVerdicts(profile, body);
        expect(fast, `${JSON.stringify(body).slice(0, 80)}`).toBe(full);
      }
    }
  });

  it.each(['strict', 'segment'] as Profile[])('%s: every type/action pair of the if/then chain has its branch, read from the schema', (profile) => {
    const person = { identify: 'personIdentify', add_relationships: 'personRelationships', delete_relationships: 'personRelationships', add_device: 'personAddDevice', delete_device: 'personDeleteDevice', merge: 'personMerge', delete: 'personBare', suppress: 'personBare', unsuppress: 'personBare' };
    const eventLike = ['event', 'page', 'screen', 'viewed_content', 'clicked_content'];
    const object = { identify: 'objectIdentify', identify_anonymous: 'objectIdentifyAnonymous', delete: 'objectDelete', add_relationships: 'objectRelationships', delete_relationships: 'objectRelationships' };
    const expected = new Map([
      ...Object.entries(person).map(([a, d]) => [`person/${a}`, d] as const),
      ...eventLike.map((a) => [`person/${a}`, 'personEventLike'] as const),
      ...Object.entries(object).map(([a, d]) => [`object/${a}`, d] as const),
    ]);
    expect(new Map([...entityPairs(profile)].sort())).toEqual(new Map([...expected].sort()));
  });

  it.each(['strict', 'segment'] as Profile[])('%s: on mutated bodies', (profile) => {
    fc.assert(
      fc.property(fc.nat(bodies.length - 1), fc.array(fc.tuple(key, jsonValue), { maxLength: 3 }), (index, edits) => {
        const body: Record<string, unknown> = structuredClone(bodies[index]!);
        for (const [k, v] of edits) body[k] = v;
        const { fast, full } = entityVerdicts(profile, body);
        expect(fast).toBe(full);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('byte-limit fast paths agree with exact counting', () => {
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
  /** Reference: every check done with exact byte counts. */
  function naive(body: Record<string, unknown>): string[] {
    const out: string[] = [];
    if (bytes(JSON.stringify(body)) > 32 * 1024) out.push('<body>');
    const attributes = body.attributes as Record<string, unknown>;
    for (const [k, v] of Object.entries(attributes)) {
      if (bytes(k) > 150) out.push('attributes');
      const size = typeof v === 'string' ? bytes(v) : v !== null && typeof v === 'object' ? bytes(JSON.stringify(v)) : 8;
      if (size > 1000) out.push(`attributes.${k}`);
    }
    return out;
  }
  const text = fc.string({ unit: fc.constantFrom('a', 'é', '€', '😀'), maxLength: 700 });
  const attrValue = fc.oneof(text, fc.integer(), fc.dictionary(fc.constantFrom('a', 'b'), text, { maxKeys: 2 }), fc.array(text, { maxLength: 2 }));
  it('on random multi-byte attributes', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: fc.constantFrom('n', 'é', '€'), minLength: 1, maxLength: 160 }), attrValue, { maxKeys: 4 }), (attributes) => {
        const body = { type: 'person', action: 'identify', identifiers: { id: 'u1' }, attributes };
        const ours = checkEntityLimits(body).map((e) => e.field ?? '<body>');
        expect(ours.sort()).toEqual(naive(body).sort());
      }),
      { numRuns: 1500, seed: 11 },
    );
  });

  // The body size is first bounded by a walk (≤ 6 bytes of JSON per UTF-16 unit); escapes (control
  // characters, quotes, backslashes, lone surrogates) and 4-byte characters are where the bound and
  // the serialized size differ most, and where bodies cross 32 KB without long strings.
  const unit = fc.constantFrom('a', 'é', '😀', '\u0001', '\n', '"', '\\', '\ud800', '\udfff');
  const long = fc.oneof(fc.string({ unit, maxLength: 40 }), fc.string({ unit, minLength: 900, maxLength: 7000 }));
  const nested = fc.oneof(long, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(long, { maxLength: 3 }), fc.dictionary(fc.string({ unit, maxLength: 5 }), long, { maxKeys: 3 }));
  it('on escape-heavy and near-32 KB bodies', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit, minLength: 1, maxLength: 30 }), nested, { maxKeys: 6 }), (attributes) => {
        const body = { type: 'person', action: 'identify', identifiers: { id: 'u1' }, attributes };
        const ours = checkEntityLimits(body);
        expect(ours.map((e) => e.field ?? '<body>').sort()).toEqual(naive(body).sort());
        const whole = ours.find((e) => e.field === undefined);
        if (whole) expect(whole.message).toContain(`body is ${bytes(JSON.stringify(body))} bytes`);
      }),
      { numRuns: 400, seed: 5 },
    );
  });

  it.each([
    ['6,000 control characters (36 KB of JSON)', '\u0001'.repeat(6000), true],
    ['11,000 quotes (22 KB of JSON)', '"'.repeat(11000), false],
    ['5,500 lone surrogates (33 KB of JSON)', '\ud800'.repeat(5500), true],
  ])('body size exact with %s', (_name, text, over) => {
    const body = { type: 'person', action: 'event', name: 'n', identifiers: { id: 'u' }, attributes: { t: text } };
    const errors = checkEntityLimits(body);
    expect(errors.some((e) => e.field === undefined)).toBe(over);
    if (over) expect(errors[0]!.message).toBe(`body is ${bytes(JSON.stringify(body))} bytes; Customer.io accepts at most 32768 per entity`);
  });

  it('leaves JSON.stringify errors to JSON.stringify (bigint, throwing toJSON)', () => {
    const base = { type: 'person', action: 'identify', identifiers: { id: 'u1' } };
    expect(() => checkEntityLimits({ ...base, attributes: { n: 1n } })).toThrow(TypeError);
    expect(() => checkEntityLimits({ ...base, attributes: { d: { toJSON: () => { throw new RangeError('x'); } } } })).toThrow(RangeError);
    expect(checkEntityLimits({ ...base, attributes: { d: { toJSON: () => 'x'.repeat(1001) } } }).map((e) => e.field)).toEqual(['attributes.d']);
  });
});

describe('tooDeepField', () => {
  const nest = (levels: number, leaf: unknown = 1): unknown => {
    let v: unknown = leaf;
    for (let i = 0; i < levels; i++) v = i % 2 === 0 ? { d: v } : [v];
    return v;
  };
  it.each([
    [{ a: nest(100) }, undefined],
    [{ a: 'x', b: nest(101) }, 'b'],
    [{ a: nest(100_000) }, 'a'],
    [{ a: [1, 2, { b: nest(98) }] }, undefined],
    [{ a: [1, 2, { b: nest(99) }] }, 'a'],
  ])('%#', (fields, expected) => {
    expect(tooDeepField(fields as Record<string, unknown>)).toBe(expected);
  });

  it('treats cycles as too deep', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = a;
    a.again = a;
    expect(tooDeepField({ custom_attributes: a })).toBe('custom_attributes');
  });
});

describe('the schemas themselves', () => {
  // The runtime compiles them with `validateSchema: false` (start-up cost); this is where they are
  // checked against the JSON Schema 2020-12 meta-schema instead.
  it.each(['strict', 'segment'] as Profile[])('%s: entity, batch and metrics schemas are valid 2020-12 schemas', async (profile) => {
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, validateSchema: true });
    const { entity, batch, metrics } = schemaFor(profile);
    for (const schema of [entity, batch, metrics]) {
      expect(ajv.validateSchema(schema as object), JSON.stringify(ajv.errors)).toBe(true);
    }
    const broken = { ...(entity as object), type: 'objekt' };
    expect(ajv.validateSchema(broken)).toBe(false);
  });
});
