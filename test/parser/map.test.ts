// parseMap / parseMapExpression: every .map construct of mapping.md §1–§2 → AST shape (compact
// s-expressions), precedence of the mapping levels, and the .map syntax errors with positions.

import { describe, expect, it } from 'vitest';
import { parseMap, parseMapExpression } from '../../src/parser/index.js';
import { mapErrors, mapExpr, mapFile, summarize } from './helpers.js';

describe('.map expressions → AST', () => {
  it.each<[string, string]>([
    // paths
    ['traits.email', 'traits.email'],
    ['$.traits.email', 'traits.email'],
    ['$', '$'],
    ['properties.\\1st', 'properties["1st"]'],
    ['properties["Product Name"]', 'properties["Product Name"]'],
    ["properties['a b']", 'properties["a b"]'],
    ['properties.items[0].sku', 'properties.items[0].sku'],
    ['properties.items[-1]', 'properties.items[-1]'],
    ['properties.items[*].sku', 'properties.items[*].sku'],
    ['$p.sku', '$p.sku'],
    ['$stage', '$stage'],
    ['properties.if.then.end.omit', 'properties.if.then.end.omit'],
    // literals
    ['"text"', '"text"'],
    ["'text'", "'text'"],
    ['42', '42'],
    ['-1.5', '-1.5'],
    ['1e3', '1000'],
    ['true', 'true'],
    ['null', 'null'],
    ['{ a: 1, "b c": traits.x }', '{a: 1, "b c": traits.x}'],
    ['{}', '{}'],
    ['{ if: 1, "__proto__": 2 }', '{if: 1, __proto__: 2}'],
    ['[1, userId]', '[1 userId]'],
    ['{ "a": [1, {"b": null}] }', '{a: [1 {b: null}]}'],
    ['"esc \\" \\\\ \\n \\u00e9"', JSON.stringify('esc " \\ \n é')],
    // templates
    ['"Hi {{ traits.first_name }}!"', '(tpl "Hi " traits.first_name "!")'],
    ['"{{a}}{{b}}"', '(tpl a b)'],
    ['"x {{ lower("A") }} y"', '(tpl "x " (lower "A") " y")'],
    ['"{{ a ?? \'none\' }}"', "(tpl (?? a 'none'))"],
    ["'{{x}}'", "'{{x}}'"],
    ['"no template"', '"no template"'],
    ['"\\{{x}}"', '"{{x}}"'],
    // operators and precedence
    ['a ?? b', '(?? a b)'],
    ['a ?: b', '(?: a b)'],
    ['a ?? b ?: c', '(?: (?? a b) c)'],
    ['a ?? b | lower', '(?? a (|lower b))'],
    ['(a ?? b) | lower', '(|lower (paren (?? a b)))'],
    ['traits.email | lower | trim', '(|trim (|lower traits.email))'],
    ['x | replace("-", "")', '(|replace x "-" "")'],
    ['traits.plan | lower = "pro"', '(= (|lower traits.plan) "pro")'],
    ['!x | f', '(|f (! x))'],
    ['a = 1 or b ?? c', '(?? (or (= a 1) b) c)'],
    ['parse_json(x) catch x', '(catch (parse_json x) x)'],
    ['a catch b catch omit', '(catch (catch a b) omit)'],
    ['a ?? b catch c', '(catch (?? a b) c)'],
    ['omit', 'omit'],
    // prefix forms
    ['if traits.vip = true then "gold" else "std"', '(if (= traits.vip true) "gold" "std")'],
    ['if a then b', '(if a b)'],
    ['if a then b else if c then d else e', '(if a b (if c d e))'],
    ['if a then b else c ?? d', '(if a b (?? c d))'],
    ['x ?? if a then b else c', '(?? x (if a b c))'],
    ['case lower(x) when "ios", "ipados" then "ios" when "android" then "android" else omit end', '(case (lower x) (when ["ios" "ipados"] "ios") (when ["android"] "android") (else omit))'],
    ['case when a > 1 then "big" end', '(case (when [(> a 1)] "big"))'],
    ['case x when 1 then "one" end ?? "other"', '(?? (case x (when [1] "one")) "other")'],
    ['each properties.products as $p { sku: $p.sku, user: userId }', '(each properties.products $p {sku: $p.sku, user: userId})'],
    ['each xs as $p { $p.sku }', '(each xs $p $p.sku)'],
    ['each xs as $p { { a: 1 } }', '(each xs $p {a: 1})'],
    ['each xs as $p {}', '(each xs $p {})'],
    ['merge(traits, { plan_name: upper(traits.plan) })', '(merge traits {plan_name: (upper traits.plan)})'],
    ['jsonpath(properties, "$..sku")', '(jsonpath properties "$..sku")'],
    // FQL inside .map keeps its meaning
    ['type = "track" and !(event in ["a", "b"])', '(and (= type "track") (! (paren (in event ["a" "b"]))))'],
  ])('%s', (source, expected) => {
    expect(mapExpr(source)).toBe(expected);
  });

  it('marks pipe calls as piped and keeps spans of template parts in the source', () => {
    const r = parseMap('target x\nname = "Hi {{ traits.name }}"\nemail = traits.email | lower\n');
    const [name, email] = r.ast?.statements ?? [];
    expect(name?.value.kind).toBe('template');
    if (name?.value.kind === 'template') {
      const part = name.value.parts[1];
      expect(typeof part === 'object' && part.span).toMatchObject({ line: 2, column: 15, start: 23, end: 34 });
    }
    expect(email?.value).toMatchObject({ kind: 'call', name: 'lower', piped: true, nameSpan: { line: 3, column: 24 } });
  });
});

describe('parseMapExpression errors', () => {
  it.each<[string, string[]]>([
    ['', ['FQL100 1:1']],
    ['a ??', ['FQL101 1:5']],
    ['a | ', ['FQL102 1:5']],
    ['{ a: }', ['FQL101 1:6']],
    ['if a then', ['FQL101 1:10']],
    ['each xs as p { }', ['FQL102 1:12']],
    ['x[', ['MAP009 1:3']],
    ['x[a]', ['MAP009 1:3']],
    ['$', []],
  ])('%j', (source, expected) => {
    expect(summarize(parseMapExpression(source).diagnostics)).toEqual(expected);
  });
});

const SPEC_EXAMPLE = `# Identify calls become Customer.io people.
target createUpdatePerson
title  "People from identify"
when   type = "identify" and traits.email != null

id                = userId ?? traits.email
email             = traits.email | lower | trim
created_at        = traits.created_at ?? traits.createdAt
custom_attributes = merge(traits, { plan_name: upper(traits.plan) })
group_id          = omit                      # never relate people to objects here

example "a known user" {
  input:  { "type": "identify", "userId": "u1", "traits": { "email": " Ann@X.io ", "plan": "pro" } }
  fields: { "id": "u1", "email": "ann@x.io", "custom_attributes": { "email": " Ann@X.io ", "plan": "pro", "plan_name": "PRO" } }
}
`;

describe('.map files → AST', () => {
  it('parses the complete example of mapping.md §1', () => {
    expect(mapFile(SPEC_EXAMPLE)).toBe(
      [
        'target createUpdatePerson',
        'title "People from identify"',
        'when (and (= type "identify") (!= traits.email null))',
        'id = (?? userId traits.email)',
        'email = (|trim (|lower traits.email))',
        'created_at = (?? traits.created_at traits.createdAt)',
        'custom_attributes = (merge traits {plan_name: (upper traits.plan)})',
        'group_id = omit',
        'example "a known user" input={type: "identify", userId: "u1", traits: {email: " Ann@X.io ", plan: "pro"}} fields={id: "u1", email: "ann@x.io", custom_attributes: {email: " Ann@X.io ", plan: "pro", plan_name: "PRO"}}',
      ].join('\n'),
    );
    const ast = parseMap(SPEC_EXAMPLE).ast;
    expect(ast?.when?.source).toBe('type = "identify" and traits.email != null');
    expect(ast?.when?.span).toMatchObject({ line: 4, column: 8 });
    expect(ast?.statements[0]).toMatchObject({ field: ['id'], fieldSpan: { line: 6, column: 1, start: 151, end: 153 } });
  });

  it.each<[string, string, string]>([
    ['a multi-line when ends where a field starts', 'target t\nwhen type = "track" and\n     event = "X"\n  or event = "Y"\nevent = properties.x\n', 'target t\nwhen (or (and (= type "track") (= event "X")) (= event "Y"))\nevent = properties.x'],
    ['dotted fields, let and guards', 'target t\nlet $p = properties\ncustom_attributes.plan = $p.plan when $p.plan != null\n', 'target t\nlet $p = properties\ncustom_attributes.plan = $p.plan when (!= $p.plan null)'],
    ['an expression continues on the next line while unfinished', 'target t\nx = a ??\n  b\ny = f(\n  1,\n  2)\nz = a\n  | lower\n', 'target t\nx = (?? a b)\ny = (f 1 2)\nz = (|lower a)'],
    ['comments anywhere', '# head\ntarget t # the action\n# between\nx = 1 # tail\n', 'target t\nx = 1'],
    ['CRLF line endings', 'target t\r\nwhen type = "a"\r\nx = 1\r\n', 'target t\nwhen (= type "a")\nx = 1'],
    ['body-only example with commas and JSON text that looks like a template', 'target t\nexample "e" { input: {"type": "track"}, body: {"name": "{{x}}", "n": 1.5e2} }\n', 'target t\nexample "e" input={type: "track"} body={name: "{{x}}", n: 150}'],
    ['case … end over several lines, `when` lines included', 'target t\nplatform = case lower(context.device.type)\n  when "ios", "ipados" then "ios"\n  when "android" then "android"\n  else omit\nend\nx = 1\n', 'target t\nplatform = (case (lower context.device.type) (when ["ios" "ipados"] "ios") (when ["android"] "android") (else omit))\nx = 1'],
    ['brackets, objects and calls over several lines', 'target t\ndata = {\n  a: f(\n    1,\n    x = 2\n  ),\n  b: [\n    c\n  ]\n}\ny = (\n  z = 1\n)\n', 'target t\ndata = {a: (f 1 (= x 2)), b: [c]}\ny = (paren (= z 1))'],
    ['keyword-named keys in objects and paths', 'target t\ndata = { end: properties.when, case: 1 }\n', 'target t\ndata = {end: properties.when, case: 1}'],
  ])('%s', (_name, source, expected) => {
    expect(mapFile(source)).toBe(expected);
  });
});

describe('.map syntax and structure errors (code at line:col)', () => {
  it.each<[string, string, string[]]>([
    ['missing target', 'x = 1\n', ['MAP002 1:1']],
    ['target not first', 'title "t"\ntarget a\n', ['MAP003 2:1']],
    ['target with quotes', 'target "a"\n', ['MAP002 1:8']],
    ['second target', 'target a\ntarget b\n', ['MAP003 2:1']],
    ['when after fields', 'target a\nx = 1\nwhen type = "a"\n', ['MAP003 3:1']],
    ['a guard on its own line is a misplaced header', 'target a\nx = 1\n  when type = "a"\n', ['MAP003 3:3']],
    ['non-FQL when: coalesce', 'target a\nwhen type ?? "x" = "a"\n', ['MAP004 2:6']],
    ['non-FQL when: pipe', 'target a\nwhen event | lower = "x"\n', ['MAP004 2:6']],
    ['non-FQL when: index', 'target a\nwhen properties.items[0] = 1\n', ['MAP004 2:6']],
    ['non-FQL when: variable', 'target a\nwhen $x = 1\n', ['MAP004 2:6']],
    ['non-FQL when: $. prefix', 'target a\nwhen $.type = "a"\n', ['FQL001 2:6']],
    ['non-FQL when: exponent', 'target a\nwhen x = 1e3\n', ['FQL004 2:10']],
    ['forgotten =', 'target a\nemail traits.email\n', ['MAP007 2:1']],
    ['misspelt header', 'targt a\n', ['MAP002 1:1', 'MAP007 1:1']],
    ['bad escape', 'target a\nx = "a\\qb"\n', ['MAP005 2:7']],
    ['unclosed template', 'target a\nx = "Hi {{ name"\n', ['MAP006 2:9']],
    ['empty template', 'target a\nx = "Hi {{ }}"\n', ['MAP006 2:9']],
    ['error inside a template', 'target a\nx = "Hi {{ a = }}"\n', ['FQL101 2:16']],
    ['duplicate object key', 'target a\nx = { a: 1, a: 2 }\n', ['MAP010 2:13']],
    ['fractional index', 'target a\nx = p.items[1.5]\n', ['MAP009 2:13']],
    ['example without body', 'target a\nexample "e"\n', ['MAP008 2:9']],
    ['example without input', 'target a\nexample "e" { fields: {} }\n', ['MAP008 2:1']],
    ['example with a path value', 'target a\nexample "e" { input: { "a": traits.x }, fields: {} }\n', ['MAP008 2:29']],
    ['example with an unknown part', 'target a\nexample "e" { input: {}, expected: {} }\n', ['MAP008 2:1', 'MAP008 2:26']],
    ['missing value before a new field', 'target a\nx =\ny = 2\n', ['FQL101 2:4']],
    ['missing guard before a new field', 'target a\nx = 1 when\ny = 2\n', ['FQL101 2:11']],
    ['missing let value', 'target a\nlet $x =\ny = 2\n', ['FQL101 2:9']],
    ['unclosed call', 'target a\nx = lower(\ny = 2\n', ['FQL102 3:6']],
    ['stray token at statement level', 'target a\nx = 1\n) y = 2\n', ['FQL102 3:1']],
    ['a string where a statement should start', 'target a\nx = 1\n"y" = 2\n', ['MAP007 3:1']],
    ['case without branches', 'target a\nx = case a end\n', ['FQL102 2:12']],
    ['one syntax error per statement (no recovery cascades)', 'target a\nx = each a { b }\ny = if a else b\n', ['FQL102 2:12', 'FQL102 3:10']],
    ['a statement-level keyword', 'target a\nif x then 1\n', ['MAP007 2:1']],
    ['a byte-order mark is only accepted at the start', '\ufefftarget a\nx = \ufeff1\n', ['FQL001 2:5']],
    ['an unclosed bracket does not swallow the next statements', 'target a\nx = lower(a\ny = [1\nz = { a: 1, a: 2 }\n', ['FQL102 2:12', 'FQL102 3:7', 'MAP010 4:13']],
    ['leftover tokens on the statement line', 'target a\nx = 1 2\n', ['FQL104 2:7']],
    ['several errors in one pass', 'target a\nx = (1\ny = "a\\q"\nz = { a: 1, a: 2 }\n', ['FQL102 2:7', 'MAP005 3:7', 'MAP010 4:13']],
  ])('%s', (_name, source, expected) => {
    expect(mapErrors(source)).toEqual(expected);
  });

  it('still accepts a value that starts on the next line when it is not `name = …`', () => {
    expect(mapFile('target a\nx =\n  if a then 1 else 2\ny =\n  (z = 2)\n')).toBe('target a\nx = (if a 1 2)\ny = (paren (= z 2))');
  });

  it('drops statements that overlap a syntax error but keeps the rest', () => {
    const r = parseMap('target a\nx = (1\ny = 2\nz = 3\n');
    expect(r.ast?.statements.map((s) => (s.kind === 'assign' ? s.field.join('.') : s.name))).toEqual(['y', 'z']);
  });

  it('reports a forgotten `=` with a did-you-mean for header typos', () => {
    expect(parseMap('titel "x"\n').diagnostics.map((d) => d.hint)).toContain('did you mean the header `title`?');
  });
});
