// `npm run build:playground`: the browser playground as static files in dist/playground/
// (index.html, playground.js, playground.css): the library bundled for the browser by esbuild,
// the examples embedded, no CDN and no network, so it works from file:// and any static host.
// `cio-actions playground` serves the same folder.

import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** The repository root: the nearest folder above this file with a package.json (scripts/ or dist/scripts/). */
function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above scripts/build-playground');
    dir = up;
  }
  return dir;
}

/**
 * The browser's module in place of a Node-only one: src/parser/chevrotain.ts finds Chevrotain's
 * single-file bundle with node:fs (in the browser the package entry point does the same job),
 * src/runtime/dead-letter-file.ts writes files (a page has none: a clear error instead), and
 * src/lazy-require.ts loads with Node's require (the variant lists what it may load, for esbuild).
 */
function browserModules(root: string): Plugin {
  // the Node module (as imported, `.js`) → its browser variant (`.browser.ts`) beside it
  const variants = new Map(['src/parser/chevrotain', 'src/runtime/dead-letter-file', 'src/lazy-require'].map((m) => [path.join(root, `${m}.js`), path.join(root, `${m}.browser.ts`)]));
  return {
    name: 'cio-browser-modules',
    setup(b) {
      b.onResolve({ filter: /\/(chevrotain|dead-letter-file|lazy-require)\.js$/ }, (args) => {
        const variant = variants.get(path.resolve(args.resolveDir, args.path));
        return variant === undefined ? undefined : { path: variant };
      });
      // Node built-ins in what the page imports would be a bug of the split: fail the build, naming the importer
      b.onResolve({ filter: /^node:/ }, (args) => ({ errors: [{ text: `${args.path} is imported by ${path.relative(root, args.importer)}, which the browser bundle must not need` }] }));
    },
  };
}

async function examples(root: string) {
  const events = (await readFile(path.join(root, 'examples', 'events.ndjson'), 'utf8')).split('\n').filter((l) => l.trim() !== '');
  const mapDir = path.join(root, 'examples', 'maps');
  const maps = await Promise.all(
    (await readdir(mapDir))
      .filter((f) => f.endsWith('.map'))
      .sort()
      .map(async (name) => ({ name, text: await readFile(path.join(mapDir, name), 'utf8') })),
  );
  const lifecycle = JSON.parse(await readFile(path.join(root, 'examples', 'segment', 'lifecycle.json'), 'utf8')) as Array<{ name: string }>;
  const segment = lifecycle.map((s) => ({ name: s.name, text: `${JSON.stringify(s, null, 2)}\n` }));
  return { events, maps, segment };
}

export interface PlaygroundBuild {
  dir: string;
  /** Bytes of playground.js. */
  bytes: number;
}

/** Builds dist/playground/ (or `outDir`); returns where and how big the script is. */
export async function buildPlayground(outDir?: string): Promise<PlaygroundBuild> {
  const root = repoRoot();
  const dir = outDir ?? path.join(root, 'dist', 'playground');
  await mkdir(dir, { recursive: true });
  const result = await build({
    entryPoints: [path.join(root, 'playground', 'app.ts')],
    outfile: path.join(dir, 'playground.js'),
    bundle: true,
    format: 'iife', // a classic script: module scripts do not load from file://
    platform: 'browser',
    target: ['chrome110', 'firefox115', 'safari16'],
    minify: process.env.PLAYGROUND_MINIFY !== '0', // PLAYGROUND_MINIFY=0: readable, for profiling
    legalComments: 'eof',
    metafile: true,
    logLevel: 'warning',
    define: { __PLAYGROUND_DATA__: JSON.stringify(await examples(root)) },
    plugins: [browserModules(root)],
  });
  await copyFile(path.join(root, 'playground', 'index.html'), path.join(dir, 'index.html'));
  await copyFile(path.join(root, 'playground', 'style.css'), path.join(dir, 'playground.css'));
  const out = Object.entries(result.metafile.outputs).find(([f]) => f.endsWith('playground.js'));
  return { dir, bytes: out?.[1].bytes ?? 0 };
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { dir, bytes } = await buildPlayground(process.argv[2]);
  process.stdout.write(`playground: ${path.relative(process.cwd(), dir) || '.'}/ (playground.js ${(bytes / 1024).toFixed(0)} KiB)\n`);
}
