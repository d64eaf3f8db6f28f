// Diagnostics carry a `replacement` where the checker is sure of the fix ("did you mean"), and it
// fixes the problem when put in place of the span.
import { describe, expect, it } from 'vitest';
import { checkMapping, checkTrigger, type Diagnostic } from '../../src/index.js';

const apply = (source: string, d: Diagnostic) => source.slice(0, d.span.start) + (d.replacement as string) + source.slice(d.span.end);

describe('diagnostic replacements', () => {
  it.each([
    ['an unknown field', 'target createUpdatePerson\nid = userId\nemial = "a@b.co"\n', 'MAP101', 'email'],
    ['an unknown action', 'target trackEvnt\nevent_id = messageId\n', 'MAP100', 'trackEvent'],
    ['an unknown function', 'target createUpdatePerson\nid = lowr(userId)\n', 'FQL201', 'lower'],
  ])('%s: applying the replacement removes the error', (_, source, code, replacement) => {
    const d = checkMapping(source).find((x) => x.code === code);
    expect(d?.replacement).toBe(replacement);
    const fixed = apply(source, d as Diagnostic);
    expect(checkMapping(fixed).filter((x) => x.code === code)).toEqual([]);
  });

  it('a misspelled function in a trigger', () => {
    const d = checkTrigger('contans(event, "x")').find((x) => x.code === 'FQL201');
    expect(d?.replacement).toBe('contains');
  });

  it('no replacement where the fix is not a plain rename', () => {
    expect(checkTrigger('startsWith(event, "x")').find((x) => x.code === 'FQL201')?.replacement).toBeUndefined();
    const dotted = checkMapping('target createUpdatePerson\nid = userId\nemial.x = "a"\n').find((x) => x.code === 'MAP101');
    expect(dotted?.hint).toContain('did you mean');
    expect(dotted?.replacement).toBeUndefined();
  });
});
