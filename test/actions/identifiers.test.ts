// Identifier resolution (customerio.md §3.0.1): order of precedence, cio_/email detection with
// ajv-formats' full email regex, person refs; and that the email test stays linear on hostile input.

import fc from 'fast-check';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { describe, expect, it } from 'vitest';
import { isEmail, personRef, resolveIdentifiers, type IdentifierInputs } from '../../src/actions/identifiers.js';

describe('resolveIdentifiers', () => {
  const rows: Array<[string, IdentifierInputs, unknown]> = [
    ['object wins over everything', { object_id: 'acme', object_type_id: '2', person_id: 'u1', anonymous_id: 'a' }, { object_id: 'acme', object_type_id: '2' }],
    ['object type defaults to "1"', { object_id: 'acme' }, { object_id: 'acme', object_type_id: '1' }],
    ['cio_ prefix is stripped', { person_id: 'cio_abc123' }, { cio_id: 'abc123' }],
    ['"cio_" alone gives an empty cio_id', { person_id: 'cio_' }, { cio_id: '' }],
    ['an email person id', { person_id: 'Jane@Example.COM' }, { email: 'Jane@Example.COM' }],
    ['a@b is not an email (no dot in the domain)', { person_id: 'a@b' }, { id: 'a@b' }],
    ['leading whitespace: not an email, kept', { person_id: ' x@y.com' }, { id: ' x@y.com' }],
    ['non-ASCII address is not an email', { person_id: 'jöhn@example.com' }, { id: 'jöhn@example.com' }],
    ['plain id', { person_id: 'u1', email: 'e@x.io' }, { id: 'u1' }],
    ['email field after the person id', { email: 'e@x.io', anonymous_id: 'a' }, { email: 'e@x.io' }],
    ['anonymous last', { anonymous_id: 'a' }, { anonymous_id: 'a' }],
    ['empty person id falls through', { person_id: '', anonymous_id: 'a' }, { anonymous_id: 'a' }],
    ['nothing', {}, undefined],
    ['numbers are ids', { person_id: 42 }, { id: 42 }],
  ];
  it.each(rows)('%s', (_name, input, expected) => {
    expect(resolveIdentifiers(input)).toEqual(expected);
  });

  it('person refs use steps 2–4 only', () => {
    expect(personRef('cio_x')).toEqual({ cio_id: 'x' });
    expect(personRef('a@b.co')).toEqual({ email: 'a@b.co' });
    expect(personRef('u')).toEqual({ id: 'u' });
    expect(personRef('')).toBeUndefined();
    expect(personRef(undefined)).toBeUndefined();
  });
});

describe('isEmail', () => {
  it('agrees with ajv-formats full email on arbitrary strings', () => {
    const regex = fullFormats.email as RegExp;
    fc.assert(
      fc.property(fc.oneof(fc.emailAddress(), fc.string(), fc.string({ unit: 'grapheme-ascii' })), (s) => {
        expect(isEmail(s)).toBe(regex.test(s));
      }),
      { numRuns: 500 },
    );
  });

  it('is false for non-strings', () => {
    for (const v of [null, undefined, 3, {}, ['a@b.co']]) expect(isEmail(v)).toBe(false);
  });

  it('runs in linear time on hostile 100 kB strings', () => {
    const hostile = ['a@' + 'a'.repeat(1e5) + '!', 'a@' + 'a-'.repeat(5e4) + '!', 'a.'.repeat(5e4) + '@', 'a@a' + '.a-a'.repeat(3e4) + '-'];
    const start = performance.now();
    for (const s of hostile) expect(isEmail(s)).toBe(false);
    expect(performance.now() - start).toBeLessThan(200);
  });
});
