// The reference under docs/: the generated pages are what `npm run docs` writes now, and every
// example in every page runs (map files compile and their examples pass, fql lines compile as
// triggers, eval lines give the stated result on the sample event, function examples hold).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileMapping, compileMappingExpression, compileTrigger, MAPPING_FUNCTIONS } from '../../src/index.js';
import { runExamples } from '../../src/cli/commands/test.js';
import { SAMPLE_EVENT } from '../../src/cli/repl/session.js';
import { generatedDocs } from '../../scripts/docs.js';
import { ROOT } from '../cli/helpers.js';

const DOCS = path.join(ROOT, 'docs');
const pages = readdirSync(DOCS).filter((f) => f.endsWith('.md'));

/** The fenced blocks of a page with their info string. */
function blocks(text: string): Array<{ lang: string; body: string; line: number }> {
  const out: Array<{ lang: string; body: string; line: number }> = [];
  const re = /^```(\w[\w-]*)?\n([\s\S]*?)^```$/gm;
  for (const m of text.matchAll(re)) out.push({ lang: m[1] ?? '', body: m[2] ?? '', line: text.slice(0, m.index).split('\n').length });
  return out;
}

describe('generated pages are up to date (run `npm run docs`)', async () => {
  const generated = await generatedDocs();
  it.each(Object.keys(generated))('%s', (file) => {
    expect(readFileSync(path.join(ROOT, file), 'utf8')).toBe(generated[file]);
  });
});

describe('every example in docs/ runs', () => {
  const all = pages.flatMap((page) => blocks(readFileSync(path.join(DOCS, page), 'utf8')).map((b) => ({ page, ...b })));

  it('has examples of each kind', () => {
    for (const lang of ['map', 'fql', 'eval']) expect(all.some((b) => b.lang === lang)).toBe(true);
  });

  it.each(all.filter((b) => b.lang === 'map').map((b) => [`${b.page}:${b.line}`, b] as const))('map block %s compiles and its examples pass', (where, b) => {
    const sub = compileMapping(b.body, { filename: where });
    // default mappings are shown for reading; blocks with examples must pass them
    for (const outcome of runExamples(sub, 'strict')) {
      expect(outcome.problems).toEqual([]);
      expect(outcome.differences).toEqual([]);
    }
  });

  const fqlLines = all.filter((b) => b.lang === 'fql').flatMap((b) => b.body.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => [`${b.page}:${b.line}`, l] as const));
  it.each(fqlLines)('fql (%s): %s', (_where, line) => {
    expect(() => compileTrigger(line)).not.toThrow();
  });

  const evalLines = all
    .filter((b) => b.lang === 'eval')
    .flatMap((b) => b.body.split('\n').filter((l) => l.includes('⇒')).map((l) => [`${b.page}:${b.line}`, l] as const));
  it.each(evalLines)('eval (%s): %s', (_where, line) => {
    const [expr, result] = line.split('⇒').map((s) => s.trim()) as [string, string];
    expect(compileMappingExpression(expr)(SAMPLE_EVENT)).toEqual(JSON.parse(result));
  });

  const functionExamples = MAPPING_FUNCTIONS.flatMap((f) => f.examples.map((x) => [f.name, x] as const));
  it.each(functionExamples)('functions.md: %s %j', (_name, x) => {
    expect(compileMappingExpression(x.expr)(x.event ?? {})).toStrictEqual(x.result);
  });
});

describe('destination.schema.json', () => {
  it('accepts the example configuration and rejects the mistakes the CLI rejects', async () => {
    const { Ajv } = await import('ajv');
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'destination.schema.json'), 'utf8')) as object);
    const example = JSON.parse(readFileSync(path.join(ROOT, 'examples/destination.json'), 'utf8')) as Record<string, unknown>;
    expect(example.$schema).toBe('../destination.schema.json');
    expect(validate(example)).toBe(true);
    expect(validate({ subscriptons: [] })).toBe(false);
    expect(validate({ presets: 'some' })).toBe(false);
    expect(validate({ delivery: { retry: { maxAttemps: 3 } } })).toBe(false);
    expect(validate({ delivery: { concurrency: 0 } })).toBe(false);
    expect(validate({ settings: { region: 'EU 🇪🇺' }, subscriptions: ['a.map', 'b.json'] })).toBe(true);
  });
});

describe('the sample event of docs/README.md', () => {
  it('is the REPL sample event the eval lines run against', () => {
    const json = blocks(readFileSync(path.join(DOCS, 'README.md'), 'utf8')).find((b) => b.lang === 'json');
    expect(JSON.parse(json?.body ?? 'null')).toEqual(SAMPLE_EVENT);
  });
});
