// parseFql: the whole language of fql.md §2–§4 as table rows (source → s-expression), and every
// compile-time error of §10 (code at line:col).

import { describe, expect, it } from 'vitest';
import { parseFql } from '../../src/parser/index.js';
import { fql, fqlErrors } from './helpers.js';

describe('precedence and associativity (fql.md §4)', () => {
  it.each<[string, string]>([
    ['a or b and c', '(or a (and b c))'],
    ['a and b or c', '(or (and a b) c)'],
    ['a and b and c', '(and a b c)'],
    ['a or b or c or d', '(or a b c d)'],
    ['(a or b) and c', '(and (paren (or a b)) c)'],
    ['!a = "X"', '(= (! a) "X")'],
    ['!(a = "X")', '(! (paren (= a "X")))'],
    ['!!x', '(! (! x))'],
    ['!(!(x))', '(! (paren (! (paren x))))'],
    ['a = 1 and !b', '(and (= a 1) (! b))'],
    ['x in [1, 2] or y != null', '(or (in x [1 2]) (!= y null))'],
    ['a < 1 and b <= 2 and c > 3 and d >= 4', '(and (< a 1) (<= b 2) (> c 3) (>= d 4))'],
    ['"Order Completed" = event', '(= "Order Completed" event)'],
    ["'dark-mode' in properties.features", "(in 'dark-mode' properties.features)"],
    ['lowercase(event) = "x"', '(= (lowercase event) "x")'],
    ['length(userId) > 0', '(> (length userId) 0)'],
    ['contains(lowercase(event), "order")', '(contains (lowercase event) "order")'],
    ['match( x, \'p\' )', "(match x 'p')"],
    ['f ()', '(f)'],
    ['properties.enabled', 'properties.enabled'],
    ['true', 'true'],
    ['null = null', '(= null null)'],
    ['[]', '[]'],
    ['[[1], [2, [3]]]', '[[1] [2 [3]]]'],
    ['"track" in [event, type]', '(in "track" [event type])'],
    ['!( type in [\'track\', \'identify\'] )', "(! (paren (in type ['track' 'identify'])))"],
    ['( type = \'track\' or type = \'identify\' ) and ( properties.enabled or match( traits.email, \'*@company.com\' ) )', "(and (paren (or (= type 'track') (= type 'identify'))) (paren (or properties.enabled (match traits.email '*@company.com'))))"],
  ])('%s', (source, expected) => {
    expect(fql(source)).toBe(expected);
  });
});

describe('lexical forms that must parse', () => {
  it.each<[string, string]>([
    ['type="page"', '(= type "page")'],
    ['properties.revenue>50', '(> properties.revenue 50)'],
    ['properties.delta > -5', '(> properties.delta -5)'],
    ['properties.user-id != null', '(!= properties.user-id null)'],
    ['properties.product\\ 1.price = 1', '(= properties["product 1"].price 1)'],
    ['properties.a\\.b = 1', '(= properties["a.b"] 1)'],
    ['integrations.Customer\\.io = true', '(= integrations["Customer.io"] true)'],
    ['properties.price\\[0\\] = 1', '(= properties["price[0]"] 1)'],
    ['properties.\\1st = 1', '(= properties["1st"] 1)'],
    ['properties.\\é = 1', '(= properties["é"] 1)'],
    ['properties.a\\\\b = 1', '(= properties["a\\\\b"] 1)'],
    ['properties.true = properties.in', '(= properties.true properties.in)'],
    ['properties.null.and.or = 1', '(= properties.null.and.or 1)'],
    ['AND = 1', '(= AND 1)'],
    ["x = 'say \"hi\"'", "(= x 'say \"hi\"')"],
    ['x = "a\\*b"', '(= x "a\\\\*b")'],
    ['x = 007', '(= x 7)'],
    ['x = 1.50', '(= x 1.5)'],
    ['x = +3', '(= x 3)'],
    ['a\r\n  and\tb\r\n', '(and a b)'],
    ['\n\n  type = "track"  \n', '(= type "track")'],
  ])('%j', (source, expected) => {
    expect(fql(source)).toBe(expected);
  });

  it('keeps the escaped name `\\null` a path, not the literal', () => {
    const ast = parseFql('\\null = 1').ast;
    expect(ast?.kind === 'compare' && ast.left).toMatchObject({ kind: 'path', segments: [{ kind: 'key', name: 'null' }] });
  });

  it('records the quote style and the exact string content (no escapes)', () => {
    const ast = parseFql("x = 'a\\n' and y = \"b\"").ast;
    expect(ast?.kind).toBe('logical');
    if (ast?.kind !== 'logical') return;
    expect(ast.operands[0]).toMatchObject({ right: { kind: 'literal', value: 'a\\n', quote: "'" } });
    expect(ast.operands[1]).toMatchObject({ right: { kind: 'literal', value: 'b', quote: '"' } });
  });

  it('gives spans with line and column on every node', () => {
    const ast = parseFql('type = "track"\n  and event = "X"').ast;
    if (ast?.kind !== 'logical') throw new Error('expected logical');
    const second = ast.operands[1];
    if (second?.kind !== 'compare') throw new Error('expected compare');
    expect(second.span).toEqual({ start: 21, end: 32, line: 2, column: 7 });
    expect(second.opSpan).toEqual({ start: 27, end: 28, line: 2, column: 13 });
    expect(second.right.span).toMatchObject({ start: 29, end: 32 });
    expect(ast.span).toMatchObject({ start: 0, end: 32, line: 1, column: 1 });
  });
});

describe('compile-time errors (fql.md §10): code at line:col', () => {
  it.each<[string, string[]]>([
    // lexical
    ['type = "a" $', ['FQL001 1:12']],
    ['événement = 1', ['FQL001 1:1', 'FQL001 1:3']],
    ['userId = oops"', ['FQL002 1:14']],
    ['x = 1 and\ny = \'abc', ['FQL002 2:5']],
    ['properties.x\\', ['FQL003 1:13']],
    ['properties.n = 1e3', ['FQL004 1:16']],
    ['x = 5.', ['FQL004 1:5']],
    ['x = .5', ['FQL004 1:5']],
    ['x = 1.2.3', ['FQL004 1:5']],
    ['x = -', ['FQL004 1:5']],
    // syntactic
    ['', ['FQL100 1:1']],
    ['  \n\t ', ['FQL100 1:1']],
    ['type =', ['FQL101 1:7']],
    ['type = "a" and', ['FQL101 1:15']],
    ['and type = "a"', ['FQL101 1:1']],
    ['!', ['FQL101 1:2']],
    ['a or or b', ['FQL101 1:6']],
    ['(a', ['FQL102 1:3']],
    ['a)', ['FQL102 1:2']],
    ['((a)', ['FQL102 1:5']],
    ['()', ['FQL106 1:2']],
    ['[1, 2', ['FQL102 1:6']],
    ['[1, 2,]', ['FQL105 1:7']],
    ['f(a,)', ['FQL105 1:5']],
    ['a = b = c', ['FQL103 1:7']],
    ['1 < x < 5', ['FQL103 1:7']],
    ['type = "a" "b"', ['FQL104 1:12']],
    ['type = "a", event = "b"', ['FQL104 1:13']],
    ['type = "a" AND event = "b"', ['FQL104 1:12']],
    ['type = "a" OR event = "b"', ['FQL104 1:12']],
    ['not type = "a"', ['FQL104 1:5']],
    ['type == "a"', ['FQL005 1:6']],
    ['type <> "a"', ['FQL005 1:6']],
    ['a && b', ['FQL005 1:3']],
    ['a || b', ['FQL005 1:3']],
    ['properties.', ['FQL107 1:12']],
    ['properties..x', ['FQL107 1:12']],
    ['.properties', ['FQL107 1:1']],
    ['properties.items[0].sku = "a"', ['FQL107 1:17']],
    ['properties.product 1.price = 2', ['FQL004 1:20']],
    ['properties.1st = 2', ['FQL004 1:12']],
    ['a.b(c)', ['FQL107 1:4']],
    ['in = 1', ['FQL101 1:1', 'FQL101 1:4']],
    // several errors in one pass
    ['(a = 1 and b = ) or c == 2 or (d', ['FQL101 1:16', 'FQL005 1:23', 'FQL102 1:33']],
  ])('%j', (source, expected) => {
    const r = parseFql(source);
    expect(r.ast).toBeUndefined();
    expect(fqlErrors(source)).toEqual(expected);
    for (const d of r.diagnostics) expect(d.message.length).toBeGreaterThan(10);
  });

  it.each<[string, string]>([
    ['type == "a"', '`==` is not FQL, use `=`'],
    ['type = "a" AND event = "b"', '`AND` must be lowercase: `and`'],
    ['a && b', '`&&` is not FQL, use `and`'],
    ['not type = "a"', '`not` is not FQL, use `!`'],
    ['event = Order Completed', 'strings need quotes: `event = "Order Completed"`'],
    ['properties.items[0] = 1', 'brackets only make lists; use the list whole with `in`, `=` or `length()`'],
    ['type = "a", event = "b"', 'conditions are joined with `and` or `or`, not `,`'],
    ['properties.product 1.price = 2', 'a space inside a name must be escaped: `product\\ 1`'],
    ['properties.1st = 2', 'escape the first character: `\\1st`'],
  ])('hint for %j', (source, hint) => {
    expect(parseFql(source).diagnostics.map((d) => d.hint)).toContain(hint);
  });

  it('says what was expected and what was found', () => {
    expect(parseFql('type =').diagnostics[0]?.message).toBe('expected a value after `=`, found end of input');
    expect(parseFql('(a').diagnostics[0]?.message).toBe('expected `)` after name `a`, found end of input');
  });

  it.each(['x = foo', 'properties.missing', 'typeof(x)', 'x in "string"', 'unknownFn(1, 2, 3)', 'contains()'])('%j is not a syntax error', (source) => {
    expect(parseFql(source).diagnostics).toEqual([]);
  });
});

describe('the seven Quick Setup triggers (customerio.md §0.3) parse verbatim', () => {
  it.each<[string, string]>([
    ['type = "group"', '(= type "group")'],
    ['type = "identify"', '(= type "identify")'],
    [
      'type = "track" and event != "Application Installed" and event != "Application Opened" and event != "Application Uninstalled" and event != "Relationship Deleted" and event != "User Deleted" and event != "User Suppressed" and event != "User Unsuppressed" and event != "Object Deleted" and event != "Report Delivery Event"',
      '(and (= type "track") (!= event "Application Installed") (!= event "Application Opened") (!= event "Application Uninstalled") (!= event "Relationship Deleted") (!= event "User Deleted") (!= event "User Suppressed") (!= event "User Unsuppressed") (!= event "Object Deleted") (!= event "Report Delivery Event"))',
    ],
    ['event = "Report Delivery Event"', '(= event "Report Delivery Event")'],
    ['type = "page"', '(= type "page")'],
    ['event = "Application Installed" or event = "Application Opened"', '(or (= event "Application Installed") (= event "Application Opened"))'],
    ['type = "screen"', '(= type "screen")'],
  ])('%s', (source, expected) => {
    expect(fql(source)).toBe(expected);
  });
});
