// The .map printer: literal text survives print → parse (quotes, `{{`, escapes, odd keys).
import { describe, expect, test } from 'vitest';
import { compileMappingExpression } from '../../src/mapping/expression.js';
import { printExpr, printKey, printString } from '../../src/mapping/print.js';
import { parseDottedPath } from '../../src/mapping/paths.js';
import { path } from '../../src/mapping/segment/build.js';

describe('strings print as the same text', () => {
  test.each(['plain', 'say "hi"', "it's", '{{not a template}}', "{{x}} it's", 'a\\b\nc\t', '}} {{ {{', 'émoji 😀', ''])('%j', (text) => {
    expect(compileMappingExpression(printString(text))({})).toBe(text);
  });
});

describe('paths print as the same path', () => {
  test.each(['traits.email', "properties['Product Name'].x", 'properties.1st', 'properties.a\\.b', 'if.then', "properties['']", "['']", "[''].x", 'a-b.c_d', 'context.traits.é'])('%s', (text) => {
    const segments = parseDottedPath(text);
    if (typeof segments === 'string') throw new Error(segments);
    const printed = printExpr(path({ kind: 'event' }, segments));
    const event: Record<string, unknown> = {};
    let cursor: Record<string, unknown> = event;
    segments.forEach((seg, i) => {
      if (seg.kind !== 'key') return;
      const next = i === segments.length - 1 ? 'found' : {};
      cursor[seg.name] = next;
      if (typeof next === 'object') cursor = next as Record<string, unknown>;
    });
    expect(compileMappingExpression(printed)(event)).toBe('found');
  });

  test('keys', () => {
    expect(printKey('email')).toBe('email');
    expect(printKey('Product Name')).toBe('Product\\ Name');
    expect(printKey('1st')).toBe('\\1st');
  });
});
