// Differential tests of the Liquid subset: every supported filter on strings, numbers, missing,
// null, lists and objects, compared with actions-core's own @liquid (liquidjs) through `transform`.
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { importSegmentSubscription } from '../../src/mapping/api.js';

const require = createRequire(import.meta.url);
const { transform } = require('@segment/actions-core') as { transform: (m: unknown, d: unknown) => Record<string, unknown> };

const values: Record<string, unknown> = {
  text: '  Hello, World-Wide  ',
  csv: 'a,b,,c,,',
  number: 42.5,
  zero: 0,
  yes: true,
  no: false,
  nothing: null,
  empty: '',
  list: ['x', 'y', 3],
  emptyList: [],
  object: { a: 1 },
};
const event = { type: 'track', event: 'e', properties: values };

const templates = [
  '{{ properties.$ }}',
  '{{ properties.$ | upcase }}',
  '{{ properties.$ | downcase }}',
  '{{ properties.$ | strip }}',
  '{{ properties.$ | replace: "l", "L" }}',
  '{{ properties.$ | replace_first: "l", "L" }}',
  '{{ properties.$ | remove: "l" }}',
  '{{ properties.$ | remove_first: "l" }}',
  '{{ properties.$ | default: "dflt" }}',
  '{{ properties.$ | json }}',
  'x{{ properties.$ | upcase | default: "none" }}y',
];
const cases = templates.flatMap((t) => [...Object.keys(values), 'missing'].map((k) => t.replaceAll('$', k)));

describe('@liquid filters compute what liquidjs computes', () => {
  test.each(cases)('%s', (template) => {
    const directive = { '@liquid': template };
    let theirs: unknown;
    try {
      theirs = transform({ r: directive }, event).r;
    } catch (e) {
      theirs = `error: ${(e as Error).message}`;
    }
    const sub = importSegmentSubscription({ partnerAction: 'trackEvent', mapping: { name: 'n', data: { r: directive } } });
    const result = sub.map(event);
    const ours = result.ok ? (result.fields.data as Record<string, unknown>).r : `error: ${JSON.stringify(result.errors)}`;
    expect(ours).toEqual(theirs);
  });
});
