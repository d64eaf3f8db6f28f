// src/actions/default-maps.generated.ts carries each action's default.map text for code that cannot
// read files at run time (the browser bundle, dist/); the .map files are the source. This fails
// while the generated module is stale (fix: `npm run build`, which regenerates it).

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('default-maps.generated.ts is up to date with the default.map files', () => {
  const script = fileURLToPath(new URL('../../scripts/default-maps.mjs', import.meta.url));
  expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
});
