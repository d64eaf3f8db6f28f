// The parser stage's entry points (internal to the package): FQL and .map source → AST +
// diagnostics, plus the serialized grammars for the railroad-diagram script.

export { parseFql, MAX_FQL_SOURCE } from './fql.js';
export type { FqlParseResult } from './fql.js';
export { MAX_DEPTH } from './depth.js';
export { childExprs } from './walk.js';
export { parseMap, parseMapExpression, MAX_MAP_SOURCE } from './map.js';
export type { MapParseResult } from './map.js';
export { toSexpr, mapFileToText } from './print.js';
export { serializedGrammars } from './grammars.js';
export { fqlForMapHeader } from './fql-for-map.js';
