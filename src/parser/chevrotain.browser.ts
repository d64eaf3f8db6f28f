// The browser build's Chevrotain (scripts/build-playground.ts puts this file in place of
// chevrotain.ts): the same runtime through the package's own entry point, which the bundler
// tree-shakes; chevrotain.ts locates the single-file bundle with Node APIs the browser lacks.
export { createToken, CstParser, EOF, Lexer, LLkLookaheadStrategy, tokenMatcher } from 'chevrotain';
