// Differential tests of the Segment importer, directive by directive: each mapping-kit value is
// imported (under the free-form `data` field of trackEvent) and compared with what
// @segment/actions-core's own `transform` computes for the same JSON and event.
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { CompileError } from '../../src/diagnostics/diagnostic.js';
import { compileMapping, importSegmentSubscription } from '../../src/mapping/api.js';

const require = createRequire(import.meta.url);
const { transform } = require('@segment/actions-core') as { transform: (m: unknown, d: unknown) => Record<string, unknown> };

const events: Record<string, unknown>[] = [
  {
    type: 'track',
    event: 'Order Completed',
    userId: 'u-1',
    anonymousId: null,
    properties: {
      name: 'Big-Box-Deluxe',
      total: 42.5,
      zero: 0,
      flag: false,
      empty: '',
      nothing: null,
      list: [],
      obj: {},
      tags: ['a', 'b'],
      blob: '{"a":[1,2],"b":{"c":null}}',
      bad: '{nope',
      nested: { a: { b: 1, c: [1, 2] }, d: null, e: { f: null } },
      products: [
        { product_id: 'p1', price: 10, sku: 'S-1' },
        { product_id: 'p2', price: 20 },
      ],
      product: { product_id: 'solo' },
    },
    traits: { plan: 'Pro' },
    context: { traits: { email: 'X@Y.io' } },
  },
  { type: 'track', event: 'Empty', properties: {} },
  { type: 'track', event: 'Other', properties: { name: 7, products: 'not a list', nested: 'flat', blob: 5, tags: 'x' } },
];

const cases: Array<[string, unknown]> = [
  ['@path', { '@path': '$.properties.name' }],
  ['@path index', { '@path': '$.properties.products[1].product_id' }],
  ['@path quoted key', { '@path': "$.properties['name']" }],
  ['@path missing', { '@path': '$.properties.none.deeper' }],
  ['@template', { '@template': 'Hi {{properties.name}} / {{ traits.plan }} / {{properties.none}}' }],
  ['@template list and number', { '@template': '{{properties.tags}}-{{properties.total}}' }],
  ['@template triple braces', { '@template': '{{{properties.name}}}' }],
  ['@literal', { '@literal': '{{not a template}}' }],
  ['@literal object', { '@literal': { a: { '@path': '$.properties.total' }, b: [1, null] } }],
  ['@if exists then/else', { '@if': { exists: { '@path': '$.properties.nothing' }, then: 'yes', else: 'no' } }],
  ['@if exists common case', { '@if': { exists: { '@path': '$.properties.name' }, then: { '@path': '$.properties.name' }, else: 'none' } }],
  ['@if exists no else', { '@if': { exists: { '@path': '$.properties.none' }, then: 'yes' } }],
  ['@if exists falsy else', { '@if': { exists: { '@path': '$.properties.none' }, then: 'yes', else: '' } }],
  ['@if exists no then', { '@if': { exists: { '@path': '$.properties.name' }, else: 'no' } }],
  ...['zero', 'flag', 'empty', 'nothing', 'list', 'obj', 'name', 'none'].map(
    (k): [string, unknown] => [`@if blank ${k}`, { '@if': { blank: { '@path': `$.properties.${k}` }, then: 'filled', else: 'blank' } }],
  ),
  ['@case lower', { '@case': { operator: 'lower', value: { '@path': '$.properties.name' } } }],
  ['@case upper non-string', { '@case': { operator: 'upper', value: { '@path': '$.properties.total' } } }],
  ['@replace', { '@replace': { pattern: '-', replacement: '_', value: { '@path': '$.properties.name' } } }],
  ['@replace first only, ignore case', { '@replace': { pattern: 'b', replacement: 'x', global: false, ignorecase: true, value: { '@path': '$.properties.name' } } }],
  ['@replace two patterns', { '@replace': { pattern: '-', replacement: '', pattern2: 'Box', replacement2: 'Bag', value: { '@path': '$.properties.name' } } }],
  ['@replace regex characters are text', { '@replace': { pattern: '.', replacement: '!', value: '$a.b.c' } }],
  ['@replace number', { '@replace': { pattern: '2', replacement: '9', value: { '@path': '$.properties.total' } } }],
  ['@replace missing', { '@replace': { pattern: '2', replacement: '9', value: { '@path': '$.properties.none' } } }],
  ['@replace object', { '@replace': { pattern: '2', replacement: '9', value: { '@path': '$.properties.obj' } } }],
  ['@arrayPath', { '@arrayPath': ['$.properties.products', { id: { '@path': '$.product_id' }, cost: { '@path': '$.price' }, sku: { '@path': '$.sku' } }] }],
  ['@arrayPath single object', { '@arrayPath': ['$.properties.product', { id: { '@path': '$.product_id' } }] }],
  ['@arrayPath empty shape', { '@arrayPath': ['$.properties.products', {}] }],
  ['@arrayPath nested template', { '@arrayPath': ['$.properties.products', { label: { '@template': '{{product_id}}:{{price}}' } }] }],
  ['@flatten', { '@flatten': { value: { '@path': '$.properties.nested' }, separator: '.' } }],
  ['@flatten omit arrays', { '@flatten': { value: { '@path': '$.properties.nested' }, separator: '_', omitArrays: true } }],
  ['@json encode', { '@json': { mode: 'encode', value: { '@path': '$.properties.nested' } } }],
  ['@json decode', { '@json': { mode: 'decode', value: { '@path': '$.properties.blob' } } }],
  ['@json decode bad text', { '@json': { mode: 'decode', value: { '@path': '$.properties.bad' } } }],
  ['@merge right', { '@merge': { direction: 'right', objects: [{ '@path': '$.properties.product' }, { product_id: 'override', x: 1 }] } }],
  ['@merge left', { '@merge': { direction: 'left', objects: [{ '@path': '$.properties.product' }, { product_id: 'override', x: 1 }] } }],
  ['@merge missing', { '@merge': { direction: 'right', objects: [{ '@path': '$.properties.none' }] } }],
  ['@transform', { '@transform': { apply: { n: { '@path': '$.properties.name' }, t: { '@path': '$.properties.total' } }, mapping: { label: { '@template': '{{n}}={{t}}' } } } }],
  ['@excludeWhenNull', { '@excludeWhenNull': { '@path': '$.properties.nested' } }],
  ['@excludeWhenNull null', { '@excludeWhenNull': { '@path': '$.properties.nothing' } }],
  ['@liquid upcase', { '@liquid': '{{ properties.name | upcase }}' }],
  ['@liquid text and filters', { '@liquid': 'Order {{ properties.name | downcase | replace: "-", " " }} for {{ properties.none | default: "nobody" }}' }],
  ['object of directives', { a: { '@path': '$.traits.plan' }, b: { c: { '@path': '$.context.traits.email' }, d: { '@path': '$.none' } } }],
  ['list of directives', [{ '@path': '$.properties.total' }, 'x', { '@path': '$.none' }]],
];

const json = (v: unknown) => (v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as unknown));

describe('imported directives compute what mapping-kit computes', () => {
  test.each(cases)('%s', (_name, directive) => {
    const sub = importSegmentSubscription({ partnerAction: 'trackEvent', mapping: { name: 'n', data: { r: directive } } });
    for (const event of events) {
      const theirs = json(transform({ r: directive }, event).r);
      const result = sub.map(event);
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      const ours = json((result.fields.data as Record<string, unknown>).r);
      expect(ours, `${JSON.stringify(directive)} on ${JSON.stringify(event).slice(0, 60)}`).toEqual(theirs);
    }
  });

  test.each(cases)('%s: printed as .map, recompiles to the same result', (_name, directive) => {
    const sub = importSegmentSubscription({ partnerAction: 'trackEvent', mapping: { name: 'n', data: { r: directive } } });
    const again = compileMapping(sub.toMapSource());
    for (const event of events) expect(json(again.map(event)), sub.toMapSource()).toEqual(json(sub.map(event)));
  });
});

function importErrors(mapping: Record<string, unknown>, partnerAction = 'trackEvent'): string {
  try {
    importSegmentSubscription({ partnerAction, mapping });
    return '';
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    return e.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n');
  }
}

describe('what Segment would reject is a SEG error at import', () => {
  test.each([
    [{ name: { '@replace': { pattern: 'abcdefghijk', value: 'x' } } }, /SEG008 .*"pattern" is 11 characters/],
    [{ name: { '@nope': 1 } }, /SEG002 \/mapping\/name\/@nope: `@nope` is not a mapping-kit directive/],
    [{ name: { '@path': '$.a', other: 1 } }, /SEG003/],
    [{ name: { '@if': { then: 1 } } }, /SEG003 .*"exists" or a "blank"/],
    [{ name: { '@case': { operator: 'title', value: 'x' } } }, /SEG003 .*operator must be "lower" or "upper"/],
    [{ name: { '@merge': { objects: [] } } }, /SEG003 .*direction/],
    [{ name: { '@json': { mode: 'zip', value: 'x' } } }, /SEG003 .*mode must be/],
    [{ name: { '@liquid': '{% if x %}y{% endif %}' } }, /SEG004 .*tags/],
    [{ name: { '@liquid': '{{ properties.x | sort }}' } }, /SEG004 .*Liquid filter `sort` has no .map equivalent/],
    [{ name: { '@path': '$.a[' } }, /SEG009/],
    [{ nmae: 'x', name: 'y' }, /SEG007 `nmae` is not a field of trackEvent/],
    [{ name: { '@arrayPath': ['$.p', { x: { '@transform': { apply: { a: 1 }, mapping: { b: 1 } } } }] } }, /SEG010/],
    [{ name: 'x', batch_size: 500 }, /MAP108/],
    [{ name: 'x', convert_timestamp: 'yes' }, /MAP103/],
  ])('%j', (mapping, pattern) => {
    expect(importErrors(mapping as Record<string, unknown>)).toMatch(pattern);
  });

  test('unknown partnerAction suggests the closest action', () => {
    expect(importErrors({}, 'trackEvents')).toMatch(/SEG006 .*`trackEvents`/);
  });
});
