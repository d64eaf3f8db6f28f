// Build step (`npm run build`, after tsc): the `cio-actions` binary as ES modules with one chunk per
// command (dist/cli/), bundled with esbuild from tsc's output. Loading ~120 small modules one by
// one (resolve, read, compile, link each) cost `check` about a quarter of its start-up (issue #11).
// The library (dist/src/index.js) stays unbundled; dist/src/cli/main.js is the same program.
//
// Kept out of the bundle: packages (node_modules: chevrotain's own bundle, ajv's runtime, date-fns,
// loaded on first use) and src/lazy-require.ts, which resolves src/generated/ from its own place.

import { chmodSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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

/** Bundles dist/src/cli/main.js into `outDir` (default dist/cli/); returns the entry file. */
export async function bundleCli(root = repoRoot(), outDir = path.join(root, 'dist/cli')): Promise<string> {
  const src = path.join(root, 'dist/src');
  rmSync(outDir, { recursive: true, force: true });
  await build({
    // run-worker: the worker thread of `run --threads`, loaded by file name beside the chunks
    entryPoints: { 'cio-actions': path.join(src, 'cli/main.js'), 'run-worker': path.join(src, 'cli/run-worker.js') },
    outdir: outDir,
    bundle: true,
    splitting: true, // the commands stay lazily imported: each its own chunk
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    chunkNames: '[name]-[hash]',
    logLevel: 'warning',
    plugins: [
      {
        name: 'cio-unbundled',
        setup(b) {
          // imported from its dist/src place, relative to the output folder
          b.onResolve({ filter: /\/lazy-require\.js$/ }, (args) => {
            const target = path.resolve(args.resolveDir, args.path);
            return { path: `./${path.relative(outDir, target).split(path.sep).join('/')}`, external: true };
          });
        },
      },
    ],
  });
  const entry = path.join(outDir, 'cio-actions.js');
  chmodSync(entry, 0o755);
  return entry;
}

function isEntryPoint(): boolean {
  const invoked = process.argv[1];
  return invoked !== undefined && path.resolve(invoked) === fileURLToPath(import.meta.url);
}

if (isEntryPoint()) await bundleCli();
