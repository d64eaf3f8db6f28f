// grammar/: the railroad pages are fresh (regenerated in memory and compared) and render offline
// in headless Chromium (test/browser/railroad.test.ts); the EBNF files name every parser rule; the TextMate grammar is sound.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../scripts/railroad.js';
import { serializedGrammars } from '../../src/parser/index.js';
import { MAPPING_FUNCTIONS } from '../../src/index.js';
import { ROOT } from './helpers.js';

const GRAMMAR = path.join(ROOT, 'grammar');
const ruleNames = (gast: unknown) => (gast as Array<{ name: string }>).map((r) => r.name);

describe('railroad diagrams', () => {
  it('are fresh: `npm run grammar` would write exactly what is committed', async () => {
    const files = await generatedFiles();
    expect(Object.keys(files).length).toBeGreaterThanOrEqual(7);
    for (const [rel, text] of Object.entries(files)) {
      expect(readFileSync(path.join(GRAMMAR, rel), 'utf8'), `grammar/${rel} is stale: run npm run grammar`).toBe(text);
    }
  });

  it('load nothing from the network', () => {
    for (const page of ['railroad-fql.html', 'railroad-map.html']) {
      const html = readFileSync(path.join(GRAMMAR, page), 'utf8');
      const refs = [...html.matchAll(/(?:src|href)=['"]([^'"]+)['"]/g)].map((m) => m[1]);
      expect(refs.length).toBeGreaterThanOrEqual(5);
      for (const ref of refs) expect(ref).toMatch(/^\.\/diagrams\//);
    }
  });

  // Rendering them in headless Chromium: test/browser/railroad.test.ts (`npm run test:browser`).
});

describe('EBNF', () => {
  it.each([
    ['fql.ebnf', 'fql'],
    ['map.ebnf', 'map'],
  ] as const)('%s defines every rule of the parser', (file, lang) => {
    const ebnf = readFileSync(path.join(GRAMMAR, file), 'utf8').replace(/\(\*[\s\S]*?\*\)/g, '');
    const defined = new Set([...ebnf.matchAll(/^([A-Za-z_]+)\s*=/gm)].map((m) => m[1]));
    const missing = ruleNames(serializedGrammars()[lang]).filter((r) => !defined.has(r));
    expect(missing).toEqual([]);
    // every rule the EBNF uses is defined in it (or, for .map, in fql.ebnf's token section)
    const base = lang === 'map' ? new Set(['identifier', 'letter', 'digit', 'escape']) : new Set<string>();
    const used = new Set([...ebnf.replace(/"[^"]*"|'[^']*'|\?[^?]*\?/g, '').matchAll(/\b([A-Za-z_]+)\b/g)].map((m) => m[1] as string));
    const undefinedRules = [...used].filter((name) => !defined.has(name) && !base.has(name));
    expect(undefinedRules).toEqual([]);
  });
});

describe('TextMate grammar', () => {
  const grammar = JSON.parse(readFileSync(path.join(GRAMMAR, 'map.tmLanguage.json'), 'utf8')) as {
    scopeName: string;
    fileTypes: string[];
    repository: Record<string, { match?: string; patterns?: Array<{ match?: string; include?: string }> }>;
  };
  const regexes: string[] = [];
  (function collect(node: unknown) {
    if (typeof node !== 'object' || node === null) return;
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'match' || k === 'begin' || k === 'end') && typeof v === 'string') regexes.push(v);
      else collect(v);
    }
  })(grammar);

  it('covers .map and .fql files, and every pattern compiles', () => {
    expect(grammar.scopeName).toBe('source.cio-map');
    expect(grammar.fileTypes).toEqual(['map', 'fql']);
    expect(regexes.length).toBeGreaterThan(20);
    for (const r of regexes) expect(() => new RegExp(r)).not.toThrow();
  });

  it('every include points at a repository entry', () => {
    const includes = JSON.stringify(grammar).match(/"include":\s*"#([^"]+)"/g) ?? [];
    for (const inc of includes) expect(grammar.repository).toHaveProperty(inc.replace(/.*#|"/g, ''));
  });

  it('knows every built-in function of the library', () => {
    const builtin = grammar.repository.call?.patterns?.[0]?.match ?? '';
    const names = new Set(builtin.replace(/^.*?\(\?<!.*?\)\(/, '').replace(/\)\(\?=.*$/, '').split('|'));
    const missing = [...new Set(MAPPING_FUNCTIONS.map((f) => f.name))].filter((n) => !names.has(n));
    expect(missing).toEqual([]);
  });

  const scope = (name: string, text: string) => {
    const entry = grammar.repository[name];
    const patterns = entry?.match !== undefined ? [entry.match] : (entry?.patterns ?? []).map((p) => p.match).filter((m): m is string => m !== undefined);
    return patterns.some((p) => new RegExp(p).test(text));
  };

  it.each([
    ['assignment', 'custom_attributes.plan = traits.plan', true],
    ['assignment', 'x == y', false],
    ['let', 'let $email = traits.email', true],
    ['header', 'target createUpdatePerson', true],
    ['number', '-1.5e3', true],
    ['number', 'user-1', false],
    ['variable', '$p', true],
    ['keyword', 'then', true],
    ['keyword', 'thence', false],
    ['constant', 'omit', true],
    ['comment', '# a comment', true],
    ['object-key', 'sku: $p.sku', true],
    ['object-key', 'a ?: b', false],
  ])('%s matches %j: %s', (name, text, expected) => expect(scope(name, text)).toBe(expected));
});

describe('railroad diagrams show symbols, not token names (issue 16.10)', () => {
  it('labels every terminal with its symbol or keyword', async () => {
    const { generatedFiles: files, TOKEN_LABELS } = await import('../../scripts/railroad.js');
    const pages = await files();
    for (const page of ['railroad-fql.html', 'railroad-map.html']) {
      const labels = [...(pages[page] ?? '').matchAll(/"type": "Terminal",\s*"name": "(\w+)",\s*"label": "((?:[^"\\]|\\.)*)"/g)];
      expect(labels.length).toBeGreaterThan(5);
      for (const [, name, label] of labels) expect(JSON.parse(`"${label}"`)).toBe(TOKEN_LABELS[name as string]);
    }
    expect(pages['railroad-fql.html']).toContain('"label": "= != < <= > >= in"');
    expect(pages['railroad-fql.html']).not.toContain('"label": "Bang"');
  });
});
