// The public mapping API: compileMapping / checkMapping / Subscription shape (frozen, title,
// explain info, reads), guards and duplicate rules, and checkMapping's "never throws".
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CompileError } from '../../src/diagnostics/diagnostic.js';
import { checkMapping, compileMapping } from '../../src/index.js';

describe('compileMapping', () => {
  test('throws CompileError carrying every diagnostic', () => {
    const source = 'target trackEvent\nnmae = event\nname = lowr(event)\n';
    expect(() => compileMapping(source)).toThrow(CompileError);
    try {
      compileMapping(source);
    } catch (e) {
      expect((e as CompileError).diagnostics.map((d) => d.code)).toEqual(['MAP101', 'FQL201']);
    }
  });

  test('a Subscription is frozen and explains itself', () => {
    const sub = compileMapping('target trackEvent\nwhen type = "track"\nname = upper(event)\ndata.total = properties.total when properties.total > 0\n', { filename: 'dir/orders.map' });
    expect(Object.isFrozen(sub)).toBe(true);
    expect(sub.title).toBe('orders');
    expect(sub.action).toBe('trackEvent');
    expect(sub.trigger.source).toBe('type = "track"');
    const fields = sub.fields.map((f) => `${f.origin}:${f.field}=${f.expr}${f.guard ? ` when ${f.guard}` : ''}${f.line ? `@${f.line}` : ''}`);
    expect(fields).toContain('mapping:name=upper(event)@3');
    expect(fields).toContain('mapping:data.total=properties.total when properties.total > 0@4');
    expect(fields).toContain('default:data=properties');
    expect(fields).not.toContain('default:name=event');
    const withLet = compileMapping('target trackEvent\nlet $n = upper(event)\nname = $n\n');
    expect(withLet.fields.filter((f) => f.origin === 'mapping').map((f) => [f.let ?? false, f.field, f.expr, f.line])).toEqual([
      [true, '$n', 'upper(event)', 2],
      [false, 'name', '$n', 3],
    ]);
    expect(sub.reads).toEqual(expect.arrayContaining([['event'], ['properties', 'total'], ['properties'], ['userId']]));
  });

  test('without `when` the action default trigger applies', () => {
    const sub = compileMapping('target createUpdatePerson\n');
    expect(sub.trigger.matches({ type: 'identify' })).toBe(true);
    expect(sub.trigger.matches({ type: 'track', event: 'x' })).toBe(false);
  });

  test('guards: the field is set only when the condition is true; guarded duplicates choose', () => {
    const sub = compileMapping('target trackEvent\nname = "big" when properties.total > 100\nname = "small" when properties.total <= 100\n');
    const name = (total: unknown) => {
      const r = sub.map({ properties: { total } });
      return r.ok ? r.fields.name : r.errors.map((e) => e.field).join();
    };
    expect(name(500)).toBe('big');
    expect(name(5)).toBe('small');
    expect(name('5')).toBe('name'); // neither guard holds: the required field is missing
  });

  test('the event is never mutated, even by dotted assignments into event objects', () => {
    const sub = compileMapping('target createUpdatePerson\ncustom_attributes.extra.flag = true\n');
    const event = { type: 'identify', userId: 'u', traits: { extra: { a: 1 } } };
    const before = JSON.stringify(event);
    const r = sub.map(event);
    expect(JSON.stringify(event)).toBe(before);
    expect(r.ok && r.fields.custom_attributes).toEqual({ extra: { a: 1, flag: true } });
  });
});

describe('checkMapping', () => {
  test('reports warnings without failing compilation', () => {
    const source = 'target createUpdatePerson\nwhen type = "identify"\nemail = properties.email\n';
    expect(checkMapping(source).map((d) => `${d.severity} ${d.code}`)).toEqual(['warning MAP200']);
    expect(() => compileMapping(source)).not.toThrow();
  });

  test('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (tail) => {
        const diags = checkMapping(`target trackEvent\n${tail}`);
        expect(Array.isArray(diags)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
