// Our package's folder and package.json, found by walking up from this file: the CLI runs from
// dist/src/cli/ (tsc's output) and from the bundle in dist/cli/, at different depths.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let found: { dir: string; version: string } | undefined;

/** The folder of the nearest package.json above this file named `cio-actions`, and its version. */
export function packageRoot(): { dir: string; version: string } {
  if (found) return found;
  for (let url = new URL('./package.json', import.meta.url); ; ) {
    try {
      const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'cio-actions') return (found = { dir: fileURLToPath(new URL('./', url)), version: pkg.version ?? 'unknown' });
    } catch {
      /* none here: look further up */
    }
    const up = new URL('../package.json', url);
    if (up.href === url.href) throw new Error('the cio-actions package.json was not found above the CLI');
    url = up;
  }
}
