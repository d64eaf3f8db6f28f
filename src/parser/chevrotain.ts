// Chevrotain's runtime for the parser, loaded from the single-file ESM bundle the package ships
// (lib/chevrotain.mjs, the same version): the package's entry point loads ~600 lodash-es modules,
// about 0.4 s of every CLI start, the bundle about 20 ms. Types still come from 'chevrotain'.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type Chevrotain = typeof import('chevrotain');

async function load(): Promise<Chevrotain> {
  const require = createRequire(import.meta.url);
  // exports map: "chevrotain" → lib/src/api.js; the bundle sits at lib/chevrotain.mjs
  const bundle = path.join(path.dirname(require.resolve('chevrotain')), '..', 'chevrotain.mjs');
  if (existsSync(bundle)) return (await import(pathToFileURL(bundle).href)) as Chevrotain;
  return import('chevrotain'); // another layout: the regular entry point
}

const chevrotain = await load();

export const { createToken, CstParser, EOF, Lexer, LLkLookaheadStrategy, tokenMatcher } = chevrotain;
