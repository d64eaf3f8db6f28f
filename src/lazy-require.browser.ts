// The browser build's lazy-require (scripts/build-playground.ts puts this file in place of
// lazy-require.ts): each module the library may ask for, behind a literal `require` that esbuild
// follows and bundles; the page pays for each only when first asked, like Node.
/* eslint-disable @typescript-eslint/no-require-imports */

let generated: Record<string, () => unknown> | undefined;

export function lazyRequire(specifier: string): unknown {
  const file = /^\.\/generated\/([\w-]+)\.cjs$/.exec(specifier)?.[1];
  if (file !== undefined) {
    generated ??= require('./generated/index.cjs') as Record<string, () => unknown>;
    if (Object.hasOwn(generated, file)) return generated[file]!();
  }
  switch (specifier) {
    case 'ajv-formats/dist/formats.js':
      return require('ajv-formats/dist/formats.js');
    case 'date-fns/format':
      return require('date-fns/format');
    case 'date-fns/isValid':
      return require('date-fns/isValid');
    case 'date-fns/parse':
      return require('date-fns/parse');
    case 'jsonpath-plus':
      return require('jsonpath-plus');
  }
  // ajv's compiler (115 KiB minified) is left out on purpose: every validator the page needs is
  // generated (src/generated/); only an action defined at run time would ask for it
  throw new Error(`lazy-require.browser.ts: ${specifier} is not in the browser bundle${specifier === 'ajv' ? ' (every registered action has generated validators; a field table defined at run time cannot be compiled in the browser)' : ''}`);
}
