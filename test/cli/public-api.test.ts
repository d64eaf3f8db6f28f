// The command line uses only the public API (ARCHITECTURE.md). For start-up time its commands may
// import those names from the modules that define them instead of src/index.ts (which loads the
// whole library); whatever they import from outside src/cli/ must still be exported by src/index.ts.
// src/settings/ is exempt: the one home of settings and redaction, shared by the CLI and library.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const cliDir = path.join(root, 'src/cli');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/** [file, module specifier, imported value names] for every import of a module outside src/cli/. */
function libraryImports(): Array<[string, string, string[]]> {
  const out: Array<[string, string, string[]]> = [];
  for (const file of files(cliDir)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^import\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']+)';/gm)) {
      const spec = m[3]!;
      if (!spec.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), spec);
      if (target.startsWith(cliDir + path.sep) || target.startsWith(path.join(root, 'src/settings') + path.sep)) continue;
      const names = m[1]
        ? []
        : m[2]!
            .split(',')
            .map((n) => n.trim())
            .filter((n) => n !== '' && !n.startsWith('type '))
            .map((n) => n.split(/\s+as\s+/)[0]!);
      out.push([path.relative(root, file), spec, names]);
    }
  }
  return out;
}

describe('src/cli', () => {
  const imports = libraryImports();

  it('imports the library (the check below has something to check)', () => {
    expect(imports.some(([file]) => file.endsWith('eval.ts'))).toBe(true);
  });

  it.each(imports)('%s: every value it imports from %s is public', (_file, _spec, names) => {
    for (const name of names) expect(Object.keys(api), name).toContain(name);
  });
});
