// Editor highlighting comes from the parser's lexer: every character is covered once, in order,
// and each class is what the parser reads there.
import { describe, expect, it } from 'vitest';
import { highlightTokens } from '../../src/parser/highlight.js';

const classes = (source: string, lang?: 'map' | 'fql') => highlightTokens(source, lang).map((t) => [source.slice(t.start, t.end), t.class]);

describe('highlightTokens', () => {
  it('classes a .map file: comments, keywords, strings, numbers, variables, names, operators', () => {
    const source = '# hi\ntarget trackEvent\nwhen type = "track" # note\nlet $n = 1.5e3\nname = $n ?? \'x\' | upper\n';
    expect(classes(source)).toEqual([
      ['# hi', 'comment'],
      ['target', 'name'],
      ['trackEvent', 'name'],
      ['when', 'keyword'],
      ['type', 'name'],
      ['=', 'operator'],
      ['"track"', 'string'],
      ['# note', 'comment'],
      ['let', 'keyword'],
      ['$n', 'variable'],
      ['=', 'operator'],
      ['1.5e3', 'number'],
      ['name', 'name'],
      ['=', 'operator'],
      ['$n', 'variable'],
      ['??', 'operator'],
      ["'x'", 'string'],
      ['|', 'operator'],
      ['upper', 'name'],
    ]);
  });

  it('marks what the lexer rejects or reports as invalid, and FQL has no comments', () => {
    expect(classes('a == "x', 'fql')).toEqual([
      ['a', 'name'],
      ['==', 'invalid'],
      ['"x', 'invalid'],
    ]);
    expect(classes('a = 1 # c', 'fql')).toEqual([
      ['a', 'name'],
      ['=', 'operator'],
      ['1', 'number'],
      ['#', 'invalid'],
      ['c', 'name'],
    ]);
    expect(classes('x = null and true or `y`', 'fql').map(([, c]) => c)).toEqual(['name', 'operator', 'atom', 'keyword', 'atom', 'keyword', 'invalid', 'name', 'invalid']);
  });

  it('never overlaps and stays in order on arbitrary text', () => {
    for (const source of ['{{ "a" }}', '"unterminated\nnext', '\\', 'a.b[0].c[*]', '\u00e9t\u00e9 = 1']) {
      let pos = 0;
      for (const t of highlightTokens(source)) {
        expect(t.start).toBeGreaterThanOrEqual(pos);
        expect(t.end).toBeGreaterThan(t.start);
        pos = t.end;
      }
      expect(pos).toBeLessThanOrEqual(source.length);
    }
  });
});
