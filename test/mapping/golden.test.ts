// Golden fixtures of the mapping language (test/fixtures/mapping): `x.map` with `x.input.json`
// (a list of events) → `x.output.json` (one map result per event), and every diagnostic of `x.map`
// rendered with formatDiagnostic → `x.txt`. `UPDATE_GOLDEN=1` rewrites the expected files.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/render.js';
import { analyzeMapping } from '../../src/mapping/api.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'mapping');
const update = process.env.UPDATE_GOLDEN === '1';
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.map'))
  .map((f) => f.slice(0, -4))
  .sort();

/** Compares `actual` with the golden file, or writes it under UPDATE_GOLDEN=1. */
function golden(file: string, actual: string): void {
  const path = join(dir, file);
  if (update) {
    writeFileSync(path, actual);
    return;
  }
  expect(existsSync(path), `missing golden ${file} (run with UPDATE_GOLDEN=1)`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe.each(names)('%s', (name) => {
  const filename = `${name}.map`;
  const source = readFileSync(join(dir, filename), 'utf8');
  const { diagnostics, subscription } = analyzeMapping(source, { filename });

  test('diagnostics', () => {
    const rendered = diagnostics.map((d) => formatDiagnostic(source, d, { filename })).join('\n\n');
    if (diagnostics.length > 0 || existsSync(join(dir, `${name}.txt`))) golden(`${name}.txt`, rendered === '' ? '' : `${rendered}\n`);
  });

  const inputPath = join(dir, `${name}.input.json`);
  if (existsSync(inputPath)) {
    test('output', () => {
      expect(subscription, 'the fixture has inputs, so it must compile').toBeDefined();
      const events = JSON.parse(readFileSync(inputPath, 'utf8')) as unknown[];
      const results = events.map((e) => subscription!.map(e));
      golden(`${name}.output.json`, `${JSON.stringify(results, null, 2)}\n`);
    });
  }
});
