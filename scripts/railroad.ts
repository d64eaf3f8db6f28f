// `npm run grammar`: railroad diagrams of both languages, generated from the Chevrotain grammars
// (src/parser serializedGrammars) into grammar/railroad-{fql,map}.html, working offline (the
// diagram scripts and CSS are vendored into grammar/diagrams/), plus the TextMate grammar.

import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSyntaxDiagramsCode, type ISerializedGast } from 'chevrotain';
import { serializedGrammars } from '../src/parser/index.js';
import { textMateFile } from './textmate.js';

/** The repository root: the nearest folder above this file with a package.json (works from scripts/ and dist/scripts/). */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above scripts/railroad');
    dir = up;
  }
  return dir;
}

/** Files of chevrotain/diagrams the pages load, relative to that folder (and to grammar/diagrams/). */
export const VENDORED = ['diagrams.css', 'vendor/railroad-diagrams.js', 'src/diagrams_builder.js', 'src/diagrams_behavior.js', 'src/main.js'] as const;

/** Where the vendored files come from: chevrotain's package folder (its `exports` hide package.json, so go up from the entry). */
export function chevrotainDiagramsDir(): string {
  const entry = createRequire(import.meta.url).resolve('chevrotain'); // …/chevrotain/lib/src/api.js
  return path.join(path.dirname(entry), '..', '..', 'diagrams');
}

const TITLES = { fql: 'FQL (triggers)', map: '.map (mappings)' } as const;

/**
 * What a diagram shows for each token: the symbol or keyword as written, or a short description
 * for the tokens that stand for a class of text (strings, numbers, names), instead of the token's name.
 */
export const TOKEN_LABELS: Readonly<Record<string, string>> = {
  Or: 'or', And: 'and', CompareOp: '= != < <= > >= in', Bang: '!', LParen: '(', RParen: ')', LBracket: '[', RBracket: ']',
  Comma: ',', StringTok: '"string" or \'string\'', NumberTok: 'number', True: 'true', False: 'false', Null: 'null',
  Identifier: 'name', Dot: '.', Keyword: 'keyword used as a name', Catch: 'catch', Pipe: '|', LCurly: '{', RCurly: '}',
  When: 'when', Let: 'let', Variable: '$name', Eq: '=', Coalesce: '??', BlankCoalesce: '?:', Star: '*', Dollar: '$',
  Colon: ':', If: 'if', Then: 'then', Else: 'else', Case: 'case', End: 'end', Each: 'each', As: 'as', Omit: 'omit',
};

/** The grammar with every terminal labelled by its symbol (TOKEN_LABELS; unknown tokens keep their name). */
function withSymbols(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withSymbols);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = withSymbols(v);
  if (out.type === 'Terminal' && typeof out.name === 'string' && Object.hasOwn(TOKEN_LABELS, out.name)) out.label = TOKEN_LABELS[out.name];
  return out;
}

/** The two pages, as Chevrotain renders them, pointed at the vendored copies. */
export function railroadPages(): Record<string, string> {
  const grammars = serializedGrammars();
  const pages: Record<string, string> = {};
  for (const lang of ['fql', 'map'] as const) {
    const html = createSyntaxDiagramsCode(withSymbols(grammars[lang]) as ISerializedGast[], { resourceBase: './diagrams/', css: './diagrams/diagrams.css' });
    // a title, so the two pages can be told apart in a browser tab
    pages[`railroad-${lang}.html`] = html.replace('<meta charset="utf-8">', `<meta charset="utf-8">\n<title>cio-actions: ${TITLES[lang]} grammar</title>`);
  }
  return pages;
}

/** Every generated file (pages, vendored copies, the TextMate grammar), keyed by its path under grammar/. */
export async function generatedFiles(): Promise<Record<string, string>> {
  const files = railroadPages();
  files['map.tmLanguage.json'] = textMateFile();
  const source = chevrotainDiagramsDir();
  for (const rel of VENDORED) files[`diagrams/${rel}`] = await readFile(path.join(source, rel), 'utf8');
  files['diagrams/LICENSE.md'] = `The files in this folder are copied unchanged from chevrotain 11.2.0 (diagrams/),
Apache License 2.0, https://github.com/chevrotain/chevrotain. vendor/railroad-diagrams.js is
Tab Atkins Jr.'s railroad-diagrams, CC0 (see its header). Regenerate with \`npm run grammar\`.
`;
  return files;
}

/** Writes every generated file under `grammar/`; returns the paths written. */
export async function writeGrammarFiles(root = repoRoot()): Promise<string[]> {
  const written: string[] = [];
  for (const [rel, text] of Object.entries(await generatedFiles())) {
    const target = path.join(root, 'grammar', rel);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text);
    written.push(path.relative(root, target));
  }
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const written = await writeGrammarFiles();
  console.log(written.map((f) => `wrote ${f}`).join('\n'));
}
