// Regression: Create or Update Person's default `email` unwraps a one-item list through field
// typing, as Segment's `{{traits.email}}` template does (it used to be written as JSON text).
import { describe, expect, it } from 'vitest';
import { ACTIONS, compileMapping } from '../../src/index.js';

describe('createUpdatePerson default email', () => {
  const sub = compileMapping(ACTIONS.createUpdatePerson.defaultMapping);
  it.each([
    ['a string', 'ann@x.io', 'ann@x.io'],
    ['a one-item list', ['ann@x.io'], 'ann@x.io'],
    ['a number', 42, '42'],
  ])('%s', (_name, email, expected) => {
    const r = sub.map({ type: 'identify', userId: 'u1', traits: { email } });
    expect(r.ok).toBe(true);
    if (r.ok) expect((r.fields as Record<string, unknown>).email).toBe(expected);
  });
  it('missing, null and "" leave the field out', () => {
    for (const traits of [{}, { email: null }, { email: '' }]) {
      const r = sub.map({ type: 'identify', userId: 'u1', traits });
      expect(r.ok && Object.hasOwn(r.fields, 'email')).toBe(false);
    }
  });
});
