// Golden files: every `test/fixtures/parser/x.fql` / `x.map` is parsed and its diagnostics are
// rendered with formatDiagnostic into `x.txt` (or the AST, when the source is valid). One runner;
// `UPDATE_GOLDEN=1 npx vitest run test/parser/golden.test.ts` rewrites the expected files.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/render.js';
import { mapFileToText, parseFql, parseMap, toSexpr } from '../../src/parser/index.js';

const DIR = join(import.meta.dirname, '../fixtures/parser');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

function render(name: string, source: string): string {
  const isMap = name.endsWith('.map');
  const result = isMap ? parseMap(source) : parseFql(source);
  const out = result.diagnostics.map((d) => formatDiagnostic(source, d, { filename: name }));
  const errors = result.diagnostics.some((d) => d.severity === 'error');
  if (!errors && result.ast) {
    const ast = isMap ? mapFileToText(result.ast as Parameters<typeof mapFileToText>[0]) : toSexpr(result.ast as Parameters<typeof toSexpr>[0]);
    out.push(`ok:\n${ast}`);
  }
  return `${out.join('\n\n')}\n`;
}

const sources = readdirSync(DIR).filter((f) => f.endsWith('.fql') || f.endsWith('.map')).sort();

describe('parser golden files', () => {
  it('has fixtures', () => {
    expect(sources.length).toBeGreaterThan(20);
  });

  it.each(sources)('%s', (name) => {
    const source = readFileSync(join(DIR, name), 'utf8');
    const actual = render(name, source);
    const expectedPath = join(DIR, name.replace(/\.(fql|map)$/, '.txt'));
    if (UPDATE || !existsSync(expectedPath)) {
      if (!UPDATE) throw new Error(`missing golden file ${expectedPath}; run with UPDATE_GOLDEN=1`);
      writeFileSync(expectedPath, actual);
      return;
    }
    expect(actual).toBe(readFileSync(expectedPath, 'utf8'));
  });
});
