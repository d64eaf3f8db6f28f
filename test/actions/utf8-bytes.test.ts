// The portable UTF-8 byte count (hosts without Buffer: the browser playground) agrees with Node's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countUtf8Bytes } from '../../src/actions/limits.js';
import { basicAuthHeader } from '../../src/settings/settings.js';

describe('countUtf8Bytes', () => {
  it('agrees with Buffer.byteLength, lone surrogates included', () => {
    for (const s of ['', 'abc', 'é', '€', '😀', '\ud800', '\udc00x', 'a\ud83d', '\ud83d\ude00\ud83d']) expect(countUtf8Bytes(s)).toBe(Buffer.byteLength(s, 'utf8'));
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => countUtf8Bytes(s) === Buffer.byteLength(s, 'utf8')), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }), (s) => countUtf8Bytes(s) === Buffer.byteLength(s, 'utf8')), { numRuns: 2000 });
  });

  it('basicAuthHeader is base64 of the UTF-8 credentials', () => {
    expect(basicAuthHeader('site', 'kéy')).toBe(`Basic ${Buffer.from('site:kéy', 'utf8').toString('base64')}`);
  });
});
