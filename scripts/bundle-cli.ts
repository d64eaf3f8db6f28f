// Build step (`npm run build`, after tsc): the `cio-actions` binary as one ES module per command
// (dist/cli/), bundled with rolldown from tsc's output. Loading ~120 small modules one by one cost
// every start of `check` about a quarter of its time (resolving, reading and linking each; issue
// #11). The library (dist/src/index.js) stays unbundled; dist/src/cli/main.js is the same program.
//
// Kept out of the bundle: packages (node_modules: chevrotain's own bundle, ajv's runtime, date-fns,
// loaded on first use) and src/lazy-require.ts, which resolves src/generated/ from its own place.

import { chmodSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

/** The repository root: the nearest folder above this file with a package.json (scripts/ and dist/scripts/). */
function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above scripts/bundle-cli');
    dir = up;
  }
  return dir;
}

/** The built modules that stay separate files, imported from the bundle by their dist/src path. */
const UNBUNDLED = ['lazy-require.js'];

/** Bundles dist/src/cli/main.js into `outDir` (default dist/cli/); returns the entry file. */
export async function bundleCli(root = repoRoot(), outDir = path.join(root, 'dist/cli')): Promise<string> {
  const src = path.join(root, 'dist/src');
  const unbundled = new Set(UNBUNDLED.map((f) => path.join(src, f)));
  rmSync(outDir, { recursive: true, force: true });
  const bundle = await rolldown({
    input: { 'cio-actions': path.join(src, 'cli/main.js') },
    platform: 'node',
    external: (id, importer) => {
      if (!id.startsWith('.') && !path.isAbsolute(id)) return true; // a package or node: builtin
      return unbundled.has(importer && id.startsWith('.') ? path.resolve(path.dirname(importer), id) : id);
    },
  });
  await bundle.write({
    dir: outDir,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    // the unbundled modules, imported by their path relative to the output folder
    paths: (id) => (path.isAbsolute(id) ? path.relative(outDir, id).split(path.sep).join('/').replace(/^(?!\.)/, './') : id),
  });
  await bundle.close();
  const entry = path.join(outDir, 'cio-actions.js');
  chmodSync(entry, 0o755);
  return entry;
}

function isEntryPoint(): boolean {
  const invoked = process.argv[1];
  return invoked !== undefined && path.resolve(invoked) === fileURLToPath(import.meta.url);
}

if (isEntryPoint()) await bundleCli();
