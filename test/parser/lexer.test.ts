// Token rules of both lexers (fql.md §2, mapping.md §2): table rows of source → token names and images.

import { describe, expect, it } from 'vitest';
import { lex, type Language } from '../../src/parser/lexer.js';
import { LineMap } from '../../src/parser/line-map.js';

const tokens = (source: string, lang: Language = 'fql'): string[] =>
  lex(lang, new LineMap(source)).tokens.map((t) => `${t.tokenType.name}:${t.image}`);
const codes = (source: string, lang: Language = 'fql'): string[] => lex(lang, new LineMap(source)).diagnostics.map((d) => d.code);

describe('FQL lexer: token rules', () => {
  it.each<[string, string[]]>([
    ['type="page"', ['Identifier:type', 'Eq:=', 'FqlString:"page"']],
    ['properties.revenue>50', ['Identifier:properties', 'Dot:.', 'Identifier:revenue', 'Gt:>', 'FqlNumber:50']],
    ['x>=-5', ['Identifier:x', 'Ge:>=', 'FqlNumber:-5']],
    ['properties.user-id', ['Identifier:properties', 'Dot:.', 'Identifier:user-id']],
    ['a != b', ['Identifier:a', 'NotEq:!=', 'Identifier:b']],
    ['a ! = b', ['Identifier:a', 'Bang:!', 'Eq:=', 'Identifier:b']],
    ['!x', ['Bang:!', 'Identifier:x']],
    ['!!x', ['Bang:!', 'Bang:!', 'Identifier:x']],
    ['a<b<=c', ['Identifier:a', 'Lt:<', 'Identifier:b', 'Le:<=', 'Identifier:c']],
    ['and or in null true false', ['And:and', 'Or:or', 'In:in', 'Null:null', 'True:true', 'False:false']],
    ['AND Or andy order nullable inbox trueValue', ['Identifier:AND', 'Identifier:Or', 'Identifier:andy', 'Identifier:order', 'Identifier:nullable', 'Identifier:inbox', 'Identifier:trueValue']],
    ['\\null \\true a\\nd', ['Identifier:\\null', 'Identifier:\\true', 'Identifier:a\\nd']],
    ['and-x', ['Identifier:and-x']],
    ['properties.product\\ 1.price', ['Identifier:properties', 'Dot:.', 'Identifier:product\\ 1', 'Dot:.', 'Identifier:price']],
    ['a\\.b \\é \\😀x', ['Identifier:a\\.b', 'Identifier:\\é', 'Identifier:\\😀x']],
    ['properties.\\1st', ['Identifier:properties', 'Dot:.', 'Identifier:\\1st']],
    ['"it\'s" \'say "hi"\'', ['FqlString:"it\'s"', 'FqlString:\'say "hi"\'']],
    ['"a\\b"', ['FqlString:"a\\b"']],
    ['"line\nbreak"', ['FqlString:"line\nbreak"']],
    ['007 1.50 +3 -0', ['FqlNumber:007', 'FqlNumber:1.50', 'FqlNumber:+3', 'FqlNumber:-0']],
    ['(a,[b])', ['LParen:(', 'Identifier:a', 'Comma:,', 'LBracket:[', 'Identifier:b', 'RBracket:]', 'RParen:)']],
    ['a\r\n\tand\r\nb', ['Identifier:a', 'And:and', 'Identifier:b']],
    ['"A"and type', ['FqlString:"A"', 'And:and', 'Identifier:type']],
  ])('%j', (source, expected) => {
    expect(tokens(source)).toEqual(expected);
    expect(codes(source)).toEqual([]);
  });
});

describe('FQL lexer: lexical errors (fql.md §10)', () => {
  it.each<[string, string[]]>([
    ['a $ b', ['FQL001']],
    ['é = 1', ['FQL001']],
    ['a # b', ['FQL001']],
    ['a & b', ['FQL001']],
    ['a | b', ['FQL001']],
    ['userId = oops"', ['FQL002']],
    ["x = 'abc", ['FQL002']],
    ['x\\', ['FQL003']],
    ['\\', ['FQL003']],
    ['1e3', ['FQL004']],
    ['5.', ['FQL004']],
    ['x > .5', ['FQL004']],
    ['1.2.3', ['FQL004']],
    ['-', ['FQL004']],
    ['12abc', ['FQL004']],
    ['a == b', ['FQL005']],
    ['a === b', ['FQL005']],
    ['a !== b', ['FQL005']],
    ['a <> b', ['FQL005']],
    ['a && b', ['FQL005']],
    ['a || b', ['FQL005']],
  ])('%j', (source, expected) => {
    expect(codes(source)).toEqual(expected);
  });

  it('keeps problem tokens in the stream as what they stand for', () => {
    expect(tokens('a && b')).toEqual(['Identifier:a', 'AmpAmp:&&', 'Identifier:b']);
    expect(tokens('x = "ab')).toEqual(['Identifier:x', 'Eq:=', 'UnterminatedString:"ab']);
  });

  it('points an unterminated string at its opening quote', () => {
    const d = lex('fql', new LineMap('a = 1 and\nb = "xyz'), 0).diagnostics[0];
    expect(d?.span).toMatchObject({ line: 2, column: 5, start: 14, end: 15 });
  });
});

describe('.map lexer', () => {
  it.each<[string, string[]]>([
    ['$.traits', ['Dollar:$', 'Dot:.', 'Identifier:traits']],
    ['$p.sku', ['Variable:$p', 'Dot:.', 'Identifier:sku']],
    ['a ?? b ?: c', ['Identifier:a', 'Coalesce:??', 'Identifier:b', 'BlankCoalesce:?:', 'Identifier:c']],
    ['x | lower', ['Identifier:x', 'Pipe:|', 'Identifier:lower']],
    ['{ a: 1 }', ['LCurly:{', 'Identifier:a', 'Colon::', 'MapNumber:1', 'RCurly:}']],
    ['[*] # comment', ['LBracket:[', 'Star:*', 'RBracket:]']],
    ['1e3 -1.5E-2', ['MapNumber:1e3', 'MapNumber:-1.5E-2']],
    ['"a \\" b"', ['MapString:"a \\" b"']],
    ['"Hi {{ lower("X") }}"', ['MapString:"Hi {{ lower("X") }}"']],
    ["'{{x}}'", ["MapRawString:'{{x}}'"]],
    ['if then else case when end each as omit catch let', ['If:if', 'Then:then', 'Else:else', 'Case:case', 'When:when', 'End:end', 'Each:each', 'As:as', 'Omit:omit', 'Catch:catch', 'Let:let']],
    ['iffy ending', ['Identifier:iffy', 'Identifier:ending']],
  ])('%j', (source, expected) => {
    expect(tokens(source, 'map')).toEqual(expected);
    expect(codes(source, 'map')).toEqual([]);
  });
});
