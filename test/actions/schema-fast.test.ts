// The verdict-only schema rewrites (schema-fast.ts): inlined refs, identifiers narrowed by their
// keys, string-only ifs simplified. Each rewrite must keep the documented schema's verdict.

import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identifierKind, IDENTIFIER_KINDS, inlineRefs, narrowForKeys } from '../../src/actions/schema-fast.js';
import { schemaFor } from '../../src/actions/schemas.js';
import type { Profile } from '../../src/actions/types.js';

const ajv = () => new Ajv2020({ strict: false, allowUnionTypes: true, validateSchema: false });

describe('identifierKind', () => {
  it.each([
    [{ id: 'u1' }, 'id'],
    [{ email: 'a@b.co' }, 'email'],
    [{ cio_id: 'x' }, 'cio_id'],
    [{ anonymous_id: 'a' }, 'anonymous_id'],
    [{ object_id: 'o', object_type_id: '1' }, 'object'],
    [{ object_type_id: '1', object_id: 'o' }, 'object'],
    [{ id: 'u1', email: 'a@b.co' }, undefined],
    [{ object_id: 'o' }, undefined],
    [{}, undefined],
    [{ nope: 1 }, undefined],
    [['id'], undefined],
    [null, undefined],
    ['id', undefined],
  ])('%j → %s', (value, kind) => {
    expect(identifierKind(value)).toBe(kind);
  });
});

describe('narrowForKeys', () => {
  const branch = (key: string) => ({ type: 'object', required: [key], properties: { [key]: { type: 'string', minLength: 1 } }, additionalProperties: false });
  const oneOf = { type: 'object', oneOf: [branch('id'), branch('email'), branch('cio_id')] };
  it('keeps the one branch the keys allow, and nothing when none does', () => {
    expect(narrowForKeys(oneOf, ['email'])).toEqual({ type: 'object', allOf: [branch('email')] });
    expect(narrowForKeys(oneOf, ['phone'])).toBe(false);
    expect(narrowForKeys(oneOf, ['id', 'email'])).toBe(false);
  });
});

describe('inlineRefs', () => {
  it('replaces local refs and simplifies a string-only if/then', () => {
    const defs = { v: { if: { type: 'string' }, then: { type: 'string', maxLength: 3 } }, o: { type: 'object', additionalProperties: { $ref: '#/$defs/v' } } };
    expect(inlineRefs({ $ref: '#/$defs/o', $comment: 'x' }, defs)).toEqual({ type: 'object', additionalProperties: { maxLength: 3 } });
    expect(() => inlineRefs({ $ref: 'https://elsewhere#/x' }, defs)).toThrow();
  });
});

describe.each(['strict', 'segment'] as Profile[])('%s: narrowed identifier schemas agree with the documented ones', (profile) => {
  const entity = schemaFor(profile).entity;
  const defs = entity.$defs as Record<string, unknown>;
  const documented = ajv();
  documented.addSchema(entity);
  const value = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('', 'a@b.co', '+14155550100', '0', '1', 'x'.repeat(151)), fc.integer(), fc.constant(null));
  for (const def of ['personIdentifiers', 'personIdentifiersOrAnonymous', 'personRefIdentifiers', 'objectIdentifiers']) {
    const full = documented.compile({ $ref: `${entity.$id as string}#/$defs/${def}` });
    for (const [kind, keys] of Object.entries(IDENTIFIER_KINDS)) {
      const narrowed = ajv().compile({ allOf: [narrowForKeys(inlineRefs({ $ref: `#/$defs/${def}` }, defs), keys)] });
      it(`${def} for ${kind}`, () => {
        fc.assert(
          fc.property(fc.tuple(...keys.map(() => value)), (values) => {
            const ids: Record<string, unknown> = {};
            keys.forEach((k, i) => (ids[k] = values[i]));
            expect(identifierKind(ids)).toBe(kind);
            expect(narrowed(ids)).toBe(full(ids));
          }),
          { numRuns: 200 },
        );
      });
    }
  }
});
